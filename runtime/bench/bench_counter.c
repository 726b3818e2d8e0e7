/* bench_counter.c - pairs: counter, counter-vs-atomic, striped-counter, pad. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "harness.h"
#include "synclint/counter.h"
#include "synclint/pad.h"

/* --- counter: pthread mutex around n++ vs sl_counter_inc --- */

struct mutex_counter {
    pthread_mutex_t mu;
    uint64_t n;
};

struct counter_state {
    struct mutex_counter mc;
    SL_ALIGNED_LINE sl_counter c;      /* own line: variants never share one */
    SL_ALIGNED_LINE _Atomic uint64_t raw;
    SL_ALIGNED_LINE sl_striped_counter sc;
};

static void *counter_setup(unsigned nthreads)
{
    struct counter_state *s;
    if (posix_memalign((void **)&s, SL_CACHELINE, sizeof *s) != 0) return NULL;
    pthread_mutex_init(&s->mc.mu, NULL);
    s->mc.n = 0;
    sl_counter_init(&s->c, 0);
    atomic_init(&s->raw, 0);
    if (sl_striped_counter_init(&s->sc, 0) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

static void counter_teardown(void *p)
{
    struct counter_state *s = p;
    pthread_mutex_destroy(&s->mc.mu);
    sl_striped_counter_destroy(&s->sc);
    free(s);
}

static uint64_t mutex_inc(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct counter_state *s = p;
    for (uint64_t i = 0; i < iters; i++) {
        pthread_mutex_lock(&s->mc.mu);
        s->mc.n++;
        pthread_mutex_unlock(&s->mc.mu);
    }
    return iters;
}

static uint64_t sl_inc(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct counter_state *s = p;
    for (uint64_t i = 0; i < iters; i++) sl_counter_inc(&s->c);
    return iters;
}

static uint64_t raw_inc(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct counter_state *s = p;
    for (uint64_t i = 0; i < iters; i++) atomic_fetch_add(&s->raw, 1);
    return iters;
}

static uint64_t striped_inc(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct counter_state *s = p;
    for (uint64_t i = 0; i < iters; i++) sl_striped_counter_add(&s->sc, 1);
    return iters;
}

const sl_bench_pair sl_bench_counter = {
    "counter", "pthread_mutex_lock; n++; unlock", "sl_counter_inc",
    0, counter_setup, counter_teardown, mutex_inc, sl_inc,
};

/* Not a library: the bare C11 atomic sl_counter wraps (target <= 1.1x). */
const sl_bench_pair sl_bench_counter_vs_atomic = {
    "counter-vs-c11atomic", "atomic_fetch_add (seq_cst)", "sl_counter_inc",
    0, counter_setup, counter_teardown, raw_inc, sl_inc,
};

const sl_bench_pair sl_bench_striped_counter = {
    "striped-counter", "atomic_fetch_add on one shared word", "sl_striped_counter_add",
    0, counter_setup, counter_teardown, raw_inc, striped_inc,
};

/* --- pad: two counters, one per thread, adjacent vs on separate lines --- */

struct adjacent { _Atomic uint64_t a, b; };
struct padded {
    SL_ALIGNED_LINE _Atomic uint64_t a;
    SL_ALIGNED_LINE _Atomic uint64_t b;   /* own line: no false sharing */
};
SL_ASSERT_APART(struct padded, a, b);

struct pad_state {
    SL_ALIGNED_LINE struct adjacent adj;
    SL_ALIGNED_LINE struct padded pad;
};

static void *pad_setup(unsigned nthreads)
{
    struct pad_state *s;
    if (posix_memalign((void **)&s, SL_CACHELINE, sizeof *s) != 0) return NULL;
    atomic_init(&s->adj.a, 0);
    atomic_init(&s->adj.b, 0);
    atomic_init(&s->pad.a, 0);
    atomic_init(&s->pad.b, 0);
    return s;
}

static uint64_t adjacent_writes(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct pad_state *s = p;
    _Atomic uint64_t *mine = tid % 2 ? &s->adj.b : &s->adj.a;
    for (uint64_t i = 0; i < iters; i++) atomic_fetch_add_explicit(mine, 1, memory_order_relaxed);
    return iters;
}

static uint64_t padded_writes(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct pad_state *s = p;
    _Atomic uint64_t *mine = tid % 2 ? &s->pad.b : &s->pad.a;
    for (uint64_t i = 0; i < iters; i++) atomic_fetch_add_explicit(mine, 1, memory_order_relaxed);
    return iters;
}

const sl_bench_pair sl_bench_pad = {
    "pad", "two adjacent atomics, one per thread", "SL_ALIGNED_LINE-padded atomics",
    2, pad_setup, free, adjacent_writes, padded_writes,
};
