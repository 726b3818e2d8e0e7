#!/usr/bin/env bash
# Dogfood: sync-lint lints its own sources and runtime with zero findings,
# using the build's own compile database.
set -euo pipefail
: "${SYNC_LINT:?}" "${SRC_DIR:?}" "${BUILD_DIR:?}"
cd "$SRC_DIR"
mapfile -t srcs < <(ls linter/*/*.c rules/*.c runtime/src/*.c 2>/dev/null)
if [ "${#srcs[@]}" -eq 0 ]; then echo "no sources found"; exit 1; fi
set +e
out=$("$SYNC_LINT" -p "$BUILD_DIR" -j 2 "${srcs[@]}" 2>&1)
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "sync-lint on its own ${#srcs[@]} sources exited $rc:"
  echo "$out"
  exit 1
fi
echo "dogfood: ${#srcs[@]} files, no findings"
