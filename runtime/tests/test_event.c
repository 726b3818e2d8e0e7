/* test_event.c - sl_event: units, error paths, and stress tests that every
 * waiter wakes and sees the setter's writes (run under TSan too). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "synclint/ctx.h"
#include "synclint/event.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static void sleep_ms(int ms)
{
    struct timespec d = { ms / 1000, (long)(ms % 1000) * 1000000 };
    nanosleep(&d, NULL);
}

static void units(void)
{
    sl_event e = SL_EVENT_INIT;
    CHECK(!sl_event_is_set(&e));
    CHECK(sl_event_wait_for(&e, 0) == -ETIMEDOUT);
    CHECK(sl_event_wait_for(&e, -5) == -ETIMEDOUT);
    CHECK(sl_event_wait_until_ns(&e, 0) == -ETIMEDOUT);

    struct timespec bad = { 0, 1000000000 };
    CHECK(sl_event_timedwait(&e, &bad) == -EINVAL);
    bad.tv_nsec = -1;
    CHECK(sl_event_timedwait(&e, &bad) == -EINVAL);

    int64_t t0 = sl_monotonic_ns();
    CHECK(sl_event_wait_for(&e, 20 * 1000000) == -ETIMEDOUT);
    CHECK(sl_monotonic_ns() - t0 >= 20 * 1000000);

    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_nsec += 10 * 1000000;
    if (dl.tv_nsec >= 1000000000) { dl.tv_sec++; dl.tv_nsec -= 1000000000; }
    CHECK(sl_event_timedwait(&e, &dl) == -ETIMEDOUT);

    /* Set with no waiters ever: one RMW, the sleepers bit is clear, so
     * set skipped the futex wake (no system call). */
    sl_event quiet = SL_EVENT_INIT;
    CHECK(sl_event_set(&quiet) == 0);
    CHECK(atomic_load(&quiet.state) == SL_EVENT_SET_BIT);
    CHECK(atomic_load(&e.state) & SL_EVENT_WAITERS_BIT);   /* e had sleepers */
    CHECK(sl_event_set(&e) == 0);
    CHECK(sl_event_set(&e) == -EALREADY);
    CHECK(sl_event_is_set(&e));
    sl_event_wait(&e);
    CHECK(sl_event_timedwait(&e, &dl) == 0);
    CHECK(sl_event_timedwait(&e, NULL) == 0);
    CHECK(sl_event_wait_for(&e, 0) == 0);
    CHECK(sl_event_wait_ctx(&e, NULL) == 0);

    /* A set event wins over a done ctx. */
    sl_ctx c;
    CHECK(sl_ctx_init(&c, NULL) == 0);
    CHECK(sl_ctx_cancel(&c) == 0);
    CHECK(sl_event_wait_ctx(&e, &c) == 0);
    sl_event_reset(&e);
    CHECK(!sl_event_is_set(&e));
    CHECK(sl_event_wait_ctx(&e, &c) == -ECANCELED);
    sl_ctx_destroy(&c);

    CHECK(sl_ctx_init_timeout(&c, NULL, 15 * 1000000) == 0);
    t0 = sl_monotonic_ns();
    CHECK(sl_event_wait_ctx(&e, &c) == -ETIMEDOUT);
    CHECK(sl_monotonic_ns() - t0 >= 15 * 1000000);
    sl_ctx_destroy(&c);

    sl_event d;
    sl_event_init(&d);
    CHECK(!sl_event_is_set(&d));
    sl_event_poke(&d);          /* a poke does not set */
    CHECK(!sl_event_is_set(&d));
}

/* --- every waiter wakes, in every wait flavour, and sees the payload --- */

#define WAITERS 8
#define ROUNDS 200

static sl_event round_ev;
static int payload;             /* written before set, read after wait */
static _Atomic int woke;
static sl_ctx never;            /* a live ctx nobody cancels */

static void *waiter(void *arg)
{
    long kind = (long)arg % 4;
    int r = 0;
    switch (kind) {
    case 0: sl_event_wait(&round_ev); break;
    case 1: r = sl_event_wait_for(&round_ev, 60LL * 1000000000); break;
    case 2: r = sl_event_wait_ctx(&round_ev, &never); break;
    case 3: r = sl_event_wait_ctx(&round_ev, NULL); break;
    }
    CHECK(r == 0);
    CHECK(payload == 42);
    atomic_fetch_add(&woke, 1);
    return NULL;
}

static void stress_wake_all(void)
{
    CHECK(sl_ctx_init(&never, NULL) == 0);
    for (int round = 0; round < ROUNDS; round++) {
        sl_event_init(&round_ev);
        payload = 0;
        atomic_store(&woke, 0);
        pthread_t t[WAITERS];
        for (long i = 0; i < WAITERS; i++) CHECK(pthread_create(&t[i], NULL, waiter, (void *)(i + round)) == 0);
        if (round % 3 == 0) sleep_ms(1);   /* sometimes they sleep, sometimes not yet */
        payload = 42;
        CHECK(sl_event_set(&round_ev) == 0);
        for (int i = 0; i < WAITERS; i++) pthread_join(t[i], NULL);
        CHECK(atomic_load(&woke) == WAITERS);
    }
    sl_ctx_destroy(&never);
}

/* --- the completion lives on the waiter's stack and dies at once --- */

struct job { sl_event done; int result; };

static void *complete(void *arg)
{
    struct job *j = arg;
    j->result = 7;
    sl_event_set(&j->done);     /* j may be gone right after this */
    return NULL;
}

static void stress_stack_completion(void)
{
    for (int i = 0; i < 500; i++) {
        struct job j = { SL_EVENT_INIT, 0 };
        pthread_t t;
        CHECK(pthread_create(&t, NULL, complete, &j) == 0);
        sl_event_wait(&j.done);
        CHECK(j.result == 7);
        pthread_detach(t);
    }
    sleep_ms(20);   /* let the detached setters finish before exit */
}

/* --- cancelling a ctx wakes every ctx waiter on an unset event --- */

static sl_event never_set = SL_EVENT_INIT;
static sl_ctx cancel_me;

static void *ctx_waiter(void *arg)
{
    (void)arg;
    CHECK(sl_event_wait_ctx(&never_set, &cancel_me) == -ECANCELED);
    atomic_fetch_add(&woke, 1);
    return NULL;
}

static void stress_cancel(void)
{
    for (int round = 0; round < 50; round++) {
        CHECK(sl_ctx_init(&cancel_me, NULL) == 0);
        atomic_store(&woke, 0);
        pthread_t t[WAITERS];
        for (int i = 0; i < WAITERS; i++) CHECK(pthread_create(&t[i], NULL, ctx_waiter, NULL) == 0);
        if (round % 2) sleep_ms(1);
        CHECK(sl_ctx_cancel(&cancel_me) == 0);
        for (int i = 0; i < WAITERS; i++) pthread_join(t[i], NULL);
        CHECK(atomic_load(&woke) == WAITERS);
        sl_ctx_destroy(&cancel_me);
    }
}

int main(void)
{
    units();
    stress_wake_all();
    stress_stack_completion();
    stress_cancel();
    printf("event: %d failures\n", failures);
    return failures != 0;
}
