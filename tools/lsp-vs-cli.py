#!/usr/bin/env python3
"""Does the language server report what the command line reports, on a real
project?

    tools/lsp-vs-cli.py [--sync-lint build/sync-lint] [--edits 2] -p DIR FILE... [-- ARG...]

DIR holds compile_commands.json; FILEs are entries of it; ARGs (wrappers,
--checks, ...) go to both sides.  One `sync-lint -p DIR FILE...` run and one
`sync-lint --lsp` with every FILE open give, file by file, the findings
(rule and line); then each file gets --edits edits that change nothing (a
trailing comment; the first reparse builds the precompiled preamble, the
next ones reuse it and lower the preamble's declarations only when the
file refers to them) and must keep the command line's findings.  Prints
each difference and exits 1 if there is one.  Not a test (CI has no real
project); tests/e2e/lsp_parity.py checks the same on the testdata.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from lspclient import Client, uri  # noqa: E402


def findings(diags):
    return sorted((d["code"], d["range"]["start"]["line"] + 1) for d in diags if d["code"] != "sync-lint")


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-p", dest="db", required=True)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--sync-lint", default=os.path.join(os.path.dirname(__file__), "..", "build", "sync-lint"))
    ap.add_argument("--edits", type=int, default=2)
    a = ap.parse_args(argv)
    exe = os.path.abspath(a.sync_lint)
    files = [os.path.abspath(f) for f in a.files]
    out = subprocess.run([exe, "-q", "--format=json", "-p", a.db] + extra + files,
                         capture_output=True, text=True)
    try:
        report = json.loads(out.stdout)
    except ValueError:
        sys.exit("lsp-vs-cli: error: the command line gave no JSON (exit %d): %s" % (out.returncode, out.stderr[-2000:]))
    cli = {f: [] for f in files}
    for d in report["diagnostics"]:
        if d["rule"] != "sync-lint" and os.path.abspath(d["file"]) in cli:
            cli[os.path.abspath(d["file"])].append((d["rule"], d["line"]))
    for f in files:
        cli[f].sort()
    c = Client([exe, "--lsp"] + extra, cwd=os.path.abspath(a.db))
    c.initialize(options={"debounceMs": 0})
    texts = {}
    for f in files:
        texts[f] = open(f, encoding="utf-8", errors="surrogateescape").read()
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(f), "languageId": "c", "version": 1,
                                                           "text": texts[f]}})
    lsp = {f: findings(c.diagnostics(uri(f), 1, timeout=600)["diagnostics"]) for f in files}
    for m in c.settle(quiet=2.0, cap=120):   # whole-program findings as summaries arrive
        if m.get("method") == "textDocument/publishDiagnostics":
            f = next((f for f in files if uri(f) == m["params"]["uri"]), None)
            if f:
                lsp[f] = findings(m["params"]["diagnostics"])
    bad = 0
    for f in files:
        if lsp[f] != cli[f]:
            bad += 1
            print("DIFF %s on open: server %s, command line %s" % (f, lsp[f], cli[f]))
        for v in range(2, a.edits + 2):
            texts[f] += "\n/* edit %d */\n" % v
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri(f), "version": v},
                                                "contentChanges": [{"text": texts[f]}]})
            got = findings(c.diagnostics(uri(f), v, timeout=600)["diagnostics"])
            if got != cli[f]:
                bad += 1
                print("DIFF %s after edit %d: server %s, command line %s" % (f, v - 1, got, cli[f]))
    c.shutdown_and_exit()
    n = sum(len(v) for v in cli.values())
    print("%d files, %d findings on the command line, %d differences" % (len(files), n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
