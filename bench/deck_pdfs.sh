#!/bin/sh
# The cost of the deck PDFs (slides.pdf, slides-notes.pdf) on the generated
# corpus: `trainpack pdf` on one thread, three times over the same pack,
# with themes whose deck templates typeset an empty page instead. The
# differences in CPU time are the two PDFs' share. In every variant the
# other documents (handouts, guides, keys, the course book...) are typeset
# from empty templates, so that the baseline is small and the differences
# are not lost in its noise at 1000 modules.
#
#     bench/deck_pdfs.sh [N] [TRAINPACK]     (default: 100, target/debug/trainpack)
#
# TEMPLATES=dir typesets the decks with the deck templates (common.typ,
# slide.typ, slides.typ, slides-notes.typ) of another checkout's
# themes/default/pdf, for comparing them with the same binary.
set -eu
N=${1:-100}
TP=$(realpath "${2:-target/debug/trainpack}")
WORK=${WORK:-/tmp/trainpack-bench/decks}
THEME=$(realpath "$(dirname "$0")/../themes/default/pdf")
python3 "$(dirname "$0")/gen_corpus.py" "$N" --out "$WORK" --layouts trainpack >/dev/null
cd "$WORK/n$N"
rm -rf no-decks slides-only

rm -rf decks && mv trainpack decks
for variant in no-decks slides-only decks; do
  [ -d "$variant" ] || cp -r decks "$variant"
  mkdir -p "$variant/themes/bench/pdf"
  for t in "$THEME"/*.typ; do
    case $(basename "$t") in common.typ|slide.typ|slides.typ|slides-notes.typ|page-numbers.typ) ;;
      *) printf '#let render(data) = []\n' > "$variant/themes/bench/pdf/$(basename "$t")" ;;
    esac
  done
  printf '\n[theme]\nname = "bench"\n' >> "$variant/book.toml"
  if [ -n "${TEMPLATES:-}" ]; then
    for t in common.typ slide.typ slides.typ slides-notes.typ; do cp "$TEMPLATES/$t" "$variant/themes/bench/pdf/"; done
  fi
done
for t in slides-only/themes/bench/pdf/slides-notes.typ no-decks/themes/bench/pdf/slides-notes.typ \
  no-decks/themes/bench/pdf/slides.typ; do
  printf '#let render(data) = []\n' > "$t"
done
for variant in no-decks slides-only decks; do
  rm -rf "$WORK/out-$variant"
  (cd "$variant" && RAYON_NUM_THREADS=1 /usr/bin/time -f "$variant: %e s wall, %U s user" \
    "$TP" pdf --quiet --output "$WORK/out-$variant")
done
pages() { for f in "$WORK"/out-decks/modules/*/"$1"; do pdfinfo "$f" 2>/dev/null | awk '/^Pages/{print $2}'; done | paste -sd+ | bc; }
echo "slide pages: $(pages slides.pdf), notes pages: $(pages slides-notes.pdf)"
