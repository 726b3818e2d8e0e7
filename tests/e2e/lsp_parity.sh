#!/usr/bin/env bash
# sync-lint --lsp reports what the command line reports, file by file, on
# every rule's testdata (tests/e2e/lsp_parity.py).
set -euo pipefail
: "${SYNC_LINT:?}" "${SRC_DIR:?}"
exec python3 "$SRC_DIR/tests/e2e/lsp_parity.py"
