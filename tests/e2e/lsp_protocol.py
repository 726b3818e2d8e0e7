"""sync-lint --lsp against a scripted client: the protocol's life cycle,
document sync, positions, diagnostics, code actions, debounce, reloads and
every kind of bad input the server must survive.

Run by lsp_protocol.sh with SYNC_LINT set; exits non-zero on the first
failed check, saying which."""
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Checks, Client, uri  # noqa: E402

SYNC_LINT = os.environ["SYNC_LINT"]
check = Checks()


WORK = tempfile.mkdtemp(prefix="sl-lsp-")
SRC = os.path.join(WORK, "queue.c")
# the bad wait only exists with -DBUGGY, which only the database gives; the
# line with the wait has non-ASCII text before the call (UTF-16 vs UTF-8)
TEXT = """#include <pthread.h>
#include <stdbool.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool ready;
void consume(void)
{
    pthread_mutex_lock(&mu);
#ifdef BUGGY
    if (!ready)
        /* é𝄞 */ pthread_cond_wait(&cv, &mu);
#endif
    ready = false;
    pthread_mutex_unlock(&mu);
}
"""
with open(SRC, "w") as f:
    f.write(TEXT)
with open(os.path.join(WORK, "compile_commands.json"), "w") as f:
    json.dump([{"directory": WORK, "file": SRC,
                "arguments": ["cc", "-std=gnu11", "-DBUGGY", "-c", SRC]}], f)
U = uri(SRC)
WAIT_LINE = 10           # 0-based line of the wait
PREFIX = '        /* é𝄞 */ '


def start(*extra):
    return Client([SYNC_LINT, "--lsp"] + list(extra), cwd=WORK)


def open_doc(c, text=TEXT, version=1):
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": U, "languageId": "c", "version": version, "text": text}})


def codes(params):
    return sorted(d["code"] for d in params["diagnostics"])


# --- life cycle, encodings, first diagnostics (UTF-16) ---
c = start()
r = c.initialize({"textDocument": {"publishDiagnostics": {"relatedInformation": True}}})
caps = r["result"]["capabilities"]
check(caps["positionEncoding"] == "utf-16", "UTF-16 when the client offers nothing else")
check(caps["textDocumentSync"]["change"] == 2, "incremental sync announced")
check(caps.get("codeActionProvider") and caps.get("hoverProvider"), "code actions and hover announced")
check(r["result"]["serverInfo"]["name"] == "sync-lint", "serverInfo")
open_doc(c)
p = c.diagnostics(U, 1)
check(codes(p) == ["cond-wait-not-in-loop"], "the database's -DBUGGY reached the parse", codes(p))
d = p["diagnostics"][0]
check(d["source"] == "sync-lint" and d["severity"] == 2, "source and severity")
check(d["codeDescription"]["href"].endswith("/docs/rules/cond-wait-not-in-loop.md"), "codeDescription.href")
check(d["range"]["start"]["line"] == WAIT_LINE, "range line", d["range"])
# the call starts after 8 spaces, '/* é𝄞 */ ': é is 1 UTF-16 unit, 𝄞 is 2
u16 = len(PREFIX.encode("utf-16-le")) // 2
check(d["range"]["start"]["character"] == u16, "UTF-16 column past non-ASCII text",
      "%s != %d" % (d["range"]["start"], u16))
rel = d.get("relatedInformation", [])
check(any("acquired" in x["message"] and x["location"]["uri"] == U and
          x["location"]["range"]["start"]["line"] == 7 for x in rel),
      "relatedInformation: where the lock was taken", rel)

# --- hover and code actions ---
rid = c.request("textDocument/hover", {"textDocument": {"uri": U}, "position": d["range"]["start"]})
h = c.response(rid)["result"]
check(h and h["contents"]["kind"] == "markdown" and "What it finds" in h["contents"]["value"],
      "hover on the finding explains the rule")
rid = c.request("textDocument/hover", {"textDocument": {"uri": U}, "position": {"line": 0, "character": 0}})
check(c.response(rid)["result"] is None, "no hover away from findings")
rid = c.request("textDocument/codeAction", {"textDocument": {"uri": U}, "range": d["range"],
                                             "context": {"diagnostics": [d]}})
acts = c.response(rid)["result"]
titles = [a["title"] for a in acts]
check(any(t.startswith("Fix: replace 'if' with 'while'") for t in titles), "fix action", titles)
check("Suppress cond-wait-not-in-loop on this line" in titles, "suppress action", titles)
check("Explain cond-wait-not-in-loop" in titles, "explain action", titles)
sup = next(a for a in acts if a["title"].startswith("Suppress"))
edit = sup["edit"]["changes"][U][0]
check(edit["range"]["start"] == {"line": WAIT_LINE, "character": 0} and
      edit["newText"] == "        // sync-lint: ignore[cond-wait-not-in-loop] TODO: why this is safe\n",
      "the suppression is a line before, with the finding's indentation", edit)
rid = c.request("workspace/executeCommand", {"command": "sync-lint.explain",
                                              "arguments": ["cond-wait-not-in-loop"]})
m = c.wait_for(lambda m: m.get("method") == "window/showMessage", what="the explanation")
check("spurious" in m["params"]["message"] or "loop" in m["params"]["message"], "explain shows the text")
check(c.response(rid).get("result", 1) is None, "executeCommand answered")

# --- an incremental edit: apply the fix's edit as the client would ---
fix = next(a for a in acts if a["title"].startswith("Fix"))
fe = fix["edit"]["changes"][U][0]
c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": 2},
                                    "contentChanges": [{"range": fe["range"], "text": fe["newText"]}]})
p = c.diagnostics(U, 2)
check(codes(p) == [], "after the fix's edit, no finding (version 2)", codes(p))

# --- debounce: a burst of edits gives one analysis, of the last version ---
t0 = time.time()
for v in range(3, 13):
    c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": v},
             "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                           "end": {"line": 0, "character": 0}}, "text": "\n"}]})
msgs = c.drain(3.0)
pubs = [m["params"]["version"] for m in msgs if m.get("method") == "textDocument/publishDiagnostics"]
check(pubs == [12], "ten quick edits: one publish, for the last version", pubs)

# --- an out-of-order version is ignored ---
c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": 5},
                                    "contentChanges": [{"text": "garbage that would not parse {"}]})
msgs = c.drain(1.0)
check(not [m for m in msgs if m.get("method") == "textDocument/publishDiagnostics"],
      "a stale version is dropped")
# back to the buggy text (full sync) with version 13: the finding, 10 lines lower
c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": 13},
                                    "contentChanges": [{"text": TEXT}]})
p = c.diagnostics(U, 13)
check(codes(p) == ["cond-wait-not-in-loop"] and p["diagnostics"][0]["range"]["start"]["line"] == WAIT_LINE,
      "full-text change: the finding is back where it was", p)

# --- suppression through its code action ---
lines = TEXT.split("\n")
lines.insert(WAIT_LINE, edit["newText"].rstrip("\n"))
c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": 14},
                                    "contentChanges": [{"text": "\n".join(lines)}]})
p = c.diagnostics(U, 14)
check(codes(p) == [], "the inserted suppression comment suppresses it", codes(p))

# --- configuration reload ---
c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": 15},
                                    "contentChanges": [{"text": TEXT}]})
check(codes(c.diagnostics(U, 15)) == ["cond-wait-not-in-loop"], "unsuppressed again")
cfg = os.path.join(WORK, ".sync-lint.json")
with open(cfg, "w") as f:
    json.dump({"checks": "-cond-wait-not-in-loop"}, f)
c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(cfg), "type": 1}]})
check(codes(c.diagnostics(U, 15)) == [], "a new .sync-lint.json disabling the rule is read")
with open(cfg, "w") as f:
    f.write('{"chekcs": "*"}')
c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(cfg), "type": 2}]})
m = c.wait_for(lambda m: m.get("method") == "window/showMessage", what="the config error")
check("chekcs" in m["params"]["message"] and "checks" in m["params"]["message"],
      "a broken config is shown, naming the key", m["params"]["message"])
check(codes(c.diagnostics(U, 15)) == ["cond-wait-not-in-loop"], "broken config: the defaults")
os.unlink(cfg)
c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(cfg), "type": 3}]})
c.diagnostics(U, 15)

# --- bad input on a live server ---
c.raw(b"Content-Length: 9\r\n\r\n{not json")
e = c.wait_for(lambda m: "error" in m and m["error"]["code"] == -32700, what="parse error")
check(e["id"] is None, "malformed JSON: -32700 with id null")
c.raw(b"Content-Length: abc\r\n\r\n")
c.raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n")
c.send([1, 2])
e = c.wait_for(lambda m: "error" in m and m["error"]["code"] == -32600, what="invalid request")
check(True, "a JSON array (batch) is an invalid request")
rid = c.request("textDocument/definition", {"textDocument": {"uri": U}, "position": {"line": 0, "character": 0}})
e = c.response(rid)
check(e.get("error", {}).get("code") == -32601, "unknown request: -32601, after bad frames", e)
c.notify("$/cancelRequest", {"id": 999})
c.notify("workspace/someUnknownNotification", {})
c.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere.c", "version": 1},
                                    "contentChanges": [{"text": ""}]})
c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": 16},
                                    "contentChanges": [{"range": {"start": {"line": "x"}}, "text": "y"}]})
big = b"x" * (65 << 20)
c.raw(b"Content-Length: %d\r\n\r\n" % len(big) + big)
rid = c.request("textDocument/hover", {"textDocument": {"uri": U}, "position": {"line": 0, "character": 0}})
check("result" in c.response(rid, timeout=60), "a 65 MiB message is skipped; the server still answers")
msgs = c.drain(1.0)
check(not [m for m in msgs if "id" in m and "method" not in m],
      "no reply to notifications, bad ones included", msgs)
c.notify("textDocument/didClose", {"textDocument": {"uri": U}})
p = c.diagnostics(U)
check(p["diagnostics"] == [], "didClose clears the document's diagnostics")
rc = c.shutdown_and_exit()
check(rc == 0, "exit code 0 after shutdown then exit", rc)
check(b"Traceback" not in c.stderr and b"sanitizer" not in c.stderr.lower(), "stderr is clean")

# --- UTF-8 when offered ---
c = start()
r = c.initialize({"general": {"positionEncodings": ["utf-8", "utf-16"]}})
check(r["result"]["capabilities"]["positionEncoding"] == "utf-8", "UTF-8 when the client offers it")
open_doc(c)
d = c.diagnostics(U, 1)["diagnostics"][0]
check(d["range"]["start"]["character"] == len(PREFIX.encode()), "UTF-8 column is in bytes", d["range"])
rid = c.request("shutdown")
c.response(rid)
rid = c.request("textDocument/hover", {"textDocument": {"uri": U}, "position": {"line": 0, "character": 0}})
check(c.response(rid).get("error", {}).get("code") == -32600, "a request after shutdown: -32600")
c.notify("exit")
check(c.wait_exit() == 0, "exit after shutdown: 0")

# --- before initialize; exit without shutdown; a vanished client ---
c = start()
rid = c.request("textDocument/hover", {"textDocument": {"uri": U}, "position": {"line": 0, "character": 0}})
check(c.response(rid).get("error", {}).get("code") == -32002, "a request before initialize: -32002")
rid = c.request("initialize", {"capabilities": {}})
c.response(rid)
rid = c.request("initialize", {"capabilities": {}})
check(c.response(rid).get("error", {}).get("code") == -32600, "a second initialize: -32600")
c.notify("exit")
check(c.wait_exit() == 1, "exit without shutdown: 1")
c = start()
c.initialize()
open_doc(c)
c.proc.stdin.close()
check(c.wait_exit() == 1, "the client closing stdin ends the server (1), no hang")

# --- a header the database does not list borrows the nearest entry's flags ---
HDR = os.path.join(WORK, "queue_inline.h")
with open(HDR, "w") as f:
    f.write(TEXT.replace("void consume(void)", "static inline void consume_inline(void)"))
c = start()
c.initialize(options={"debounceMs": 50})
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(HDR), "languageId": "c", "version": 1,
         "text": open(HDR).read()}})
p = c.diagnostics(uri(HDR), 1)
check(codes(p) == ["cond-wait-not-in-loop"], "a header gets the flags of queue.c (-DBUGGY)", p)
# C++ is not ours (VS Code calls .h files "cpp": those still are)
CPP = os.path.join(WORK, "thing.cpp")
with open(CPP, "w") as f:
    f.write(TEXT)
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(CPP), "languageId": "cpp", "version": 1,
         "text": TEXT}})
HC = os.path.join(WORK, "cpp_lang.h")
with open(HC, "w") as f:
    f.write(open(HDR).read())
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(HC), "languageId": "cpp", "version": 1,
         "text": open(HC).read()}})
check(codes(c.diagnostics(uri(HC), 1)) == ["cond-wait-not-in-loop"], "a .h the client calls cpp is C")
msgs = c.drain(1.0)
check(not [m for m in msgs if m.get("params", {}).get("uri") == uri(CPP)], "a C++ file gets nothing")
# the database changes (the build dropped -DBUGGY): flags reload, new parse
DB = os.path.join(WORK, "compile_commands.json")
saved_db = open(DB).read()
with open(DB, "w") as f:
    json.dump([{"directory": WORK, "file": SRC, "arguments": ["cc", "-std=gnu11", "-c", SRC]}], f)
c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(DB), "type": 2}]})
check(codes(c.diagnostics(uri(HDR), 1)) == [], "a changed compile_commands.json is reloaded")
with open(DB, "w") as f:
    f.write(saved_db)
check(c.shutdown_and_exit() == 0, "header server: clean exit")

# --- more open documents than parsed units kept: the oldest is reparsed ---
c = start()
c.initialize(options={"debounceMs": 0})
many = []
for i in range(18):
    pth = os.path.join(WORK, "copy%02d.c" % i)
    with open(pth, "w") as f:
        f.write(TEXT)
    many.append(uri(pth))
    c.notify("textDocument/didOpen", {"textDocument": {"uri": many[-1], "languageId": "c",
                                                       "version": 1, "text": TEXT}})
for u in many:
    check(codes(c.diagnostics(u, 1)) == ["cond-wait-not-in-loop"], "document %s analysed" % u[-9:])
c.notify("textDocument/didChange", {"textDocument": {"uri": many[0], "version": 2},
                                    "contentChanges": [{"text": TEXT.replace("if (!ready)", "while (!ready)")}]})
check(codes(c.diagnostics(many[0], 2)) == [], "the first document, its unit dropped, reparses right")
c.notify("textDocument/didChange", {"textDocument": {"uri": many[0], "version": 3},
                                    "contentChanges": [{"text": TEXT}]})
check(codes(c.diagnostics(many[0], 3)) == ["cond-wait-not-in-loop"], "and again")
check(c.shutdown_and_exit() == 0, "many-documents server: clean exit")

# --- whole-program rules over the open documents ---
import shutil  # noqa: E402
XT = os.path.join(WORK, "xtu")
shutil.copytree(os.path.join(os.environ["SRC_DIR"], "testdata", "lock-held-across-blocking-call",
                             "cross_tu_helpers"), XT)
c = Client([SYNC_LINT, "--lsp"], cwd=XT)
c.initialize(options={"debounceMs": 50})
SU, NU = uri(os.path.join(XT, "server.c")), uri(os.path.join(XT, "net.c"))


def lines_of(p, rule):
    return sorted(d["range"]["start"]["line"] for d in p["diagnostics"] if d["code"] == rule)


c.notify("textDocument/didOpen", {"textDocument": {"uri": SU, "languageId": "c", "version": 1,
         "text": open(os.path.join(XT, "server.c")).read()}})
p = c.diagnostics(SU, 1)
check(21 not in lines_of(p, "lock-held-across-blocking-call"),
      "server.c alone: the helper in net.c is not known yet")
c.notify("textDocument/didOpen", {"textDocument": {"uri": NU, "languageId": "c", "version": 1,
         "text": open(os.path.join(XT, "net.c")).read()}})
c.diagnostics(NU, 1)
p = c.diagnostics(SU, 1)
check(21 in lines_of(p, "lock-held-across-blocking-call"),
      "opening net.c re-analyses server.c: the cross-file blocking call is found", p)
# the client's settings: a checks string that disables the rule
c.notify("workspace/didChangeConfiguration", {"settings": {"sync-lint": {"checks": "-lock-held-*"}}})
p = c.diagnostics(SU, 1)
check(lines_of(p, "lock-held-across-blocking-call") == [], "didChangeConfiguration's checks apply")
check(c.shutdown_and_exit() == 0, "second server: clean exit")

check.done()
