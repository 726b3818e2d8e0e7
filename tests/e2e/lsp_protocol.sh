#!/usr/bin/env bash
# sync-lint --lsp against a scripted client: life cycle, document sync,
# positions, diagnostics, code actions, debounce, reloads, bad input
# (tests/e2e/lsp_protocol.py says what each check is).
set -euo pipefail
: "${SYNC_LINT:?}" "${SRC_DIR:?}"
exec python3 "$SRC_DIR/tests/e2e/lsp_protocol.py"
