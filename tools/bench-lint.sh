#!/usr/bin/env bash
# Usage: tools/bench-lint.sh BUILD_DIR [--reps N] [-j N] [--sync-lint PATH]
# Times sync-lint and clang -fsyntax-only over the same compile database,
# interleaved; the last line is: lint_s=<s> parse_s=<s> ratio=<lint/parse> ...
# (peak RSS: the ru_maxrss high-water mark of child processes so far).
exec python3 "$(dirname "$0")/bench-lint.py" "$@"
