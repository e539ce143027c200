#!/usr/bin/env python3
"""The layout of src/ as its `use` lines draw it.

    scripts/layers.py [--strict] [SRC]

Reads every Rust file under SRC (default: src/ beside this script), finds
the modules each one names (`use crate::…`, `use super::…`, `crate::x::y`
in code; a file's own unit tests are left out), and prints:

- the import cycles between files, and between the pipeline's stages (the
  folders and files at the top of src/);
- what `model` imports of the pipeline (it should import nothing);
- the files over 600 lines, and whether a comment at their top says why.

With --strict it exits 1 when there is a cycle, when model imports any other
part of the crate, or when a file over 600 lines gives no reason: the test
suite runs it so, to keep the pipeline one way.
"""

import re
import sys
from pathlib import Path

LIMIT = 600
# What the model may use besides itself: nothing of the crate.
MODEL_MAY_USE = set()
# A file over LIMIT lines says why near its top, with this word.
REASON = re.compile(r"^//!.*\b(longer than|over 600 lines|long because)\b", re.I | re.M)


def module_of(src, path):
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def without_tests(text):
    """The file without its `#[cfg(test)] mod tests { … }` block."""
    m = re.search(r"^#\[cfg\(test\)\]\s*\n\s*mod tests\s*\{", text, re.M)
    return text[: m.start()] if m else text


def strip_comments_and_strings(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def expand(tree):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = tree.strip()
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
    if start is None:
        return [tree]
    prefix, inner = tree[:start], tree[start + 1 : tree.rindex("}")]
    items, depth, current = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            items.append(current)
            current = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        current += ch
    items.append(current)
    return [p for item in items if item.strip() for p in expand(prefix + item.strip())]


def named_paths(text, here):
    """Every module path a file names, as tuples from the crate root."""
    paths = []
    for use in re.findall(r"\buse\s+([^;]+);", text):
        paths += expand(re.sub(r"\s+", "", use))
    paths += re.findall(r"(?<![:\w])crate::[a-z_][\w:]*", text)
    out = []
    for p in paths:
        p = p.split(" as ")[0]
        segs = [s for s in p.split("::") if s]
        if not segs:
            continue
        if segs[0] == "crate":
            out.append(tuple(segs[1:]))
        elif segs[0] in ("super", "self"):
            base = list(here)
            while segs and segs[0] in ("super", "self"):
                if segs.pop(0) == "super" and base:
                    base.pop()
            out.append(tuple(base + segs))
    return out


def resolve(path, modules):
    """The longest prefix of `path` that is a module of the crate."""
    for n in range(len(path), 0, -1):
        if path[:n] in modules:
            return path[:n]
    return None


def cycles(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def name(module):
    return "::".join(module) or "crate"


def main(argv):
    strict = "--strict" in argv
    args = [a for a in argv if not a.startswith("--")]
    src = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "src"
    # main.rs and the modules it declares are the binary, not the library.
    binary = {"main.rs"}
    if (src / "main.rs").exists():
        binary |= {f"{m}.rs" for m in re.findall(r"^mod (\w+);", (src / "main.rs").read_text(), re.M)}
    files = {}
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(src)
        if path.name == "tests.rs" or "tests" in rel.parts[:-1] or str(rel) in binary:
            continue
        files[module_of(src, path)] = path
    modules = set(files)
    graph = {}
    for module, path in files.items():
        text = strip_comments_and_strings(without_tests(path.read_text()))
        edges = set()
        for p in named_paths(text, module):
            target = resolve(p, modules)
            # A folder is one unit: a parent naming its own children, or a
            # file naming itself, is not an import between units.
            if target is None or target == module or target[: len(module)] == module:
                continue
            edges.add(target)
        graph[module] = edges
    stage = lambda m: m[:1]
    stages = {}
    for m, edges in graph.items():
        for t in edges:
            if stage(t) != stage(m):
                stages.setdefault(stage(m), set()).add(stage(t))
        stages.setdefault(stage(m), set())

    failed = False
    file_cycles, stage_cycles = cycles(graph), cycles(stages)
    print(f"files: {len(files)}; import cycles between files: {len(file_cycles)}")
    for comp in file_cycles:
        print("  cycle:", " <-> ".join(name(m) for m in comp))
    print(f"import cycles between stages: {len(stage_cycles)}")
    for comp in stage_cycles:
        print("  cycle:", " <-> ".join(name(m) for m in comp))
    failed |= bool(file_cycles or stage_cycles)

    model_uses = sorted({name(stage(t)) for m, e in graph.items() if stage(m) == ("model",) for t in e
                         if stage(t) != ("model",) and name(stage(t)) not in MODEL_MAY_USE})
    print("model imports of the pipeline:", ", ".join(model_uses) or "none")
    failed |= bool(model_uses)

    print(f"files over {LIMIT} lines:")
    for module, path in sorted(files.items()):
        text = path.read_text()
        lines = text.count("\n")
        if lines > LIMIT:
            reason = bool(REASON.search("\n".join(text.splitlines()[:15])))
            print(f"  {path.relative_to(src.parent)}: {lines} lines, "
                  + ("says why at its top" if reason else "NO REASON GIVEN"))
            failed |= not reason
    print("\nstages and what each imports:")
    for s in sorted(stages):
        print(f"  {name(s):12} -> {', '.join(sorted(name(t) for t in stages[s])) or '-'}")
    return 1 if strict and failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
