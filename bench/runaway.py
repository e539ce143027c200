#!/usr/bin/env python3
"""Hostile sizes and depths: packs that once made a build run away, or fail.

    runaway.py gen KIND SIZE DIR [PLACE]    write one pack into DIR
    runaway.py time [CASE ...]              build each case, print a Markdown table row
    runaway.py depth KIND FROM TO [PLACE]   the first depth at which `build` fails

KIND is one of:

  footnotes  one handout with SIZE footnotes (a reference in a sentence of
             its own, a paragraph each; the definitions at the end)
  onepar     the same SIZE sentences and footnotes in one paragraph
  table      one handout with a table of SIZE rows (SIZE as ROWSxCOLS,
             e.g. 2000x200), short text in every cell
  quotes     text under SIZE nested block quotes
  lists      text in SIZE nested bullet lists
  mixed      SIZE levels, block quote and bullet list in turn
  emphasis   SIZE levels of emphasis and bold in turn around a word

A nesting kind may name what sits innermost: `quotes/table`,
`lists/heading`, `mixed/code`, `quotes/footnote`, `quotes/image` (default:
`/text`). PLACE (default: `handout`) is where the body goes: `handout`,
`handout-answers`, `activity-answers`, `answers-note` (a note in an
activity's answers), `quiz-answers` (the answers of a quiz question),
`quiz-option`.

`time` builds each case (default: footnotes 2000, 8000, 50000 and the
2000x200 table; a case is KIND:SIZE) with the site and the PDFs, from an
empty output folder, under `/usr/bin/time -v`, and prints one row per case:
wall seconds, CPU seconds (user + system: on a busy machine, steadier than
the wall time) and peak resident MiB. With TIMEOUT=S, a build still running
after S seconds is killed and shown as such.

`depth` builds packs of depth FROM, FROM + 1 ... TO and prints the last
that built and the first error of the first that failed: with a binary
that does not check depth, where the typesetter stops; with one that
does, where `check` stops.

TRAINPACK (default: target/release/trainpack under CARGO_TARGET_DIR or this
repository) is the binary; everything is written under BENCH (default
/tmp/trainpack-bench/runaway).
"""

import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINPACK = os.environ.get(
    "TRAINPACK",
    os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target")),
                 "release", "trainpack"),
)
BENCH = os.environ.get("BENCH", "/tmp/trainpack-bench/runaway")

DEFAULT_CASES = ["footnotes:2000", "footnotes:8000", "footnotes:50000", "table:2000x200"]


def footnotes(n, between="\n\n"):
    refs = between.join(f"Sentence {i} of the case[^n{i}]." for i in range(n))
    defs = "".join(f"[^n{i}]: Footnote text number {i}.\n" for i in range(n))
    return refs + "\n\n" + defs


def table(size):
    rows, cols = (int(x) for x in size.split("x"))
    head = "| " + " | ".join(f"h{c}" for c in range(cols)) + " |\n"
    rule = "|" + "---|" * cols + "\n"
    body = "".join(
        "| " + " | ".join(f"r{r}c{c}" for c in range(cols)) + " |\n" for r in range(rows)
    )
    return head + rule + body


# The innermost content of a nesting case: `quotes/table` puts a table
# inside the quotes.
INNER = {
    "text": ["deep text"],
    "table": ["| a | b |", "|---|---|", "| **x** | [link](https://example.org) |"],
    "heading": ["### Deep heading", "", "deep text"],
    "code": ["```", "code", "```"],
    "footnote": ["deep text[^deep]"],
    "image": ["![A dot](dot.svg)"],
}

DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>\n'



def nest(kind, depth, inner="text"):
    """DEPTH levels of block quotes (`quotes`), bullet lists (`lists`), or
    both in turn (`mixed`) around the INNER content."""
    lines = INNER[inner]
    for level in reversed(range(depth)):
        quote = kind == "quotes" or (kind == "mixed" and level % 2 == 0)
        if quote:
            lines = ["> " + line if line else ">" for line in lines]
        else:
            lines = [f"- level {level}", ""] + ["  " + line if line else "" for line in lines]
    notes = "\n[^deep]: A *footnote*.\n" if inner == "footnote" else ""
    return "\n".join(lines) + "\n" + notes


def emphasis(depth):
    """DEPTH levels of emphasis and bold in turn, around one word."""
    marks = ["_" if level % 2 == 0 else "**" for level in range(depth)]
    return "".join(m + f"w{i} " for i, m in enumerate(marks)) + "core" + "".join(
        f" v{i}" + m for i, m in reversed(list(enumerate(marks)))) + "\n"


def body_of(kind, size):
    if kind == "footnotes":
        return footnotes(int(size))
    if kind == "onepar":
        return footnotes(int(size), between=" ")
    if kind == "table":
        return table(size)
    if kind == "emphasis":
        return emphasis(int(size))
    nesting, _, inner = kind.partition("/")
    return nest(nesting, int(size), inner or "text")


def indent(text, spaces):
    return "".join(" " * spaces + line + "\n" for line in text.splitlines())


# Where the hostile body goes: (handout text, module notes) around BODY.
PLACES = {
    "handout": ("BODY", ""),
    "handout-answers": ("::: questions\n1. Why?\n:::\n\n::: answers\nBODY:::\n", ""),
    "activity-answers": ("Text.\n", '::: activity title="A" minutes=5\n::: answers\nBODY:::\n:::\n'),
    "answers-note": ("Text.\n", '::: activity title="A" minutes=5\n::: answers\n::: note\nBODY:::\n:::\n:::\n'),
    "quiz-answers": ("Text.\n", '::: quiz\n1. Why?\n\n   ::: answers\nINDENTED   :::\n:::\n'),
    "quiz-option": ("Text.\n", '::: quiz\n1. Why?\n   - [x] yes\n\nINDENTED6:::\n'),
}


def gen(kind, size, out, place="handout"):
    """Writes a one-module pack with the hostile body in a handout, or at
    another PLACE."""
    shutil.rmtree(out, ignore_errors=True)
    handouts = os.path.join(out, "modules", "intro", "handouts")
    os.makedirs(handouts)
    body = body_of(kind, size)
    handout, notes = PLACES[place]

    def fill(text):
        return (text.replace("INDENTED6", indent(body, 6)).replace("INDENTED", indent(body, 3))
                .replace("BODY", body))

    with open(os.path.join(out, "book.toml"), "w") as f:
        f.write('[pack]\ntitle = "Runaway"\n')
    with open(os.path.join(out, "modules", "intro", "module.md"), "w") as f:
        f.write('+++\ntitle = "Intro"\n+++\n\nSee [the case](handout:case).\n\n' + fill(notes))
    with open(os.path.join(handouts, "case.md"), "w") as f:
        f.write('+++\ntitle = "Case"\n+++\n\n' + fill(handout))
    for folder in (handouts, os.path.dirname(handouts)):
        with open(os.path.join(folder, "dot.svg"), "w") as f:
            f.write(DOT)


def timed_build(pack, output, timeout=None):
    """Runs a build under /usr/bin/time -v: (exit code, wall s, user + system
    CPU s, peak MiB, stderr). Past `timeout` seconds the build is killed and
    the exit code is None."""
    shutil.rmtree(output, ignore_errors=True)
    start = time.monotonic()
    try:
        run = subprocess.run(
            ["/usr/bin/time", "-v", TRAINPACK, "build", pack, "--output", output, "--quiet"],
            capture_output=True, text=True, timeout=timeout,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - start, float("nan"), float("nan"), ""
    seconds = time.monotonic() - start

    def field(name):
        found = re.search(re.escape(name) + r": ([\d.]+)", run.stderr)
        return float(found.group(1)) if found else float("nan")

    cpu = field("User time (seconds)") + field("System time (seconds)")
    mib = field("Maximum resident set size (kbytes)") / 1024
    return run.returncode, seconds, cpu, mib, run.stderr


def time_cases(cases):
    timeout = float(os.environ["TIMEOUT"]) if os.environ.get("TIMEOUT") else None
    print(f"`{TRAINPACK}`, load average {os.getloadavg()[0]:.1f} at the start\n")
    print("| case | Markdown KiB | exit | wall s | CPU s | peak MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for case in cases:
        kind, size = case.split(":")
        pack = os.path.join(BENCH, f"{kind}-{size}")
        gen(kind, size, pack)
        kib = os.path.getsize(os.path.join(pack, "modules/intro/handouts/case.md")) / 1024
        code, seconds, cpu, mib, _ = timed_build(pack, os.path.join(BENCH, "out"), timeout)
        shown = "killed" if code is None else code
        print(f"| {kind} {size} | {kib:.0f} | {shown} | {seconds:.2f} | {cpu:.2f} | {mib:.0f} |",
              flush=True)
    shutil.rmtree(os.path.join(BENCH, "out"), ignore_errors=True)


def depth(kind, first, last, place):
    """Prints the first depth in FIRST..LAST at which the build fails."""
    for k in range(first, last + 1):
        pack = os.path.join(BENCH, f"{kind}-{place}-{k}")
        gen(kind, str(k), pack, place)
        code, _, _, _, err = timed_build(pack, os.path.join(BENCH, "out"))
        if code != 0:
            lines = [l for l in err.splitlines() if "error" in l][:1]
            print(f"{kind} at {place}: builds up to {k - 1}, fails at {k}: {lines[0] if lines else ''}")
            return
    print(f"{kind} at {place}: builds up to {last}")


def main(argv):
    if len(argv) in (4, 5) and argv[0] == "gen":
        gen(*argv[1:])
    elif argv and argv[0] == "time":
        time_cases(argv[1:] or DEFAULT_CASES)
    elif len(argv) in (4, 5) and argv[0] == "depth":
        depth(argv[1], int(argv[2]), int(argv[3]), argv[4] if len(argv) == 5 else "handout")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
