#!/usr/bin/env python3
"""Print the benchmark table (Markdown) from what bench/run.sh left in bench/results/.

    report.py [--results DIR] [--corpus DIR] [--trainpack BIN] [--mdbook BIN] [--hugo BIN]
              [--svg FILE] N [N ...]

Reads results/nN-ROW.json (hyperfine) and results/nN-rss.tsv (peak RSS in
KiB from /usr/bin/time -v) for each N and prints one row per tool and N:
median seconds, peak MiB, the ratio to the floor, and for trainpack rows the
ratio to mdBook and to Hugo (below 1 is faster). With --svg, also draws the
growth curve: median seconds against N, both on log scales, where a slope
of 1 is linear growth.
"""

import argparse
import datetime
import json
import math
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


# The rows drawn on the growth curve, with their colours and widths.
CURVES = [
    ("mdbook", "mdbook build", "#c0392b", 2),
    ("hugo", "hugo", "#e67e22", 2),
    ("tp-site", "trainpack build, site only", "#1f5fa8", 3.5),
    ("tp-check", "trainpack check", "#7fa7d6", 2),
    ("floor", "floor: pulldown-cmark", "#777777", 2),
]


class Frame:
    """The plot area: N and seconds to SVG coordinates, both on log scales."""

    WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 680, 420, 70, 200, 40, 50

    def __init__(self, sizes, times):
        self.plot_w = self.WIDTH - self.LEFT - self.RIGHT
        self.plot_h = self.HEIGHT - self.TOP - self.BOTTOM
        self.lo_n, self.hi_n = math.log10(min(sizes)), math.log10(max(sizes))
        self.lo_t = math.floor(math.log10(min(times)))
        self.hi_t = math.ceil(math.log10(max(times)))

    def x(self, n):
        return self.LEFT + (math.log10(n) - self.lo_n) / (self.hi_n - self.lo_n or 1) * self.plot_w

    def y(self, t):
        return self.TOP + (self.hi_t - math.log10(t)) / (self.hi_t - self.lo_t or 1) * self.plot_h


def growth_svg(results, sizes):
    """Median seconds against modules, log-log, as a standalone SVG."""
    medians = {n: load(results, n)[0] for n in sizes}
    series = {row: [(n, medians[n][row][0]) for n in sizes if row in medians[n]]
              for row, *_ in CURVES}
    times = [t for points in series.values() for _, t in points]
    if not times:
        return '<svg xmlns="http://www.w3.org/2000/svg"><title>No results to draw</title></svg>\n'
    f = Frame(sizes, times)
    site = series.get("tp-site", [])
    # trainpack growing linearly through its second largest pack: the
    # largest then shows whether it still does.
    anchor = site[-2] if len(site) >= 2 else None
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{f.WIDTH}" height="{f.HEIGHT}" '
           f'viewBox="0 0 {f.WIDTH} {f.HEIGHT}" font-family="sans-serif" font-size="12">',
           "<title>Build time against the number of modules</title>",
           "<desc>Median seconds of each tool at each pack size, both axes on log scales: "
           "a line of slope 1 grows linearly.</desc>",
           f'<rect width="{f.WIDTH}" height="{f.HEIGHT}" fill="white"/>']
    out += grid(f, sizes)
    if anchor:
        (n0, t0), a, b = anchor, sizes[0], sizes[-1]
        out.append(f'<line x1="{f.x(a):.1f}" y1="{f.y(t0 * a / n0):.1f}" x2="{f.x(b):.1f}" '
                   f'y2="{f.y(t0 * b / n0):.1f}" stroke="#1f5fa8" stroke-dasharray="4 4" stroke-width="1"/>')
    for row, _, colour, stroke in CURVES:
        points = series.get(row, [])
        if points:
            path = " ".join(f"{f.x(n):.1f},{f.y(t):.1f}" for n, t in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}"/>')
            out += [f'<circle cx="{f.x(n):.1f}" cy="{f.y(t):.1f}" r="3.5" fill="{colour}"/>' for n, t in points]
    out += legend(f, anchor)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def grid(f, sizes):
    """Lines and labels at each power of ten of seconds and at each N."""
    out = []
    for e in range(f.lo_t, f.hi_t + 1):
        y = f.y(10 ** e)
        out.append(f'<line x1="{f.LEFT}" x2="{f.LEFT + f.plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{f.LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:g} s</text>')
    for n in sizes:
        x = f.x(n)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{f.TOP}" y2="{f.TOP + f.plot_h}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{f.TOP + f.plot_h + 18}" text-anchor="middle">{n}</text>')
    out.append(f'<text x="{f.LEFT + f.plot_w / 2:.1f}" y="{f.HEIGHT - 8}" text-anchor="middle">'
               "modules (about 30 KB of Markdown each)</text>")
    out.append(f'<text x="{f.LEFT}" y="{f.TOP - 16}" font-weight="bold">Median build time, log scales</text>')
    return out


def legend(f, anchor):
    """One line per curve, and the linear guide's when there is one."""
    keys = [(label, f'stroke="{colour}" stroke-width="{stroke}"') for _, label, colour, stroke in CURVES]
    if anchor:
        keys.append((f"linear through N = {anchor[0]}", 'stroke="#1f5fa8" stroke-dasharray="4 4"'))
    out = []
    left = f.WIDTH - f.RIGHT
    for i, (label, style) in enumerate(keys):
        y = f.TOP + 10 + i * 22
        out.append(f'<line x1="{left + 16}" x2="{left + 40}" y1="{y}" y2="{y}" {style}/>')
        out.append(f'<text x="{left + 46}" y="{y + 4}">{label}</text>')
    return out


def ratio(a, b):
    return f"{a / b:.2f}" if b else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--results", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results"))
    ap.add_argument("--corpus", default="/tmp/trainpack-bench/corpus")
    ap.add_argument("--trainpack", default=None, help="default: the release build, wherever cargo puts it")
    ap.add_argument("--mdbook", default="/tmp/trainpack-bench/tools/bin/mdbook")
    ap.add_argument("--hugo", default="hugo")
    ap.add_argument("--load", default=None, help="load average when the run started")
    ap.add_argument("--svg", default=None, help="also draw the growth curve into this SVG file")
    args = ap.parse_args()
    if args.trainpack is None:
        binary_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "binary-path")
        args.trainpack = subprocess.run([binary_path, "--release"], check=True, capture_output=True,
                                        text=True).stdout.strip()
    if args.svg:
        with open(args.svg, "w") as f:
            f.write(growth_svg(args.results, args.sizes))

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
