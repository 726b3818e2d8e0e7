#!/usr/bin/env bash
# --baseline / --write-baseline: findings recorded by fingerprint survive
# edits that shift lines and edits elsewhere in the same function; only a
# new finding is reported (exit 1); a fixed one leaves a stale-entry note;
# rewriting keeps the file's order; bad baseline files are usage errors.
source "$(dirname "$0")/lib.bash"
cd "$WORK"

# three findings in three functions of a.c, one in b.c
write_a() {   # write_a [HEADER_LINES] : a.c, shifted down by HEADER_LINES blank comment lines
  local pad=${1:-0}
  : > a.c
  for ((k = 0; k < pad; k++)); do echo "/* padding $k */" >> a.c; done
  cat >> a.c <<'C'
#include <pthread.h>
#include <stdbool.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool ready, done;
void wait_one(void)
{
    pthread_mutex_lock(&mu);
    if (!ready)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
void wait_two(void)
{
    pthread_mutex_lock(&mu);
    if (!done)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
void wait_three(void)
{
    pthread_mutex_lock(&mu);
    if (!ready || !done)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
C
}
write_a
write_bad_c b.c

expect_rc 1 "$SYNC_LINT" a.c b.c
[ "$(grep -c ': warning: ' out)" -eq 4 ] && ok "four findings without a baseline" || bad "findings: $(cat out)"

# --write-baseline: records them, reports none of them, exit 0
expect_rc 0 "$SYNC_LINT" --write-baseline base.json a.c b.c
lacks out "warning:"
has err "wrote baseline 'base.json': 4 entries (4 new, 0 removed)"
python3 - base.json <<'PY' && ok "baseline JSON: version, entries with rule, file, function, fingerprint, code, message" || bad "baseline JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1, d
e = d["entries"]
assert [x["function"] for x in e] == ["wait_one", "wait_two", "wait_three", "wait_ready"], e
assert [x["file"] for x in e] == ["a.c", "a.c", "a.c", "b.c"], e
for x in e:
    assert x["rule"] == "cond-wait-not-in-loop" and len(x["fingerprint"]) == 16, x
    assert x["code"] == "pthread_cond_wait(&cv, &mu);" and "pthread_cond_wait" in x["message"], x
PY
expect_rc 0 "$SYNC_LINT" --baseline base.json a.c b.c
lacks out "warning:"
lacks out "note:"

# edits that must not make a finding "new"
check_nothing_new() {   # check_nothing_new WHAT
  expect_rc 0 "$SYNC_LINT" --baseline base.json a.c b.c
  if grep -q "warning:\|baseline .* lists a finding" out; then bad "$1: $(cat out)"; else ok "$1: nothing new"; fi
}
write_a 7
check_nothing_new "seven lines inserted above"
sed -i 's|^    if (!ready)$|    /* the flag is set by the producer */\n    if (!ready)|' a.c
check_nothing_new "a comment added inside the function"
sed -i 's|^static bool ready, done;$|&\nstatic int calls;\nvoid count(void) { }|' a.c
check_nothing_new "a function added between the declarations and the findings"
sed -i 's|^void count(void) { }$|void count(void) { calls += 2; }|' a.c
check_nothing_new "another function edited"
sed -i 's|^    pthread_mutex_lock(&mu);$|    pthread_mutex_lock(\&mu);\n    calls++;|' a.c
check_nothing_new "a statement added elsewhere in each flagged function"
sed -i 's|^        pthread_cond_wait(&cv, &mu);$|            pthread_cond_wait( \&cv, \&mu );|' a.c
check_nothing_new "the flagged lines re-indented and re-spaced"
expect_rc 0 "$SYNC_LINT" --baseline base.json --format=json -o run.json a.c b.c
python3 -c "
import json; s = json.load(open('run.json'))['stats']
assert s['baseline_matched'] == 4 and s['baseline_stale'] == 0, s" && ok "stats: 4 matched, 0 stale" || bad "stats after edits"

# a new finding: reported alone, exit 1
cat >> a.c <<'C'
void wait_four(void)
{
    pthread_mutex_lock(&mu);
    if (!done)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
C
new_line=$(grep -n 'pthread_cond_wait' a.c | tail -1 | cut -d: -f1)
expect_rc 1 "$SYNC_LINT" --baseline base.json a.c b.c
[ "$(grep -c ': warning: ' out)" -eq 1 ] && ok "exactly one finding is new" || bad "new findings: $(cat out)"
has out "^a.c:$new_line:[0-9]*: warning: 'pthread_cond_wait' on 'cv' is not in a loop"
for fmt in json sarif; do
  expect_rc 1 "$SYNC_LINT" --baseline base.json --format=$fmt -o new.$fmt a.c b.c
done
python3 - new.json new.sarif "$new_line" <<'PY' && ok "JSON and SARIF carry the new finding alone" || bad "JSON/SARIF with a baseline"
import json, sys
d = json.load(open(sys.argv[1]))
found = [x for x in d["diagnostics"] if x["rule"] != "sync-lint"]
assert len(found) == 1 and found[0]["line"] == int(sys.argv[3]) and found[0]["function"] == "wait_four", found
assert d["stats"]["baseline_matched"] == 4, d["stats"]
run = json.load(open(sys.argv[2]))["runs"][0]
assert [r["ruleId"] for r in run["results"]] == ["cond-wait-not-in-loop"], run["results"]
PY

# fix one (wait_two gets its loop): its entry is stale, a note; the exit
# code still follows the new finding only
sed -i '/^void wait_two/,/^}/ s|^    if (!done)$|    while (!done)|' a.c
expect_rc 1 "$SYNC_LINT" --baseline base.json a.c b.c
has out "^sync-lint: note: baseline 'base.json' lists a finding that is gone: cond-wait-not-in-loop in 'a.c', function 'wait_two'"
[ "$(grep -c 'lists a finding that is gone' out)" -eq 1 ] && ok "one stale entry" || bad "stale notes: $(cat out)"
expect_rc 1 "$SYNC_LINT" --baseline base.json --format=json -o stale.json a.c b.c
python3 -c "
import json; d = json.load(open('stale.json')); s = d['stats']
assert s['baseline_matched'] == 3 and s['baseline_stale'] == 1, s
n = [x for x in d['diagnostics'] if x['rule'] == 'sync-lint']
assert len(n) == 1 and n[0]['severity'] == 'note' and 'wait_two' in n[0]['message'], n" \
  && ok "JSON: the stale note and baseline_stale 1" || bad "JSON stale"
expect_rc 1 "$SYNC_LINT" --baseline base.json --format=sarif -o stale.sarif a.c b.c
python3 -c "
import json; run = json.load(open('stale.sarif'))['runs'][0]
n = run['invocations'][0]['toolExecutionNotifications']
assert any('wait_two' in x['message']['text'] and x['level'] == 'note' for x in n), n
assert all('locations' in r for r in run['results'])" && ok "SARIF: the stale note is a tool notification" \
  || bad "SARIF stale"
# a stale note alone does not fail the run
sed -i '/^void wait_four/,/^}/ s|^    if (!done)$|    while (!done)|' a.c
expect_rc 0 "$SYNC_LINT" --baseline base.json a.c b.c
has out "lists a finding that is gone"

# a run over part of the files judges only those: b.c's entry is neither
# stale nor dropped when a.c alone is linted
expect_rc 0 "$SYNC_LINT" --baseline base.json b.c
lacks out "gone"

# rewrite: existing entries keep their places, the fixed one disappears,
# new ones are appended in report order
sed -i '/^void wait_four/,/^}/ s|^    while (!done)$|    if (!done)|' a.c
cat >> b.c <<'C'
void wait_five(void)
{
    pthread_mutex_lock(&mu);
    if (ready)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
C
cp base.json old.json
expect_rc 0 "$SYNC_LINT" --write-baseline base.json a.c b.c
has err "wrote baseline 'base.json': 5 entries (2 new, 1 removed)"
diff old.json base.json > review.diff || true
python3 - old.json base.json <<'PY' && ok "rewritten baseline: old order kept, fixed entry gone, new ones appended" || bad "rewrite order"
import json, sys
old = json.load(open(sys.argv[1]))["entries"]
new = json.load(open(sys.argv[2]))["entries"]
kept = [e for e in old if e["function"] != "wait_two"]
assert new[:3] == kept, (new, kept)
assert [e["function"] for e in new[3:]] == ["wait_four", "wait_five"], new
PY
# the review diff is that small: an entry is 8 lines, so one out and two in
# change at most 8 + 16 lines, whatever the alignment diff picks
removed=$(grep -c '^< ' review.diff || true)
added=$(grep -c '^> ' review.diff || true)
[ "$removed" -le 8 ] && [ "$added" -le 16 ] && [ "$added" -ge 12 ] && ok "review diff: $removed lines out, $added in" \
  || bad "review diff: $removed removed, $added added: $(cat review.diff)"
expect_rc 0 "$SYNC_LINT" --write-baseline base.json a.c b.c
has err "(0 new, 0 removed)"
cp base.json again.json
expect_rc 0 "$SYNC_LINT" --write-baseline base.json a.c b.c
cmp -s base.json again.json && ok "rewriting an up-to-date baseline changes nothing" || bad "rewrite not idempotent"
# a partial rewrite keeps the entries of files it did not lint
expect_rc 0 "$SYNC_LINT" --write-baseline base.json b.c
cmp -s base.json again.json && ok "a partial rewrite keeps other files' entries" || bad "partial rewrite dropped entries"
# a file that fails to parse keeps its entries
cp a.c a.c.orig
echo 'int broken( {' >> a.c
expect_rc 2 "$SYNC_LINT" --write-baseline base.json a.c b.c
cmp -s base.json again.json && ok "a file that fails to parse keeps its entries" || bad "parse failure dropped entries"
expect_rc 2 "$SYNC_LINT" --baseline base.json a.c b.c
lacks out "gone"
mv a.c.orig a.c

# --baseline with --write-baseline: reported against the first, all recorded in the second
cp old.json check.json
expect_rc 1 "$SYNC_LINT" --baseline check.json --write-baseline fresh.json a.c b.c
[ "$(grep -c ': warning: ' out)" -eq 2 ] && ok "with both: the two new against --baseline" || bad "both: $(cat out)"
python3 -c "import json; assert len(json.load(open('fresh.json'))['entries']) == 5" && ok "with both: every finding written" || bad "both: written"

# every format with --write-baseline reports no finding
for fmt in text json sarif; do
  expect_rc 0 "$SYNC_LINT" --write-baseline w.$fmt.json --format=$fmt -o w.$fmt a.c b.c
done
python3 -c "
import json
assert not [x for x in json.load(open('w.json'))['diagnostics'] if x['rule'] != 'sync-lint']
assert json.load(open('w.sarif'))['runs'][0]['results'] == []" && ok "json and sarif: nothing reported after writing" || bad "formats with --write-baseline"

# bad baseline files: exit 2, the file and the problem named
expect_rc 2 "$SYNC_LINT" --baseline nope.json a.c
has err "sync-lint: error: cannot read baseline 'nope.json': No such file or directory"
printf '{"version": 1, "entries": [\n  {"rule": "x",\n' > trunc.json
expect_rc 2 "$SYNC_LINT" --baseline trunc.json a.c
has err "baseline 'trunc.json' is not valid JSON (line 3)"
echo '[1, 2]' > arr.json
expect_rc 2 "$SYNC_LINT" --baseline arr.json a.c
has err "'arr.json' is not a sync-lint baseline"
echo '{"version": 2, "entries": []}' > v2.json
expect_rc 2 "$SYNC_LINT" --baseline v2.json a.c
has err "baseline 'v2.json' has version 2; this sync-lint reads version 1"
echo '{"version": 1, "entries": [{"rule": "r", "file": "a.c", "fingerprint": "xyz"}]}' > fp.json
expect_rc 2 "$SYNC_LINT" --baseline fp.json a.c
has err "baseline 'fp.json': entry 1: \"fingerprint\" must be 16 hex digits"
echo '{"version": 1, "entries": [{"file": "a.c", "fingerprint": "0123456789abcdef"}]}' > norule.json
expect_rc 2 "$SYNC_LINT" --baseline norule.json a.c
has err "entry 1 has no \"rule\" string"
# an existing but malformed --write-baseline target is not overwritten
cp trunc.json keep.json
expect_rc 2 "$SYNC_LINT" --write-baseline keep.json a.c
cmp -s keep.json trunc.json && ok "a malformed baseline is not overwritten" || bad "malformed baseline overwritten"
expect_rc 2 "$SYNC_LINT" --write-baseline "$WORK/no/such/dir/b.json" a.c
has out "cannot write baseline '$WORK/no/such/dir/b.json': No such file or directory"
expect_rc 2 "$SYNC_LINT" --baseline
has err "option '--baseline' needs a file name"

finish
