/* bench_counter.c - pairs: counter, counter-vs-c11atomic, striped-counter,
 * striped-counter-sum, pad. */
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
    struct counter_state *s = sl_bench_zalloc(sizeof *s);
    if (!s) return NULL;
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
        // sync-lint: ignore[mutex-guarded-counter] the baseline this benchmark measures sl_counter against
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
    0, counter_setup, counter_teardown, mutex_inc, sl_inc, false,
};

/* Not a library: the bare C11 atomic sl_counter wraps (target <= 1.1x). */
const sl_bench_pair sl_bench_counter_vs_atomic = {
    "counter-vs-c11atomic", "atomic_fetch_add (seq_cst)", "sl_counter_inc",
    0, counter_setup, counter_teardown, raw_inc, sl_inc, false,
};

const sl_bench_pair sl_bench_striped_counter = {
    "striped-counter", "atomic_fetch_add on one shared word", "sl_striped_counter_add",
    0, counter_setup, counter_teardown, raw_inc, striped_inc, false,
};

/* --- striped-counter-sum: reading the total.  "before" is the hand-made
 * version: a loop over an array of per-thread padded slots of the same
 * length as the striped counter's (its stripes plus the overflow one). --- */

struct sum_state {
    sl_striped_counter sc;
    struct sl_counter_stripe *raw;
    unsigned nraw;
};

static void *sum_setup(unsigned nthreads)
{
    struct sum_state *s = sl_bench_zalloc(sizeof *s);
    if (!s) return NULL;
    if (sl_striped_counter_init(&s->sc, 0) != 0) { free(s); return NULL; }
    s->nraw = s->sc.nstripes + 1;
    if ((s->raw = sl_bench_zalloc(s->nraw * sizeof *s->raw)) == NULL) {
        sl_striped_counter_destroy(&s->sc);
        free(s);
        return NULL;
    }
    for (unsigned i = 0; i < s->nraw; i++) atomic_init(&s->raw[i].value, i);
    sl_striped_counter_add(&s->sc, 7);
    return s;
}

static void sum_teardown(void *p)
{
    struct sum_state *s = p;
    sl_striped_counter_destroy(&s->sc);
    free(s->raw);
    free(s);
}

static uint64_t raw_sums(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct sum_state *s = p;
    uint64_t total = 0;
    for (uint64_t i = 0; i < iters; i++) {
        uint64_t sum = 0;
        for (unsigned k = 0; k < s->nraw; k++)
            sum += atomic_load_explicit(&s->raw[k].value, memory_order_relaxed);
        total += sum;
    }
    sl_bench_sink(total);
    return iters;
}

static uint64_t striped_sums(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct sum_state *s = p;
    uint64_t total = 0;
    for (uint64_t i = 0; i < iters; i++) total += sl_striped_counter_sum(&s->sc);
    sl_bench_sink(total);
    return iters;
}

/* Not a library: the loop sl_striped_counter_sum must match (target <= 1.2x). */
const sl_bench_pair sl_bench_striped_counter_sum = {
    "striped-counter-sum", "loop over padded per-thread slots", "sl_striped_counter_sum",
    1, sum_setup, sum_teardown, raw_sums, striped_sums, false,
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
    struct pad_state *s = sl_bench_zalloc(sizeof *s);
    if (!s) return NULL;
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
    2, pad_setup, free, adjacent_writes, padded_writes, false,
};
