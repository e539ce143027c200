#!/bin/sh
# What a notes page (slides-notes.pdf) costs, and its slide's share: the
# generated corpus typeset by `trainpack pdf` on one thread with theme
# overrides whose `slides.pdf` template is an empty page (it is the same in
# every variant), alternating the variants ROUNDS times so that a load
# spike on a shared machine hits them all alike:
#
#   Z  no notes pages (the baseline: every other PDF)
#   A  the notes pages as before issue 21's speed-up: the slide drawn in
#      `layout(size => slide-face(..., width: size.width))`
#   B  the notes pages as the theme draws them now (width from the paper)
#   C  the notes pages without the slide (its notes alone)
#
# A - Z is the old cost of the notes pages, B - Z the new one, C - Z the
# notes' share. A and B must give the same bytes (checked at the end).
#
#     bench/notes_pages.sh [N] [ROUNDS] [TRAINPACK]   (default: 12, 3, target/debug/trainpack)
set -eu
N=${1:-12}
ROUNDS=${2:-3}
TP=$(realpath "${3:-target/debug/trainpack}")
THEME=$(realpath "$(dirname "$0")/../themes/default/pdf")
WORK=${WORK:-/tmp/trainpack-bench/notes}
python3 "$(dirname "$0")/gen_corpus.py" "$N" --out "$WORK" --layouts trainpack >/dev/null
cd "$WORK/n$N"
for v in Z A B C; do
  rm -rf "$v"
  cp -r trainpack "$v"
  mkdir -p "$v/themes/bench/pdf"
  printf '#let render(data) = []\n' > "$v/themes/bench/pdf/slides.typ"
  printf '\n[theme]\nname = "bench"\n' >> "$v/book.toml"
done
printf '#let render(data) = []\n' > Z/themes/bench/pdf/slides-notes.typ
sed 's/^    slide-face(data, slide, width: text-width(data), framed: true)$/    layout(size => slide-face(data, slide, width: size.width, framed: true))/' \
  "$THEME/slides-notes.typ" > A/themes/bench/pdf/slides-notes.typ
cp "$THEME/slides-notes.typ" B/themes/bench/pdf/slides-notes.typ
sed 's/^    slide-face(data, slide, width: text-width(data), framed: true)$/    []/' \
  "$THEME/slides-notes.typ" > C/themes/bench/pdf/slides-notes.typ
grep -q 'layout(size' A/themes/bench/pdf/slides-notes.typ || { echo "the old variant was not made" >&2; exit 1; }
for round in $(seq 1 "$ROUNDS"); do
  for v in Z A B C; do
    rm -rf "$WORK/out-$v"
    (cd "$v" && RAYON_NUM_THREADS=1 /usr/bin/time -f "round $round $v: %e s wall, %U s user" \
      "$TP" pdf --quiet --output "$WORK/out-$v")
  done
  uptime
done
pages() { for f in "$WORK"/out-B/modules/*/slides-notes.pdf; do pdfinfo "$f" | awk '/^Pages/{print $2}'; done | paste -sd+ | bc; }
echo "notes pages: $(pages)"
for f in "$WORK"/out-A/modules/*/slides-notes.pdf; do
  cmp -s "$f" "$WORK/out-B/${f#"$WORK"/out-A/}" || { echo "A and B differ: $f"; exit 1; }
done
echo "A and B give the same bytes"
