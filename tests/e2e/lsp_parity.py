"""The language server reports what the command line reports: for every
rule's testdata folder and multi-file case, the .c files opened together in one server give, file
by file, the same findings (rule and line) as one `sync-lint` run over the
same files, and two edits to each that change nothing that matters keep
them.  Run by lsp_parity.sh with SYNC_LINT and SRC_DIR."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, uri  # noqa: E402

SYNC_LINT = os.environ["SYNC_LINT"]
SRC = os.environ["SRC_DIR"]
failures = folders = compared = 0
# copies, away from the project's own compile_commands.json, which the
# server (as clangd does) would find upwards and lend its flags from
WORK = tempfile.mkdtemp(prefix="sl-parity-")

def groups():
    """(name, folder, files): a rule's single-file cases, linted together,
    then each multi-file case (a subfolder, with its headers) on its own."""
    for orig in sorted(glob.glob(os.path.join(SRC, "testdata", "*"))):
        if not os.path.isdir(orig):
            continue
        folder = os.path.join(WORK, os.path.basename(orig))
        shutil.copytree(orig, folder)
        for d in [folder] + sorted(x for x in glob.glob(os.path.join(folder, "*")) if os.path.isdir(x)):
            files = sorted(glob.glob(os.path.join(d, "*.c")))
            if files:
                yield os.path.relpath(d, WORK), d, files


for rule, folder, files in groups():
    checks = "*,experimental-*"
    out = subprocess.run([SYNC_LINT, "-q", "--format=json", "--checks=" + checks] + files,
                         capture_output=True, text=True, cwd=folder).stdout
    cli = {f: [] for f in files}
    for d in json.loads(out)["diagnostics"]:
        if d["rule"] != "sync-lint" and d["file"] in cli:
            cli[d["file"]].append((d["rule"], d["line"]))
    c = Client([SYNC_LINT, "--lsp", "--checks=" + checks], cwd=folder)
    c.initialize(options={"debounceMs": 0})
    for f in files:
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(f), "languageId": "c",
                                                           "version": 1, "text": open(f).read()}})
    lsp = {}
    for f in files:
        p = c.diagnostics(uri(f), 1, timeout=120)
        lsp[f] = [(d["code"], d["range"]["start"]["line"] + 1) for d in p["diagnostics"]
                  if d["code"] != "sync-lint"]
    # whole-program findings come once every file's summary is in: the
    # server re-analyses the others as summaries arrive; let it settle
    for m in c.settle():
        if m.get("method") == "textDocument/publishDiagnostics":
            f = next((f for f in files if uri(f) == m["params"]["uri"]), None)
            if f:
                lsp[f] = [(d["code"], d["range"]["start"]["line"] + 1)
                          for d in m["params"]["diagnostics"] if d["code"] != "sync-lint"]
    for f in files:
        compared += 1
        if sorted(cli[f]) != sorted(lsp[f]):
            failures += 1
            print("FAIL %s: command line %s, server %s" % (os.path.relpath(f, WORK), sorted(cli[f]),
                                                           sorted(lsp[f])))
    # a trailing comment changes nothing: neither the first edit (the
    # reparse that builds the precompiled preamble) nor the next one (which
    # reuses it, and lowers the preamble's declarations only when the file
    # refers to them)
    for f in files:
        text = open(f).read()
        for v in (2, 3):
            text += "\n/* edit %d */\n" % v
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri(f), "version": v},
                     "contentChanges": [{"text": text}]})
            p = c.diagnostics(uri(f), v, timeout=120)
            again = [(d["code"], d["range"]["start"]["line"] + 1) for d in p["diagnostics"]
                     if d["code"] != "sync-lint"]
            if sorted(again) != sorted(cli[f]):
                failures += 1
                print("FAIL %s after edit %d: %s, command line %s" % (
                    os.path.relpath(f, WORK), v - 1, sorted(again), sorted(cli[f])))
    if c.shutdown_and_exit() != 0:
        failures += 1
        print("FAIL %s: the server did not exit cleanly" % rule)
    folders += 1
    print("ok   %s: %d files" % (rule, len(files)))
print("%d folders, %d files compared, %d failures" % (folders, compared, failures))
shutil.rmtree(WORK, ignore_errors=True)
sys.exit(1 if failures or compared < 100 else 0)
