#!/usr/bin/env bash
# CLI contract: exit codes, help/version/list/explain, bad options, -o, -j
# determinism, suppressions, --checks, wrappers.
source "$(dirname "$0")/lib.bash"
write_bad_c "$WORK/bad.c"
# the same wait in the loop it needs: no finding
sed 's/    if (!ready)/    while (!ready)/' "$WORK/bad.c" > "$WORK/good.c"
expect_rc 0 "$SYNC_LINT" --help; has out "usage: sync-lint"
expect_rc 0 "$SYNC_LINT" --version; has out "sync-lint "
expect_rc 0 "$SYNC_LINT" --list-rules
for id in cond-wait-not-in-loop mutex-guarded-counter lock-held-across-blocking-call false-sharing-atomics semaphore-as-mutex; do
  has out "$id"
  expect_rc 0 "$SYNC_LINT" --explain "$id"
  for section in "What it finds" "Why it costs" "Example" "Before:" "After:" "Use instead" "When not" "Suppress"; do has out "$section"; done
  expect_rc 0 "$SYNC_LINT" --list-rules
done
expect_rc 2 "$SYNC_LINT" --explain no-such-rule; has err "unknown rule 'no-such-rule'"
expect_rc 2 "$SYNC_LINT" --no-such-option; has err "unknown option '--no-such-option'"
expect_rc 2 "$SYNC_LINT" --format=xml "$WORK/bad.c"; has err "unknown format 'xml'"
expect_rc 2 "$SYNC_LINT" -j 0 "$WORK/bad.c"; has err "-j"
expect_rc 2 "$SYNC_LINT" --checks=nothing-matches "$WORK/bad.c"; has err "matches no rule"
expect_rc 2 "$SYNC_LINT" --wrapper=foo:frobnicate "$WORK/bad.c"; has err "unknown operation 'frobnicate'"
expect_rc 2 "$SYNC_LINT"; has err "no input files"

expect_rc 1 "$SYNC_LINT" "$WORK/bad.c"
has out "bad.c:10:9: warning: .*\[cond-wait-not-in-loop\]"
has out "bad.c:8:5: note: 'mu' acquired here"
expect_rc 0 "$SYNC_LINT" "$WORK/good.c"
[ ! -s "$WORK/out" ] && ok "clean file prints nothing" || bad "clean file printed output"
expect_rc 0 "$SYNC_LINT" --checks=-cond-wait-not-in-loop "$WORK/bad.c"
expect_rc 1 "$SYNC_LINT" --checks=tier1 "$WORK/bad.c"
expect_rc 1 "$SYNC_LINT" --checks='cond-*' "$WORK/bad.c"
expect_rc 1 "$SYNC_LINT" -o "$WORK/report.txt" "$WORK/bad.c"
[ ! -s "$WORK/out" ] && grep -q "cond-wait-not-in-loop" "$WORK/report.txt" && ok "-o writes the report to the file" || bad "-o"
expect_rc 2 "$SYNC_LINT" -o /nonexistent/dir/x.txt "$WORK/bad.c"; has err "cannot write '/nonexistent/dir/x.txt'"

# -j does not change the output
for i in $(seq 1 12); do cp "$WORK/bad.c" "$WORK/m$i.c"; cp "$WORK/good.c" "$WORK/n$i.c"; done
"$SYNC_LINT" -j 1 "$WORK"/m*.c "$WORK"/n*.c > "$WORK/j1" || true
"$SYNC_LINT" -j 4 "$WORK"/m*.c "$WORK"/n*.c > "$WORK/j4" || true
if cmp -s "$WORK/j1" "$WORK/j4" && [ "$(grep -c warning "$WORK/j1")" -eq 12 ]; then ok "-j1 and -j4 identical"; else bad "-j changes output"; fi

# suppressions: same line, line before, NOLINT, file-wide, unused, unknown
sed 's|pthread_cond_wait(&cv, &mu);|pthread_cond_wait(\&cv, \&mu); // sync-lint: ignore[cond-wait-not-in-loop] waits once by design|' "$WORK/bad.c" > "$WORK/s1.c"
expect_rc 0 "$SYNC_LINT" "$WORK/s1.c"
sed 's|        pthread_cond_wait(&cv, &mu);|        // sync-lint: ignore[cond-wait-not-in-loop] reason\n        pthread_cond_wait(\&cv, \&mu);|' "$WORK/bad.c" > "$WORK/s2.c"
expect_rc 0 "$SYNC_LINT" "$WORK/s2.c"
sed 's|pthread_cond_wait(&cv, &mu);|pthread_cond_wait(\&cv, \&mu); // NOLINT(sync-lint-cond-wait-not-in-loop)|' "$WORK/bad.c" > "$WORK/s3.c"
expect_rc 0 "$SYNC_LINT" "$WORK/s3.c"
{ echo "// sync-lint: ignore-file[cond-wait-not-in-loop]"; cat "$WORK/bad.c"; } > "$WORK/s4.c"
expect_rc 0 "$SYNC_LINT" "$WORK/s4.c"
{ echo "// sync-lint: ignore-file[cond-wait-not-in-loop]"; cat "$WORK/good.c"; } > "$WORK/s5.c"
expect_rc 1 "$SYNC_LINT" "$WORK/s5.c"; has out "matches no finding"
{ echo "// sync-lint: ignore-file[no-such-rule]"; cat "$WORK/good.c"; } > "$WORK/s6.c"
expect_rc 1 "$SYNC_LINT" "$WORK/s6.c"; has out "unknown rule 'no-such-rule'"
{ echo 'const char *s = "// sync-lint: ignore[cond-wait-not-in-loop]";'; cat "$WORK/bad.c"; } > "$WORK/s7.c"
expect_rc 1 "$SYNC_LINT" "$WORK/s7.c"; lacks out "matches no finding"

# a trailing suppression covers its own line only; alone on a line, the next
awk 'NR==9 {print $0 " // sync-lint: ignore[cond-wait-not-in-loop]"; next} {print}' "$WORK/bad.c" > "$WORK/s8.c"
expect_rc 1 "$SYNC_LINT" "$WORK/s8.c"; has out "s8.c:10:9: warning: .*cond-wait-not-in-loop"
sed 's|        pthread_cond_wait(&cv, &mu);|        /* sync-lint: ignore[cond-*] waits once */\n        pthread_cond_wait(\&cv, \&mu);|' "$WORK/bad.c" > "$WORK/s9.c"
expect_rc 0 "$SYNC_LINT" "$WORK/s9.c"
sed 's|        pthread_cond_wait(&cv, &mu);|        // NOLINTNEXTLINE(bugprone-foo, sync-lint-cond-wait-not-in-loop)\n        pthread_cond_wait(\&cv, \&mu);|' "$WORK/bad.c" > "$WORK/s10.c"
expect_rc 0 "$SYNC_LINT" "$WORK/s10.c"
# unused suppressions of a rule --checks turned off are not reported
expect_rc 0 "$SYNC_LINT" --checks=-cond-wait-not-in-loop "$WORK/s5.c"; lacks out "matches no finding"
# other tools' NOLINT comments are left alone
sed 's|pthread_cond_wait(&cv, &mu);|pthread_cond_wait(\&cv, \&mu); // NOLINT(bugprone-spuriously-wake-up-functions)|' "$WORK/good.c" > "$WORK/s11.c"
expect_rc 0 "$SYNC_LINT" "$WORK/s11.c"
expect_rc 2 "$SYNC_LINT" --checks=-* "$WORK/bad.c"; has err "enables no rule"
expect_rc 2 "$SYNC_LINT" --checks='cond wait' "$WORK/bad.c"; has err "not a rule id"
expect_rc 0 "$SYNC_LINT" --list-rules --format=json
python3 -c "
import json,sys; d=json.load(open('$WORK/out'))
ids=[r['id'] for r in d['rules']]
assert ids==sorted(ids) and 'cond-wait-not-in-loop' in ids
assert all(r['tier'] in (1,2,3) and r['summary'] and r['what'] for r in d['rules'])" && ok "--list-rules --format=json" || bad "--list-rules --format=json"
# the option spellings of -p and -o
mkdir -p "$WORK/db"
printf '[{"directory": "%s", "arguments": ["cc", "-c", "bad.c"], "file": "bad.c"}]' "$WORK" > "$WORK/db/compile_commands.json"
expect_rc 1 "$SYNC_LINT" -p "$WORK/db"; has out "bad.c:10:9"
expect_rc 1 "$SYNC_LINT" -p="$WORK/db"; has out "bad.c:10:9"
expect_rc 1 "$SYNC_LINT" -p"$WORK/db"; has out "bad.c:10:9"
expect_rc 1 "$SYNC_LINT" -o"$WORK/r2.txt" "$WORK/bad.c"; grep -q cond-wait "$WORK/r2.txt" && ok "-oFILE" || bad "-oFILE"

# declared wrappers
cat > "$WORK/wrap.c" <<'C'
#include <pthread.h>
#include <unistd.h>
extern pthread_mutex_t stats_lock;
void STATS_LOCK(void);
void STATS_UNLOCK(void);
void flush_stats(int fd)
{
    STATS_LOCK();
    write(fd, "x", 1);
    STATS_UNLOCK();
}
void bump(void) { STATS_LOCK(); STATS_UNLOCK(); }
C
expect_rc 0 "$SYNC_LINT" "$WORK/wrap.c"
expect_rc 1 "$SYNC_LINT" --wrapper=STATS_LOCK:lock:@stats_lock --wrapper=STATS_UNLOCK:unlock:@stats_lock "$WORK/wrap.c"
has out "'write' may block while 'stats_lock' is held"
# Messages name things as the source does: a lock picked by an enumeration
# constant is named by the constant, not by its value.
cat > "$WORK/enum_lock.c" <<'C'
#include <pthread.h>
#include <unistd.h>
enum lock_data { LOCK_NONE, LOCK_SHARE, LOCK_COOKIE, LOCK_LAST };
struct share { pthread_mutex_t lock[LOCK_LAST]; int fd; };
void cookie_save(struct share *s)
{
    pthread_mutex_lock(&s->lock[LOCK_COOKIE]);
    if (write(s->fd, "c", 1) < 0) s->fd = -1;
    pthread_mutex_unlock(&s->lock[LOCK_COOKIE]);
}
int cookie_fd(struct share *s)
{
    pthread_mutex_lock(&s->lock[LOCK_COOKIE]);
    int fd = s->fd;
    pthread_mutex_unlock(&s->lock[LOCK_COOKIE]);
    return fd;
}
C
expect_rc 1 "$SYNC_LINT" "$WORK/enum_lock.c"
has out "while 's->lock\[LOCK_COOKIE\]' is held"
# A header's static helpers are lowered where a TU uses them (the testdata
# case header_helpers checks they are; one is used only from a table of
# function pointers), and not where nothing does: the stats count the
# functions lowered (8: sync_unused is left out).
cd "$SRC_DIR/testdata/lock-held-across-blocking-call/header_helpers"
expect_rc 1 "$SYNC_LINT" --format=json main.c
has out '"functions":[[:space:]]*8,'
cd - >/dev/null
finish
