/* test_ctx.c - sl_ctx: units, error paths, parent/child propagation,
 * watchers, and stress tests that deadlines fire and cancels reach every
 * child and waiter (run under TSan too). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "synclint/ctx.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static void sleep_ms(int ms)
{
    struct timespec d = { ms / 1000, (long)(ms % 1000) * 1000000 };
    nanosleep(&d, NULL);
}

static _Atomic int calls;
static void count_cb(void *arg)
{
    (void)arg;
    atomic_fetch_add(&calls, 1);
}

static void units(void)
{
    sl_ctx c;
    CHECK(sl_ctx_init(&c, NULL) == 0);
    CHECK(sl_ctx_err(&c) == 0);
    CHECK(!sl_ctx_is_done(&c));
    CHECK(!sl_event_is_set(sl_ctx_done(&c)));
    CHECK(!sl_ctx_deadline(&c, NULL));
    CHECK(sl_ctx_deadline_ns(&c) == -1);
    CHECK(sl_ctx_cancel_err(&c, -EIO) == -EINVAL);
    CHECK(sl_ctx_cancel_err(&c, 0) == -EINVAL);
    CHECK(sl_ctx_err(&c) == 0);
    CHECK(sl_ctx_cancel(&c) == 0);
    CHECK(sl_ctx_cancel(&c) == -EALREADY);
    CHECK(sl_ctx_cancel_err(&c, -ETIMEDOUT) == -EALREADY);
    CHECK(sl_ctx_err(&c) == -ECANCELED);                /* first error stays */
    CHECK(sl_ctx_is_done(&c));
    CHECK(sl_event_is_set(sl_ctx_done(&c)));
    CHECK(sl_ctx_wait(&c) == -ECANCELED);
    sl_ctx_destroy(&c);

    CHECK(sl_ctx_err(NULL) == 0);
    CHECK(sl_ctx_deadline_ns(NULL) == -1);
    CHECK(!sl_ctx_deadline(NULL, NULL));

    CHECK(sl_ctx_init(&c, NULL) == 0);
    CHECK(sl_ctx_cancel_err(&c, -ETIMEDOUT) == 0);
    CHECK(sl_ctx_err(&c) == -ETIMEDOUT);
    sl_ctx_destroy(&c);

    /* Bad deadlines. */
    struct timespec bad = { 1, 1000000000 };
    CHECK(sl_ctx_init_deadline(&c, NULL, &bad) == -EINVAL);
    CHECK(sl_ctx_init_deadline(&c, NULL, NULL) == -EINVAL);
    CHECK(sl_ctx_init_timeout(&c, NULL, -1) == -EINVAL);

    /* A deadline in the past: done at the first look. */
    struct timespec past = { 0, 1 };
    CHECK(sl_ctx_init_deadline(&c, NULL, &past) == 0);
    struct timespec got;
    CHECK(sl_ctx_deadline(&c, &got) && got.tv_sec == 0 && got.tv_nsec == 1);
    CHECK(sl_ctx_err(&c) == -ETIMEDOUT);
    CHECK(sl_event_is_set(sl_ctx_done(&c)));
    CHECK(sl_ctx_cancel(&c) == -EALREADY);
    sl_ctx_destroy(&c);

    /* A 20 ms timeout fires, sl_ctx_wait sleeps until it. */
    int64_t t0 = sl_monotonic_ns();
    CHECK(sl_ctx_init_timeout(&c, NULL, 20 * 1000000) == 0);
    CHECK(sl_ctx_err(&c) == 0);
    CHECK(sl_ctx_wait(&c) == -ETIMEDOUT);
    CHECK(sl_monotonic_ns() - t0 >= 20 * 1000000);
    CHECK(sl_ctx_is_done(&c));
    sl_ctx_destroy(&c);

    /* A huge timeout saturates to "none" rather than overflowing. */
    CHECK(sl_ctx_init_timeout(&c, NULL, INT64_MAX) == 0);
    CHECK(sl_ctx_err(&c) == 0);
    sl_ctx_destroy(&c);
}

static void parents(void)
{
    sl_ctx root, child, grandchild, sibling;
    CHECK(sl_ctx_init(&root, NULL) == 0);
    CHECK(sl_ctx_init(&child, &root) == 0);
    CHECK(sl_ctx_init(&grandchild, &child) == 0);
    CHECK(sl_ctx_init(&sibling, &root) == 0);

    /* Cancelling a child leaves its parent and sibling alone. */
    CHECK(sl_ctx_cancel(&sibling) == 0);
    CHECK(sl_ctx_err(&root) == 0);
    CHECK(sl_ctx_err(&child) == 0);
    sl_ctx_destroy(&sibling);

    /* The parent's cancel reaches every descendant, with its error. */
    CHECK(sl_ctx_cancel_err(&root, -ETIMEDOUT) == 0);
    CHECK(sl_ctx_err(&child) == -ETIMEDOUT);
    CHECK(sl_ctx_err(&grandchild) == -ETIMEDOUT);
    CHECK(sl_event_is_set(sl_ctx_done(&grandchild)));

    /* A child of a done parent starts done. */
    sl_ctx late;
    CHECK(sl_ctx_init(&late, &root) == 0);
    CHECK(sl_ctx_err(&late) == -ETIMEDOUT);
    sl_ctx_destroy(&late);
    sl_ctx_destroy(&grandchild);
    sl_ctx_destroy(&child);
    sl_ctx_destroy(&root);

    /* Deadlines: a child takes the earlier of its own and its parent's. */
    CHECK(sl_ctx_init_timeout(&root, NULL, 30 * 1000000) == 0);
    CHECK(sl_ctx_init_timeout(&child, &root, 3600LL * 1000000000) == 0);
    CHECK(sl_ctx_deadline_ns(&child) == sl_ctx_deadline_ns(&root));
    CHECK(sl_ctx_init_timeout(&grandchild, &child, 1000000) == 0);
    CHECK(sl_ctx_deadline_ns(&grandchild) < sl_ctx_deadline_ns(&child));
    CHECK(sl_ctx_wait(&grandchild) == -ETIMEDOUT);
    CHECK(sl_ctx_err(&child) == 0 || sl_monotonic_ns() >= sl_ctx_deadline_ns(&child));
    CHECK(sl_ctx_wait(&child) == -ETIMEDOUT);
    CHECK(sl_ctx_err(&root) == -ETIMEDOUT);
    sl_ctx_destroy(&grandchild);
    sl_ctx_destroy(&child);
    sl_ctx_destroy(&root);
}

static void *slow_cb_unwatcher(void *arg);
static _Atomic int slow_finished;
static sl_event slow_started = SL_EVENT_INIT;
static void slow_cb(void *arg)
{
    (void)arg;
    sl_event_set(&slow_started);
    sleep_ms(30);
    atomic_store(&slow_finished, 1);
}

struct unwatch_arg { sl_ctx *c; sl_ctx_watcher *w; };

static void *slow_cb_unwatcher(void *arg)
{
    struct unwatch_arg *u = arg;
    sl_event_wait(&slow_started);           /* the cancel is running slow_cb */
    sl_ctx_unwatch(u->c, u->w);
    CHECK(atomic_load(&slow_finished) == 1);  /* unwatch waited for it */
    return NULL;
}

static void watchers(void)
{
    sl_ctx c;
    sl_ctx_watcher a, b, gone;
    CHECK(sl_ctx_init(&c, NULL) == 0);
    atomic_store(&calls, 0);
    CHECK(sl_ctx_watch(&c, &a, count_cb, NULL) == 0);
    CHECK(sl_ctx_watch(&c, &b, count_cb, NULL) == 0);
    CHECK(sl_ctx_watch(&c, &gone, count_cb, NULL) == 0);
    sl_ctx_unwatch(&c, &gone);              /* removed: never called */
    CHECK(sl_ctx_cancel(&c) == 0);
    CHECK(atomic_load(&calls) == 2);
    CHECK(sl_ctx_cancel(&c) == -EALREADY);
    CHECK(atomic_load(&calls) == 2);        /* at most once */
    sl_ctx_unwatch(&c, &a);                 /* after the call: a no-op */
    sl_ctx_unwatch(&c, &b);
    CHECK(sl_ctx_watch(&c, &a, count_cb, NULL) == -ECANCELED);   /* done: not called */
    CHECK(atomic_load(&calls) == 2);
    sl_ctx_unwatch(&c, &a);
    sl_ctx_destroy(&c);

    /* unwatch while the fn runs on the cancelling thread waits for it. */
    CHECK(sl_ctx_init(&c, NULL) == 0);
    sl_ctx_watcher s;
    CHECK(sl_ctx_watch(&c, &s, slow_cb, NULL) == 0);
    struct unwatch_arg u = { &c, &s };
    pthread_t t;
    CHECK(pthread_create(&t, NULL, slow_cb_unwatcher, &u) == 0);
    CHECK(sl_ctx_cancel(&c) == 0);
    pthread_join(t, NULL);
    sl_ctx_destroy(&c);

    /* A deadline expiry sets done but does not run watchers (see ctx.h). */
    CHECK(sl_ctx_init_timeout(&c, NULL, 1000000) == 0);
    atomic_store(&calls, 0);
    CHECK(sl_ctx_watch(&c, &a, count_cb, NULL) == 0);
    CHECK(sl_ctx_wait(&c) == -ETIMEDOUT);
    CHECK(atomic_load(&calls) == 0);
    sl_ctx_unwatch(&c, &a);
    sl_ctx_destroy(&c);
}

/* --- stress: children made and destroyed while the root is cancelled --- */

#define THREADS 8
static sl_ctx root;
static _Atomic int cancelled_seen;

static _Atomic int cancel_returned;

static void *churn(void *arg)
{
    (void)arg;
    /* Churn until well after the cancel (bounded, in case it never comes). */
    int after = 0;
    for (int i = 0; i < 2000000 && after < 500; i++) {
        sl_ctx child;
        sl_ctx_watcher w;
        int root_done_before = sl_ctx_is_done(&root);
        CHECK(sl_ctx_init(&child, &root) == 0);
        int werr = sl_ctx_watch(&child, &w, count_cb, NULL);
        if (root_done_before) CHECK(sl_ctx_err(&child) == -ECANCELED && werr == -ECANCELED);
        sl_ctx_unwatch(&child, &w);
        /* Children are cancelled inside the parent's sl_ctx_cancel: once it
         * has returned, every child is done. */
        if (atomic_load(&cancel_returned)) {
            CHECK(sl_ctx_err(&child) == -ECANCELED);
            atomic_fetch_add(&cancelled_seen, 1);
            after++;
        }
        sl_ctx_destroy(&child);
    }
    return NULL;
}

/* --- stress: many threads wait for one deadline, all wake after it --- */

static sl_ctx timed;
static void *deadline_waiter(void *arg)
{
    (void)arg;
    CHECK(sl_ctx_wait(&timed) == -ETIMEDOUT);
    CHECK(sl_monotonic_ns() >= sl_ctx_deadline_ns(&timed));
    return NULL;
}

static void stress(void)
{
    CHECK(sl_ctx_init(&root, NULL) == 0);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, churn, NULL) == 0);
    sleep_ms(5);
    sl_ctx_cancel(&root);
    atomic_store(&cancel_returned, 1);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    CHECK(atomic_load(&cancelled_seen) > 0);
    CHECK(root.watchers == NULL);           /* every child unlinked itself */
    sl_ctx_destroy(&root);

    for (int round = 0; round < 20; round++) {
        CHECK(sl_ctx_init_timeout(&timed, NULL, 2 * 1000000) == 0);
        for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, deadline_waiter, NULL) == 0);
        for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
        sl_ctx_destroy(&timed);
    }
}

int main(void)
{
    units();
    parents();
    watchers();
    stress();
    printf("ctx: %d failures\n", failures);
    return failures != 0;
}
