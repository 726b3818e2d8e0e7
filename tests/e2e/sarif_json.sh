#!/usr/bin/env bash
# JSON and SARIF output: structure checked with python3, SARIF validated by
# the official SARIF validator (npm @microsoft/sarif-multitool), fingerprints
# stable under line shifts.
source "$(dirname "$0")/lib.bash"
cp "$SRC_DIR/examples/stats_server.c" "$WORK/stats_server.c"
cd "$WORK"
expect_rc 1 "$SYNC_LINT" --format=json stats_server.c
cp "$WORK/out" "$WORK/report.json"
python3 - "$WORK/report.json" <<'PY' && ok "JSON structure" || bad "JSON structure"
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["version"], str)
diags = d["diagnostics"]
rules = {x["rule"] for x in diags}
want = {"cond-wait-not-in-loop", "mutex-guarded-counter", "lock-held-across-blocking-call",
        "false-sharing-atomics", "semaphore-as-mutex"}
assert want <= rules, rules
for x in diags:
    for k in ("rule", "file", "line", "column", "end_line", "end_column", "severity", "message", "notes", "fix"):
        assert k in x, (k, x)
    assert x["line"] >= 1 and x["column"] >= 1 and x["end_line"] >= x["line"]
    assert x["severity"] in ("warning", "error", "note")
    assert len(x["fingerprint"]) == 16
fixes = [x for x in diags if x["fix"]]
by_rule = {x["rule"]: x["fix"] for x in fixes}
assert by_rule["cond-wait-not-in-loop"]["edits"][0]["replacement"] == "while", by_rule
assert by_rule["false-sharing-atomics"]["edits"][0]["replacement"] == "_Alignas(64) ", by_rule
for f in by_rule.values():
    assert f["description"] and all(e["file"] == "stats_server.c" for e in f["edits"])
notes = [n for x in diags for n in x["notes"] if "acquired here" in n["message"]]
assert notes and "line" in notes[0]
s = d["stats"]
for k in ("files", "seconds", "cache_hits", "functions", "lines"):
    assert k in s, k
assert s["files"] == 1 and s["lines"] > 50
PY

expect_rc 1 "$SYNC_LINT" --format=sarif -o "$WORK/report.sarif" stats_server.c
python3 - "$WORK/report.sarif" <<'PY' && ok "SARIF structure" || bad "SARIF structure"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0" and len(d["runs"]) == 1
run = d["runs"][0]
drv = run["tool"]["driver"]
ids = [r["id"] for r in drv["rules"]]
for r in drv["rules"]:
    for k in ("id", "shortDescription", "fullDescription", "help", "helpUri"):
        assert k in r, (k, r["id"])
    assert r["help"]["text"] and r["help"].get("markdown", "x")
    prec = r.get("properties", {}).get("precision")
    assert prec in (None, "very-high", "high", "medium", "low"), (r["id"], prec)
assert any(r.get("properties", {}).get("precision") == "very-high" for r in drv["rules"])
res = run["results"]
assert len(res) >= 5
for r in res:
    assert r["ruleId"] in ids and ids[r["ruleIndex"]] == r["ruleId"]
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "stats_server.c"
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert loc["region"]["startLine"] >= 1
    assert len(r["partialFingerprints"]["syncLint/v1"]) == 16
assert any("relatedLocations" in r for r in res)
assert any("fixes" in r for r in res)
assert run["invocations"][0]["executionSuccessful"] is True
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
PY

# GitHub code scanning's expectations, beyond the schema: a category
# (automationDetails.id, default "sync-lint/", --sarif-category), tags on
# every rule and the registry's precision where it has one, every result
# with a %SRCROOT%-relative physical location and a partial fingerprint,
# and diagnostics about the run (no file) as invocation notifications.
"$SYNC_LINT" --list-rules --format=json > "$WORK/rules.json"
expect_rc 1 "$SYNC_LINT" --format=sarif --sarif-category=ci/linux-shard-2 -o "$WORK/cat.sarif" \
  --wrapper=no_such_lock_fn:lock stats_server.c
has err "sync-lint: 1 file, "
python3 - "$WORK/report.sarif" "$WORK/cat.sarif" "$WORK/rules.json" <<'PY' && ok "SARIF for GitHub code scanning" || bad "SARIF for GitHub code scanning"
import json, sys
default = json.load(open(sys.argv[1]))["runs"][0]
cat = json.load(open(sys.argv[2]))["runs"][0]
registry = {r["id"]: r for r in json.load(open(sys.argv[3]))["rules"]}
assert default["automationDetails"]["id"] == "sync-lint/", default.get("automationDetails")
assert cat["automationDetails"]["id"] == "ci/linux-shard-2", cat.get("automationDetails")
for run in (default, cat):
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(registry) | {"sync-lint"}
    for r in rules:
        props = r["properties"]
        assert props["tags"] and all(isinstance(t, str) and t for t in props["tags"]), r["id"]
        want = registry[r["id"]]["precision"] if r["id"] in registry else "very-high"
        assert props.get("precision") == want, (r["id"], props.get("precision"), want)
        assert props["problem.severity"] in ("error", "warning", "recommendation")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    for res in run["results"]:
        pl = res["locations"][0]["physicalLocation"]
        assert pl["artifactLocation"]["uriBaseId"] == "%SRCROOT%" and not pl["artifactLocation"]["uri"].startswith("/")
        assert pl["region"]["startLine"] >= 1
        assert len(res["partialFingerprints"]["syncLint/v1"]) == 16
# the same findings, the same fingerprints, whatever the category
fp = lambda run: [r["partialFingerprints"]["syncLint/v1"] for r in run["results"]]
assert fp(default) == fp(cat) and len(set(fp(cat))) == len(fp(cat))
# the unused --wrapper (no file) is a notification, not a location-less result
assert not any("no_such_lock_fn" in r["message"]["text"] for r in cat["results"])
inv = cat["invocations"][0]
notes = [n for n in inv["toolExecutionNotifications"] if "no_such_lock_fn" in n["message"]["text"]]
assert len(notes) == 1 and notes[0]["level"] == "note", inv
ids = [r["id"] for r in cat["tool"]["driver"]["rules"]]
assert ids[notes[0]["associatedRule"]["index"]] == notes[0]["associatedRule"]["id"] == "sync-lint"
assert inv["executionSuccessful"] is True
PY
expect_rc 2 "$SYNC_LINT" --format=sarif --sarif-category= stats_server.c
has err "option '--sarif-category' needs a name"

# Fingerprints survive inserting lines above the findings.
"$SYNC_LINT" -q --format=json stats_server.c > "$WORK/a.json" || true
{ printf '/* a\n * header\n * comment */\n\n'; cat stats_server.c; } > "$WORK/shifted.c"
mv "$WORK/shifted.c" stats_server.c
"$SYNC_LINT" -q --format=json stats_server.c > "$WORK/b.json" || true
python3 - "$WORK/a.json" "$WORK/b.json" <<'PY' && ok "fingerprints stable under line shifts" || bad "fingerprints changed"
import json, sys
a = json.load(open(sys.argv[1]))["diagnostics"]
b = json.load(open(sys.argv[2]))["diagnostics"]
assert [x["line"] + 4 for x in a] == [x["line"] for x in b]
assert [x["fingerprint"] for x in a] == [x["fingerprint"] for x in b]
assert len(set(x["fingerprint"] for x in a)) == len(a)
PY

# Tool errors go to invocations in SARIF.
printf 'int main( {\n' > "$WORK/broken.c"
expect_rc 2 "$SYNC_LINT" --format=sarif "$WORK/broken.c"
python3 -c "
import json,sys; d=json.load(open('$WORK/out')); inv=d['runs'][0]['invocations'][0]
assert inv['executionSuccessful'] is False and inv['toolExecutionNotifications']" && ok "parse errors are tool notifications" || bad "tool notifications"

# The official validator.
sarif_validator
# More shapes to validate: a tool error (toolExecutionNotifications), a file
# outside the working directory (absolute file:// URI), a stale suppression
# (a result of the tool's own rule).
mkdir -p "$WORK/elsewhere" "$WORK/sub"
cp "$SRC_DIR/examples/stats_server.c" "$WORK/elsewhere/outside.c"
printf 'int x; // sync-lint: ignore[cond-wait-not-in-loop]\n' > "$WORK/sub/stale.c"
(cd "$WORK/sub" && "$SYNC_LINT" --format=sarif -o "$WORK/mixed.sarif" stale.c ../elsewhere/outside.c "$WORK/broken.c" >/dev/null 2>&1) || true
python3 - "$WORK/mixed.sarif" <<'PY' && ok "SARIF: outside files, tool errors, stale suppressions" || bad "SARIF mixed shapes"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
assert "stale.c" in uris, uris
assert any(u.startswith("file:///") and u.endswith("/elsewhere/outside.c") for u in uris), uris
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
stale = [r for r in run["results"] if r["ruleId"] == "sync-lint"]
assert stale and ids[stale[0]["ruleIndex"]] == "sync-lint"
inv = run["invocations"][0]
assert inv["executionSuccessful"] is False
assert any("broken.c" in n["message"]["text"] for n in inv["toolExecutionNotifications"])
PY

# A fix of several edits (an include and two alignment specifiers) in one
# artifactChange, insertions as empty deletedRegions.
cat > "$WORK/rt.c" <<'C'
#include <pthread.h>
#include <stdatomic.h>
#include <synclint/event.h>
struct st { atomic_long a; atomic_long b; atomic_long c; };
static struct st S;
void *t1(void *x) { for (;;) atomic_fetch_add(&S.a, 1); return x; }
void *t2(void *x) { for (;;) atomic_fetch_add(&S.b, 1); return x; }
void *t3(void *x) { for (;;) atomic_fetch_add(&S.c, 1); return x; }
C
(cd "$WORK" && "$SYNC_LINT" --format=sarif -o "$WORK/fixes.sarif" rt.c -- -I"$SRC_DIR/runtime/include" >/dev/null 2>&1) || true
python3 -c "
import json; r = json.load(open('$WORK/fixes.sarif'))['runs'][0]['results'][0]
assert len(r['fixes'][0]['artifactChanges'][0]['replacements']) == 3, r" && ok "SARIF fix with three replacements" || bad "SARIF multi-edit fix"

for f in report.sarif mixed.sarif cat.sarif fixes.sarif; do
  rm -f "$WORK/validation.sarif"
  if "$MT" validate "$WORK/$f" -o "$WORK/validation.sarif" >"$WORK/val.log" 2>&1 && [ -s "$WORK/validation.sarif" ]; then
    python3 - "$WORK/validation.sarif" <<'PY' && ok "official SARIF validator on $f: no errors or warnings" || bad "SARIF validator findings on $f"
import json, sys
d = json.load(open(sys.argv[1]))
res = d["runs"][0].get("results", [])
for r in res:
    m = r.get("message", {})
    print("   ", r.get("level", "warning"), r.get("ruleId"), m.get("id"), m.get("arguments"))
assert not [r for r in res if r.get("level", "warning") in ("error", "warning")]
PY
  else
    cat "$WORK/val.log"; bad "validator did not run on $f"
  fi
done
finish
