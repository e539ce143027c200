#!/bin/sh
# The cost of the Office files (slides.pptx, the handouts', quizzes' and
# answer keys' .docx) on the generated corpus: `build --no-pdf --timings`
# on one thread, with and without `--no-office`, and the files' count and
# size. See BENCHMARKS.md, "Office files".
#
#     bench/office.sh [N] [TRAINPACK]     (default: 1000, target/debug/trainpack)
set -eu
N=${1:-1000}
TP=$(realpath "${2:-target/debug/trainpack}")
WORK=${WORK:-/tmp/trainpack-bench/office}
python3 "$(dirname "$0")/gen_corpus.py" "$N" --seed 42 --out "$WORK" --layouts trainpack >/dev/null
cd "$WORK/n$N/trainpack"
for run in without with; do
  rm -rf "$WORK/out-$run"
  flag=""; [ "$run" = without ] && flag="--no-office"
  RAYON_NUM_THREADS=1 /usr/bin/time -f "$run Office files: %e s wall, %U s user, %M KB peak" \
    "$TP" build --no-pdf --quiet --timings $flag --output "$WORK/out-$run" 2>&1 | grep -v '^warning' | grep -E 'timings|wall' || true
done
out="$WORK/out-with"
decks=$(find "$out" -name slides.pptx | wc -l)
docs=$(find "$out" -name '*.docx' | wc -l)
slides=$(grep -rh '^\[\[slides\]\]' modules | wc -l)
echo "decks: $decks ($slides slides), Word files: $docs"
echo "pptx bytes: $(find "$out" -name slides.pptx -printf '%s\n' | paste -sd+ | bc)"
echo "docx bytes: $(find "$out" -name '*.docx' -printf '%s\n' | paste -sd+ | bc)"
# A second build keeps every module's files.
RAYON_NUM_THREADS=1 "$TP" build --no-pdf --timings --output "$out" 2>&1 | grep -E 'Office|timings' | grep -v '^warning' | tail -2
