#!/usr/bin/env bash
# sync-lint --lsp --clangd in front of Debian's clangd-19: a scripted client
# (forwarding with ids untouched, merged diagnostics and code actions,
# clangd's death; tests/e2e/lsp_proxy.py), then Emacs with eglot, which runs
# one server per mode, showing a clangd error and a sync-lint finding
# together (tests/e2e/lsp/eglot_test.el).
source "$(dirname "$0")/lib.bash"
clangd=$(command -v clangd-19 || command -v clangd || true)
[ -n "$clangd" ] || { bad "clangd is not installed (tools/install-deps.sh installs clangd-19)"; exit 1; }
if SL_CLANGD="$clangd" timeout 300 python3 "$SRC_DIR/tests/e2e/lsp_proxy.py" >"$WORK/out" 2>&1; then
  ok "scripted client through the proxy ($(tail -1 "$WORK/out"))"
else
  bad "scripted client through the proxy"; tail -25 "$WORK/out"
fi

command -v emacs >/dev/null || { bad "emacs is not installed (tools/install-deps.sh installs emacs-nox)"; exit 1; }
[ -d /usr/share/emacs/site-lisp/elpa ] && ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null 2>&1 ||
  { bad "eglot is not installed (tools/install-deps.sh installs elpa-eglot)"; exit 1; }
mkdir -p "$WORK/proj" && git -C "$WORK/proj" init -q
cp "$SRC_DIR/tests/e2e/lsp/clangd_error_and_finding.c" "$WORK/proj/t.c"
set +e
SL_CLANGD="$clangd" SL_FILE="$WORK/proj/t.c" HOME="$WORK" timeout 180 \
  emacs -Q --batch -l "$SRC_DIR/tests/e2e/lsp/eglot_test.el" >"$WORK/emacs" 2>&1
rc=$?
set -e
grep '^DIAG' "$WORK/emacs" | sed 's/^/    /' || true
if [ "$rc" -eq 0 ]; then ok "eglot shows clangd's error and sync-lint's finding together"
else bad "eglot exited $rc"; tail -20 "$WORK/emacs"; fi
if grep -q '^DIAG 12: .*cond-wait-not-in-loop' "$WORK/emacs"; then ok "sync-lint's finding on line 12"
else bad "no sync-lint finding on line 12"; fi
if grep -q '^DIAG 16: .*undeclared' "$WORK/emacs"; then ok "clangd's error on line 16"
else bad "no clangd error on line 16"; fi
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
