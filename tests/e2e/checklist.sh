#!/usr/bin/env bash
# --format=checklist and --format=inventory over a small scripted git
# project: links relative to the repository root, answers from the findings,
# "no finding" / "needs a reviewer", TSan found in the build or not; golden
# files under tests/e2e/golden/ (regenerate: UPDATE_GOLDEN=1).
source "$(dirname "$0")/lib.bash"
GOLDEN="$SRC_DIR/tests/e2e/golden"
# same_as GOLDEN_NAME FILE : FILE equals the golden file byte for byte
same_as() {
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$2" "$GOLDEN/$1"; ok "updated $1"; return; fi
  if diff -u "$GOLDEN/$1" "$2" > "$WORK/diff"; then ok "$2 matches golden $1"; else
    bad "$2 differs from golden $1"; head -40 "$WORK/diff" | sed 's/^/    /'; fi
}

R="$WORK/repo"
mkdir -p "$R/src" "$R/build/ci"
cd "$R"
git init -q .
git config user.email t@example.com
git config user.name test
cat > src/queue.c <<'C'
/* A work queue: one mutex, a condvar, a worker thread. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t nonempty;
    int items[64];
    size_t n;
    bool closed;
};

int queue_pop(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    if (q->n == 0)
        pthread_cond_wait(&q->nonempty, &q->mu);
    int v = q->items[--q->n];
    pthread_mutex_unlock(&q->mu);
    return v;
}

void queue_push(struct queue *q, int v)
{
    pthread_mutex_lock(&q->mu);
    q->items[q->n++] = v;
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->mu);
}

static void *worker(void *arg)
{
    struct queue *q = arg;
    while (queue_pop(q) >= 0) {
    }
    return NULL;
}

int queue_run(struct queue *q)
{
    pthread_t t;
    if (pthread_create(&t, NULL, worker, q) != 0)
        return -1;
    queue_push(q, -1);
    return pthread_join(t, NULL);
}
C
cat > src/stats.c <<'C'
/* Request statistics: a counter behind a mutex, two atomics side by side. */
#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long requests;

struct meter {
    _Atomic long hits;
    _Atomic long misses;
};

void stats_request(void)
{
    pthread_mutex_lock(&stats_mu);
    requests++;
    pthread_mutex_unlock(&stats_mu);
}

void meter_hit(struct meter *m) { atomic_fetch_add(&m->hits, 1); }
void meter_miss(struct meter *m) { atomic_fetch_add(&m->misses, 1); }
C
cat > src/clean.c <<'C'
/* The same queue wait, in the loop it needs. */
#include <pthread.h>
#include <stdbool.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool ready;
void wait_ready(void)
{
    pthread_mutex_lock(&mu);
    while (!ready)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}
C
printf 'cmake_minimum_required(VERSION 3.16)\nproject(q C)\nadd_library(q src/queue.c src/stats.c)\n' > CMakeLists.txt
# a build tree and .git are never searched: TSan flags there do not count
printf 'CMAKE_C_FLAGS:STRING=-fsanitize=thread\n' > build/CMakeCache.txt
printf 'CFLAGS = -fsanitize=thread\n' > build/ci/Makefile
git add -A && git commit -q -m "queue and stats"

# findings: run from a subdirectory, links still relative to the repository root
cd "$R/src"
expect_rc 1 "$SYNC_LINT" --format=checklist queue.c stats.c
cp "$WORK/out" "$WORK/findings.md"
same_as checklist_findings.md "$WORK/findings.md"
has out '\[src/queue.c:18\](src/queue.c#L18) `cond-wait-not-in-loop`'
has out '^- \[ \] \*\*Is a synchronisation primitive needed at all?\*\* 1 finding:'
has out '\[src/stats.c:16\](src/stats.c#L16) `mutex-guarded-counter`'
has out '^- \[x\] \*\*Does a thread only relay a value to another?\*\* No finding (`relay-thread` ran)'
has out 'ThreadSanitizer?\*\* Needs a reviewer: `-fsanitize=thread` was not found in the 1 build file searched'
# -o writes the same document
expect_rc 1 "$SYNC_LINT" --format=checklist -o "$WORK/o.md" queue.c stats.c
cmp -s "$WORK/o.md" "$WORK/findings.md" && ok "-o checklist" || bad "-o checklist differs"
# deterministic across -j
expect_rc 1 "$SYNC_LINT" --format=checklist -j 1 stats.c queue.c
cmp -s "$WORK/out" "$WORK/findings.md" && ok "checklist independent of -j and file order" || bad "checklist depends on -j/order"

# a long list: the first ten, then the rest counted per rule
for i in $(seq 1 12); do cp queue.c "dup$i.c"; done
expect_rc 1 "$SYNC_LINT" --format=checklist dup*.c
has out 'predicate loops (and is a condvar needed)?\*\* 12 findings:$'
has out '^  - and 2 more: `cond-wait-not-in-loop` 2$'
[ "$(grep -c '^  - \[src/dup' "$WORK/out")" -eq 10 ] && ok "ten findings listed" || bad "not ten findings listed"
rm dup*.c

# no findings: every rule-decided question "No finding"
cd "$R"
expect_rc 0 "$SYNC_LINT" --format=checklist src/clean.c
has out 'Answers cover the findings of this run: 0 findings'
has out '^- \[x\] \*\*Are condition-variable waits in predicate loops (and is a condvar needed)?\*\* No finding (`cond-wait-not-in-loop`, `condvar-one-shot` ran)'
lacks out '^- \[ \] \*\*Is a sync'
lacks out 'Other findings'

# a file that could not be analysed: said, so "no finding" is not read as covering it
expect_rc 2 "$SYNC_LINT" --format=checklist src/clean.c src/missing.c
has out '^\*\*1 file could not be analysed\*\* (see the log)'
has err 'missing.c'

# rules disabled: "needs a reviewer" names them; partly disabled: "not run"
expect_rc 0 "$SYNC_LINT" --format=checklist --checks=-split-atomic-state,-relay-thread,-busy-wait src/clean.c
cp "$WORK/out" "$WORK/disabled.md"
same_as checklist_disabled.md "$WORK/disabled.md"
has out 'move together, and are they split across atomics?\*\* Needs a reviewer: no enabled rule decides it (`split-atomic-state` disabled)'
has out 'relay a value to another?\*\* Needs a reviewer: no enabled rule decides it (`relay-thread` disabled)'
has out 'No finding (`lock-held-across-blocking-call` ran; not run: `busy-wait`)'

# a finding of a rule no question names is listed under "Other findings"
cat > src/leak.c <<'C'
#include <pthread.h>
static void *run(void *a) { return a; }
void start(void)
{
    pthread_t t;
    pthread_create(&t, 0, run, 0);
}
C
expect_rc 1 "$SYNC_LINT" --format=checklist src/leak.c
has out '^\*\*Other findings\*\* (1):'
has out '\[src/leak.c:6\](src/leak.c#L6) `thread-leak`'
rm src/leak.c

# TSan found in the build: where
printf 'if(SANITIZE_THREADS)\n  add_compile_options(-O1 -fsanitize=address,thread)\nendif()\n' >> CMakeLists.txt
mkdir -p .github/workflows
printf 'on: push\njobs:\n  tsan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cmake -B b -DCMAKE_C_FLAGS=-fsanitize=thread && ctest --test-dir b\n' > .github/workflows/ci.yml
printf 'project(q)\n# b_sanitize is set by the CI job\n' > meson.build
expect_rc 0 "$SYNC_LINT" --format=checklist src/clean.c
has out '^- \[x\] \*\*Does the test suite run under ThreadSanitizer?\*\* Yes: `-fsanitize=thread` in `.github/workflows/ci.yml:6`, `CMakeLists.txt:5`.$'
# meson's option spelling counts too
printf "project('q', 'c', default_options: ['b_sanitize=thread'])\n" > meson.build
rm -r .github CMakeLists.txt
printf 'project(q C)\n' > CMakeLists.txt
expect_rc 0 "$SYNC_LINT" --format=checklist src/clean.c
has out 'Yes: `-fsanitize=thread` in `meson.build:1`.$'
rm meson.build

# outside a git repository: relative to the current directory
mkdir -p "$WORK/plain/lib" && cp "$R/src/queue.c" "$WORK/plain/lib/"
cd "$WORK/plain"
expect_rc 1 "$SYNC_LINT" --format=checklist lib/queue.c
has out '\[lib/queue.c:18\](lib/queue.c#L18)'
has out 'not found in the 0 build files searched'

# inventory of a multi-file project: locks merged across files, condvars with
# their mutex, atomics by struct, threads and their joins
mkdir -p "$R/inv"
cd "$R/inv"
cp "$R/src/queue.c" "$R/src/stats.c" .
cat > pool.c <<'C'
/* A pool: its threads are started in one function and joined in another. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t idle;
    pthread_t threads[4];
    bool running;
    int done;
};

static void *pool_worker(void *arg)
{
    struct pool *p = arg;
    pthread_mutex_lock(&p->mu);
    while (p->running)
        pthread_cond_wait(&p->idle, &p->mu);
    p->done++;
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int pool_start(struct pool *p)
{
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->idle, NULL);
    p->running = true;
    for (int i = 0; i < 4; i++)
        if (pthread_create(&p->threads[i], NULL, pool_worker, p) != 0)
            return -1;
    return 0;
}

void pool_stop(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->running = false;
    pthread_cond_broadcast(&p->idle);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < 4; i++)
        pthread_join(p->threads[i], NULL);
}
C
cat > config.h <<'C'
#include <pthread.h>
struct config { int level; };
extern pthread_rwlock_t config_lock;
extern struct config *config_current;
C
cat > config_read.c <<'C'
#include "config.h"
int config_level(void)
{
    pthread_rwlock_rdlock(&config_lock);
    int v = config_current->level;
    pthread_rwlock_unlock(&config_lock);
    return v;
}
C
cat > config_write.c <<'C'
#include "config.h"
pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
struct config *config_current;
void config_set(struct config *c)
{
    pthread_rwlock_wrlock(&config_lock);
    config_current = c;
    pthread_rwlock_unlock(&config_lock);
}
C
cat > detach.c <<'C'
#include <pthread.h>
#include <stdatomic.h>
static _Atomic int started;
static void *bg(void *a) { atomic_store(&started, 1); return a; }
void spawn(void)
{
    pthread_t t;
    pthread_create(&t, NULL, bg, NULL);
    pthread_detach(t);
}
C
expect_rc 1 "$SYNC_LINT" --format=inventory *.c
cp "$WORK/out" "$WORK/inventory.md"
same_as inventory.md "$WORK/inventory.md"
has out '^#### `config_lock` (rwlock)$'
has out '^- shared (rdlock), 1 site: \[inv/config_read.c:4\](inv/config_read.c#L4) (`config_level`)$'
has out 'joined at \[inv/pool.c:43\](inv/pool.c#L43) (`pool_stop`)$'
has out '`bg` started at .*; detached at \[inv/detach.c:9\](inv/detach.c#L9) (`spawn`)$'
# the same inventory whatever the order of the files and -j
expect_rc 1 "$SYNC_LINT" --format=inventory -j 1 detach.c pool.c stats.c queue.c config_write.c config_read.c
cmp -s "$WORK/out" "$WORK/inventory.md" && ok "inventory independent of file order and -j" || bad "inventory depends on order/-j"
# with no whole-program rule enabled the inventory is still complete
expect_rc 1 "$SYNC_LINT" --format=inventory --checks=cond-wait-not-in-loop *.c
cmp -s "$WORK/out" "$WORK/inventory.md" && ok "inventory independent of --checks" || bad "inventory depends on --checks"
printf 'int nothing;\n' > "$WORK/none.c"
expect_rc 0 "$SYNC_LINT" --format=inventory "$WORK/none.c"
has out '^1 file analysed: 0 locks, 0 condition variables, 0 groups of atomics, 0 thread starts.$'
[ "$(grep -c '^None found.$' "$WORK/out")" -eq 4 ] && ok "empty sections say so" || bad "empty sections"

# the help names both formats; an unknown one is a usage error
expect_rc 0 "$SYNC_LINT" --help; has out "checklist"; has out "inventory"
expect_rc 2 "$SYNC_LINT" --format=checklists "$R/src/clean.c"; has err "expected text, json, sarif, checklist or inventory"
finish
