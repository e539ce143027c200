#!/usr/bin/env python3
"""Time from a save to the rebuilt page in `trainpack serve`.

For each N, copies a generated pack of N modules to a scratch folder,
starts `trainpack serve` on it, then repeatedly appends a marker line to
the middle module and does what the browser does: waits for the server's
`reload` event, then fetches that module's trainer's guide, which must
hold the marker (when it does not, it polls until it does, and that counts). Prints the median, best and worst of the save-to-page times, and
serve's own rebuild times, as a Markdown table (also written to
bench/results/serve-latency.md).

    bench/serve_latency.py            # N = 10 200 1000
    bench/serve_latency.py 1000       # any list of N
Environment: TRAINPACK (binary, default the release build where cargo puts it), EDITS (20),
BENCH (/tmp/trainpack-bench).
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = Path(os.environ.get("BENCH", "/tmp/trainpack-bench"))
TRAINPACK = os.environ.get("TRAINPACK") or subprocess.run(
    [str(HERE.parent / "scripts/binary-path"), "--release"], check=True, capture_output=True, text=True
).stdout.strip()
EDITS = int(os.environ.get("EDITS", "20"))


def corpus(n):
    pack = BENCH / "corpus" / f"n{n}" / "trainpack"
    if not pack.is_dir():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(n), "--out", str(BENCH / "corpus"),
                        "--layouts", "trainpack"], check=True)
    return pack


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8", "replace")


def measure(n):
    scratch = BENCH / "serve" / f"n{n}"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(corpus(n), scratch)
    modules = sorted((scratch / "modules").iterdir())
    target = modules[len(modules) // 2]
    module_file = target / "module.md"
    server = subprocess.Popen([TRAINPACK, "serve", "--port", "0", str(scratch)], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    rebuilds = []
    url = None
    for line in server.stdout:
        if line.startswith("serving at "):
            url = line.split()[2]
            break

    def read_rest():
        for rest in server.stdout:
            match = re.search(r"rebuilt .* in (\d+) ms", rest)
            if match:
                rebuilds.append(int(match.group(1)))

    threading.Thread(target=read_rest, daemon=True).start()
    reloads = threading.Semaphore(0)
    events = urllib.request.urlopen(f"{url}__trainpack/events", timeout=120)

    def listen():
        for line in events:
            if line.startswith(b"event: reload"):
                reloads.release()

    threading.Thread(target=listen, daemon=True).start()
    page = f"{url}modules/{target.name}/index.html"
    fetch(page)
    times = []
    original = module_file.read_text()
    try:
        for i in range(EDITS):
            marker = f"latency-marker-{i}-{time.time_ns()}"
            while reloads.acquire(blocking=False):
                pass
            start = time.perf_counter()
            module_file.write_text(original + f"\n{marker}\n")
            reloads.acquire(timeout=30)
            while marker not in fetch(page):
                time.sleep(0.002)
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(0.3)
    finally:
        module_file.write_text(original)
        server.terminate()
        server.wait(timeout=10)
    own = rebuilds[1:] or [0]
    return {
        "n": n,
        "median": statistics.median(times),
        "best": min(times),
        "worst": max(times),
        "rebuild": statistics.median(own),
    }


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [10, 200, 1000]
    rows = [measure(n) for n in sizes]
    lines = [
        "| modules | save to rebuilt page, median | best | worst | serve's own rebuild, median |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['n']} | {r['median']:.0f} ms | {r['best']:.0f} ms | {r['worst']:.0f} ms | {r['rebuild']:.0f} ms |")
    table = "\n".join(lines)
    print(table)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "serve-latency.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
