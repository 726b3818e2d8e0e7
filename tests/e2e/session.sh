#!/usr/bin/env bash
# The engine as the CLI drives it: tool errors on stderr whatever the
# format, unused --wrapper notes, files_failed, --time-report, the enclosing
# function in fingerprints, dedupe of a header finding seen by two TUs.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
write_bad_c "$WORK/bad.c"
cat > syntax.c <<'C'
#include <pthread.h>
void f(void) { int x = ; }
void g(void) { }
C

# a file that cannot be read: named on stderr whatever --format and -o say
for fmt in text json sarif; do
  expect_rc 2 "$SYNC_LINT" --format=$fmt -o "report.$fmt" missing.c
  has err "missing.c:1:1: error: cannot read 'missing.c': No such file or directory"
done
expect_rc 2 "$SYNC_LINT" --format=sarif syntax.c
has err "syntax.c:2:.*error: cannot parse 'syntax.c'"

# files_failed counts a file that failed to parse even though clang built a
# partial model from it
expect_rc 2 "$SYNC_LINT" --format=json -o stats.json syntax.c bad.c
python3 - stats.json <<'PY' && ok "files_failed is 1 of 2" || bad "files_failed"
import json, sys
s = json.load(open(sys.argv[1]))["stats"]
assert s["files"] == 2 and s["files_failed"] == 1, s
PY

# a --wrapper that matches nothing is said, without changing the exit code
cat > good.c <<'C'
#include <pthread.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
void f(void) { pthread_mutex_lock(&mu); pthread_mutex_unlock(&mu); }
C
expect_rc 0 "$SYNC_LINT" --wrapper=LOCK_STATS:lock:@stats_lock good.c
has out "sync-lint: note: wrapper 'LOCK_STATS' (--wrapper) matched no call"
expect_rc 0 "$SYNC_LINT" --format=sarif -o w.sarif --wrapper=LOCK_STATS:lock good.c
grep -q "matched no call" w.sarif && ok "sarif carries the wrapper note" || bad "sarif lacks the wrapper note"
cat > used.c <<'C'
#include <pthread.h>
void my_lock(pthread_mutex_t *m);
static pthread_mutex_t mu;
void f(void) { my_lock(&mu); pthread_mutex_unlock(&mu); }
C
expect_rc 0 "$SYNC_LINT" --wrapper=my_lock:lock used.c
lacks out "matched no call"

# --blocking=NAME: a project's own blocking function, defined in another file
cat > proj_block.c <<'C'
#include <pthread.h>
int net_send_all(int fd, const void *buf, unsigned long len);
static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static int replies;
int count(void) { pthread_mutex_lock(&conn_lock); int n = replies; replies = 0; pthread_mutex_unlock(&conn_lock); return n; }
void reply(int fd, const char *msg, unsigned long n)
{
    pthread_mutex_lock(&conn_lock);
    net_send_all(fd, msg, n);
    pthread_mutex_unlock(&conn_lock);
}
C
expect_rc 0 "$SYNC_LINT" proj_block.c
expect_rc 1 "$SYNC_LINT" --blocking=net_send_all proj_block.c
has out "proj_block.c:9:5: warning: 'net_send_all' may block while 'conn_lock' is held"
expect_rc 2 "$SYNC_LINT" --blocking='net send' proj_block.c
has err "'net send' is not a function name"

# --time-report: every phase and every enabled rule, on stderr only
expect_rc 1 "$SYNC_LINT" --time-report bad.c
has err "sync-lint time report"
for phase in "parse (libclang)" "lowering" "lock-flow" "facts" "rule cond-wait-not-in-loop" \
             "rule semaphore-as-mutex" "filters" "output"; do has err "$phase"; done
lacks out "time report"

# the fingerprint and JSON name the enclosing function
expect_rc 1 "$SYNC_LINT" --format=json -o f.json bad.c
python3 - f.json <<'PY' && ok "function named" || bad "function not named"
import json, sys
d = json.load(open(sys.argv[1]))["diagnostics"]
assert d and d[0]["function"] == "wait_ready", d
PY

# a finding in a header seen by two translation units is reported once
mkdir -p inc
cat > inc/stats.h <<'C'
#include <stdatomic.h>
struct stats { atomic_long hits; atomic_long misses; };
void hit(struct stats *s);
void miss(struct stats *s);
C
cat > a.c <<'C'
#include "inc/stats.h"
void hit(struct stats *s) { atomic_fetch_add(&s->hits, 1); }
void miss(struct stats *s) { atomic_fetch_add(&s->misses, 1); }
C
cp a.c b.c
expect_rc 1 "$SYNC_LINT" a.c b.c
n=$(grep -c "warning: .*\[false-sharing-atomics\]" out || true)
[ "$n" -eq 1 ] && ok "header finding once" || bad "header finding $n times"
finish
