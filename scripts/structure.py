#!/usr/bin/env python3
"""Measures the shape of the code under src/: file sizes, function lengths, visibility and the
module import graph (circles, and whether `render` imports `index`). ARCHITECTURE.md records
its figures.

    scripts/structure.py [--circles]

Imports are counted outside `#[cfg(test)]` modules (a test may use what sits above the
code it tests). Lines are physical lines of a file, tests included (`#[cfg(test)]` modules count, as a reader
meets them). A function's length runs from its `fn` line to the line of its closing brace,
found by counting braces outside strings, characters and comments.
"""
import os
import re
import statistics
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def rust_files():
    for base, _, names in os.walk(ROOT):
        for name in names:
            if name.endswith(".rs"):
                yield os.path.join(base, name)


def strip(text):
    """The text with strings, chars and comments blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            end = '"' + m.group(1)
            j = text.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'":
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            if m:
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(code, named=False):
    lengths = []
    lines = code.split("\n")
    for idx, line in enumerate(lines):
        if re.search(r"\bfn\s+\w+", line) and not line.strip().startswith("//"):
            depth, started = 0, False
            for j in range(idx, len(lines)):
                for ch in lines[j]:
                    if ch == "{":
                        depth += 1
                        started = True
                    elif ch == "}":
                        depth -= 1
                if not started and ";" in lines[j]:
                    break  # a declaration without a body
                if started and depth <= 0:
                    name = re.search(r"\bfn\s+(\w+)", line).group(1)
                    lengths.append((j - idx + 1, idx + 1, name) if named else j - idx + 1)
                    break
    return lengths


def module_of(path):
    rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return rel


def imports(code, me, is_mod):
    """The module paths `code` names: `crate::a::b`, and `super::x` or `self::x` resolved
    against `me` (a `mod.rs` is its folder's module, so its `super` is one level up)."""
    found = set()
    parent = me if is_mod else me[:-1]
    for m in re.finditer(r"\b(crate|super|self)::((?:\w+::)*\w+)", code):
        base = {"crate": (), "super": parent[:-1] if is_mod else parent, "self": me}[m.group(1)]
        if m.group(1) == "super" and not is_mod:
            base = me[:-1]
        found.add(base + tuple(m.group(2).split("::")))
    for m in re.finditer(r"use\s+(crate|super)::\{([^;]*)\};", code, re.S):
        base = () if m.group(1) == "crate" else (me[:-1] if not is_mod else parent[:-1])
        for part in re.split(r"[,\s{}]+", m.group(2)):
            if part and part != "self":
                found.add(base + tuple(part.split("::")))
    return found


def main():
    sizes, fns, pub, pub_crate = [], [], 0, 0
    graph = {}
    modules = set()
    files = sorted(rust_files())
    for path in files:
        modules.add(tuple(module_of(path)))
    for path in files:
        text = open(path, encoding="utf-8").read()
        sizes.append(text.count("\n"))
        code = strip(text)
        fns += functions(code)
        pub += len(re.findall(r"^\s*pub\s", code, re.M))
        pub_crate += len(re.findall(r"^\s*pub\((?:crate|super|in [^)]*)\)\s", code, re.M))
        me = tuple(module_of(path))
        top = me[:2] if len(me) >= 2 and me[0] in ("cmd",) else me[:2]
        # A test module may use what is above the code it tests: only the code itself counts.
        if os.path.basename(path) == "tests.rs":
            continue  # a module of tests only
        test = re.search(r"#\[cfg\(test\)\]\s*mod \w+ \{", code)
        code = code[: test.start()] if test else code
        is_mod = os.path.basename(path) in ("mod.rs", "lib.rs", "main.rs")
        for imp in imports(code, me, is_mod):
            # the longest known module that prefixes the import
            target = None
            for k in range(len(imp), 0, -1):
                if imp[:k] in modules:
                    target = imp[:k]
                    break
            if target and target != me:
                graph.setdefault(me, set()).add(target)
    fns.sort()
    p90 = fns[int(len(fns) * 0.9)] if fns else 0
    print(f"files: {len(sizes)}")
    print(f"median file: {statistics.median(sizes):.0f} lines (p90 {sorted(sizes)[int(len(sizes) * 0.9)]})")
    print(f"functions: {len(fns)}, median {statistics.median(fns):.0f} lines, p90 {p90}, over 50 lines: {sum(1 for f in fns if f > 50)}")
    print(f"pub items: {pub}, pub(crate)/pub(super)/pub(in): {pub_crate}")

    # Circles between top-level modules (src/<name>, and cmd/<name>, index/<name>, … one level in).
    def group(m):
        return m[:2] if len(m) >= 2 else m
    edges = {}
    for a, targets in graph.items():
        for b in targets:
            ga, gb = group(a), group(b)
            if ga != gb and not (ga[:1] == gb[:1] and (len(ga) == 1 or len(gb) == 1)):
                edges.setdefault(ga, set()).add(gb)
    # Circles: groups of modules that reach each other through imports (strongly connected
    # components of more than one module, found with Tarjan's algorithm).
    index, low, stack, on, circles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append("::".join(w))
                if w == v:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    print(f"import circles: {len(circles)}")
    for c in sorted(circles):
        print(f"  {' -> '.join(c)}")
    render_index = sorted({"::".join(b) for a, t in graph.items() if a[:1] == ("render",) for b in t if b[:1] == ("index",)})
    print(f"render importing index: {', '.join(render_index) if render_index else 'never'}")
    if "--long" in sys.argv:
        long = []
        for path in files:
            code = strip(open(path, encoding="utf-8").read())
            for length, line, name in functions(code, named=True):
                if length > 50:
                    long.append((length, f"{os.path.relpath(path, ROOT)}:{line} {name}"))
        for length, where in sorted(long, reverse=True):
            print(f"  {length:4} {where}")


if __name__ == "__main__":
    main()
