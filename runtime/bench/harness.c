/* harness.c - sl-bench measurement: spin-gated threads, calibration,
 * interleaved repetitions, medians, and the pair=... output lines. */
#define _GNU_SOURCE
#include "harness.h"

#include <sched.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "synclint/pad.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void *sl_bench_zalloc(size_t size)
{
    void *p = NULL;
    if (posix_memalign(&p, SL_CACHELINE, size) != 0) return NULL;
    memset(p, 0, size);
    return p;
}

/* An environment switch: set, non-empty and not "0". */
static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

bool sl_bench_quick(void)
{
    return env_flag("SL_BENCH_QUICK");
}

bool sl_bench_verbose(void)
{
    return env_flag("SL_BENCH_VERBOSE");
}

unsigned sl_bench_ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* Wall time of one measurement. */
static int64_t target_ns(void)
{
    return sl_bench_quick() ? 2 * 1000000 : 150 * 1000000;
}

struct run {
    sl_bench_fn fn;
    void *state;
    unsigned nthreads;
    uint64_t iters;
    _Atomic unsigned ready;
    _Atomic int go;
    _Atomic uint64_t ops;
    _Atomic int64_t last_end;
};

struct worker_arg {
    struct run *r;
    unsigned tid;
};

/* Thread i runs on online CPU i (mod ncpu), so "2 threads" always means two
 * cores contending, not whatever placement the scheduler picked this time
 * (two threads on one CPU measure time slicing, not contention).  Set
 * SL_BENCH_NOPIN=1 to leave placement to the scheduler. */
static void pin_to_cpu(unsigned tid)
{
#ifdef __linux__
    if (env_flag("SL_BENCH_NOPIN")) return;
    cpu_set_t online;
    if (sched_getaffinity(0, sizeof online, &online) != 0) return;
    int n = CPU_COUNT(&online);
    if (n <= 0) return;
    int want = (int)(tid % (unsigned)n), seen = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &online)) continue;
        if (seen++ == want) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            pthread_setaffinity_np(pthread_self(), sizeof one, &one);
            return;
        }
    }
#else
    (void)tid;
#endif
}

static void *worker(void *p)
{
    struct worker_arg *a = p;
    struct run *r = a->r;
    pin_to_cpu(a->tid);
    atomic_fetch_add(&r->ready, 1);
    while (!atomic_load_explicit(&r->go, memory_order_acquire)) {}
    uint64_t ops = r->fn(r->state, a->tid, r->nthreads, r->iters);
    int64_t end = now_ns();
    atomic_fetch_add(&r->ops, ops);
    int64_t prev = atomic_load(&r->last_end);
    while (end > prev && !atomic_compare_exchange_weak(&r->last_end, &prev, end)) {}
    return NULL;
}

/* One timed run; returns ns per op (wall / total ops), or -1. */
static double measure(const sl_bench_pair *p, sl_bench_fn fn, unsigned nthreads, uint64_t iters)
{
    struct run r = { .fn = fn, .nthreads = nthreads, .iters = iters };
    atomic_init(&r.ready, 0);
    atomic_init(&r.go, 0);
    atomic_init(&r.ops, 0);
    atomic_init(&r.last_end, 0);
    r.state = p->setup ? p->setup(nthreads) : NULL;
    if (p->setup && r.state == NULL) return -1;

    pthread_t *t = calloc(nthreads, sizeof *t);
    struct worker_arg *a = calloc(nthreads, sizeof *a);
    if (!t || !a) abort();
    for (unsigned i = 0; i < nthreads; i++) {
        a[i].r = &r;
        a[i].tid = i;
        if (pthread_create(&t[i], NULL, worker, &a[i]) != 0) abort();
    }
    while (atomic_load(&r.ready) < nthreads) {}
    int64_t t0 = now_ns();
    atomic_store_explicit(&r.go, 1, memory_order_release);
    for (unsigned i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
    int64_t wall = atomic_load(&r.last_end) - t0;
    uint64_t ops = atomic_load(&r.ops);
    free(t);
    free(a);
    if (p->teardown) p->teardown(r.state);
    if (ops == 0) return -1;
    return (double)wall / (double)ops;
}

/* Ops per thread so that one run takes about target_ns. */
static uint64_t calibrate(const sl_bench_pair *p, sl_bench_fn fn, unsigned nthreads)
{
    uint64_t iters = 16;
    int64_t target = target_ns();
    for (;;) {
        int64_t t0 = now_ns();
        double ns = measure(p, fn, nthreads, iters);
        int64_t took = now_ns() - t0;
        if (ns < 0) return 0;
        if (took >= target / 10 || iters >= (1ull << 40)) {
            double scale = (double)target / (double)(took > 0 ? took : 1);
            uint64_t n = (uint64_t)((double)iters * scale);
            return n < 1 ? 1 : n;
        }
        iters *= took < target / 100 ? 8 : 2;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_threads(const sl_bench_pair *p, unsigned nthreads, FILE *out)
{
    uint64_t ib = calibrate(p, p->before, nthreads);
    uint64_t ia = calibrate(p, p->after, nthreads);
    if (ib == 0 || ia == 0) {
        fprintf(stderr, "sl-bench: cannot set up pair '%s' with %u threads\n", p->name, nthreads);
        return -1;
    }
    double b[SL_BENCH_REPS], a[SL_BENCH_REPS];
    for (int rep = 0; rep < SL_BENCH_REPS; rep++) {
        /* Interleaved, alternating which goes first. */
        if (rep % 2 == 0) {
            b[rep] = measure(p, p->before, nthreads, ib);
            a[rep] = measure(p, p->after, nthreads, ia);
        } else {
            a[rep] = measure(p, p->after, nthreads, ia);
            b[rep] = measure(p, p->before, nthreads, ib);
        }
    }
    if (sl_bench_verbose()) {
        fprintf(stderr, "# %s threads=%u reps before:", p->name, nthreads);
        for (int rep = 0; rep < SL_BENCH_REPS; rep++) fprintf(stderr, " %.3f", b[rep]);
        fprintf(stderr, " after:");
        for (int rep = 0; rep < SL_BENCH_REPS; rep++) fprintf(stderr, " %.3f", a[rep]);
        fprintf(stderr, "\n");
    }
    qsort(b, SL_BENCH_REPS, sizeof b[0], cmp_double);
    qsort(a, SL_BENCH_REPS, sizeof a[0], cmp_double);
    double mb = b[SL_BENCH_REPS / 2], ma = a[SL_BENCH_REPS / 2];
    fprintf(out, "pair=%s threads=%u before_ns=%.3f after_ns=%.3f speedup=%.2f\n",
            p->name, nthreads, mb, ma, ma > 0 ? mb / ma : 0.0);
    fflush(out);
    return 0;
}

int sl_bench_run_pair(const sl_bench_pair *p, FILE *out)
{
    int rc = 0;
    if (p->threads != 0) return run_threads(p, p->threads, out);
    unsigned n = sl_bench_ncpu();
    if (run_threads(p, 1, out) != 0) rc = -1;
    if (n > 1 && run_threads(p, n, out) != 0) rc = -1;
    return rc;
}
