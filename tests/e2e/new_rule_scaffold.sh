#!/usr/bin/env bash
# tools/new-rule.sh on a throwaway id in a copy of the tree: the scaffold
# builds, registers in sorted order, and the new rule shows in --list-rules.
set -euo pipefail
: "${SRC_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
(cd "$SRC_DIR" && tar cf - --exclude='./build*' --exclude=./.git .) | (cd "$work/src" && tar xf -)
ln -s "$SRC_DIR/../shared" "$work/shared" 2>/dev/null || true
SL_SCAFFOLD_ROOT="$work/src" "$SRC_DIR/tools/new-rule.sh" zz-throwaway-rule 3
if SL_SCAFFOLD_ROOT="$work/src" "$SRC_DIR/tools/new-rule.sh" zz-throwaway-rule 3 2>/dev/null; then
  echo "a second scaffold of the same id must fail"; exit 1
fi
if SL_SCAFFOLD_ROOT="$work/src" "$SRC_DIR/tools/new-rule.sh" Bad_Id 2>/dev/null; then
  echo "a malformed id must be refused"; exit 1
fi
grep -q '^SL_RULE(zz_throwaway_rule)$' "$work/src/rules/registry.def"
sorted=$(grep '^SL_RULE(' "$work/src/rules/registry.def")
[ "$sorted" = "$(printf '%s\n' "$sorted" | LC_ALL=C sort)" ] || { echo "registry not sorted"; exit 1; }
cmake -S "$work/src" -B "$work/build" -DSL_BUILD_LINTER=ON -DBUILD_TESTING=OFF -DCMAKE_C_FLAGS=-Werror >/dev/null
cmake --build "$work/build" -j2 --target sync-lint >/dev/null
"$work/build/sync-lint" --list-rules | grep -q 'zz-throwaway-rule'
echo "scaffold ok"
