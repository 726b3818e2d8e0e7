"""A scripted Language Server Protocol client for the end-to-end tests.

It starts `sync-lint --lsp` (or any server command), frames messages,
and reads the server's stdout strictly: every byte must belong to a
well-formed `Content-Length` frame holding a JSON-RPC object, so a stray
print to stdout fails the test.  Reads time out instead of hanging.
"""
import json
import os
import sys
import select
import subprocess
import time


class ProtocolViolation(Exception):
    pass


class Client:
    def __init__(self, argv, cwd=None, env=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.buf = b""
        self.inbox = []
        self.next_id = 0
        os.set_blocking(self.proc.stdout.fileno(), False)
        os.set_blocking(self.proc.stderr.fileno(), False)
        self.stderr = b""

    # -- writing --
    def raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.next_id

    # -- reading --
    def _fill(self, timeout):
        fds = [self.proc.stdout, self.proc.stderr]
        r, _, _ = select.select(fds, [], [], timeout)
        got = False
        for f in r:
            try:
                data = os.read(f.fileno(), 1 << 20)
            except BlockingIOError:
                continue
            if f is self.proc.stderr:
                self.stderr += data
                continue
            if not data:
                raise EOFError("the server closed its stdout")
            self.buf += data
            got = True
        return got

    def _parse(self):
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) >= 8 and self.buf[:8].lower() != b"content-":
                    raise ProtocolViolation("stdout holds non-protocol bytes: %r" % self.buf[:80])
                return
            head = self.buf[:end].decode("ascii", "replace")
            length = None
            for line in head.split("\r\n"):
                k, _, v = line.partition(":")
                if k.strip().lower() == "content-length":
                    length = int(v.strip())
                elif k.strip().lower() != "content-type":
                    raise ProtocolViolation("unexpected header line %r" % line)
            if length is None:
                raise ProtocolViolation("a frame without Content-Length: %r" % head)
            if len(self.buf) < end + 4 + length:
                return
            body = self.buf[end + 4:end + 4 + length]
            self.buf = self.buf[end + 4 + length:]
            msg = json.loads(body)
            if not isinstance(msg, dict) or msg.get("jsonrpc") != "2.0":
                raise ProtocolViolation("not a JSON-RPC 2.0 object: %r" % body[:200])
            self.inbox.append(msg)

    def wait_for(self, pred, timeout=30.0, what="a message"):
        """The first message (removed from the inbox) satisfying pred."""
        deadline = time.time() + timeout
        while True:
            for i, m in enumerate(self.inbox):
                if pred(m):
                    return self.inbox.pop(i)
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no %s within %.0f s; inbox: %s; stderr: %s" % (
                    what, timeout, json.dumps(self.inbox)[:1500], self.stderr.decode()[-1500:]))
            self._fill(min(left, 0.5))
            self._parse()

    def drain(self, seconds):
        """Everything that arrives within seconds (the inbox is emptied)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._fill(max(0.0, min(0.2, deadline - time.time())))
            self._parse()
        out, self.inbox = self.inbox, []
        return out

    def settle(self, quiet=0.5, cap=15.0):
        """Everything that arrives until the server has been silent for quiet
        seconds (at most cap in all; the inbox is emptied)."""
        deadline = time.time() + cap
        last = time.time()
        while time.time() < deadline and time.time() - last < quiet:
            before = len(self.inbox)
            self._fill(0.1)
            self._parse()
            if len(self.inbox) != before:
                last = time.time()
        out, self.inbox = self.inbox, []
        return out

    def response(self, rid, timeout=30.0):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout,
                             "response to request %r" % rid)

    def diagnostics(self, uri, version=None, timeout=60.0):
        def match(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri and (version is None or p.get("version") == version)
        return self.wait_for(match, timeout, "diagnostics for %s v%s" % (uri, version))["params"]

    def initialize(self, capabilities=None, options=None, root=None):
        params = {"processId": os.getpid(), "rootUri": root and ("file://" + root),
                  "capabilities": capabilities or {}}
        if options is not None:
            params["initializationOptions"] = options
        rid = self.request("initialize", params)
        r = self.response(rid)
        self.notify("initialized", {})
        return r

    def shutdown_and_exit(self, timeout=20.0):
        rid = self.request("shutdown")
        self.response(rid)
        self.notify("exit")
        return self.wait_exit(timeout)

    def wait_exit(self, timeout=20.0):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        self._parse()
        # the rest of stderr (a sanitizer's report comes at exit)
        os.set_blocking(self.proc.stderr.fileno(), True)
        self.stderr += self.proc.stderr.read()
        if rc != 0:
            sys.stderr.write("server exited %d; its stderr ends:\n%s\n" % (
                rc, self.stderr.decode(errors="replace")[-3000:]))
        return rc


class Checks:
    """ok/FAIL lines; the first failure ends the test (exit 1)."""
    def __init__(self):
        self.n = 0

    def __call__(self, cond, what, detail=""):
        self.n += 1
        if not cond:
            print("FAIL", what, detail)
            sys.exit(1)
        print("ok  ", what)

    def done(self):
        print("%d checks passed" % self.n)


def uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))
