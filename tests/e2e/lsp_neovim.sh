#!/usr/bin/env bash
# Debian's Neovim (0.7, its built-in LSP client), headless, against
# sync-lint --lsp: diagnostics with codes and ranges, a code action applied
# by the client, an edit typed into the buffer (tests/e2e/lsp/nvim_test.lua).
source "$(dirname "$0")/lib.bash"
command -v nvim >/dev/null || { bad "nvim is not installed (tools/install-deps.sh installs neovim)"; exit 1; }
cp "$SRC_DIR/testdata/cond-wait-not-in-loop/queue_if_wait.c" "$WORK/queue.c"
set +e
SL_RESULT="$WORK/result" SL_FILE="$WORK/queue.c" HOME="$WORK" XDG_STATE_HOME="$WORK/state" \
  timeout 180 nvim --headless -u NONE -i NONE -n \
  -c "luafile $SRC_DIR/tests/e2e/lsp/nvim_test.lua" >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
cat "$WORK/result" 2>/dev/null || true
if [ "$rc" -eq 0 ] && [ -s "$WORK/result" ] && ! grep -q '^FAIL' "$WORK/result"; then
  ok "neovim: every check passed"
else
  bad "neovim exited $rc"; sed 's/^/    err: /' "$WORK/err" | tail -20
  cat "$WORK"/state/nvim/lsp.log 2>/dev/null | tail -20 || true
fi
n=$(grep -c '^ok' "$WORK/result" 2>/dev/null || true)
[ "${n:-0}" -ge 12 ] && ok "neovim ran all $n checks" || bad "neovim ran only ${n:-0} checks"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
