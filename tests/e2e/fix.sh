#!/usr/bin/env bash
# --fix, --fix-dry-run, --fix-suppress on copies of testdata and fixtures:
# the dry-run diff applies with patch -p1 and git apply --check and equals
# what --fix writes; fixed files parse (clang-19 -fsyntax-only) and no
# longer give the fixed findings; suppressions suppress; overlapping fixes
# are applied once; a file changed between analysis and write is refused;
# a read-only directory is an error naming the file; the file mode is kept;
# CRLF files stay CRLF; SARIF with a two-edit fix passes the validator.
source "$(dirname "$0")/lib.bash"
RT="$SRC_DIR/runtime/include"
CLANG=$(command -v clang-19 || command -v clang)
count() { grep -c "warning: .*\[$1\]" "$2" || true; }
parses() { if "$CLANG" -fsyntax-only -pthread -I"$RT" "$@" 2>"$WORK/cc.err"; then ok "parses: $*"; else bad "does not parse: $*"; head -5 "$WORK/cc.err"; fi; }

# ---- dry run, then fix: testdata of the two rules with fixes ----
mkdir -p "$WORK/t/a" && cd "$WORK/t/a"
cp "$SRC_DIR/testdata/cond-wait-not-in-loop/queue_if_wait.c" "$SRC_DIR/testdata/cond-wait-not-in-loop/service_loops.c" \
   "$SRC_DIR/testdata/false-sharing-atomics/struct_atomics.c" "$SRC_DIR/testdata/false-sharing-atomics/nested_unions_bitfields.c" \
   "$SRC_DIR/examples/stats_server.c" .
FILES="queue_if_wait.c service_loops.c struct_atomics.c nested_unions_bitfields.c stats_server.c"
cp -r . ../pristine
"$SYNC_LINT" $FILES >"$WORK/before.txt" 2>&1 || true
expect_rc 1 "$SYNC_LINT" --fix-dry-run $FILES
cp "$WORK/out" "$WORK/fix.diff"
has err "would fix 12 findings in 5 files"
has err "warning: .*\[cond-wait-not-in-loop\]"   # the report goes to stderr
if cmp -s . ../pristine 2>/dev/null || diff -r . ../pristine >/dev/null; then ok "dry run changed nothing"; else bad "dry run changed files"; fi
if grep -q '^--- a/queue_if_wait.c$' "$WORK/fix.diff" && grep -q '^+++ b/stats_server.c$' "$WORK/fix.diff" &&
   ! grep -qv '^\(--- a/\|+++ b/\|@@ \|[-+ ]\)' "$WORK/fix.diff"; then ok "stdout is a unified diff alone"; else bad "diff shape"; head -20 "$WORK/fix.diff"; fi
if git apply --check "$WORK/fix.diff" 2>"$WORK/ga.err"; then ok "git apply --check accepts the diff"; else bad "git apply --check"; cat "$WORK/ga.err"; fi
"$SYNC_LINT" --fix-dry-run "$PWD/stats_server.c" >"$WORK/abs.diff" 2>/dev/null || true
head -1 "$WORK/abs.diff" | grep -qx -- '--- a/stats_server.c' && ok "absolute path under the cwd: diff names it relative" || bad "absolute path in the diff"
mkdir ../patched && cp -r ../pristine/. ../patched/
if (cd ../patched && patch -p1 -s <"$WORK/fix.diff"); then ok "patch -p1 applies the diff"; else bad "patch -p1"; fi
chmod 0640 struct_atomics.c
expect_rc 1 "$SYNC_LINT" --fix $FILES
has err "fixed 12 findings in 5 files"
if diff -r . ../patched >/dev/null; then ok "--fix wrote what the dry run showed"; else bad "--fix differs from the diff"; diff -r . ../patched | head; fi
[ "$(stat -c %a struct_atomics.c)" = 640 ] && ok "file mode kept" || bad "mode now $(stat -c %a struct_atomics.c)"
ls -a | grep -q 'sync-lint-' && bad "temporary file left behind" || ok "no temporary file left"
for f in $FILES; do parses "$f"; done
"$SYNC_LINT" $FILES >"$WORK/after.txt" 2>&1 || true
b=$(count cond-wait-not-in-loop "$WORK/before.txt"); a=$(count cond-wait-not-in-loop "$WORK/after.txt")
[ "$b" -eq 7 ] && [ "$a" -eq 1 ] && ok "cond-wait findings $b -> $a (the one left has no 'if')" || bad "cond-wait findings $b -> $a"
b=$(count false-sharing-atomics "$WORK/before.txt"); a=$(count false-sharing-atomics "$WORK/after.txt")
[ "$b" -eq 6 ] && [ "$a" -eq 0 ] && ok "false-sharing findings $b -> $a" || bad "false-sharing findings $b -> $a"
grep -q 'while (q->len == 0)' queue_if_wait.c && ok "if became while" || bad "no while in queue_if_wait.c"
grep -q '_Alignas(64) atomic_long bytes;' struct_atomics.c && ok "C11 padding in a file without the runtime" || bad "no _Alignas"
expect_rc 1 "$SYNC_LINT" --fix $FILES
has err "fixed 0 findings in 0 files"

# ---- which fixes are offered: cond-wait only where while is right; padding only where safe ----
mkdir -p "$WORK/t/b" && cd "$WORK/t/b"
cat > waits.c <<'C'
#include <pthread.h>
#include <stdbool.h>
#include <time.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool ready;
static int tickets;
void plain(void) { pthread_mutex_lock(&mu); if (!ready) pthread_cond_wait(&cv, &mu); pthread_mutex_unlock(&mu); }
void timed(const struct timespec *ts) { pthread_mutex_lock(&mu); if (!ready) pthread_cond_timedwait(&cv, &mu, ts); pthread_mutex_unlock(&mu); }
void effect(void) { pthread_mutex_lock(&mu); if (tickets-- == 0) pthread_cond_wait(&cv, &mu); pthread_mutex_unlock(&mu); }
#define WAIT_IF(c) if (c) pthread_cond_wait(&cv, &mu)
void macro(void) { pthread_mutex_lock(&mu); WAIT_IF(!ready); pthread_mutex_unlock(&mu); }
C
cat > shapes.c <<'C'
#include <pthread.h>
#include <stdatomic.h>
#define FIELD(n) atomic_long n
struct multi { atomic_int a, b; };
struct paren { _Atomic(int) x; _Atomic(int) y; };
struct qual { volatile _Atomic int r; const volatile _Atomic long w; };
struct mac { FIELD(p); FIELD(q); };
static struct multi M; static struct paren P; static struct qual Q; static struct mac MC;
void *t1(void *x) { for (;;) { atomic_fetch_add(&M.a, 1); atomic_fetch_add(&P.x, 1); atomic_fetch_add(&Q.r, 1); atomic_fetch_add(&MC.p, 1); } return x; }
void *t2(void *x) { for (;;) { atomic_fetch_add(&M.b, 1); atomic_fetch_add(&P.y, 1); atomic_fetch_add((_Atomic long *)&Q.w, 1); atomic_fetch_add(&MC.q, 1); } return x; }
C
expect_rc 1 "$SYNC_LINT" --format=json waits.c shapes.c
python3 - "$WORK/out" <<'PY' && ok "fixes offered exactly where mechanically safe" || bad "fix offers"
import json, sys
d = json.load(open(sys.argv[1]))["diagnostics"]
fix = {(x["file"], x["line"]): x["fix"] for x in d}
assert fix[("waits.c", 8)]["edits"] == [{"file": "waits.c", "line": 8, "column": 45, "end_line": 8, "end_column": 47, "replacement": "while"}], fix[("waits.c", 8)]
for line in (9, 10):          # timed wait (a while would spin past the deadline); side effect in the test
    assert ("waits.c", line) in fix and fix[("waits.c", line)] is None, (line, fix.get(("waits.c", line)))
assert fix.get(("waits.c", 12)) is None   # the if is written by a macro
assert fix[("shapes.c", 4)] is None       # atomic_int a, b;
assert fix[("shapes.c", 7)] is None       # fields written by a macro
assert fix[("shapes.c", 5)]["edits"][0]["replacement"] == "_Alignas(64) "
assert fix[("shapes.c", 6)]["edits"][0]["column"] == 39   # before 'const volatile _Atomic long w'
PY
expect_rc 1 "$SYNC_LINT" --fix shapes.c
parses shapes.c
expect_rc 1 "$SYNC_LINT" --format=json shapes.c
python3 -c "
import json,sys; d=json.load(open('$WORK/out'))['diagnostics']
assert sorted(x['line'] for x in d if x['rule']=='false-sharing-atomics') == [4, 7], d" && ok "the padded structs are clean, the declined ones still reported" || bad "after padding shapes.c"

# a macro naming the type is text a specifier can go before
cat > mt.c <<'C'
#include <pthread.h>
#include <stdatomic.h>
#define HOT_COUNTER atomic_long
#define ATOMIC(t) _Atomic(t)
struct s { HOT_COUNTER a; HOT_COUNTER b; ATOMIC(int) c; };
static struct s S;
void *t1(void *x) { for (;;) atomic_fetch_add(&S.a, 1); return x; }
void *t2(void *x) { for (;;) atomic_fetch_add(&S.b, 1); return x; }
void *t3(void *x) { for (;;) atomic_fetch_add(&S.c, 1); return x; }
C
expect_rc 0 "$SYNC_LINT" --fix mt.c
grep -q 'struct s { HOT_COUNTER a; _Alignas(64) HOT_COUNTER b; _Alignas(64) ATOMIC(int) c; };' mt.c && ok "padding before type macros" || { bad "type macros"; grep 'struct s' mt.c; }
parses mt.c

# ---- the runtime's padding, and its include added once ----
cat > rt.c <<'C'
#include <pthread.h>
#include <stdatomic.h>
#include <synclint/counter.h>
#include <synclint/event.h>

struct st { atomic_long a; atomic_long b; atomic_long c; };
static struct st S;
void *t1(void *x) { for (;;) atomic_fetch_add(&S.a, 1); return x; }
void *t2(void *x) { for (;;) atomic_fetch_add(&S.b, 1); return x; }
void *t3(void *x) { for (;;) atomic_fetch_add(&S.c, 1); return x; }
C
expect_rc 1 "$SYNC_LINT" --format=sarif -o "$WORK/fixes.sarif" rt.c -- -I"$RT"
python3 - "$WORK/fixes.sarif" <<'PY' && ok "SARIF: one fix, three replacements in one artifact" || bad "SARIF fix shape"
import json, sys
r = [r for r in json.load(open(sys.argv[1]))["runs"][0]["results"] if r["ruleId"] == "false-sharing-atomics"][0]
ch = r["fixes"][0]["artifactChanges"]
assert len(ch) == 1 and ch[0]["artifactLocation"]["uri"] == "rt.c", ch
reps = ch[0]["replacements"]
assert [x["insertedContent"]["text"] for x in reps] == ["#include <synclint/pad.h>\n", "SL_ALIGNED_LINE ", "SL_ALIGNED_LINE "], reps
assert reps[0]["deletedRegion"] == {"startLine": 5, "startColumn": 1, "endLine": 5, "endColumn": 1}, reps[0]
PY
expect_rc 0 "$SYNC_LINT" --fix rt.c -- -I"$RT"
has err "fixed 1 finding in 1 file"
[ "$(grep -c 'synclint/pad.h' rt.c)" = 1 ] && grep -q 'SL_ALIGNED_LINE atomic_long b; SL_ALIGNED_LINE atomic_long c;' rt.c && ok "SL_ALIGNED_LINE and one include" || bad "runtime padding"; 
parses rt.c

# ---- suppressions ----
mkdir -p "$WORK/t/c" && cd "$WORK/t/c"
cp "$SRC_DIR/testdata/cond-wait-not-in-loop/service_loops.c" "$SRC_DIR/examples/stats_server.c" .
printf '#include <pthread.h>\r\n#include <stdbool.h>\r\nstatic pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;\r\nstatic pthread_cond_t cv = PTHREAD_COND_INITIALIZER;\r\nstatic bool ready;\r\nvoid w(void)\r\n{\r\n\tpthread_mutex_lock(&mu);\r\n\tif (!ready)\r\n\t\tpthread_cond_wait(&cv, &mu);\r\n\tpthread_mutex_unlock(&mu);\r\n}\r\n' > crlf.c
cp crlf.c crlf.orig
expect_rc 1 "$SYNC_LINT" --fix-suppress='cond-*' --fix-dry-run service_loops.c stats_server.c crlf.c
cp "$WORK/out" "$WORK/supp.diff"
has err "would suppress 6 findings in 3 files"
if git apply --check "$WORK/supp.diff" 2>"$WORK/ga.err"; then ok "suppression diff applies"; else bad "git apply --check (suppressions)"; cat "$WORK/ga.err"; fi
expect_rc 1 "$SYNC_LINT" --fix-suppress='cond-*' service_loops.c stats_server.c crlf.c
has err "suppressed 6 findings in 3 files"
"$SYNC_LINT" service_loops.c stats_server.c crlf.c >"$WORK/supp_after.txt" 2>&1 || true
[ "$(count cond-wait-not-in-loop "$WORK/supp_after.txt")" = 0 ] && ! grep -q 'matches no finding' "$WORK/supp_after.txt" && ok "every cond-wait finding suppressed, no stale suppression" || bad "suppressions"
[ "$(count mutex-guarded-counter "$WORK/supp_after.txt")" = 2 ] && ok "other rules untouched" || bad "other rules changed"
grep -q $'^\t\t// sync-lint: ignore\\[cond-wait-not-in-loop\\] existing finding, suppressed by sync-lint --fix-suppress\r$' crlf.c && ok "CRLF line and tab indentation kept" || { bad "CRLF suppression"; cat -A crlf.c | sed -n 9,12p; }
[ "$(grep -c $'\r$' crlf.c)" = "$(wc -l < crlf.c)" ] && ok "every line still CRLF" || bad "mixed line endings"
# a second rule on a suppressed line joins the list
expect_rc 1 "$SYNC_LINT" --fix-suppress=false-sharing-atomics --fix-suppress=mutex-guarded-counter stats_server.c
"$SYNC_LINT" stats_server.c >"$WORK/s2.txt" 2>&1 || true
[ "$(grep -c 'warning:' "$WORK/s2.txt")" = 2 ] && ok "two more rules suppressed" || { bad "second suppression"; cat "$WORK/s2.txt"; }
expect_rc 2 "$SYNC_LINT" --fix-suppress=no-such-rule stats_server.c
has err "'no-such-rule' matches no rule"
parses crlf.c service_loops.c stats_server.c

# ---- suppress and fix together: the suppressed rule is not fixed ----
mkdir -p "$WORK/t/d" && cd "$WORK/t/d"
cp "$SRC_DIR/examples/stats_server.c" .
expect_rc 1 "$SYNC_LINT" --fix --fix-suppress=false-sharing-atomics stats_server.c
has err "fixed 1 finding, suppressed 1 finding in 1 file"
grep -q 'while (q.len == 0' stats_server.c && grep -q 'ignore\[false-sharing-atomics\]' stats_server.c && ! grep -q _Alignas stats_server.c && ok "fix and suppression in one write" || bad "fix + suppress"

# ---- only the findings reported are fixed: a baseline hides one ----
mkdir -p "$WORK/t/bl" && cd "$WORK/t/bl"
cp "$SRC_DIR/examples/stats_server.c" .
"$SYNC_LINT" --checks=false-sharing-atomics --write-baseline base.json stats_server.c >/dev/null 2>&1 || true
expect_rc 1 "$SYNC_LINT" --baseline base.json --fix stats_server.c
has err "fixed 1 finding in 1 file"
grep -q 'while (q.len == 0' stats_server.c && ! grep -q _Alignas stats_server.c && ok "the baselined finding is not fixed" || bad "baseline and --fix"

# ---- several files in one run, then nothing left: an empty diff ----
# (overlapping edits within one file: unit test test_fixes)
mkdir -p "$WORK/t/e" && cd "$WORK/t/e"
cat > two.c <<'C'
#include <pthread.h>
#include <stdbool.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool ready;
void w(void) { pthread_mutex_lock(&mu); if (!ready) pthread_cond_wait(&cv, &mu); pthread_mutex_unlock(&mu); }
C
cp two.c again.c
expect_rc 0 "$SYNC_LINT" --fix two.c again.c
has err "fixed 2 findings in 2 files"
[ "$(grep -c 'while' two.c)" = 1 ] && [ "$(grep -c 'while' again.c)" = 1 ] && ok "one edit per place" || bad "edits"
parses two.c again.c
expect_rc 0 "$SYNC_LINT" --fix-dry-run two.c again.c
[ ! -s "$WORK/out" ] && ok "nothing left to fix: empty diff" || bad "diff after fixing"

# ---- a file that does not parse cleanly is not fixed; CRLF lines inserted by a fix ----
mkdir -p "$WORK/t/g" && cd "$WORK/t/g"
{ cat "$WORK/t/e/again.c" | sed 's/while/if/'; echo 'int oops = no_such_thing;'; } > broken.c
cp broken.c broken.orig
expect_rc 2 "$SYNC_LINT" --fix broken.c
has err "'broken.c' not fixed: it could not be parsed cleanly"
cmp -s broken.c broken.orig && ok "unparsable file untouched" || bad "unparsable file was fixed"
printf '#include <pthread.h>\r\n#include <stdatomic.h>\r\n#include <synclint/event.h>\r\nstruct st { atomic_long a; atomic_long b; };\r\nstatic struct st S;\r\nvoid *t1(void *x) { for (;;) atomic_fetch_add(&S.a, 1); return x; }\r\nvoid *t2(void *x) { for (;;) atomic_fetch_add(&S.b, 1); return x; }\r\n' > crlf_rt.c
expect_rc 0 "$SYNC_LINT" --fix crlf_rt.c -- -I"$RT"
grep -q $'^#include <synclint/pad.h>\r$' crlf_rt.c && [ "$(grep -c $'\r$' crlf_rt.c)" = "$(wc -l < crlf_rt.c)" ] && ok "inserted include ends in CRLF like the file" || { bad "CRLF include"; cat -A crlf_rt.c; }
parses crlf_rt.c

# ---- changed between analysis and write: refused, nothing written ----
mkdir -p "$WORK/t/f" && cd "$WORK/t/f"
cp "$SRC_DIR/examples/stats_server.c" a.c && cp "$SRC_DIR/testdata/cond-wait-not-in-loop/queue_if_wait.c" b.c
SL_TEST_FIX_BEFORE_WRITE='case "$SL_FIX_FILE" in a.c) echo "/* edited meanwhile */" >> a.c;; esac' \
  expect_rc 2 "$SYNC_LINT" --fix a.c b.c
has err "sync-lint: error: cannot fix 'a.c': the file changed since it was analysed"
tail -1 a.c | grep -q 'edited meanwhile' && ! grep -q _Alignas a.c && ok "changed file left as the user has it" || bad "changed file was written"
grep -q 'while (q->len == 0)' b.c && ok "the other file still fixed" || bad "other file not fixed"

# ---- a symlink: its target is rewritten, the link stays a link ----
mkdir -p "$WORK/t/s/real" && cd "$WORK/t/s"
cp "$SRC_DIR/testdata/cond-wait-not-in-loop/queue_if_wait.c" real/q.c
ln -s real/q.c link.c
expect_rc 0 "$SYNC_LINT" --fix link.c
[ -L link.c ] && grep -q 'while (q->len == 0)' real/q.c && [ "$(ls -A real)" = q.c ] && ok "symlink kept, target fixed, no temporary left" || { bad "symlink"; ls -la . real; }

# ---- a read-only directory: an error naming the file, nothing changed ----
# (as root the mode is no obstacle: then run sync-lint as nobody)
RO=$(mktemp -d /tmp/sl-fix-ro.XXXXXX)
trap 'chmod -R u+w "$RO" 2>/dev/null; rm -rf "$RO" "$WORK"' EXIT
chmod 755 "$RO"
cp "$SRC_DIR/examples/stats_server.c" "$RO/"
chmod 644 "$RO/stats_server.c"
cp "$RO/stats_server.c" "$WORK/ro.orig"
chmod 555 "$RO"
cd "$RO"
AS=()
if [ "$(id -u)" = 0 ]; then AS=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
expect_rc 2 "${AS[@]}" "$SYNC_LINT" --fix stats_server.c
has err "sync-lint: error: cannot write 'stats_server.c': Permission denied; nothing changed in it"
cmp -s stats_server.c "$WORK/ro.orig" && ok "read-only: file unchanged" || bad "read-only: file changed"
cd "$WORK"
finish
