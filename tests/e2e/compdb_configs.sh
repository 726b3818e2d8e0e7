#!/usr/bin/env bash
# A file listed in compile_commands.json more than once with different flags
# (mosquitto builds lib/*.c threaded and, inside the broker, with its locks
# compiled out) is linted in every distinct configuration; entries with the
# same sanitised flags are one job.  A finding of one configuration only is
# reported, once; a finding of both is reported once (the engine's dedupe),
# and the result does not depend on the order of the database.
source "$(dirname "$0")/lib.bash"
mkdir -p "$WORK/p/lib" "$WORK/p/build"
cat > "$WORK/p/lib/m.c" <<'C'
#include <pthread.h>
#include <unistd.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t big = PTHREAD_MUTEX_INITIALIZER;
static int state;
void only_threaded(int fd)
{
#ifdef WITH_LOCKS
    pthread_mutex_lock(&mu);
#endif
    state++;
    write(fd, "x", 1);
#ifdef WITH_LOCKS
    pthread_mutex_unlock(&mu);
#endif
}
void both(void) { pthread_mutex_lock(&big); state--; sleep(1); pthread_mutex_unlock(&big); }
void suppressed(int fd)
{
#ifdef WITH_LOCKS
    pthread_mutex_lock(&mu);
#endif
    write(fd, "y", 1);  // sync-lint: ignore[lock-held-across-blocking-call] frames on one socket
#ifdef WITH_LOCKS
    pthread_mutex_unlock(&mu);
#endif
}
/* sections without I/O: neither lock is an I/O lock */
void quick(void) { pthread_mutex_lock(&mu); state *= 2; pthread_mutex_unlock(&mu); }
void quick2(void) { pthread_mutex_lock(&big); state *= 3; pthread_mutex_unlock(&big); }
C
cat > "$WORK/p/lib/plain.c" <<'C'
#include <pthread.h>
#include <unistd.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int n;
void p(void) { pthread_mutex_lock(&m); usleep(10); pthread_mutex_unlock(&m); }
void q(void) { pthread_mutex_lock(&m); n++; n *= 2; pthread_mutex_unlock(&m); }
C
# m.c threaded, m.c in the broker (locks out), m.c threaded again with other
# output and warning flags (the same configuration), and plain.c
entries=(
 "{\"directory\": \"$WORK/p\", \"command\": \"cc -c -DWITH_LOCKS -o build/m.o lib/m.c\", \"file\": \"lib/m.c\"}"
 "{\"directory\": \"$WORK/p/build\", \"arguments\": [\"cc\", \"-c\", \"-DWITH_BROKER\", \"-o\", \"broker-m.o\", \"../lib/m.c\"], \"file\": \"../lib/m.c\"}"
 "{\"directory\": \"$WORK/p\", \"command\": \"gcc -Wall -Werror -MD -MF build/m2.d -DWITH_LOCKS -c -o build/m2.o lib/m.c\", \"file\": \"lib/m.c\"}"
 "{\"directory\": \"$WORK/p\", \"command\": \"cc -c -o build/plain.o lib/plain.c\", \"file\": \"lib/plain.c\"}"
)
write_db() {  # write_db DIR INDEX...
  local d=$1; shift; mkdir -p "$d"
  { echo "["; local sep=""; for i in "$@"; do printf '%s%s\n' "$sep" "${entries[$i]}"; sep=","; done; echo "]"; } > "$d/compile_commands.json"
}
write_db "$WORK/db1" 0 1 2 3
write_db "$WORK/db2" 3 2 1 0
write_db "$WORK/db3" 1 3 0 2
cd "$WORK"

count() {  # count PATTERN: lines of out matching
  grep -c -- "$1" "$WORK/out" || true
}
expect_rc 1 "$SYNC_LINT" -p db1
has out "m.c:12:.*'write' may block while 'mu' is held"
has out "m.c:17:.*'sleep' may block while 'big' is held"
has out "plain.c:5:.*'usleep'"
if [ "$(count 'm.c:12:.*warning')" -eq 1 ]; then ok "the threaded-only finding once"; else bad "m.c:12 reported $(count 'm.c:12:.*warning') times"; fi
if [ "$(count 'm.c:17:.*warning')" -eq 1 ]; then ok "the finding of both configurations once"; else bad "m.c:17 reported $(count 'm.c:17:.*warning') times"; fi
if [ "$(count 'warning:')" -eq 3 ]; then ok "three findings in all"; else bad "$(count 'warning:') findings"; cat out; fi
# the suppression is used by the threaded configuration: not reported unused
lacks out "matches no finding"
lacks out "m.c:23"
cp out db1.out

# two distinct configurations of m.c plus plain.c: three jobs (JSON stats)
expect_rc 1 "$SYNC_LINT" --format=json -p db1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["stats"]["files"] == 3 and len(d["diagnostics"]) == 3 else 1)' out; then
  ok "3 jobs (same flags merged), 3 findings"
else bad "json: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["stats"], len(d["diagnostics"]))' out)"; fi

# any order of the database: the same report; and with one worker
for d in db2 db3; do
  expect_rc 1 "$SYNC_LINT" -p $d
  if cmp -s out db1.out; then ok "$d: same report as db1"; else bad "$d differs"; diff db1.out out | head; fi
done
expect_rc 1 "$SYNC_LINT" -j 1 -p db3
if cmp -s out db1.out; then ok "-j 1: same report"; else bad "-j 1 differs"; diff db1.out out | head; fi

# a named file with several entries: each configuration
expect_rc 1 "$SYNC_LINT" -p db2 p/lib/m.c
has out "m.c:12:.*'write' may block while 'mu' is held"
has out "m.c:17:.*'sleep'"
lacks out "plain.c"
if [ "$(count 'warning:')" -eq 2 ]; then ok "named m.c: two findings"; else bad "named m.c: $(count 'warning:') findings"; fi
lacks err "not in"

# only the broker configuration: the lock is compiled out, the finding gone
write_db "$WORK/broker" 1
expect_rc 1 "$SYNC_LINT" -p broker
lacks out "m.c:12:"
has out "m.c:17:"
# (and the suppression that only the threaded build needs is unused here)
has out "m.c:23:.*matches no finding"
finish
