#!/usr/bin/env bash
# --diff-base REV on a throwaway git repository: only findings on lines
# changed since the merge-base of REV and HEAD (commits on the branch,
# staged, unstaged and untracked files), plus whole-program findings with a
# note on a changed line; renames, deletions and files outside the
# repository; the errors (not a repository, unknown revision, unrelated
# histories).
source "$(dirname "$0")/lib.bash"
command -v git >/dev/null || { bad "git is not installed (tools/install-deps.sh installs it)"; finish; exit 1; }
# no global or system git configuration: the test sets what it needs locally
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES="$WORK"
mkdir -p "$HOME"
repo="$WORK/repo"
mkdir -p "$repo/src"
cd "$repo"
git init -q -b main .
git config user.name "sync-lint test"
git config user.email "test@example.invalid"
git config commit.gpgsign false

# wait_fn NAME : a function whose condvar wait is not in a loop (one finding)
wait_fn() {
  cat <<C
void $1(void)
{
    pthread_mutex_lock(&mu);
    if (!ready)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
C
}
prelude() {
  cat <<'C'
#include <pthread.h>
#include <stdbool.h>
extern pthread_mutex_t mu;
extern pthread_cond_t cv;
extern bool ready;
C
}
{ prelude; echo "/* the worker */"; wait_fn old_one; echo "int unrelated = 1;"; } > src/old.c
{ prelude; wait_fn other_one; } > src/other.c
{ prelude; wait_fn dirty_one; echo "void dirty_two(void) { }"; } > src/dirty.c
{ prelude; wait_fn staged_one; echo "int staged_x;"; } > src/staged.c
{ prelude; wait_fn moved_one; echo "int moved_x;"; } > src/ren_old.c
# (unlike the new file added.c, or git would see a rename of it)
{ echo "/* to be deleted */"; for k in $(seq 1 30); do echo "int gone_$k;"; done; } > src/gone.c
cat > src/lo1.c <<'C'
#include <pthread.h>
extern pthread_mutex_t lock_a, lock_b;
void one(void)
{
    pthread_mutex_lock(&lock_a);
    pthread_mutex_unlock(&lock_a);
}
C
cat > src/lo2.c <<'C'
#include <pthread.h>
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER, lock_b = PTHREAD_MUTEX_INITIALIZER;
void two(void)
{
    pthread_mutex_lock(&lock_b);
    pthread_mutex_lock(&lock_a);
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_b);
}
C
git add -A && git commit -qm base

# the branch: a new finding in old.c, an unrelated line touched, a new
# committed file, a rename with one edited line, a deletion, and the other
# half of a lock-order inversion whose finding is reported in lo2.c
git checkout -q -b feature
{ prelude; echo "/* the worker thread */"; wait_fn old_one; echo "int unrelated = 2;"; wait_fn old_new; } > src/old.c
{ prelude; wait_fn added_one; } > src/added.c
git mv src/ren_old.c src/ren_new.c
sed -i 's/^int moved_x;$/int moved_x, moved_y;/' src/ren_new.c
git rm -q src/gone.c
sed -i 's|^    pthread_mutex_lock(&lock_a);$|&\n    pthread_mutex_lock(\&lock_b);\n    pthread_mutex_unlock(\&lock_b);|' src/lo1.c
git add -A && git commit -qm feature

# main moves on after the branch point: its change to other.c's flagged line
# is not the branch's (the merge-base, not main's tip, is the base)
git checkout -q main
sed -i 's|^        pthread_cond_wait(&cv, &mu);$|        pthread_cond_wait(\&cv, \&mu); /* main */|' src/other.c
git commit -qam "main: other.c"
git checkout -q feature

# uncommitted: an unstaged edit adding a finding, a staged one, an untracked file
{ prelude; wait_fn dirty_one; wait_fn dirty_two; } > src/dirty.c
{ prelude; wait_fn staged_one; echo "int staged_x;"; wait_fn staged_two; } > src/staged.c
git add src/staged.c
{ prelude; wait_fn untracked_one; } > src/untracked.c
# a file outside the repository is never "changed"
mkdir -p "$WORK/outside"
{ prelude; wait_fn outside_one; } > "$WORK/outside/out.c"

files=(src/old.c src/other.c src/dirty.c src/staged.c src/ren_new.c src/added.c src/untracked.c
       src/lo1.c src/lo2.c "$WORK/outside/out.c")
checks='--checks=*,experimental-*'
expect_rc 1 "$SYNC_LINT" "$checks" "${files[@]}"
all=$(grep -c ': warning: ' "$WORK/out")
[ "$all" -eq 12 ] && ok "without --diff-base: every finding (12)" || bad "without --diff-base: $all findings"

line_of() { grep -n "$2" "$1" | head -1 | cut -d: -f1; }   # line_of FILE PATTERN
wait_line() { awk -v fn="void $2(void)" '$0 == fn { f = 1 } f && /pthread_cond_wait/ { print NR; exit }' "$1"; }
want=(
  "src/added.c:$(wait_line src/added.c added_one)"
  "src/dirty.c:$(wait_line src/dirty.c dirty_two)"
  "src/lo2.c:6"
  "src/old.c:$(wait_line src/old.c old_new)"
  "src/staged.c:$(wait_line src/staged.c staged_two)"
  "src/untracked.c:$(wait_line src/untracked.c untracked_one)"
)
expect_rc 1 "$SYNC_LINT" "$checks" --diff-base main "${files[@]}"
got=$(grep ': warning: ' "$WORK/out" | cut -d: -f1,2 | sort | tr '\n' ' ')
[ "$got" = "$(printf '%s\n' "${want[@]}" | sort | tr '\n' ' ')" ] && ok "text: exactly the findings on changed lines: $got" \
  || bad "text: got '$got', wanted '${want[*]}'"
has out "src/lo2.c:6:5: warning: 'lock_a' is taken while 'lock_b' is held"
has out "src/lo1.c:6:5: note: the opposite order: then 'lock_b' acquired here"

expect_rc 1 "$SYNC_LINT" "$checks" --diff-base main --format=json -o "$WORK/diff.json" "${files[@]}"
python3 - "$WORK/diff.json" "${want[@]}" <<'PY' && ok "JSON: the same findings, outside_diff counts the rest" || bad "JSON with --diff-base"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted(f"{x['file']}:{x['line']}" for x in d["diagnostics"] if x["rule"] != "sync-lint")
assert got == sorted(sys.argv[2:]), got
assert d["stats"]["outside_diff"] == 6, d["stats"]
PY
expect_rc 1 "$SYNC_LINT" "$checks" --diff-base main --format=sarif -o "$WORK/diff.sarif" "${files[@]}"
python3 -c "
import json; r = json.load(open('$WORK/diff.sarif'))['runs'][0]['results']
assert len(r) == 6, len(r)" && ok "SARIF: six results" || bad "SARIF with --diff-base"

# a revision given as a commit id, and HEAD itself (only uncommitted changes)
expect_rc 1 "$SYNC_LINT" --diff-base "$(git rev-parse main~1)" "${files[@]}"
[ "$(grep -c ': warning: ' "$WORK/out")" -eq 5 ] && ok "a commit id as REV" || bad "commit id: $(cat "$WORK/out")"
expect_rc 1 "$SYNC_LINT" --diff-base HEAD "${files[@]}"
got=$(grep ': warning: ' "$WORK/out" | cut -d: -f1 | sort | tr '\n' ' ')
[ "$got" = "src/dirty.c src/staged.c src/untracked.c " ] && ok "HEAD: uncommitted and untracked changes only" \
  || bad "HEAD: $got"
# nothing changed on the flagged lines: exit 0
git stash -q -u
expect_rc 0 "$SYNC_LINT" --diff-base HEAD src/old.c src/other.c src/dirty.c
git stash pop -q

# from a subdirectory, with paths relative to it
cd src
expect_rc 1 "$SYNC_LINT" --diff-base main old.c other.c
got=$(grep ': warning: ' "$WORK/out" | cut -d: -f1,2 | tr '\n' ' ')
[ "$got" = "old.c:$(wait_line old.c old_new) " ] && ok "from a subdirectory: $got" || bad "subdirectory: $got"
cd ..

# with a compile database whose entries are relative to their own directory
mkdir -p "$WORK/cdb"
cat > "$WORK/cdb/compile_commands.json" <<J
[{"directory": "$repo/src", "file": "old.c", "arguments": ["cc", "-c", "old.c"]},
 {"directory": "$repo/src", "file": "other.c", "arguments": ["cc", "-c", "other.c"]}]
J
expect_rc 1 "$SYNC_LINT" --diff-base main -p "$WORK/cdb"
[ "$(grep -c ': warning: ' "$WORK/out")" -eq 1 ] && has out "old.c:$(wait_line src/old.c old_new):.*warning:" \
  || bad "-p: $(cat "$WORK/out")"

# a path with a space and a quote (git quotes it in the diff header)
{ prelude; echo "int q;"; } > 'src/we ird"name.c'
git add -A && git commit -qm quoted
{ prelude; echo "int q;"; wait_fn quoted_one; } > 'src/we ird"name.c'
expect_rc 1 "$SYNC_LINT" --diff-base HEAD 'src/we ird"name.c'
has out 'src/we ird"name.c:.*warning:'

# with a baseline: baseline first (entries outside the diff still match), then the diff
expect_rc 0 "$SYNC_LINT" --write-baseline "$WORK/base.json" "${files[@]}"
expect_rc 0 "$SYNC_LINT" --baseline "$WORK/base.json" --diff-base main "${files[@]}"
lacks out "warning:"
lacks out "gone"

# errors: exit 2 and the problem named
expect_rc 2 "$SYNC_LINT" --diff-base no-such-branch src/old.c
has err "sync-lint: error: --diff-base: unknown revision 'no-such-branch'"
expect_rc 2 "$SYNC_LINT" --diff-base --all src/old.c
has err "'--all' is not a revision"
git checkout -q --orphan lonely
git commit -qm lonely
expect_rc 2 "$SYNC_LINT" --diff-base main src/old.c
has err "--diff-base: 'main' and HEAD have no common ancestor"
git checkout -q -f feature
mkdir -p "$WORK/norepo"
cp src/old.c "$WORK/norepo/"
cd "$WORK/norepo"
expect_rc 2 "$SYNC_LINT" --diff-base main old.c
has err "sync-lint: error: --diff-base: the current directory is not inside a git repository"
expect_rc 2 "$SYNC_LINT" --diff-base
has err "option '--diff-base' needs a revision"
# git missing from PATH: said, not a crash
expect_rc 2 env PATH=/nonexistent "$SYNC_LINT" --diff-base main old.c
has err "--diff-base needs git: cannot run 'git'"

finish
