/* bench_sync.c - pairs: event, once, group, semaphore-mutex, rwlock-write-heavy. */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "harness.h"
#include "synclint/event.h"
#include "synclint/group.h"
#include "synclint/once.h"
#include "synclint/pad.h"

/* --- event: waiting on an already-set one-shot --- */

struct event_state {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int ready;
    SL_ALIGNED_LINE sl_event ev;
};

static void *event_setup(unsigned nthreads)
{
    struct event_state *s = sl_bench_zalloc(sizeof *s);
    if (!s) return NULL;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    /* Both already set: the benchmark is the check after the fact. */
    s->ready = 1;
    sl_event_init(&s->ev);
    sl_event_set(&s->ev);
    return s;
}

static void event_teardown(void *p)
{
    struct event_state *s = p;
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static uint64_t condvar_wait(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct event_state *s = p;
    for (uint64_t i = 0; i < iters; i++) {
        pthread_mutex_lock(&s->mu);
        while (!s->ready) pthread_cond_wait(&s->cv, &s->mu);
        pthread_mutex_unlock(&s->mu);
    }
    return iters;
}

static uint64_t event_wait(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct event_state *s = p;
    for (uint64_t i = 0; i < iters; i++) sl_event_wait(&s->ev);
    return iters;
}

const sl_bench_pair sl_bench_event = {
    "event", "mutex + while(!flag) cond_wait on a set flag", "sl_event_wait on a set event",
    0, event_setup, event_teardown, condvar_wait, event_wait, false,
};

/* --- once: the fast path after initialisation --- */

static pthread_once_t p_once = PTHREAD_ONCE_INIT;
static sl_once s_once = SL_ONCE_INIT;
static int once_value;

static void p_init(void) { once_value = 1; }
static int s_init(void *arg) { *(int *)arg = 1; return 0; }

static void *once_setup(unsigned nthreads)
{
    pthread_once(&p_once, p_init);
    sl_once_call(&s_once, s_init, &once_value);
    return &once_value;
}

static uint64_t pthread_once_fast(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < iters; i++) {
        pthread_once(&p_once, p_init);
        sum += *(volatile int *)&once_value;
    }
    sl_bench_sink(sum);
    return iters;
}

static uint64_t sl_once_fast(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < iters; i++) {
        sl_once_call(&s_once, s_init, &once_value);
        sum += *(volatile int *)&once_value;
    }
    sl_bench_sink(sum);
    return iters;
}

const sl_bench_pair sl_bench_once = {
    "once", "pthread_once after init", "sl_once_call after init",
    0, once_setup, NULL, pthread_once_fast, sl_once_fast, false,
};

/* --- group: per-task cost of fan-out, driven from one thread; `threads`
 * is the fan-out width (before) and the group limit (after). --- */

static _Atomic uint64_t group_sink;

static void *task_thread(void *arg)
{
    atomic_fetch_add_explicit(&group_sink, 1, memory_order_relaxed);
    return NULL;
}

static int task_fn(void *arg, sl_ctx *ctx)
{
    atomic_fetch_add_explicit(&group_sink, 1, memory_order_relaxed);
    return 0;
}

static void *group_setup(unsigned nthreads)
{
    return &group_sink;
}

static uint64_t thread_per_task(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    if (tid != 0) return 0;
    pthread_t t[64];
    if (n > 64) n = 64;
    uint64_t done = 0;
    while (done < iters) {
        unsigned k = 0;
        for (; k < n && done + k < iters; k++) pthread_create(&t[k], NULL, task_thread, NULL);
        for (unsigned j = 0; j < k; j++) pthread_join(t[j], NULL);
        done += k;
    }
    return iters;
}

static uint64_t group_tasks(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    if (tid != 0) return 0;
    sl_group g;
    if (sl_group_init(&g, NULL, n) != 0) abort();
    for (uint64_t i = 0; i < iters; i++)
        if (sl_group_go(&g, task_fn, NULL) != 0) abort();
    sl_group_wait(&g);
    sl_group_destroy(&g);
    return iters;
}

const sl_bench_pair sl_bench_group = {
    "group", "pthread_create + pthread_join per task", "sl_group_go per task (limit = threads)",
    0, group_setup, NULL, thread_per_task, group_tasks, true,
};

/* --- semaphore-mutex: a binary semaphore used as a lock vs a mutex --- */

struct lock_state {
    sem_t sem;
    pthread_mutex_t mu;
    pthread_rwlock_t rw;
    uint64_t n;                  /* the data the lock guards */
    uint64_t table[8];
};

static void *lock_setup(unsigned nthreads)
{
    struct lock_state *s = sl_bench_zalloc(sizeof *s);
    if (!s) return NULL;
    // sync-lint: ignore[semaphore-as-mutex] the baseline this benchmark measures a mutex against
    sem_init(&s->sem, 0, 1);
    pthread_mutex_init(&s->mu, NULL);
    pthread_rwlock_init(&s->rw, NULL);
    s->n = 0;
    for (int i = 0; i < 8; i++) s->table[i] = 0;
    return s;
}

static void lock_teardown(void *p)
{
    struct lock_state *s = p;
    sem_destroy(&s->sem);
    pthread_mutex_destroy(&s->mu);
    pthread_rwlock_destroy(&s->rw);
    free(s);
}

static uint64_t sem_lock(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct lock_state *s = p;
    for (uint64_t i = 0; i < iters; i++) {
        while (sem_wait(&s->sem) != 0) {}
        s->n++;
        sem_post(&s->sem);
    }
    return iters;
}

static uint64_t mutex_lock(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct lock_state *s = p;
    for (uint64_t i = 0; i < iters; i++) {
        pthread_mutex_lock(&s->mu);
        s->n++;
        pthread_mutex_unlock(&s->mu);
    }
    return iters;
}

const sl_bench_pair sl_bench_semaphore_mutex = {
    "semaphore-mutex", "binary sem_wait/sem_post as a lock", "pthread_mutex_lock/unlock",
    0, lock_setup, lock_teardown, sem_lock, mutex_lock, false,
};

/* --- rwlock-write-heavy: 3 writes per read; the rwlock's reader
 * bookkeeping buys nothing --- */

static uint64_t rw_write_heavy(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct lock_state *s = p;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < iters; i++) {
        if ((i & 3) == 3) {
            pthread_rwlock_rdlock(&s->rw);
            sum += s->table[i & 7];
            pthread_rwlock_unlock(&s->rw);
        } else {
            pthread_rwlock_wrlock(&s->rw);
            s->table[i & 7]++;
            pthread_rwlock_unlock(&s->rw);
        }
    }
    sl_bench_sink(sum);
    return iters;
}

static uint64_t mutex_write_heavy(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct lock_state *s = p;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < iters; i++) {
        pthread_mutex_lock(&s->mu);
        if ((i & 3) == 3) sum += s->table[i & 7];
        else s->table[i & 7]++;
        pthread_mutex_unlock(&s->mu);
    }
    sl_bench_sink(sum);
    return iters;
}

const sl_bench_pair sl_bench_rwlock_write_heavy = {
    "rwlock-write-heavy", "pthread_rwlock, 3 writes : 1 read", "pthread_mutex, same mix",
    0, lock_setup, lock_teardown, rw_write_heavy, mutex_write_heavy, false,
};
