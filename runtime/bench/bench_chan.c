/* bench_chan.c - pairs: chan (mutex + condvar ring vs sl_chan, a send and a
 * receive per op on every thread), chan-vs-ck (ck_ring MPMC vs sl_chan). */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "harness.h"
#include "synclint/chan.h"

#ifdef SL_BENCH_HAVE_CK
#include <ck_ring.h>
#endif

#define CAP 1024

/* The "before" shape: a ring under one mutex with not-empty/not-full condvars. */
struct locked_ring {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    void *items[CAP];
    unsigned head, len;
};

struct chan_state {
    struct locked_ring lr;
    sl_chan ch;
#ifdef SL_BENCH_HAVE_CK
    ck_ring_t ring;
    ck_ring_buffer_t buf[CAP];
#endif
};

static void *chan_setup(unsigned nthreads)
{
    (void)nthreads;
    struct chan_state *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    pthread_mutex_init(&s->lr.mu, NULL);
    pthread_cond_init(&s->lr.not_empty, NULL);
    pthread_cond_init(&s->lr.not_full, NULL);
    if (sl_chan_init(&s->ch, CAP) != 0) { free(s); return NULL; }
#ifdef SL_BENCH_HAVE_CK
    ck_ring_init(&s->ring, CAP);
#endif
    return s;
}

static void chan_teardown(void *p)
{
    struct chan_state *s = p;
    pthread_mutex_destroy(&s->lr.mu);
    pthread_cond_destroy(&s->lr.not_empty);
    pthread_cond_destroy(&s->lr.not_full);
    sl_chan_destroy(&s->ch);
    free(s);
}

static void lr_send(struct locked_ring *r, void *it)
{
    pthread_mutex_lock(&r->mu);
    while (r->len == CAP) pthread_cond_wait(&r->not_full, &r->mu);
    r->items[(r->head + r->len) % CAP] = it;
    r->len++;
    pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

static void *lr_recv(struct locked_ring *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->len == 0) pthread_cond_wait(&r->not_empty, &r->mu);
    void *it = r->items[r->head];
    r->head = (r->head + 1) % CAP;
    r->len--;
    pthread_cond_signal(&r->not_full);
    pthread_mutex_unlock(&r->mu);
    return it;
}

static uint64_t locked_pairs(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct chan_state *s = p;
    uintptr_t sum = 0;
    for (uint64_t i = 0; i < iters; i++) {
        lr_send(&s->lr, (void *)(uintptr_t)(i + 1));
        sum += (uintptr_t)lr_recv(&s->lr);
    }
    sl_bench_sink(sum);
    return iters;
}

static uint64_t chan_pairs(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct chan_state *s = p;
    uintptr_t sum = 0;
    void *it;
    for (uint64_t i = 0; i < iters; i++) {
        sl_chan_send(&s->ch, (void *)(uintptr_t)(i + 1), NULL, -1);
        sl_chan_recv(&s->ch, &it, NULL, -1);
        sum += (uintptr_t)it;
    }
    sl_bench_sink(sum);
    return iters;
}

const sl_bench_pair sl_bench_chan = {
    "chan", "mutex + 2 condvars ring: send + recv", "sl_chan_send + sl_chan_recv",
    0, chan_setup, chan_teardown, locked_pairs, chan_pairs,
};

#ifdef SL_BENCH_HAVE_CK
static uint64_t ck_pairs(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct chan_state *s = p;
    uintptr_t sum = 0;
    void *it;
    for (uint64_t i = 0; i < iters; i++) {
        while (!ck_ring_enqueue_mpmc(&s->ring, s->buf, (void *)(uintptr_t)(i + 1))) {}
        while (!ck_ring_dequeue_mpmc(&s->ring, s->buf, &it)) {}
        sum += (uintptr_t)it;
    }
    sl_bench_sink(sum);
    return iters;
}

const sl_bench_pair sl_bench_chan_vs_ck = {
    "chan-vs-ck", "ck_ring MPMC enqueue + dequeue (spinning)", "sl_chan_send + sl_chan_recv",
    0, chan_setup, chan_teardown, ck_pairs, chan_pairs,
};
#endif
