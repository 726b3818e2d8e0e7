#!/usr/bin/env bash
# The CI files a team copies: tools/ci/github-workflow.yml passes the
# workflow validator (npm @action-validator/cli); the script its steps run,
# tools/ci/pr-check.sh, and the git hook tools/ci/pre-commit run against a
# scripted repository.
source "$(dirname "$0")/lib.bash"
command -v git >/dev/null || { bad "git is not installed (tools/install-deps.sh installs it)"; finish; exit 1; }
command -v npm >/dev/null || { bad "npm is not installed (tools/install-deps.sh installs it)"; finish; exit 1; }

# --- the workflow validates ------------------------------------------------------
AV_DIR="$BUILD_DIR/npm-action-validator"
AV="$AV_DIR/node_modules/.bin/action-validator"
if [ ! -x "$AV" ]; then
  npm install --silent --prefix "$AV_DIR" @action-validator/cli@0.6.0 @action-validator/core@0.6.0 \
    >"$WORK/npm.log" 2>&1 || { cat "$WORK/npm.log"; bad "npm install of the workflow validator"; finish; exit 1; }
fi
expect_rc 0 "$AV" "$SRC_DIR/tools/ci/github-workflow.yml"
# the validator is not a no-op: a misspelt key fails
sed 's/runs-on:/runs_on:/' "$SRC_DIR/tools/ci/github-workflow.yml" > "$WORK/broken.yml"
expect_rc 1 "$AV" "$WORK/broken.yml"

# --- a scripted repository -----------------------------------------------------------
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES="$WORK"
mkdir -p "$HOME"
repo="$WORK/repo"
mkdir -p "$repo/src" "$repo/build"
cd "$repo"
git init -q -b main .
git config user.name "sync-lint test"
git config user.email "test@example.invalid"
git config commit.gpgsign false

cat > src/queue.c <<'C'
#include <pthread.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;
void queue_wait(void)
{
    pthread_mutex_lock(&mu);
    if (!ready)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
C
cat > src/stats.c <<'C'
#include <pthread.h>
static pthread_mutex_t smu = PTHREAD_MUTEX_INITIALIZER;
static int served;
int stats_served(void) { return served; }
C
python3 - "$repo" <<'PY'
import json, sys, os
repo = sys.argv[1]
db = [{"directory": repo, "file": f"src/{n}", "arguments": ["cc", "-std=gnu11", "-pthread", "-c", f"src/{n}"]}
      for n in ("queue.c", "stats.c")]
json.dump(db, open(os.path.join(repo, "build", "compile_commands.json"), "w"), indent=1)
PY
printf 'build/\nout/\n' > .gitignore
git add -A && git commit -q -m "base: one old finding in queue.c"
git checkout -q -b feature
# the change: a new finding in stats.c, an unrelated edit in queue.c
cat > src/stats.c <<'C'
#include <pthread.h>
static pthread_mutex_t smu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t scv = PTHREAD_COND_INITIALIZER;
static int served, flushed;
int stats_served(void) { return served; }
void stats_wait_flush(void)
{
    pthread_mutex_lock(&smu);
    if (!flushed)
        pthread_cond_wait(&scv, &smu);
    pthread_mutex_unlock(&smu);
}
C
sed -i '1i /* queue: a one-slot hand-off */' src/queue.c
git commit -q -am "feature: wait for the flush"

# --- pr-check.sh: only the change, SARIF and checklist written, exit 1 -----------------
export SYNC_LINT
out_rc=0
BASE=main DB=build OUT=out "$SRC_DIR/tools/ci/pr-check.sh" >"$WORK/pr.out" 2>"$WORK/pr.err" || out_rc=$?
[ "$out_rc" = 1 ] && ok "pr-check exits 1 on a new finding" || { bad "pr-check exit $out_rc (wanted 1)"; cat "$WORK/pr.err"; }
has pr.out "src/stats.c:10:9: warning:"
lacks pr.out "src/queue.c"
python3 - "$repo/out/sync-lint.sarif" <<'PY' && ok "SARIF covers the change only, with the category" || bad "SARIF of the change"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
assert uris == {"src/stats.c"}, uris
assert run["automationDetails"]["id"].startswith("sync-lint/pr")
PY
grep -q "cond-wait-not-in-loop" "$repo/out/checklist.md" && grep -q "^## sync-lint review checklist" "$repo/out/checklist.md" \
  && ok "the checklist names the finding" || bad "checklist.md"

# --- with the finding in the baseline the check passes --------------------------------
"$SYNC_LINT" -q -p build --write-baseline .sync-lint-baseline.json >/dev/null 2>&1
expect_rc 0 env BASE=main DB=build OUT=out "$SRC_DIR/tools/ci/pr-check.sh"
# a usage error is exit 2, not a pass
expect_rc 2 env BASE=no-such-rev DB=build OUT=out "$SRC_DIR/tools/ci/pr-check.sh"
rm -f .sync-lint-baseline.json

# --- the pre-commit hook ----------------------------------------------------------------
cp "$SRC_DIR/tools/ci/pre-commit" .git/hooks/pre-commit
export SYNC_LINT_DB=build
cat > src/worker.c <<'C'
#include <pthread.h>
static pthread_mutex_t wmu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wcv = PTHREAD_COND_INITIALIZER;
static int go;
void worker_wait(void)
{
    pthread_mutex_lock(&wmu);
    if (!go)
        pthread_cond_wait(&wcv, &wmu);
    pthread_mutex_unlock(&wmu);
}
C
git add src/worker.c
if git commit -q -m "worker" >"$WORK/hook.out" 2>&1; then bad "pre-commit let a finding in"; else ok "pre-commit stops a commit with a finding"; fi
grep -q "worker.c:9:9: warning" "$WORK/hook.out" && ok "the hook shows the finding" || { bad "hook output"; cat "$WORK/hook.out"; }
sed -i 's/    if (!go)/    while (!go)/' src/worker.c
git add src/worker.c
if git commit -q -m "worker, fixed" >"$WORK/hook2.out" 2>&1; then ok "pre-commit lets a clean commit through"; else bad "pre-commit blocked a clean commit"; cat "$WORK/hook2.out"; fi
# no C file staged: nothing to lint, nothing run
echo notes > NOTES
git add NOTES
SYNC_LINT=/nonexistent git commit -q -m "notes" >/dev/null 2>&1 && ok "no staged C file: the hook does not run sync-lint" || bad "hook ran without C files"
finish
