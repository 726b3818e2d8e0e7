#!/usr/bin/env python3
"""How fast the language server re-analyses a file after an edit.

    tools/bench-lsp.py [--sync-lint build/sync-lint] [--edits 20] FILE

FILE is a C file listed in a compile_commands.json (the nearest one upwards,
as the server finds it).  Measured side by side in one run, so a noisy
machine shifts both alike:

  cold parse   clang -fsyntax-only with the file's database flags (median of 3)
  open         didOpen -> publishDiagnostics: a plain parse and the analysis
  first edit   didChange -> publishDiagnostics: the reparse that builds the
               precompiled preamble (a file only looked at never pays it)
  warm edit    didChange -> publishDiagnostics (debounce 0), median of the
               --edits edits after the first, each a one-line change in the
               middle of the file, reusing the preamble

and prints warm/cold, the issue's target being <= 0.30, with the server's own
split of a warm edit (libclang's reparse, lowering, analysis): the reparse
of the file's body is a floor the rest cannot go under.  Not a timed test:
the ctest run only checks that it works (tests/e2e/bench_lsp.sh).
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from lspclient import Client, uri  # noqa: E402


def find_db(path):
    d = os.path.dirname(os.path.abspath(path))
    while True:
        for cand in (d, os.path.join(d, "build")):
            db = os.path.join(cand, "compile_commands.json")
            if os.path.isfile(db):
                return db
        if d == "/":
            return None
        d = os.path.dirname(d)


def clang_argv(entry, clang):
    argv = entry.get("arguments") or shlex.split(entry["command"])
    out, skip = [clang, "-fsyntax-only", "-w"], False
    src = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    for a in argv[1:]:
        if skip:
            skip = False
            continue
        if a in ("-c",):
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a.startswith("-M") or a.startswith("-W"):
            continue
        if os.path.normpath(os.path.join(entry["directory"], a)) == src:
            continue
        out.append(a)
    out.append(src)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--sync-lint", default=os.path.join(os.path.dirname(__file__), "..", "build", "sync-lint"))
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--clang", default="clang-19")
    a = ap.parse_args()
    path = os.path.abspath(a.file)
    db = find_db(path)
    if not db:
        sys.exit("bench-lsp: error: no compile_commands.json above '%s'" % path)
    entries = [e for e in json.load(open(db))
               if os.path.normpath(os.path.join(e["directory"], e["file"])) == path]
    if not entries:
        sys.exit("bench-lsp: error: '%s' is not in %s" % (path, db))
    text = open(path, encoding="utf-8", errors="surrogateescape").read()
    lines = text.split("\n")
    argv = clang_argv(entries[0], a.clang)
    cold = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(argv, cwd=entries[0]["directory"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        cold.append(time.perf_counter() - t0)
    cold_ms = statistics.median(cold) * 1000

    c = Client([os.path.abspath(a.sync_lint), "--lsp"], cwd=os.path.dirname(path))
    c.initialize({"general": {"positionEncodings": ["utf-8"]}}, options={"debounceMs": 0})
    u = uri(path)
    t0 = time.perf_counter()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "c", "version": 1,
                                                       "text": text}})
    first = c.diagnostics(u, 1, timeout=300)
    first_ms = (time.perf_counter() - t0) * 1000
    a.edits += 1   # the first edit is reported on its own
    # each edit appends to a comment line in the middle of the file: the
    # preamble stays valid, the body changes
    mid = len(lines) // 2
    warm = []
    for v in range(2, a.edits + 2):
        t0 = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": v}, "contentChanges": [{
            "range": {"start": {"line": mid, "character": 0}, "end": {"line": mid, "character": 0}},
            "text": "/* edit %d */\n" % v}]})
        c.diagnostics(u, v, timeout=300)
        warm.append((time.perf_counter() - t0) * 1000)
    c.shutdown_and_exit()
    if os.environ.get("SL_BENCH_LSP_LOG"):
        sys.stderr.write(c.stderr.decode(errors="replace"))
    first_edit, warm = warm[0], warm[1:]
    med = statistics.median(warm)
    print("file: %s (%d lines), database: %s" % (path, len(lines), db))
    print("cold parse (clang -fsyntax-only, median of 3): %.1f ms" % cold_ms)
    print("open (didOpen -> diagnostics): %.1f ms, %d diagnostics" % (first_ms, len(first["diagnostics"])))
    print("first edit (didChange -> diagnostics, builds the preamble): %.1f ms" % first_edit)
    print("warm edit (didChange -> diagnostics), median of %d: %.1f ms (min %.1f, max %.1f)" % (
        len(warm), med, min(warm), max(warm)))
    print("warm/cold = %.2f (target <= 0.30)" % (med / cold_ms))
    # the server's own account of the warm edits: libclang's reparse of the
    # file's body is a floor no lowering or analysis work can go under
    parts = [tuple(float(x) for x in m.groups()) for m in re.finditer(
        r"v(\d+): \d+ diagnostics? in [0-9.]+ ms \(parse ([0-9.]+) ms reusing the preamble, "
        r"lowering ([0-9.]+) ms, analysis ([0-9.]+) ms\)", c.stderr.decode(errors="replace"))]
    parts = [p[1:] for p in parts if p[0] >= 3]   # v2 is the first edit
    if parts:
        rp, lw, an = (statistics.median(p[i] for p in parts) for i in range(3))
        print("warm edit in the server, medians: reparse %.1f ms (%.2f of the cold parse), "
              "lowering %.1f ms, analysis %.1f ms" % (rp, rp / cold_ms, lw, an))


if __name__ == "__main__":
    main()
