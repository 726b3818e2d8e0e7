#!/usr/bin/env bash
# pr-check.sh - what the pull-request workflow runs, as one script a test can
# run too: lint the change, write SARIF for code scanning and the review
# checklist for a PR comment, and fail on findings the baseline does not
# know.
#
#   SYNC_LINT=path/to/sync-lint BASE=origin/main DB=build tools/ci/pr-check.sh
#
# BASE  the revision the change is compared with (--diff-base)
# DB    the directory holding compile_commands.json (-p)
# OUT   where to write sync-lint.sarif and checklist.md (default: .)
# BASELINE  baseline file if it exists (default: .sync-lint-baseline.json)
# Exit: 0 no new finding, 1 new findings, 2 a usage or tool error.
set -uo pipefail
SYNC_LINT=${SYNC_LINT:-sync-lint}
BASE=${BASE:?set BASE to the revision to compare with, e.g. origin/main}
DB=${DB:-build}
OUT=${OUT:-.}
BASELINE=${BASELINE:-.sync-lint-baseline.json}
mkdir -p "$OUT"
args=(-q -p "$DB" --diff-base "$BASE")
[ -f "$BASELINE" ] && args+=(--baseline "$BASELINE")

# 1. SARIF for code scanning: every finding on changed lines (the baseline
#    does not hide old debt from the code-scanning view; it only decides the
#    exit code below).
"$SYNC_LINT" -q -p "$DB" --diff-base "$BASE" --format=sarif --sarif-category "sync-lint/pr" \
  -o "$OUT/sync-lint.sarif"
rc=$?
[ "$rc" -ge 2 ] && { echo "pr-check: sync-lint failed (exit $rc)" >&2; exit 2; }

# 2. The review checklist, for a pull-request comment.
"$SYNC_LINT" -q -p "$DB" --diff-base "$BASE" --format=checklist -o "$OUT/checklist.md"
rc=$?
[ "$rc" -ge 2 ] && { echo "pr-check: sync-lint failed (exit $rc)" >&2; exit 2; }

# 3. The verdict: new findings against the baseline, in compiler style for the log.
"$SYNC_LINT" "${args[@]}"
rc=$?
case $rc in
  0) echo "pr-check: no new findings" ;;
  1) echo "pr-check: new findings (see above); fix them, suppress them with a reason, or" \
          "add them to $BASELINE with --write-baseline" ;;
  *) echo "pr-check: sync-lint failed (exit $rc)" >&2 ;;
esac
exit "$rc"
