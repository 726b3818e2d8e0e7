# Shared helpers for the end-to-end tests (sourced, not run as a test).
set -euo pipefail
: "${SYNC_LINT:?}" "${SRC_DIR:?}" "${BUILD_DIR:?}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); echo "ok   $*"; }
bad() { fails=$((fails + 1)); echo "FAIL $*"; }
# expect_rc WANT CMD... : run, capture stdout/stderr in $WORK/out, $WORK/err
expect_rc() {
  local want=$1; shift
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  set -e
  if [ "$rc" -eq "$want" ]; then ok "exit $want: $*"; else
    bad "exit $rc (wanted $want): $*"; sed 's/^/    out: /' "$WORK/out" | head -20; sed 's/^/    err: /' "$WORK/err" | head -20
  fi
}
has() { if grep -q -- "$2" "$WORK/$1"; then ok "$1 has '$2'"; else bad "$1 lacks '$2'"; sed 's/^/    /' "$WORK/$1" | head -20; fi; }
lacks() { if grep -q -- "$2" "$WORK/$1"; then bad "$1 has '$2'"; sed 's/^/    /' "$WORK/$1" | head -20; else ok "$1 lacks '$2'"; fi; }
# write_bad_c FILE : a condvar wait with no loop around it, exactly one
# cond-wait-not-in-loop finding at line 10 (the fixture several tests share).
write_bad_c() {
  cat > "$1" <<'C'
#include <pthread.h>
#include <stdbool.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool ready;
void wait_ready(void)
{
    pthread_mutex_lock(&mu);
    if (!ready)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
C
}
finish() { echo "$passes passed, $fails failed"; [ "$fails" -eq 0 ]; }
# sarif_validator: set MT to the official SARIF validator (npm
# @microsoft/sarif-multitool, installed into the build tree once; the tests
# that need it share a ctest RESOURCE_LOCK), or fail the test.
sarif_validator() {
  local npm_dir="$BUILD_DIR/npm-sarif"
  MT="$npm_dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
  if [ ! -x "$MT" ]; then
    npm install --silent --prefix "$npm_dir" @microsoft/sarif-multitool@5.7.0 >"$WORK/npm.log" 2>&1 ||
      { cat "$WORK/npm.log"; bad "npm install of the SARIF validator"; finish; exit 1; }
    chmod u+x "$MT"
  fi
  # a self-contained .NET app: with invariant globalization it needs no libicu
  export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
}
