#!/bin/sh
# The printed guides on the generated corpus: `trainpack build` with PDFs
# (wall time and peak memory), the same with a theme whose guide and
# course-book templates typeset an empty page (the difference is the
# guides' share), then rebuilds after a one-module edit: one that keeps
# the module's guide as long, and one that adds a page to it (which
# moves every later part of the course book: its page numbers are stamped
# on, so only the contents, the numbers and the guides that print a moved
# page are typeset again). `--timings` says how many documents each
# build typeset. A new module title also typesets the contents again.
# BASELINE=no skips the empty-template build; EDITS=n
# adds n same-length edits of other modules.
#
#     bench/guide_pdfs.sh [N] [TRAINPACK]     (default: 1000, target/release/trainpack)
set -eu
N=${1:-1000}
TP=$(realpath "${2:-target/release/trainpack}")
WORK=${WORK:-/tmp/trainpack-bench/guides}
python3 "$(dirname "$0")/gen_corpus.py" "$N" --seed 42 --out "$WORK" --layouts trainpack >/dev/null
cd "$WORK/n$N"
rm -rf no-guides && cp -r trainpack no-guides
mkdir -p no-guides/themes/bench/pdf
printf '#let render(data) = []\n' > no-guides/themes/bench/pdf/guide.typ
printf '#let render(data) = []\n' > no-guides/themes/bench/pdf/course-book.typ
printf '\n[theme]\nname = "bench"\n' >> no-guides/book.toml
run() { /usr/bin/time -f "$1: %e s wall, %U s user, %M KiB peak" "$TP" build --quiet --timings; }
variants="no-guides trainpack"
[ "${BASELINE:-yes}" = no ] && variants=trainpack
for variant in $variants; do
  (cd "$variant" && rm -rf site .site.cache && run "$variant: full build")
done
cd trainpack
first=$(ls modules | head -1)
pages() { pdfinfo "$1" | awk '/^Pages/{print $2}'; }
echo "course book: $(pages site/guide.pdf) pages, $(du -k site/guide.pdf | cut -f1) KiB; first module's guide: $(pages site/modules/$first/guide.pdf) pages"
run "no change"
# One more sentence in the notes of a module's first section.
add_sentence() {
  python3 - "modules/$1/module.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
i = s.index("\n## ") + 1
open(p, "w").write(s[:i] + s[i:].replace(".", ". Indeed.", 1))
PY
}
add_sentence "$first"
run "one-module edit, same length"
# EDITS=n: n more same-length edits, each of another module.
for module in $(ls modules | sed -n "2,$((${EDITS:-0} + 1))p"); do
  add_sentence "$module"
  run "same-length edit of $module"
done
# A new module title: the course book's contents change, so its first
# pages (the title page, the contents and the course schedule) are typeset
# again as well as the module's own documents.
retitled=$(ls modules | tail -1)
python3 - "modules/$retitled/module.md" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
open(p, "w").write(re.sub(r'(?m)^(title = ".*)"$', r'\1 (revised)"', s, count=1))
PY
run "module title edit (the contents change)"
python3 - "modules/$first/module.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
i = s.index("\n## ") + 1
extra = "\n\n" + "\n\n".join("A new paragraph of notes that makes the guide longer." * 8 for _ in range(12)) + "\n\n"
j = s.index("\n## ", i + 1)
open(p, "w").write(s[:j] + extra + s[j:])
PY
run "one-module edit, one page longer"
echo "first module's guide now: $(pages site/modules/$first/guide.pdf) pages"
