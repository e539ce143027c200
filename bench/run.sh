#!/usr/bin/env bash
# Times trainpack against the pulldown-cmark floor, mdBook and Hugo on
# generated packs of N modules, and writes a Markdown table.
#
#   bench/run.sh                 N = 10 100 1000
#   bench/run.sh 100 5000        any list of N (5000 writes about 0.8 GB of corpus)
#
# Environment (defaults in brackets):
#   TRAINPACK  [the release build, wherever cargo puts it]  the binary under test
#   RUNS       [5]      hyperfine --runs (plus one warm-up run)
#   ROWS       [floor tp-check tp-site tp-pdf tp-rebuild mdbook hugo]  rows to time
#   SEED       [42]     corpus seed
#   BENCH      [/tmp/trainpack-bench]  corpora, outputs, tools; nothing goes in the repo
#                       except bench/results/
#   OUT        [$BENCH/out]  where every tool writes its output; /dev/shm/... takes
#                       the disk out of the measurement
#
# Installs what is missing first: hyperfine, hugo and GNU time with apt-get,
# mdBook with cargo install into $BENCH/tools, and builds bench/floor.
set -euo pipefail

# ---- trainpack's command line: change these when the CLI changes ----------
TP_BUILD=(build)             # the build subcommand
TP_CHECK=(check)             # the check subcommand
TP_OUTPUT_FLAG=--output      # where the site goes
TP_NO_PDF_FLAG=--no-pdf      # site only, no PDFs
# Paths deleted before every timed full build besides the output folder, so a
# cache kept elsewhere cannot turn a full build into a rebuild. `{pack}`,
# `{out}` and `{cache}` stand for the pack folder, the output folder and
# the cache folder beside it (`.site.cache` for `site`).
TP_CACHE_PATHS=${TP_CACHE_PATHS:-{cache\}}
# ----------------------------------------------------------------------------

HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=${BENCH:-/tmp/trainpack-bench}
TRAINPACK=${TRAINPACK:-$("$HERE/../scripts/binary-path" --release)}
RUNS=${RUNS:-5}
SEED=${SEED:-42}
ROWS=${ROWS:-floor tp-check tp-site tp-pdf tp-rebuild mdbook hugo}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10 100 1000)

CORPUS=$BENCH/corpus
OUT=${OUT:-$BENCH/out}
TOOLS=$BENCH/tools
MDBOOK=${MDBOOK:-$TOOLS/bin/mdbook}
HUGO=${HUGO:-hugo}
FLOOR=$BENCH/floor-target/release/floor
RESULTS=$HERE/results
LOGS=$BENCH/logs

say() { printf '\n== %s\n' "$*" >&2; }
want() { [[ " $ROWS " == *" $1 "* ]]; }

# ---- install ----------------------------------------------------------------
install_tools() {
    local need=()
    command -v hyperfine >/dev/null || need+=(hyperfine)
    command -v "$HUGO" >/dev/null || need+=(hugo)
    [ -x /usr/bin/time ] || need+=(time)
    if ((${#need[@]})); then
        say "installing ${need[*]} (Debian packages)"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
    fi
    if [ ! -x "$MDBOOK" ]; then
        say "installing mdBook into $TOOLS (cargo install, a few minutes)"
        nice -n 19 cargo install mdbook --locked --root "$TOOLS"
    fi
    say "building the floor (bench/floor)"
    CARGO_TARGET_DIR=$BENCH/floor-target nice -n 19 \
        cargo build --release --quiet --manifest-path "$HERE/floor/Cargo.toml"
}

# ---- which trainpack rows can run --------------------------------------------
TP_ROWS=""
probe_trainpack() {
    if [ ! -x "$TRAINPACK" ]; then
        say "skipping the trainpack rows: no binary at $TRAINPACK (cargo build --release in the repo, or set TRAINPACK=...)"
        return
    fi
    if "$TRAINPACK" "${TP_CHECK[@]}" --help >/dev/null 2>&1; then
        TP_ROWS+=" tp-check"
    else
        say "skipping tp-check: \`$TRAINPACK ${TP_CHECK[*]}\` does not exist"
    fi
    local help
    if ! help=$("$TRAINPACK" "${TP_BUILD[@]}" --help 2>&1); then
        say "skipping the trainpack build rows: \`$TRAINPACK ${TP_BUILD[*]}\` does not exist yet (edit TP_BUILD at the top of bench/run.sh if it was renamed)"
        return
    fi
    if [[ $help != *"$TP_OUTPUT_FLAG"* ]]; then
        say "skipping the trainpack build rows: \`${TP_BUILD[*]}\` has no $TP_OUTPUT_FLAG flag (edit TP_OUTPUT_FLAG at the top of bench/run.sh)"
        return
    fi
    if [[ $help == *"$TP_NO_PDF_FLAG"* ]]; then
        TP_ROWS+=" tp-site"
    else
        say "skipping tp-site: \`${TP_BUILD[*]}\` has no $TP_NO_PDF_FLAG flag yet (edit TP_NO_PDF_FLAG at the top of bench/run.sh)"
    fi
    TP_ROWS+=" tp-pdf tp-rebuild"
}

# ---- corpora -----------------------------------------------------------------
corpus() {
    local n=$1 stamp
    stamp="seed=$SEED gen=$(sha256sum "$HERE/gen_corpus.py" | cut -c1-16)"
    if [ "$(cat "$CORPUS/n$n/.stamp" 2>/dev/null)" != "$stamp" ]; then
        say "generating the corpus of $n modules"
        python3 "$HERE/gen_corpus.py" "$n" --seed "$SEED" --out "$CORPUS" >&2
        echo "$stamp" >"$CORPUS/n$n/.stamp"
    fi
}

# ---- timing ------------------------------------------------------------------
# time_row N ID LABEL PREPARE COMMAND: hyperfine median into results/nN-ID.json,
# then one more run under /usr/bin/time -v for the peak RSS into results/nN-rss.tsv.
time_row() {
    local n=$1 id=$2 label=$3 prepare=$4 cmd=$5
    local json=$RESULTS/n$n-$id.json log=$LOGS/n$n-$id.log
    say "N=$n  $label"
    echo "$cmd" >&2
    if ! hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$json" \
        --prepare "$prepare" -n "$label" "$cmd" >&2; then
        rm -f "$json"
        bash -c "$prepare" >/dev/null 2>&1 || true
        bash -c "$cmd" >"$log" 2>&1 || true
        say "FAILED: $label (last lines of $log)"
        tail -n 15 "$log" >&2
        printf '%s\tfailed\n' "$id" >>"$RESULTS/n$n-rss.tsv"
        return 0
    fi
    bash -c "$prepare" >/dev/null 2>&1
    /usr/bin/time -v -o "$LOGS/n$n-$id.time" bash -c "$cmd" >"$log" 2>&1 || true
    local kb
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$LOGS/n$n-$id.time")
    printf '%s\t%s\n' "$id" "${kb:-?}" >>"$RESULTS/n$n-rss.tsv"
}

clean_cmd() { # the prepare command of a full trainpack build into $1
    # `local` expands all its words before assigning any: one per line.
    local out=$1
    local pack=$2
    local cmd="rm -rf $out"
    local p
    for p in $TP_CACHE_PATHS; do
        p=${p//\{pack\}/$pack}
        p=${p//\{out\}/$out}
        p=${p//\{cache\}/$(dirname "$out")/.$(basename "$out").cache}
        cmd+=" $p"
    done
    echo "$cmd"
}

bench_size() {
    local n=$1
    local C=$CORPUS/n$n O=$OUT
    local tp_pack=$C/trainpack
    rm -f "$RESULTS"/n"$n"-*.json "$RESULTS/n$n-rss.tsv"
    mkdir -p "$O" "$LOGS"

    want floor && time_row "$n" floor "floor (pulldown-cmark, all cores)" \
        "rm -rf $O/floor-n$n" "$FLOOR $C/raw $O/floor-n$n -q"

    if want tp-check && [[ $TP_ROWS == *tp-check* ]]; then
        time_row "$n" tp-check "trainpack check" "true" "$TRAINPACK ${TP_CHECK[*]} $tp_pack"
    fi
    if want tp-site && [[ $TP_ROWS == *tp-site* ]]; then
        time_row "$n" tp-site "trainpack build, site only" "$(clean_cmd "$O/tp-n$n" "$tp_pack")" \
            "$TRAINPACK ${TP_BUILD[*]} $tp_pack $TP_OUTPUT_FLAG $O/tp-n$n $TP_NO_PDF_FLAG"
    fi
    if want tp-pdf && [[ $TP_ROWS == *tp-pdf* ]]; then
        time_row "$n" tp-pdf "trainpack build, site + PDFs" "$(clean_cmd "$O/tp-pdf-n$n" "$tp_pack")" \
            "$TRAINPACK ${TP_BUILD[*]} $tp_pack $TP_OUTPUT_FLAG $O/tp-pdf-n$n"
    fi
    if want tp-rebuild && [[ $TP_ROWS == *tp-rebuild* ]]; then
        if [ -f "$RESULTS/n$n-tp-pdf.json" ]; then
            # Edit the middle module: each run appends a new line, so each run
            # sees a real change; the file is restored afterwards.
            local edit
            edit=$(find "$tp_pack/modules" -mindepth 2 -maxdepth 2 -name module.md | sort | sed -n "$((n / 2 + 1))p")
            cp "$edit" "$BENCH/module.md.orig"
            trap 'cp "$BENCH/module.md.orig" "'"$edit"'"' EXIT
            # The output of the last tp-pdf run is the previous build.
            time_row "$n" tp-rebuild "trainpack rebuild, one module edited" "true" \
                "printf '\\nRevised for the rebuild benchmark (%s).\\n' \"\$(date +%s%N)\" >> $edit && $TRAINPACK ${TP_BUILD[*]} $tp_pack $TP_OUTPUT_FLAG $O/tp-pdf-n$n"
            # An edited answer: the module's answer key PDF is typeset again
            # and the course's is assembled again.
            time_row "$n" tp-rebuild-answer "trainpack rebuild, one answer edited" "true" \
                "sed -i \"0,/^::: answers\$/s//::: answers\\nRevised \$(date +%s%N)./\" $edit && $TRAINPACK ${TP_BUILD[*]} $tp_pack $TP_OUTPUT_FLAG $O/tp-pdf-n$n"
            cp "$BENCH/module.md.orig" "$edit"
            trap - EXIT
        else
            say "skipping tp-rebuild: it needs a successful tp-pdf build first"
        fi
    fi
    want mdbook && time_row "$n" mdbook "mdbook build" \
        "rm -rf $O/mdbook-n$n" "$MDBOOK build $C/mdbook -d $O/mdbook-n$n"
    want hugo && time_row "$n" hugo "hugo" \
        "rm -rf $O/hugo-n$n" "$HUGO --quiet -s $C/hugo -d $O/hugo-n$n"
    return 0
}

main() {
    install_tools
    probe_trainpack
    mkdir -p "$RESULTS"
    read -r load _ </proc/loadavg
    if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
        say "warning: load average is $load: another program is using the CPU, so the times will be noisy"
    fi
    for n in "${SIZES[@]}"; do
        corpus "$n"
    done
    for n in "${SIZES[@]}"; do
        bench_size "$n"
    done
    python3 "$HERE/report.py" --results "$RESULTS" --corpus "$CORPUS" \
        --trainpack "$TRAINPACK" --mdbook "$MDBOOK" --hugo "$HUGO" --load "$load" \
        --svg "$RESULTS/growth.svg" \
        "${SIZES[@]}" | tee "$RESULTS/latest.md"
}

main
