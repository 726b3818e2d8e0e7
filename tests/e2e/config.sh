#!/usr/bin/env bash
# The configuration file, .sync-lint.json (docs/config.md): found upwards
# from the first file or from the -p directory, or given with --config, or
# ignored with --no-config; each key changes what the real binary reports;
# the command line overrides the file; every kind of mistake is an error
# (exit 2) naming the file and the key; the shipped examples validate
# against docs/sync-lint.schema.json.
source "$(dirname "$0")/lib.bash"
P="$WORK/proj"
mkdir -p "$P/src/net" "$P/third_party/z" "$P/build" "$WORK/elsewhere"

# A log lock that also guards a sequence number read outside it: the rule
# cannot tell it is an output lock by itself.
cat > "$P/src/net/log.c" <<'C'
#include <pthread.h>
#include <stdio.h>
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long seq;
void log_line(FILE *f, const char *s)
{
    pthread_mutex_lock(&log_mu);
    fprintf(f, "%lu %s\n", ++seq, s);
    pthread_mutex_unlock(&log_mu);
}
unsigned long log_seq(void) { return seq; }
C
# A counter bumped through the project's lock functions (a wrapper), a call
# to the project's own blocking helper, and a diagnostic on a cold error
# path, all under locks.
cat > "$P/src/stats.c" <<'C'
#include <pthread.h>
#include <stdio.h>
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
void STATS_LOCK(void);
void STATS_UNLOCK(void);
void net_send_all(int fd, const char *p);
static unsigned long rejected;
void conn_rejected(void)
{
    STATS_LOCK();
    rejected++;
    STATS_UNLOCK();
}
static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static int q[16], qn;
void flush_q(int fd)
{
    pthread_mutex_lock(&q_mu);
    net_send_all(fd, (const char *)q);
    qn = 0;
    pthread_mutex_unlock(&q_mu);
}
int push(int v)
{
    pthread_mutex_lock(&q_mu);
    if (qn == 16) {
        fprintf(stderr, "queue full\n");
        pthread_mutex_unlock(&q_mu);
        return -1;
    }
    q[qn++] = v;
    pthread_mutex_unlock(&q_mu);
    return 0;
}
C
cp "$P/src/net/log.c" "$P/third_party/z/zlog.c"

LOGF=lock-held-across-blocking-call
run() { expect_rc "$@"; }

# --- no file: the built-in behaviour -----------------------------------------
run 1 "$SYNC_LINT" "$P/src/net/log.c"
has out "log.c:8:5: warning: 'fprintf' may block while 'log_mu' is held"

# --- found upwards from a nested file: io_locks silences the finding ---------
cat > "$P/.sync-lint.json" <<'J'
{ "io_locks": ["log_mu"] }
J
run 0 "$SYNC_LINT" "$P/src/net/log.c"
lacks out "$LOGF"
# ... from a relative path, run from another directory
(cd "$P/src" && expect_rc 0 "$SYNC_LINT" net/log.c)
# ... from the current directory when no file is named (an error about the
# missing input, not about the config)
(cd "$P/src/net" && expect_rc 2 "$SYNC_LINT")
has err "no input files"
# a nearer file wins over one further up
echo '{}' > "$P/src/net/.sync-lint.json"
run 1 "$SYNC_LINT" "$P/src/net/log.c"
has out "'log_mu' is held"
rm "$P/src/net/.sync-lint.json"

# --- --no-config ignores it; --config names another ----------------------------
run 1 "$SYNC_LINT" --no-config "$P/src/net/log.c"
has out "'log_mu' is held"
echo '{"checks": "-*,busy-wait"}' > "$WORK/elsewhere/only-busy.json"
run 0 "$SYNC_LINT" --config "$WORK/elsewhere/only-busy.json" "$P/src/net/log.c"
lacks out "$LOGF"
run 2 "$SYNC_LINT" --config "$WORK/elsewhere/only-busy.json" --no-config "$P/src/net/log.c"
has err "exclude each other"

# --- command-line options override the file ----------------------------------
run 1 "$SYNC_LINT" --config "$WORK/elsewhere/only-busy.json" --checks="$LOGF" "$P/src/net/log.c"
has out "'log_mu' is held"
# a list on the command line replaces the file's list (io_locks: log_mu)
run 1 "$SYNC_LINT" --io-lock=other_mu "$P/src/net/log.c"
has out "'log_mu' is held"
run 0 "$SYNC_LINT" --io-lock=other_mu --io-lock=log_mu "$P/src/net/log.c"

# --- wrappers and blocking from the file make findings appear -----------------
run 0 "$SYNC_LINT" --checks=mutex-guarded-counter "$P/src/stats.c"
lacks out "mutex-guarded-counter"
cat > "$P/.sync-lint.json" <<'J'
{
  "wrappers": ["STATS_LOCK:lock:@stats_lock", "STATS_UNLOCK:unlock:@stats_lock"],
  "blocking": ["net_send_all"]
}
J
run 1 "$SYNC_LINT" "$P/src/stats.c"
has out "stats.c:11:5: warning: .*\[mutex-guarded-counter\]"
has out "stats.c:19:5: warning: 'net_send_all' may block while 'q_mu' is held"
lacks out "stats.c:27"
# --wrapper on the command line replaces the file's wrappers
run 1 "$SYNC_LINT" --wrapper=OTHER_LOCK:lock "$P/src/stats.c"
lacks out "mutex-guarded-counter"

# --- a per-rule option changes a finding ---------------------------------------
cat > "$P/.sync-lint.json" <<'J'
{ "rules": { "lock-held-across-blocking-call": { "report_cold_diagnostics": true } } }
J
run 1 "$SYNC_LINT" "$P/src/stats.c"
has out "stats.c:27:9: warning: 'fprintf' may block while 'q_mu' is held"
echo '{ "rules": { "lock-held-across-blocking-call": { "report_cold_diagnostics": false } } }' \
  > "$P/.sync-lint.json"
run 0 "$SYNC_LINT" "$P/src/stats.c"
# the option is documented where the rule is
run 0 "$SYNC_LINT" --explain "$LOGF"
has out "report_cold_diagnostics (bool, default false)"
run 0 "$SYNC_LINT" --list-rules --format=json
if python3 - "$WORK/out" <<'PY'
import json, sys
rules = {r["id"]: r for r in json.load(open(sys.argv[1]))["rules"]}
opts = rules["lock-held-across-blocking-call"]["options"]
assert opts == [{"name": "report_cold_diagnostics", "type": "bool", "default": False,
                 "doc": opts[0]["doc"]}], opts
assert all(isinstance(r["options"], list) for r in rules.values())
PY
then ok "--list-rules --format=json lists the rule's options"; else bad "options in --list-rules JSON"; fi

# --- exclude, with a compile database ------------------------------------------
cat > "$P/build/compile_commands.json" <<J
[
 {"directory": "$P/build", "file": "$P/src/net/log.c", "command": "cc -c $P/src/net/log.c"},
 {"directory": "$P/build", "file": "$P/third_party/z/zlog.c", "command": "cc -c $P/third_party/z/zlog.c"}
]
J
echo '{}' > "$P/.sync-lint.json"
run 1 "$SYNC_LINT" -p "$P/build"
has out "zlog.c:8:5"
has out "src/net/log.c:8:5"
# found from the -p directory (build/ is under the project)
echo '{ "exclude": ["third_party"] }' > "$P/.sync-lint.json"
run 1 "$SYNC_LINT" -p "$P/build"
lacks out "zlog.c"
has out "src/net/log.c:8:5"
echo '{ "exclude": ["src/*/log.c", "third_party/*"] }' > "$P/.sync-lint.json"
(cd "$WORK" && expect_rc 0 "$SYNC_LINT" -p "$P/build")
has err "every input file is excluded (2 files)"
# globs in the file are relative to its directory, not to the current one
(cd "$P/src" && expect_rc 0 "$SYNC_LINT" net/log.c)
# --exclude on the command line is relative to the current directory and
# replaces the file's list
(cd "$P" && expect_rc 1 "$SYNC_LINT" -p build --exclude='src/*')
has out "zlog.c"
lacks out "src/net/log.c"

# --- errors: exit 2, the file and the key named ---------------------------------
err_case() {   # err_case 'JSON' 'expected message'
  printf '%s' "$1" > "$P/.sync-lint.json"
  expect_rc 2 "$SYNC_LINT" "$P/src/stats.c"
  has err "config '$P/.sync-lint.json': $2"
  lacks out "warning"
}
err_case '{"wrapers": []}' "unknown key 'wrapers' (did you mean 'wrappers'?)"
err_case '{"io_lock": ["a"]}' "unknown key 'io_lock' (did you mean 'io_locks'?)"
err_case '{"exclde": []}' "unknown key 'exclde' (did you mean 'exclude'?)"
err_case '{"colour": true}' "unknown key 'colour'$"
err_case '{"io_locks": "log_mu"}' "'io_locks' must be a list of strings, not a string"
err_case '{"checks": 3}' "'checks' must be a list of strings or a string, not a number"
err_case '{"blocking": ["ok", 7]}' "'blocking'\[1\] must be a non-empty string, not a number"
err_case '{"blocking": ["net send"]}' "'blocking'\[0\]: 'net send' is not a function name"
err_case '{"baseline": false}' "'baseline' must be a file name, not a boolean"
err_case '{"wrappers": ["x:frobnicate"]}' "'wrappers'\[0\]: bad wrapper 'x:frobnicate': unknown operation 'frobnicate'"
err_case '{"checks": "busy-wiat"}' "'checks': 'busy-wiat' matches no rule"
err_case '{"rules": {"lock-held-across-blocking-cal": {}}}' \
  "unknown rule 'lock-held-across-blocking-cal' in 'rules' (did you mean 'lock-held-across-blocking-call'?)"
err_case '{"rules": {"lock-held-across-blocking-call": {"report_cold_diagnostic": true}}}' \
  "unknown option 'report_cold_diagnostic' of rule 'lock-held-across-blocking-call' (did you mean 'report_cold_diagnostics'?)"
err_case '{"rules": {"busy-wait": {"x": 1}}}' "unknown option 'x' of rule 'busy-wait' (it has no options"
err_case '{"rules": {"lock-held-across-blocking-call": {"report_cold_diagnostics": "yes"}}}' \
  "'rules'.'lock-held-across-blocking-call'.'report_cold_diagnostics' must be a boolean, not a string"
err_case '{"rules": []}' "'rules' must be an object of rule ids, not a list"
err_case '[]' "the top level must be an object, not a list"
err_case '{"checks": "*", "checks": "-*"}' "key 'checks' is given twice"
err_case $'{\n  "io_locks": [\n    "log_mu",\n  ]\n}' "not valid JSON at line 4, column 3"
err_case '{"io_locks": ["a"' "not valid JSON at line 1, column 18"
err_case '' "not valid JSON at line 1, column 1"
rm "$P/.sync-lint.json"
run 2 "$SYNC_LINT" --config "$WORK/nope.json" "$P/src/stats.c"
has err "config '$WORK/nope.json': cannot read: No such file or directory"
run 2 "$SYNC_LINT" --config "$P/src" "$P/src/stats.c"
has err "config '$P/src': cannot read"

# --- the schema: the examples validate, mistakes do not --------------------------
SCHEMA="$SRC_DIR/docs/sync-lint.schema.json"
VALIDATE=(python3 "$SRC_DIR/tools/validate-json-schema.py" "$SCHEMA")
examples=("$SRC_DIR"/docs/config-examples/*.json "$SRC_DIR"/testdata/*/*/.sync-lint.json)
expect_rc 0 "${VALIDATE[@]}" "${examples[@]}"
# and sync-lint accepts each of them (a copy beside the baseline file it
# may name: the baseline filter reads it)
for ex in "${examples[@]}"; do
  mkdir -p "$WORK/ex" && cp "$ex" "$WORK/ex/cfg.json"
  rm -f "$WORK/ex/.sync-lint-baseline.json"
  "$SYNC_LINT" -q --no-config --checks=busy-wait --write-baseline "$WORK/ex/.sync-lint-baseline.json" \
    "$P/src/net/log.c" 2>/dev/null
  expect_rc 0 "$SYNC_LINT" --config "$WORK/ex/cfg.json" --checks=busy-wait "$P/src/net/log.c"
done
# the example in docs/config.md is config-examples/full.json
python3 - "$SRC_DIR/docs/config.md" "$SRC_DIR/docs/config-examples/full.json" <<'PY' \
  && ok "docs/config.md shows config-examples/full.json" || bad "docs/config.md example differs from full.json"
import json, re, sys
md = open(sys.argv[1]).read()
block = re.search(r"## Example\n\n```json\n(.*?)```", md, re.S).group(1)
assert json.loads(block) == json.load(open(sys.argv[2]))
PY
for bad_cfg in '{"wrapers": []}' '{"io_locks": "a"}' '{"rules": {"busy-wait": {"x": 1}}}' \
               '{"rules": {"no-such-rule": {}}}' '{"wrappers": ["a:frob"]}' \
               '{"rules": {"lock-held-across-blocking-call": {"report_cold_diagnostics": 1}}}'; do
  printf '%s' "$bad_cfg" > "$WORK/bad.json"
  expect_rc 1 "${VALIDATE[@]}" "$WORK/bad.json"
done
# the schema's rules and options are the registry's
run 0 "$SYNC_LINT" --list-rules --format=json
if python3 - "$WORK/out" "$SCHEMA" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))["rules"]
schema = json.load(open(sys.argv[2]))["properties"]["rules"]
assert schema["propertyNames"]["enum"] == [r["id"] for r in rules], "rule ids differ"
types = {"bool": "boolean", "int": "integer", "string": "string", "string-list": "array"}
want = {r["id"]: {o["name"]: types[o["type"]] for o in r["options"]} for r in rules if r["options"]}
got = {rid: {k: v["type"] for k, v in s["properties"].items()} for rid, s in schema["properties"].items()}
assert want == got, (want, got)
PY
then ok "the schema's rules and options match --list-rules"; else bad "schema rules differ from the registry"; fi
finish
