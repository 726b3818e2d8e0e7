#!/usr/bin/env bash
# tools/bench-lsp.py works (its figures are for people; no timing is
# asserted here): on one of sync-lint's own files with the build's database.
source "$(dirname "$0")/lib.bash"
[ -f "$BUILD_DIR/compile_commands.json" ] || { bad "no $BUILD_DIR/compile_commands.json"; exit 1; }
# the benchmark finds the database upwards from the file, as the server does
mkdir -p "$WORK/src"
cp "$SRC_DIR/linter/frontend/frontend.c" "$WORK/src/frontend.c"
python3 - "$BUILD_DIR/compile_commands.json" "$SRC_DIR/linter/frontend/frontend.c" "$WORK/src/frontend.c" \
  > "$WORK/src/compile_commands.json" <<'PY'
import json, os, sys
db, orig, copy = sys.argv[1:]
for e in json.load(open(db)):
    if os.path.normpath(os.path.join(e["directory"], e["file"])) == orig:
        e["file"] = copy
        if "command" in e: e["command"] = e["command"].replace(orig, copy)
        if "arguments" in e: e["arguments"] = [copy if a == orig else a for a in e["arguments"]]
        json.dump([e], sys.stdout)
PY
expect_rc 0 python3 "$SRC_DIR/tools/bench-lsp.py" --sync-lint "$SYNC_LINT" --edits 3 "$WORK/src/frontend.c"
cat "$WORK/out"
has out 'cold parse (clang -fsyntax-only'
has out 'first edit (didChange -> diagnostics, builds the preamble)'
has out 'warm edit (didChange -> diagnostics), median of 3'
has out 'warm/cold = '
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
