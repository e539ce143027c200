#!/usr/bin/env python3
"""Time `trainpack serve` making the course's answer key PDF.

For each N, copies a generated pack of N modules to a scratch folder,
starts `trainpack serve` on it, and times three requests for
`answer-key.pdf`: the first (every module key typeset), the same again
(nothing changed), and one after an edit that adds a line to one module's
answers (the server's `reload` event is awaited first, as the browser
does). Checks that the last PDF holds the new line (with `pdftotext`).
Prints a Markdown table, also written to bench/results/serve-key.md.

    bench/serve_key.py             # N = 100 1000
    bench/serve_key.py 10 200      # any list of N
Environment: TRAINPACK (binary, default the release build where cargo puts it),
BENCH (/tmp/trainpack-bench).
"""

import shutil
import subprocess
import sys
import threading
import time
import urllib.request

from serve_latency import BENCH, HERE, TRAINPACK, corpus  # one corpus, one binary for both scripts

MARKER = "Answer line added by the benchmark."


def timed_get(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        body = response.read()
    return time.perf_counter() - start, body


def add_answer_line(module_file):
    text = module_file.read_text()
    at = text.index("::: answers")
    end = text.index("\n", at) + 1
    module_file.write_text(text[:end] + MARKER + "\n\n" + text[end:])


def pdf_text(body, scratch):
    path = scratch.parent / f"{scratch.name}-key.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def measure(n):
    scratch = BENCH / "serve-key" / f"n{n}"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(corpus(n), scratch)
    modules = sorted((scratch / "modules").iterdir())
    target = modules[len(modules) // 2] / "module.md"
    server = subprocess.Popen([TRAINPACK, "serve", "--port", "0", str(scratch)], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        url = next(line.split()[2] for line in server.stdout if line.startswith("serving at "))
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        reloaded = threading.Event()
        events = urllib.request.urlopen(f"{url}__trainpack/events", timeout=600)

        def listen():
            for line in events:
                if line.startswith(b"event: reload"):
                    reloaded.set()

        threading.Thread(target=listen, daemon=True).start()
        key = f"{url}answer-key.pdf"
        first, body = timed_get(key)
        again, _ = timed_get(key)
        add_answer_line(target)
        if not reloaded.wait(timeout=60):
            raise SystemExit("serve did not rebuild after the edit")
        edited, body_after = timed_get(key)
        if MARKER not in " ".join(pdf_text(body_after, scratch).split()):
            raise SystemExit("the course key after the edit does not show it")
        return first, again, edited, len(body) / 1e6
    finally:
        server.terminate()
        server.wait()


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100, 1000]
    rows = ["| modules | first request | same again | after an answer edit | PDF |",
            "|---:|---:|---:|---:|---:|"]
    for n in sizes:
        first, again, edited, mb = measure(n)
        rows.append(f"| {n} | {first:.2f} s | {again:.2f} s | {edited:.2f} s | {mb:.1f} MB |")
        print(rows[-1], file=sys.stderr)
    table = "\n".join(rows) + "\n"
    print(table)
    (HERE / "results" / "serve-key.md").write_text(table)


if __name__ == "__main__":
    main()
