/* bench_chan.c - pairs: chan (mutex + condvar ring vs sl_chan, producers to
 * consumers), chan-mixed (every thread sends and receives), chan-vs-ck
 * (ck_ring MPMC vs sl_chan, producers to consumers).  ns/op is per item. */
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
    struct chan_state *s = sl_bench_zalloc(sizeof *s);
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

/* Roles.  One thread: it sends and then receives each item.  More threads:
 * even tids produce and odd tids consume (a channel's job), items counted
 * once, at the receiver; an odd thread out does send+recv pairs.  The
 * "mixed" variants make every thread do pairs: the worst case for a ring
 * whose head and tail then bounce between cores on every operation. */
enum role { PAIRS, PRODUCER, CONSUMER };

static enum role role_of(unsigned tid, unsigned n)
{
    if (n == 1 || (n % 2 == 1 && tid == n - 1)) return PAIRS;
    return tid % 2 == 0 ? PRODUCER : CONSUMER;
}

#define ROLE_LOOP(role, iters, SEND, RECV)                                   \
    do {                                                                     \
        uintptr_t sum_ = 0;                                                  \
        void *it_;                                                           \
        for (uint64_t i_ = 0; i_ < (iters); i_++) {                          \
            if ((role) != CONSUMER) SEND((void *)(uintptr_t)(i_ + 1));       \
            if ((role) != PRODUCER) { RECV(it_); sum_ += (uintptr_t)it_; }   \
        }                                                                    \
        sl_bench_sink(sum_);                                                 \
    } while (0)

#define LR_SEND(v) lr_send(&s->lr, (v))
#define LR_RECV(it) ((it) = lr_recv(&s->lr))
#define SL_SEND(v) sl_chan_send(&s->ch, (v), NULL, -1)
#define SL_RECV(it) sl_chan_recv(&s->ch, &(it), NULL, -1)

static uint64_t locked_items(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct chan_state *s = p;
    enum role r = role_of(tid, n);
    ROLE_LOOP(r, iters, LR_SEND, LR_RECV);
    return r == PRODUCER ? 0 : iters;
}

static uint64_t chan_items(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct chan_state *s = p;
    enum role r = role_of(tid, n);
    ROLE_LOOP(r, iters, SL_SEND, SL_RECV);
    return r == PRODUCER ? 0 : iters;
}

static uint64_t locked_mixed(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct chan_state *s = p;
    ROLE_LOOP(PAIRS, iters, LR_SEND, LR_RECV);
    return iters;
}

static uint64_t chan_mixed(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct chan_state *s = p;
    ROLE_LOOP(PAIRS, iters, SL_SEND, SL_RECV);
    return iters;
}

const sl_bench_pair sl_bench_chan = {
    "chan", "mutex + 2 condvars ring: producers -> consumers", "sl_chan: producers -> consumers",
    0, chan_setup, chan_teardown, locked_items, chan_items, false,
};

const sl_bench_pair sl_bench_chan_mixed = {
    "chan-mixed", "mutex + 2 condvars ring: every thread send + recv", "sl_chan: every thread send + recv",
    0, chan_setup, chan_teardown, locked_mixed, chan_mixed, false,
};

#ifdef SL_BENCH_HAVE_CK
/* ck_ring has no blocking: both sides spin, which favours it on a quiet
 * machine and makes it burn a core when the ring is empty or full. */
#define CK_SEND(v) do {} while (!ck_ring_enqueue_mpmc(&s->ring, s->buf, (v)))
#define CK_RECV(it) do {} while (!ck_ring_dequeue_mpmc(&s->ring, s->buf, &(it)))

static uint64_t ck_items(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct chan_state *s = p;
    enum role r = role_of(tid, n);
    ROLE_LOOP(r, iters, CK_SEND, CK_RECV);
    return r == PRODUCER ? 0 : iters;
}

const sl_bench_pair sl_bench_chan_vs_ck = {
    "chan-vs-ck", "ck_ring MPMC (spinning): producers -> consumers", "sl_chan: producers -> consumers",
    0, chan_setup, chan_teardown, ck_items, chan_items, false,
};
#endif
