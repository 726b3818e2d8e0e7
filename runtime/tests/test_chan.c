/* test_chan.c - sl_chan: units, timeouts, ctx cancellation, close-drain, and
 * stress tests: no lost or duplicated items with many producers/consumers,
 * every thread sending and receiving, and a channel of items whose records
 * must arrive whole. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "synclint/chan.h"
#include "synclint/ctx.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

enum { PRODUCERS = 3, CONSUMERS = 3, PER = 60000 };
static sl_chan ch;
static _Atomic unsigned char seen[PRODUCERS * PER];
static _Atomic long dupes, received;

static void *producer(void *arg)
{
    long p = (long)arg;
    for (long i = 0; i < PER; i++) {
        uintptr_t id = (uintptr_t)(p * PER + i) + 1;   /* never NULL */
        if (sl_chan_send(&ch, (void *)id, NULL, -1) != 0) abort();
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    void *it;
    int rc;
    while ((rc = sl_chan_recv(&ch, &it, NULL, -1)) == 0) {
        uintptr_t id = (uintptr_t)it - 1;
        if (atomic_exchange(&seen[id], 1)) atomic_fetch_add(&dupes, 1);
        atomic_fetch_add(&received, 1);
    }
    if (rc != -EPIPE) abort();
    return NULL;
}

/* Every thread sends and then receives: both ends contended at once, so
 * lost compare-and-swaps and their back-off are exercised.  Each item is
 * received exactly once, by some thread. */
enum { MIXERS = 4, MIX_PER = 40000 };
static _Atomic unsigned char mix_seen[MIXERS * MIX_PER];

static void *mixer(void *arg)
{
    long t = (long)arg;
    void *it;
    for (long i = 0; i < MIX_PER; i++) {
        if (sl_chan_send(&ch, (void *)(uintptr_t)(t * MIX_PER + i + 1), NULL, -1) != 0) abort();
        if (sl_chan_recv(&ch, &it, NULL, -1) != 0) abort();
        if (atomic_exchange(&mix_seen[(uintptr_t)it - 1], 1)) atomic_fetch_add(&dupes, 1);
    }
    return NULL;
}

/* A channel of items: a 40-byte record whose fields check each other, so a
 * torn or mixed-up copy is caught, not just a lost or duplicated one. */
struct rec {
    uint64_t id;
    uint64_t words[3];
    uint64_t check;
};
enum { ITEM_PRODUCERS = 3, ITEM_CONSUMERS = 2, ITEM_PER = 30000 };
static sl_chan ich;
static _Atomic unsigned char item_seen[ITEM_PRODUCERS * ITEM_PER];
static _Atomic long torn;

/* Start nc consumers and np producers (producer i gets i as its argument),
 * wait for the producers, close ch so the consumers drain and stop, join. */
static void run_pipeline(sl_chan *c, void *(*prod)(void *), long np, void *(*cons)(void *), long nc)
{
    pthread_t t[16];
    if (np + nc > 16) abort();
    for (long i = 0; i < nc; i++) CHECK(pthread_create(&t[np + i], NULL, cons, NULL) == 0);
    for (long i = 0; i < np; i++) CHECK(pthread_create(&t[i], NULL, prod, (void *)i) == 0);
    for (long i = 0; i < np; i++) pthread_join(t[i], NULL);
    sl_chan_close(c);
    for (long i = 0; i < nc; i++) pthread_join(t[np + i], NULL);
}

/* How many of the n items were never marked seen. */
static long count_unseen(_Atomic unsigned char *seen_flags, long n)
{
    long missing = 0;
    for (long i = 0; i < n; i++) missing += !atomic_load(&seen_flags[i]);
    return missing;
}

static struct rec make_rec(uint64_t id)
{
    struct rec r = { id, { id * 3, ~id, id ^ 0x5a5a5a5aull }, 0 };
    r.check = r.id + r.words[0] + r.words[1] + r.words[2];
    return r;
}

static void *item_producer(void *arg)
{
    long p = (long)arg;
    for (long i = 0; i < ITEM_PER; i++) {
        struct rec r = make_rec((uint64_t)(p * ITEM_PER + i));
        if (sl_chan_send_item(&ich, &r, NULL, -1) != 0) abort();
    }
    return NULL;
}

static void *item_consumer(void *arg)
{
    (void)arg;
    struct rec r;
    int rc;
    while ((rc = sl_chan_recv_item(&ich, &r, NULL, -1)) == 0) {
        struct rec want = make_rec(r.id);
        if (r.id >= (uint64_t)ITEM_PRODUCERS * ITEM_PER || memcmp(&r, &want, sizeof r) != 0) {
            atomic_fetch_add(&torn, 1);
            continue;
        }
        if (atomic_exchange(&item_seen[r.id], 1)) atomic_fetch_add(&dupes, 1);
    }
    if (rc != -EPIPE) abort();
    return NULL;
}

static void test_items(void)
{
    sl_chan c;
    void *it;
    struct rec r = make_rec(1), out;
    CHECK(sl_chan_init_items(&c, 4, 0) == -EINVAL);
    CHECK(sl_chan_init_items(&c, 4, SL_CHAN_MAX_ITEM + 1) == -EINVAL);
    CHECK(sl_chan_init_items(&c, 0, sizeof r) == -EINVAL);
    CHECK(sl_chan_init_items(&c, 3, sizeof r) == 0 && c.mask == 3);

    /* the pointer calls refuse a channel of items, and the other way round */
    CHECK(sl_chan_send(&c, &r, NULL, -1) == -EINVAL);
    CHECK(sl_chan_try_send(&c, &r) == -EINVAL);
    CHECK(sl_chan_recv(&c, &it, NULL, 0) == -EINVAL);
    CHECK(sl_chan_try_recv(&c, &it) == -EINVAL);
    sl_chan pc;
    CHECK(sl_chan_init(&pc, 2) == 0);
    CHECK(sl_chan_send_item(&pc, &r, NULL, -1) == -EINVAL);
    CHECK(sl_chan_try_send_item(&pc, &r) == -EINVAL);
    CHECK(sl_chan_recv_item(&pc, &out, NULL, 0) == -EINVAL);
    CHECK(sl_chan_try_recv_item(&pc, &out) == -EINVAL);
    CHECK(sl_chan_len(&pc) == 0);
    sl_chan_destroy(&pc);

    /* copied by value, FIFO; the sender's buffer is free to reuse at once */
    CHECK(sl_chan_try_recv_item(&c, &out) == -EAGAIN);
    CHECK(sl_chan_recv_item(&c, &out, NULL, 10 * 1000 * 1000) == -ETIMEDOUT);
    for (uint64_t i = 1; i <= 4; i++) {
        r = make_rec(i);
        CHECK(sl_chan_try_send_item(&c, &r) == 0);
        memset(&r, 0xff, sizeof r);
    }
    r = make_rec(5);
    CHECK(sl_chan_try_send_item(&c, &r) == -EAGAIN);   /* full: dropped */
    CHECK(sl_chan_drops(&c) == 1);
    CHECK(sl_chan_send_item(&c, &r, NULL, 10 * 1000 * 1000) == -ETIMEDOUT);
    for (uint64_t i = 1; i <= 2; i++) {
        struct rec want = make_rec(i);
        CHECK(sl_chan_recv_item(&c, &out, NULL, -1) == 0 && memcmp(&out, &want, sizeof out) == 0);
    }
    CHECK(sl_chan_close(&c) == 0);
    CHECK(sl_chan_send_item(&c, &r, NULL, -1) == -EPIPE);
    CHECK(sl_chan_try_send_item(&c, &r) == -EPIPE);
    CHECK(sl_chan_try_recv_item(&c, &out) == 0 && out.id == 3);   /* drains after close */
    CHECK(sl_chan_recv_item(&c, &out, NULL, -1) == 0 && out.id == 4);
    CHECK(sl_chan_recv_item(&c, &out, NULL, -1) == -EPIPE);
    CHECK(sl_chan_try_recv_item(&c, &out) == -EPIPE);
    CHECK(sl_chan_destroy(&c) == 0);

    /* a 1-byte item channel, and destroy counting what is left */
    CHECK(sl_chan_init_items(&c, 8, 1) == 0);
    unsigned char b = 7, bo = 0;
    CHECK(sl_chan_send_item(&c, &b, NULL, -1) == 0);
    b = 9;
    CHECK(sl_chan_send_item(&c, &b, NULL, -1) == 0);
    CHECK(sl_chan_recv_item(&c, &bo, NULL, -1) == 0 && bo == 7);
    CHECK(sl_chan_destroy(&c) == 1);

    /* a receiver blocked on a channel of items wakes on ctx cancel */
    CHECK(sl_chan_init_items(&c, 2, sizeof r) == 0);
    sl_ctx x;
    CHECK(sl_ctx_init_timeout(&x, NULL, 20 * 1000 * 1000) == 0);
    CHECK(sl_chan_recv_item(&c, &out, &x, -1) == -ETIMEDOUT);
    sl_ctx_destroy(&x);
    CHECK(sl_chan_destroy(&c) == 0);

    /* stress: small capacity, records checked whole at the receiver */
    CHECK(sl_chan_init_items(&ich, 8, sizeof(struct rec)) == 0);
    run_pipeline(&ich, item_producer, ITEM_PRODUCERS, item_consumer, ITEM_CONSUMERS);
    CHECK(atomic_load(&torn) == 0);
    CHECK(count_unseen(item_seen, ITEM_PRODUCERS * ITEM_PER) == 0);
    CHECK(sl_chan_destroy(&ich) == 0);
}

static sl_ctx cctx;
static _Atomic int blocked_rc = 1;
static void *blocked_receiver(void *arg)
{
    (void)arg;
    void *it;
    atomic_store(&blocked_rc, sl_chan_recv(&ch, &it, &cctx, -1));
    return NULL;
}

int main(void)
{
    void *it;
    CHECK(sl_chan_init(&ch, 0) == -EINVAL);
    CHECK(sl_chan_init(&ch, 3) == 0 && ch.mask == 3);
    CHECK(sl_chan_try_recv(&ch, &it) == -EAGAIN);
    CHECK(sl_chan_recv(&ch, &it, NULL, 0) == -ETIMEDOUT);
    CHECK(sl_chan_recv(&ch, &it, NULL, 20 * 1000 * 1000) == -ETIMEDOUT);   /* 20 ms */
    for (uintptr_t i = 1; i <= 4; i++) CHECK(sl_chan_try_send(&ch, (void *)i) == 0);
    CHECK(sl_chan_try_send(&ch, (void *)5) == -EAGAIN);                   /* full: dropped */
    CHECK(sl_chan_drops(&ch) == 1);
    CHECK(sl_chan_send(&ch, (void *)6, NULL, 10 * 1000 * 1000) == -ETIMEDOUT);
    CHECK(sl_chan_len(&ch) == 4);
    CHECK(sl_chan_try_recv(&ch, &it) == 0 && it == (void *)1);            /* FIFO */
    CHECK(sl_chan_close(&ch) == 0);
    CHECK(sl_chan_close(&ch) == -EALREADY);
    CHECK(sl_chan_try_send(&ch, (void *)7) == -EPIPE);
    CHECK(sl_chan_send(&ch, (void *)7, NULL, -1) == -EPIPE);
    for (uintptr_t i = 2; i <= 4; i++) CHECK(sl_chan_recv(&ch, &it, NULL, -1) == 0 && it == (void *)i);
    CHECK(sl_chan_recv(&ch, &it, NULL, -1) == -EPIPE);                    /* drained */
    CHECK(sl_chan_destroy(&ch) == 0);

    /* a receiver blocked on an empty channel wakes when its ctx is cancelled */
    CHECK(sl_chan_init(&ch, 8) == 0);
    CHECK(sl_ctx_init(&cctx, NULL) == 0);
    pthread_t b;
    CHECK(pthread_create(&b, NULL, blocked_receiver, NULL) == 0);
    struct timespec ms = { 0, 30 * 1000 * 1000 };
    nanosleep(&ms, NULL);
    CHECK(atomic_load(&blocked_rc) == 1);                                   /* still blocked */
    sl_ctx_cancel(&cctx);
    pthread_join(b, NULL);
    CHECK(atomic_load(&blocked_rc) == -ECANCELED);
    sl_ctx_destroy(&cctx);
    /* and a deadline ctx times out */
    CHECK(sl_ctx_init_timeout(&cctx, NULL, 20 * 1000 * 1000) == 0);
    CHECK(sl_chan_recv(&ch, &it, &cctx, -1) == -ETIMEDOUT);
    sl_ctx_destroy(&cctx);
    CHECK(sl_chan_destroy(&ch) == 0);

    /* stress: small capacity so both sides block often */
    CHECK(sl_chan_init(&ch, 16) == 0);
    run_pipeline(&ch, producer, PRODUCERS, consumer, CONSUMERS);
    CHECK(atomic_load(&dupes) == 0);
    CHECK(atomic_load(&received) == (long)PRODUCERS * PER);
    CHECK(count_unseen(seen, PRODUCERS * PER) == 0);
    CHECK(sl_chan_destroy(&ch) == 0);
    /* mixed: every thread both sends and receives, capacity 2 */
    CHECK(sl_chan_init(&ch, 2) == 0);
    pthread_t mt[MIXERS];
    for (long i = 0; i < MIXERS; i++) CHECK(pthread_create(&mt[i], NULL, mixer, (void *)i) == 0);
    for (int i = 0; i < MIXERS; i++) pthread_join(mt[i], NULL);
    CHECK(atomic_load(&dupes) == 0);
    CHECK(count_unseen(mix_seen, MIXERS * MIX_PER) == 0);
    CHECK(sl_chan_len(&ch) == 0);
    CHECK(sl_chan_destroy(&ch) == 0);

    test_items();
    CHECK(atomic_load(&dupes) == 0);

    printf("chan: %ld items, %d failures\n", atomic_load(&received), failures);
    return failures != 0;
}
