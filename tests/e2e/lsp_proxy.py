"""sync-lint --lsp --clangd in front of Debian's clangd-19, scripted:
messages pass both ways with ids untouched, clangd's and sync-lint's
diagnostics of one document and version arrive merged in one
publishDiagnostics, code actions of both sides are merged, and when clangd
dies the client is told and sync-lint goes on serving its own diagnostics
and answering requests.  Run by lsp_proxy.sh with SYNC_LINT and SL_CLANGD."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Checks, Client, uri  # noqa: E402

SYNC_LINT = os.environ["SYNC_LINT"]
CLANGD = os.environ["SL_CLANGD"]
check = Checks()


WORK = tempfile.mkdtemp(prefix="sl-proxy-")
SRC = os.path.join(WORK, "t.c")
# a sync-lint finding (the wait, line 12) and a clangd error (line 16)
TEXT = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsp",
                         "clangd_error_and_finding.c")).read()
with open(SRC, "w") as f:
    f.write(TEXT)
# a wrapper, so the test knows clangd's pid and can kill it
wrapper = os.path.join(WORK, "clangd-wrapper")
with open(wrapper, "w") as f:
    f.write("#!/bin/sh\necho $$ > %s/clangd.pid\nexec %s \"$@\"\n" % (WORK, CLANGD))
os.chmod(wrapper, 0o755)
U = uri(SRC)

c = Client([SYNC_LINT, "--lsp", "--clangd=" + wrapper], cwd=WORK)
r = c.initialize({"textDocument": {"publishDiagnostics": {"relatedInformation": True}}},
                 options={"debounceMs": 50})
caps = r["result"]["capabilities"]
check("definitionProvider" in caps, "clangd's capabilities reach the client")
check("sync-lint.explain" in caps.get("executeCommandProvider", {}).get("commands", []),
      "the proxy adds its explain command")
check(r["result"].get("serverInfo", {}).get("name", "").startswith("clangd"), "clangd's serverInfo")
c.notify("textDocument/didOpen", {"textDocument": {"uri": U, "languageId": "c", "version": 1,
                                                   "text": TEXT}})


def merged(version, timeout=60):
    """The first publish for version holding both sides' diagnostics."""
    def both(m):
        if m.get("method") != "textDocument/publishDiagnostics":
            return False
        p = m["params"]
        srcs = {d.get("source") for d in p["diagnostics"]}
        return p["uri"] == U and p.get("version") == version and "sync-lint" in srcs and \
            any(s != "sync-lint" for s in srcs)
    return c.wait_for(both, timeout, "merged diagnostics v%d" % version)["params"]


p = merged(1)
ours = [d for d in p["diagnostics"] if d.get("source") == "sync-lint"]
theirs = [d for d in p["diagnostics"] if d.get("source") != "sync-lint"]
check([d["code"] for d in ours] == ["cond-wait-not-in-loop"], "sync-lint's finding in the merge")
check(any("undeclared" in d["message"] for d in theirs), "clangd's error in the same message")
check(not any("cannot parse" in d["message"] for d in ours), "sync-lint's parse errors are left to clangd")

# a request with a string id, answered by clangd, id untouched
c.send({"jsonrpc": "2.0", "id": "my-id-7", "method": "textDocument/hover",
        "params": {"textDocument": {"uri": U}, "position": {"line": 11, "character": 9}}})
h = c.response("my-id-7")
check("result" in h and h["result"] and "pthread_cond_wait" in json.dumps(h["result"]),
      "a string id comes back untouched with clangd's hover")
rid = c.request("textDocument/codeAction", {"textDocument": {"uri": U}, "range": ours[0]["range"],
                                             "context": {"diagnostics": ours}})
acts = c.response(rid)["result"]
check(any(a["title"].startswith("Suppress cond-wait") for a in acts), "sync-lint's actions merged into clangd's reply")
rid = c.request("workspace/executeCommand", {"command": "sync-lint.explain",
                                              "arguments": ["cond-wait-not-in-loop"]})
check(c.response(rid).get("result", 1) is None, "the proxy answers its own command")

# an edit: both sides again, for version 2
c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": 2},
         "contentChanges": [{"range": {"start": {"line": 15, "character": 26},
                                       "end": {"line": 15, "character": 42}}, "text": "(int)ready"}]})
p = c.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and
               m["params"].get("version") == 2 and
               any(d.get("source") == "sync-lint" for d in m["params"]["diagnostics"]),
               60, "v2 with sync-lint's finding")["params"]
check(not any("undeclared" in d["message"] for d in p["diagnostics"]), "clangd's error gone at v2")

# closing the document clears sync-lint's part of the merge
c.drain(1.0)   # what was published before
c.notify("textDocument/didClose", {"textDocument": {"uri": U}})
msgs = c.drain(2.0)
pubs = [m["params"] for m in msgs if m.get("method") == "textDocument/publishDiagnostics" and
        m["params"]["uri"] == U]
check(pubs and not any(d.get("source") == "sync-lint" for p in pubs for d in p["diagnostics"]),
      "didClose: every publish after it is without sync-lint's diagnostics", pubs)
c.notify("textDocument/didOpen", {"textDocument": {"uri": U, "languageId": "c", "version": 2,
                                                   "text": TEXT}})
merged(2)

# clangd dies
pid = int(open(os.path.join(WORK, "clangd.pid")).read())
os.kill(pid, signal.SIGKILL)
m = c.wait_for(lambda m: m.get("method") == "window/showMessage" and "clangd" in m["params"]["message"],
               30, "the news of clangd's death")
check(m["params"]["type"] == 1 and "signal 9" in m["params"]["message"], "the client is told clangd died",
      m["params"]["message"])
c.notify("textDocument/didChange", {"textDocument": {"uri": U, "version": 3},
                                    "contentChanges": [{"text": TEXT}]})
p = c.diagnostics(U, 3)
check([d["code"] for d in p["diagnostics"]] == ["cond-wait-not-in-loop"], "sync-lint's diagnostics go on alone")
rid = c.request("textDocument/hover", {"textDocument": {"uri": U}, "position": {"line": 11, "character": 9}})
check("result" in c.response(rid), "requests are answered by sync-lint after clangd's death")
rc = c.shutdown_and_exit()
check(rc == 0, "shutdown and exit: 0", rc)
check.done()
