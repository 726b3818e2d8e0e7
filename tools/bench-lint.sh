#!/usr/bin/env bash
# Usage: tools/bench-lint.sh BUILD_DIR [--reps N] [-j N] [--sync-lint PATH]
# Times sync-lint and clang -fsyntax-only over the same compile database,
# interleaved; the last line is: lint_s=<s> parse_s=<s> ratio=<lint/parse> ...
# (peak RSS: the ru_maxrss high-water mark of child processes so far).
#
#        tools/bench-lint.sh --generated [--sizes 1000,5000,20000] [--reps 3]
#                            [--shapes a,b] [--timeout 300] [--slow 60] [--keep DIR] [--sync-lint PATH]
# Times sync-lint -j 1 against clang -fsyntax-only on units from tools/gen-tu.py,
# one line per case: shape=<s> n=<n> lint_s= parse_s= ratio= lint_per_unit_us=
# then shape=<s> growth=<per-unit cost largest/smallest size> (~1.0 is linear).
exec python3 "$(dirname "$0")/bench-lint.py" "$@"
