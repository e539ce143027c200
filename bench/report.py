#!/usr/bin/env python3
"""Print the benchmark table (Markdown) from what bench/run.sh left in bench/results/.

    report.py [--results DIR] [--corpus DIR] [--trainpack BIN] [--mdbook BIN] [--hugo BIN] N [N ...]

Reads results/nN-ROW.json (hyperfine) and results/nN-rss.tsv (peak RSS in
KiB from /usr/bin/time -v) for each N and prints one row per tool and N:
median seconds, peak MiB, the ratio to the floor, and for trainpack rows the
ratio to mdBook and to Hugo (below 1 is faster).
"""

import argparse
import datetime
import json
import os
import platform
import subprocess

ROWS = [
    ("floor", "floor: pulldown-cmark, all cores"),
    ("tp-check", "trainpack check"),
    ("tp-site", "trainpack build, site only"),
    ("tp-pdf", "trainpack build, site + PDFs"),
    ("tp-rebuild", "trainpack rebuild, 1 module edited"),
    ("tp-rebuild-answer", "trainpack rebuild, 1 answer edited"),
    ("mdbook", "mdbook build"),
    ("hugo", "hugo"),
]


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "not available"


def git_commit(path):
    try:
        head = subprocess.run(["git", "-C", path, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", path, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + ("-dirty" if dirty else "") if head else "unknown"
    except OSError:
        return "unknown"


def markdown_bytes(folder):
    total = files = 0
    for root, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".md"):
                total += os.path.getsize(os.path.join(root, name))
                files += 1
    return total, files


def load(results, n):
    medians, peaks = {}, {}
    for row, _ in ROWS:
        path = os.path.join(results, f"n{n}-{row}.json")
        if os.path.exists(path):
            with open(path) as f:
                r = json.load(f)["results"][0]
            medians[row] = (r["median"], r["stddev"] or 0.0, len(r["times"]))
    rss = os.path.join(results, f"n{n}-rss.tsv")
    if os.path.exists(rss):
        with open(rss) as f:
            for line in f:
                row, _, kb = line.strip().partition("\t")
                peaks[row] = kb
    return medians, peaks


def ratio(a, b):
    return f"{a / b:.2f}" if b else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--results", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results"))
    ap.add_argument("--corpus", default="/tmp/trainpack-bench/corpus")
    ap.add_argument("--trainpack", default="/work/main/target/release/trainpack")
    ap.add_argument("--mdbook", default="/tmp/trainpack-bench/tools/bin/mdbook")
    ap.add_argument("--hugo", default="hugo")
    ap.add_argument("--load", default=None, help="load average when the run started")
    args = ap.parse_args()

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = ["# trainpack benchmarks", ""]
    out.append(f"- date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, "
               f"machine: {os.cpu_count()} cores, {platform.machine()}"
               + (f", load average at start {args.load}" if args.load else ""))
    out.append(f"- trainpack: {version([args.trainpack, '--version'])} (repo at {git_commit(repo)}); "
               f"{version([args.mdbook, '--version'])}; {version([args.hugo, 'version']).split(' BuildDate')[0]}")
    for n in args.sizes:
        c = os.path.join(args.corpus, f"n{n}")
        sizes = []
        for layout in ("trainpack", "raw", "mdbook", "hugo"):
            b, f = markdown_bytes(os.path.join(c, layout))
            sizes.append(f"{layout} {b / 1e6:.1f} MB in {f} files")
        out.append(f"- corpus n{n}: " + ", ".join(sizes))
    out += ["",
            "| tool | N | median s | ± σ | peak MiB | × floor | × mdBook | × Hugo |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for n in args.sizes:
        medians, peaks = load(args.results, n)
        floor = medians.get("floor", (None,))[0]
        mdbook = medians.get("mdbook", (None,))[0]
        hugo = medians.get("hugo", (None,))[0]
        for row, label in ROWS:
            if row not in medians:
                if peaks.get(row) == "failed":
                    out.append(f"| {label} | {n} | failed | | | | | |")
                continue
            med, sd, _ = medians[row]
            kb = peaks.get(row, "")
            mib = f"{int(kb) / 1024:.0f}" if kb.isdigit() else "?"
            vs_floor = ratio(med, floor) if floor and row != "floor" else "–"
            tp = row in ("tp-site", "tp-pdf", "tp-rebuild", "tp-rebuild-answer")
            out.append(f"| {label} | {n} | {med:.3f} | {sd:.3f} | {mib} | {vs_floor} | "
                       f"{ratio(med, mdbook) if tp and mdbook else '–'} | "
                       f"{ratio(med, hugo) if tp and hugo else '–'} |")
    out += ["",
            "Median wall-clock seconds over the runs (hyperfine, after one warm-up run); "
            "peak MiB is the maximum resident set size of one more run (`/usr/bin/time -v`). "
            "Ratios divide this row's median by the floor's, mdBook's or Hugo's at the same N: "
            "below 1 is faster. See bench/README.md for what each row does."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
