#!/usr/bin/env bash
# --shard K/N and --merge: a project linted as 3 shards and merged reports
# exactly what one unsharded run reports (text, JSON with the wall time
# masked, SARIF: byte for byte), in two orders of compile_commands.json;
# the partition is the same in both orders; each shard's SARIF passes the
# official validator and carries its own category; every way a set of
# shard reports can fail to belong together is a usage error (exit 2) that
# names the file and the problem.
source "$(dirname "$0")/lib.bash"
cd "$WORK"
mkdir -p proj/include proj/build
# A header every TU includes, with a finding of its own (two atomics of one
# struct on one cache line, written in different files): one finding.
cat > proj/include/common.h <<'C'
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
struct stats { atomic_long hits; atomic_long misses; };
extern pthread_mutex_t bank_lock, audit_lock;
extern pthread_mutex_t q_mu;
extern pthread_cond_t q_cv;
extern bool q_ready;
void audit_all(void);
void my_lock(pthread_mutex_t *m);
void my_unlock(pthread_mutex_t *m);
void q_wait(void);
C
# bank.c and audit.c take the two locks in opposite orders, across files:
# a whole-program (lock-order-inversion) finding.
cat > proj/bank.c <<'C'
#include "include/common.h"
pthread_mutex_t bank_lock = PTHREAD_MUTEX_INITIALIZER;
void hit(struct stats *s) { atomic_fetch_add(&s->hits, 1); }
void transfer(void)
{
    pthread_mutex_lock(&bank_lock);
    audit_all();
    pthread_mutex_unlock(&bank_lock);
    q_wait();
}
C
cat > proj/audit.c <<'C'
#include "include/common.h"
pthread_mutex_t audit_lock = PTHREAD_MUTEX_INITIALIZER;
void miss(struct stats *s) { atomic_fetch_add(&s->misses, 1); }
void audit_all(void) { pthread_mutex_lock(&audit_lock); pthread_mutex_unlock(&audit_lock); }
void audit_bank(void)
{
    pthread_mutex_lock(&audit_lock);
    pthread_mutex_lock(&bank_lock);
    pthread_mutex_unlock(&bank_lock);
    pthread_mutex_unlock(&audit_lock);
    q_wait();
}
C
# queue.c: a suppression that is used (its wait is not in a loop), and one
# that suppresses nothing (a tool warning in both runs).
cat > proj/queue.c <<'C'
#include "include/common.h"
pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;
bool q_ready;
static pthread_cond_t other_cv = PTHREAD_COND_INITIALIZER;
void q_wait(void)
{
    pthread_mutex_lock(&q_mu);
    if (!q_ready)
        pthread_cond_wait(&q_cv, &q_mu);
    pthread_mutex_unlock(&q_mu);
}
void q_take(void)
{
    pthread_mutex_lock(&q_mu);
    if (!q_ready)
        pthread_cond_wait(&other_cv, &q_mu);  // sync-lint: ignore[cond-wait-not-in-loop] one waiter, one signal
    pthread_mutex_unlock(&q_mu);
}
int q_peek(void) { return q_ready; }  // sync-lint: ignore[busy-wait] stale on purpose
C
# wrap.c: the only TU that calls the declared wrapper my_lock (and a sleep
# under it); 'never_called' is declared and matches nothing anywhere.
cat > proj/wrap.c <<'C'
#include "include/common.h"
#include <unistd.h>
static pthread_mutex_t w_mu = PTHREAD_MUTEX_INITIALIZER;
void wrapped_io(int fd)
{
    my_lock(&w_mu);
    sleep(fd);
    my_unlock(&w_mu);
}
C
# two configurations of one file: two jobs that must share a shard
cat > proj/conf.c <<'C'
#include "include/common.h"
#include <unistd.h>
static pthread_mutex_t c_mu = PTHREAD_MUTEX_INITIALIZER;
void conf_io(int fd)
{
#ifdef WITH_LOCKS
    pthread_mutex_lock(&c_mu);
#endif
    write(fd, "c", 1);
#ifdef WITH_LOCKS
    pthread_mutex_unlock(&c_mu);
#endif
    q_wait();
}
C
for i in 1 2 3; do
cat > proj/extra$i.c <<C
#include "include/common.h"
#include <unistd.h>
static pthread_mutex_t e_mu = PTHREAD_MUTEX_INITIALIZER;
static int hits$i;
void extra$i(void) { pthread_mutex_lock(&e_mu); hits$i++; pthread_mutex_unlock(&e_mu); }
void extra_sleep$i(void) { pthread_mutex_lock(&e_mu); sleep(1); pthread_mutex_unlock(&e_mu); q_wait(); }
C
done
printf 'int main( {\n' > proj/broken.c   # does not parse: a tool error, exit 2

P="$WORK/proj"
python3 - "$P" <<'PY'
import json, sys
p = sys.argv[1]
entries = []
for f in ["bank.c", "audit.c", "queue.c", "wrap.c", "extra1.c", "extra2.c", "extra3.c", "broken.c"]:
    entries.append({"directory": p, "file": f, "arguments": ["cc", "-std=gnu11", "-pthread", "-c", f]})
entries.append({"directory": p, "file": "conf.c", "arguments": ["cc", "-std=gnu11", "-c", "conf.c"]})
entries.append({"directory": p, "file": "conf.c", "arguments": ["cc", "-std=gnu11", "-DWITH_LOCKS", "-c", "conf.c"]})
json.dump(entries, open(p + "/build/compile_commands.json", "w"), indent=1)
rev = p + "/rev"
import os; os.makedirs(rev, exist_ok=True)
json.dump(entries[::-1], open(rev + "/compile_commands.json", "w"), indent=1)
PY

WR=(--wrapper=my_lock:lock --wrapper=my_unlock:unlock --wrapper=never_called:lock)
SL=("$SYNC_LINT" -q -j2 --checks='*,experimental-*' "${WR[@]}")
run() { set +e; "$@" 2>"$WORK/stderr.log"; local rc=$?; set -e; echo "$rc"; }
mask() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["stats"]["seconds"]=0; print(json.dumps(d, indent=1))' "$1"; }

# the unsharded reference: text, JSON, SARIF, the checklist and the inventory
for fmt in text json sarif checklist inventory; do
  rc=$(run "${SL[@]}" -p proj/build --format=$fmt -o ref.$fmt)
  [ "$rc" -eq 2 ] && ok "unsharded $fmt: exit 2 (broken.c)" || bad "unsharded $fmt exit $rc: $(cat stderr.log)"
done
for rule in lock-order-inversion false-sharing-atomics cond-wait-not-in-loop \
            lock-held-across-blocking-call broken.c "wrapper 'never_called'" "matches no finding"; do
  grep -q -- "$rule" ref.text && ok "reference has $rule" || { bad "reference lacks $rule"; cat ref.text; }
done
[ "$(grep -c 'include/common.h:4:.*warning:.*false-sharing-atomics' ref.text)" -eq 1 ] \
  && ok "the header's finding once" || bad "header finding count: $(grep -c common.h ref.text)"
grep -q "wrap.c:7:.*'sleep' may block while 'w_mu' is held" ref.text && ok "the wrapper of one TU is seen" || bad "no finding under my_lock"
grep -q "bank_lock" ref.inventory && ok "the inventory lists the project's locks" || bad "inventory: $(head -5 ref.inventory)"
grep -q "wrapper 'my_lock'" ref.text && bad "my_lock noted as unused" || ok "my_lock used"

# shards in both database orders; the partitions are identical
for db in build rev; do
  for k in 1 2 3; do
    rc=$(run "${SL[@]}" -p proj/$db --shard $k/3 --format=json -o $db.s$k.json)
    [ "$rc" -le 2 ] && ok "shard $k/3 ($db) ran, exit $rc" || bad "shard $k/3 ($db) exit $rc: $(cat stderr.log)"
    rc=$(run "${SL[@]}" -p proj/$db --shard $k/3 --format=sarif -o $db.s$k.sarif)
    [ "$rc" -le 2 ] && ok "shard $k/3 SARIF ($db) ran" || bad "shard $k/3 SARIF ($db) exit $rc: $(cat stderr.log)"
  done
done
python3 - <<'PY' && ok "partition: every job in one shard, the same in both orders, conf.c's two jobs together" || bad "partition"
import json
def part(db):
    r = {}
    for k in (1, 2, 3):
        sh = json.load(open(f"{db}.s{k}.json"))["shard"]
        assert sh["index"] == k and sh["count"] == 3 and sh["total_jobs"] == 10, sh
        for j in sh["jobs"]:
            r.setdefault(j["file"], set()).add(k)
            assert "summary" in j and isinstance(j["diagnostics"], list)
    return r
a, b = part("build"), part("rev")
assert a == b, (a, b)
assert all(len(v) == 1 for v in a.values()), a
assert len(a) == 9, a   # conf.c is two jobs of one file
n = sum(len(json.load(open(f"build.s{k}.json"))["shard"]["jobs"]) for k in (1, 2, 3))
assert n == 10, n
PY
python3 - <<'PY' && ok "shard reports: no whole-program finding, the run-level note, raw per-job diagnostics" || bad "shard report content"
import json
notes = 0
for k in (1, 2, 3):
    d = json.load(open(f"build.s{k}.json"))
    assert not [x for x in d["diagnostics"] if x["rule"] == "lock-order-inversion"], d["diagnostics"]
    notes += any("whole-program" in x["message"] and "--merge" in x["message"] for x in d["diagnostics"])
    for j in d["shard"]["jobs"]:
        for x in j["diagnostics"]:
            assert set(x) >= {"rule", "kind", "severity", "file", "line", "column", "end_line",
                              "end_column", "message", "notes", "fix", "function", "identity"}, x
            assert "fingerprint" not in x
assert notes == 3, notes
PY
python3 - <<'PY' && ok "SARIF shards: the shard object in the run's property bag, category per shard" || bad "SARIF shard object"
import json
for k in (1, 2, 3):
    run = json.load(open(f"build.s{k}.sarif"))["runs"][0]
    assert run["automationDetails"]["id"] == f"sync-lint/shard-{k}-of-3/", run["automationDetails"]
    sh = run["properties"]["sync-lint/shard"]
    assert sh["index"] == k and sh["count"] == 3
ref = json.load(open("ref.sarif"))["runs"][0]
assert ref["automationDetails"]["id"] == "sync-lint/", ref["automationDetails"]
assert "properties" not in ref or "sync-lint/shard" not in ref["properties"]
PY

rc=$(run "${SL[@]}" -p proj/build --shard 2/3 --format=sarif --sarif-category=nightly -o cat.sarif)
python3 -c 'import json,sys; r=json.load(open("cat.sarif"))["runs"][0]; assert r["automationDetails"]["id"] == "nightly/shard-2-of-3/", r["automationDetails"]' \
  && ok "--sarif-category NAME: NAME/shard-K-of-N/" || bad "shard category with --sarif-category"

# merges: from JSON shards, from SARIF shards, from the reversed database's
# shards, and in another order of the reports; every format byte for byte
check_merge() {   # check_merge NAME REPORT...
  local name=$1; shift
  for fmt in text json sarif checklist inventory; do
    rc=$(run "${SL[@]}" --merge "$@" --format=$fmt -o merged.$fmt)
    [ "$rc" -eq 2 ] && ok "merge $name $fmt: exit 2 like the reference" || bad "merge $name $fmt exit $rc: $(cat stderr.log)"
    cp stderr.log merged.$fmt.err
  done
  for fmt in text checklist inventory; do
    cmp -s ref.$fmt merged.$fmt && ok "merge $name: $fmt identical" || { bad "merge $name: $fmt differs"; diff ref.$fmt merged.$fmt | head -20; }
  done
  cmp -s ref.sarif merged.sarif && ok "merge $name: SARIF identical" || { bad "merge $name: SARIF differs"; diff ref.sarif merged.sarif | head -20; }
  mask ref.json > ref.masked; mask merged.json > merged.masked
  cmp -s ref.masked merged.masked && ok "merge $name: JSON identical (seconds masked)" || { bad "merge $name: JSON differs"; diff ref.masked merged.masked | head -20; }
}
check_merge json build.s1.json build.s2.json build.s3.json
check_merge sarif build.s3.sarif build.s1.sarif build.s2.sarif
check_merge reversed-db rev.s2.json rev.s3.json rev.s1.json
check_merge mixed build.s1.sarif rev.s2.json build.s3.json

# the extra filters work on a merge: a baseline written by the merge hides
# everything the unsharded run finds, and the unsharded baseline is the same file
rc=$(run "${SL[@]}" -p proj/build --write-baseline base.ref -o /dev/null)
rc=$(run "${SL[@]}" --merge build.s1.json build.s2.json build.s3.json --write-baseline base.merged -o /dev/null)
cmp -s base.ref base.merged && ok "--write-baseline: the merge writes the unsharded baseline" || { bad "baselines differ"; diff base.ref base.merged | head; }
rc=$(run "${SL[@]}" --merge build.s1.json build.s2.json build.s3.json --baseline base.ref --format=json -o based.json)
python3 - based.json <<'PY' && ok "--baseline on a merge: only tool diagnostics remain" || bad "--baseline on a merge"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stats"]["baseline_matched"] > 0, d["stats"]
assert all(x["rule"] == "sync-lint" for x in d["diagnostics"]), d["diagnostics"]
PY

# --diff-base on a merge: the findings on the lines a change touches, as unsharded
git -C proj init -q && git -C proj add -A &&
  git -C proj -c user.email=ci@example.org -c user.name=ci commit -qm base
echo 'void extra_new(void) { pthread_mutex_lock(&e_mu); sleep(2); pthread_mutex_unlock(&e_mu); }' >> proj/extra2.c
(
  cd proj
  rc=$(run "${SL[@]}" -p build --diff-base HEAD -o ../diff.ref)
  for k in 1 2 3; do rc=$(run "${SL[@]}" -p build --shard $k/3 --format=sarif -o ../diff.s$k.sarif); done
  rc=$(run "${SL[@]}" --merge ../diff.s1.sarif ../diff.s2.sarif ../diff.s3.sarif --diff-base HEAD -o ../diff.merged)
)
grep -q "extra2.c:7:.*'sleep'" diff.ref && ! grep -q "extra1.c" diff.ref && ok "--diff-base: the new finding only" \
  || { bad "--diff-base reference"; cat diff.ref; }
cmp -s diff.ref diff.merged && ok "--diff-base on a merge: identical" || { bad "--diff-base merge differs"; diff diff.ref diff.merged | head; }

# each shard's SARIF passes the official validator (sarif_json.sh installs it)
sarif_validator
for f in build.s1.sarif build.s2.sarif build.s3.sarif merged.sarif; do
  rm -f validation.sarif
  if "$MT" validate "$WORK/$f" -o "$WORK/validation.sarif" >val.log 2>&1 && [ -s validation.sarif ]; then
    python3 - validation.sarif <<'PY' && ok "official SARIF validator on $f: clean" || bad "SARIF validator findings on $f"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0].get("results", [])
for r in res:
    print("   ", r.get("level", "warning"), r.get("ruleId"), r.get("message", {}).get("arguments"))
assert not [r for r in res if r.get("level", "warning") in ("error", "warning")]
PY
  else
    cat val.log; bad "validator did not run on $f"
  fi
done

# usage errors: exit 2, the message names the file and the problem
expect_rc 2 "$SYNC_LINT" -p proj/build --shard 2/3
has err "error: --shard writes a report for --merge: use --format=json or --format=sarif"
for bad_spec in 0/3 4/3 3 a/b 1/0 2/; do
  expect_rc 2 "$SYNC_LINT" -p proj/build --shard "$bad_spec" --format=json
  has err "option '--shard' needs K/N with 1 <= K <= N"
done
expect_rc 2 "$SYNC_LINT" -p proj/build --shard 1/3 --format=json --write-baseline x.json
has err "write the baseline from the --merge run"
expect_rc 2 "$SYNC_LINT" --merge
has err "error: --merge needs the shard reports"
expect_rc 2 "$SYNC_LINT" --merge -p proj/build build.s1.json
has err "no -p or '--' with it"
expect_rc 2 "${SL[@]}" --merge build.s1.json build.s3.json
has err "error: shard 2/3 missing"
expect_rc 2 "${SL[@]}" --merge build.s1.json build.s2.json build.s2.sarif build.s3.json
has err "error: build.s2.sarif: shard 2/3 again"
expect_rc 2 "${SL[@]}" --merge build.s1.json ref.json build.s2.json build.s3.json
has err "error: ref.json: not a sync-lint shard report"
printf '{"shard": ' > trunc.json
expect_rc 2 "${SL[@]}" --merge build.s1.json trunc.json
has err "error: trunc.json: not JSON"
expect_rc 2 "${SL[@]}" --merge build.s1.json missing.json
has err "error: missing.json: cannot read"
expect_rc 2 "$SYNC_LINT" -q "${WR[@]}" --merge build.s1.json build.s2.json build.s3.json
has err "error: build.s1.json: run with different settings (checks) than this merge"
expect_rc 2 "$SYNC_LINT" -q --checks='*,experimental-*' --wrapper=my_lock:lock --merge build.s1.json build.s2.json build.s3.json
has err "run with different settings (wrappers) than this merge"
# shards of different runs (2 shards vs 3)
rc=$(run "${SL[@]}" -p proj/build --shard 1/2 --format=json -o two.s1.json)
expect_rc 2 "${SL[@]}" --merge build.s1.json two.s1.json
has err "error: two.s1.json: shard 1/2 of 10 jobs, but 'build.s1.json' is a shard of 3/10 jobs"
# the merge reads the sources (suppressions, fingerprints): run elsewhere, it says so
mkdir -p elsewhere && cp build.s1.json build.s2.json build.s3.json elsewhere/
mv proj proj.moved
expect_rc 2 "${SL[@]}" --merge elsewhere/build.s1.json elsewhere/build.s2.json elsewhere/build.s3.json
has err "cannot read '.*proj/.*\.c' (No such file or directory): run the merge in the checkout"
mv proj.moved proj

# doctored reports: a job listed by two shards; a diagnostic without its kind
python3 - <<'PY'
import json
d = {k: json.load(open(f"build.s{k}.json")) for k in (1, 2, 3)}
k = next(k for k in (1, 2, 3) if d[k]["shard"]["jobs"])          # a shard with jobs
other = next(o for o in (1, 2, 3) if o != k)
dup = json.load(open(f"build.s{other}.json"))
dup["shard"]["jobs"].append(d[k]["shard"]["jobs"][0])
json.dump(dup, open("dup.json", "w"))
open("dup.args", "w").write(" ".join(f"build.s{o}.json" for o in (1, 2, 3) if o != other) + " dup.json\n")
sums = json.load(open(f"build.s{k}.json"))
job = next((j for j in sums["shard"]["jobs"] if j["summary"]), sums["shard"]["jobs"][0])
job["summary"] = {"version": 2}
json.dump(sums, open("badsum.json", "w"))
open("badsum.args", "w").write(" ".join(f"build.s{o}.json" for o in (1, 2, 3) if o != k) + " badsum.json\n")
bad = d[k]
bad["shard"]["jobs"][0]["diagnostics"] = [{"rule": "x"}]
json.dump(bad, open("baddiag.json", "w"))
open("baddiag.args", "w").write(" ".join(f"build.s{o}.json" for o in (1, 2, 3) if o != k) + " baddiag.json\n")
PY
read -r -a args < dup.args
expect_rc 2 "${SL[@]}" --merge "${args[@]}"
has err "dup.json: job [0-9]* (.*) is also in 'build.s[123].json'"
read -r -a args < baddiag.args
expect_rc 2 "${SL[@]}" --merge "${args[@]}"
has err "baddiag.json: job [0-9]* (.*): a diagnostic has no valid 'kind'"
read -r -a args < badsum.args
expect_rc 2 "${SL[@]}" --merge "${args[@]}"
has err "badsum.json: job [0-9]* (.*): bad summary: summary: unknown version"
finish
