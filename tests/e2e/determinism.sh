#!/usr/bin/env bash
# The same project gives byte-identical findings whatever -j is and whatever
# order the files come in: per-TU results, the whole-program pass and the
# filters are all canonical.  Also through a compile database (-p).
source "$(dirname "$0")/lib.bash"
cd "$WORK"
mkdir -p proj/include
cat > proj/include/shared.h <<'C'
#include <pthread.h>
#include <stdatomic.h>
struct stats { atomic_long hits; atomic_long misses; };
struct conn { pthread_mutex_t mu; int state; long bytes; };
extern pthread_mutex_t bank_lock, audit_lock;
void audit_all(void);
static inline void conn_touch(struct conn *c) { pthread_mutex_lock(&c->mu); c->bytes++; c->state = 2; pthread_mutex_unlock(&c->mu); }
C
for i in 1 2 3 4; do
cat > proj/m$i.c <<C
#include "include/shared.h"
#include <stdbool.h>
#include <unistd.h>
static pthread_mutex_t local_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool ready$i;
void hit$i(struct stats *s) { atomic_fetch_add(&s->hits, 1); }
void miss$i(struct stats *s) { atomic_fetch_add(&s->misses, 1); }
void wait$i(void) { pthread_mutex_lock(&local_lock); if (!ready$i) pthread_cond_wait(&cv, &local_lock); pthread_mutex_unlock(&local_lock); }
void io$i(int fd) { pthread_mutex_lock(&local_lock); write(fd, "x", 1); pthread_mutex_unlock(&local_lock); }
void set$i(struct conn *c) { pthread_mutex_lock(&c->mu); c->state = $i; pthread_mutex_unlock(&c->mu); }
$( [ $i -eq 1 ] && echo 'int peek(struct conn *c) { return c->state; }' )
void order$i(void) { pthread_mutex_lock(&bank_lock); audit_all(); pthread_mutex_unlock(&bank_lock); }
C
done
cat > proj/audit.c <<'C'
#include "include/shared.h"
pthread_mutex_t bank_lock = PTHREAD_MUTEX_INITIALIZER, audit_lock = PTHREAD_MUTEX_INITIALIZER;
void audit_all(void) { pthread_mutex_lock(&audit_lock); pthread_mutex_unlock(&audit_lock); }
void audit_bank(void) { pthread_mutex_lock(&audit_lock); pthread_mutex_lock(&bank_lock); pthread_mutex_unlock(&bank_lock); pthread_mutex_unlock(&audit_lock); }
C
files=(proj/m1.c proj/m2.c proj/m3.c proj/audit.c proj/m4.c)
reversed=(proj/m4.c proj/audit.c proj/m3.c proj/m2.c proj/m1.c)
diags() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d["diagnostics"], indent=1, sort_keys=False))' "$1"; }
set +e
"$SYNC_LINT" --checks="*,experimental-*" -j1 --format=json -o j1.json "${files[@]}"; rc1=$?
"$SYNC_LINT" --checks="*,experimental-*" -j2 --format=json -o j2.json "${files[@]}"; rc2=$?
"$SYNC_LINT" --checks="*,experimental-*" -j2 --format=json -o rev.json "${reversed[@]}"; rc3=$?
"$SYNC_LINT" --checks="*,experimental-*" -j1 --format=sarif -o s1.sarif "${files[@]}"
"$SYNC_LINT" --checks="*,experimental-*" -j2 --format=sarif -o s2.sarif "${reversed[@]}"
set -e
[ "$rc1" -eq 1 ] && [ "$rc2" -eq 1 ] && [ "$rc3" -eq 1 ] && ok "exit 1 each time" || bad "exit codes $rc1 $rc2 $rc3"
diags j1.json > d1; diags j2.json > d2; diags rev.json > d3
cmp -s d1 d2 && ok "-j1 and -j2 identical" || { bad "-j1 vs -j2 differ"; diff d1 d2 | head -20; }
cmp -s d1 d3 && ok "reversed file order identical" || { bad "reversed order differs"; diff d1 d3 | head -20; }
python3 - s1.sarif s2.sarif <<'PY' && ok "SARIF results identical" || bad "SARIF results differ"
import json, sys
a, b = (json.load(open(f))["runs"][0]["results"] for f in sys.argv[1:3])
assert a == b, "results differ"
PY
# every rule family shows up, so the comparison covers the project pass too
for rule in lock-order-inversion inconsistent-guard false-sharing-atomics cond-wait-not-in-loop \
            lock-held-across-blocking-call; do
  grep -q "\"rule\": \"$rule\"" d1 && ok "has $rule" || bad "no $rule finding"
done
# the header struct seen by five TUs is one finding; the inversion is one
n=$(grep -c '"rule": "false-sharing-atomics"' d1 || true)
[ "$n" -eq 1 ] && ok "header finding once" || bad "false-sharing-atomics $n times"
n=$(grep -c '"rule": "lock-order-inversion"' d1 || true)
[ "$n" -eq 1 ] && ok "one inversion" || bad "lock-order-inversion $n times"
finish
