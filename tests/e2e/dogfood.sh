#!/usr/bin/env bash
# Dogfood: sync-lint lints every file of its own build (linter, rules,
# runtime sources, runtime tests and benchmarks, unit tests) with zero
# findings, using the build's own compile database.
set -euo pipefail
: "${SYNC_LINT:?}" "${SRC_DIR:?}" "${BUILD_DIR:?}"
db="$BUILD_DIR/compile_commands.json"
[ -s "$db" ] || { echo "no compile database at $db"; exit 1; }
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$db")
# the database must cover the linter, the rules and the runtime
for part in /linter/ /rules/ /runtime/src/; do
  grep -q "\"file\": *\"[^\"]*$part" "$db" || { echo "compile database has no $part files"; exit 1; }
done
set +e
out=$("$SYNC_LINT" -p "$BUILD_DIR" -j 2 2>&1)
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "sync-lint on its own $n files exited $rc:"
  echo "$out"
  exit 1
fi
echo "dogfood: $n files, no findings"
