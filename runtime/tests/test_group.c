/* test_group.c - sl_group: units, error paths, limits, first error and
 * cancellation, nested fan-out, and a stress test with no lost or repeated
 * task (run under TSan too). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "synclint/group.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static void sleep_ms(int ms)
{
    struct timespec d = { ms / 1000, (long)(ms % 1000) * 1000000 };
    nanosleep(&d, NULL);
}

static _Atomic int ran;
static int ok_task(void *arg, sl_ctx *ctx)
{
    (void)arg; (void)ctx;
    atomic_fetch_add(&ran, 1);
    return 0;
}

static int plain_result;
static int write_task(void *arg, sl_ctx *ctx)
{
    (void)ctx;
    plain_result = *(int *)arg;     /* plain write, published by wait */
    return 0;
}

static void units(void)
{
    sl_group g;
    CHECK(sl_group_init(NULL, NULL, 0) == -EINVAL);

    CHECK(sl_group_init(&g, NULL, 0) == 0);
    CHECK(sl_group_wait(&g) == 0);          /* no tasks */
    CHECK(sl_ctx_err(sl_group_ctx(&g)) == -ECANCELED);   /* wait cancels, as in Go */
    CHECK(sl_group_go(&g, ok_task, NULL) == -EINVAL);    /* after wait */
    sl_group_destroy(&g);

    CHECK(sl_group_init(&g, NULL, 2) == 0);
    CHECK(sl_group_go(&g, NULL, NULL) == -EINVAL);
    int v = 99;
    CHECK(sl_group_go(&g, write_task, &v) == 0);
    atomic_store(&ran, 0);
    for (int i = 0; i < 100; i++) CHECK(sl_group_go(&g, ok_task, NULL) == 0);
    CHECK(sl_ctx_err(sl_group_ctx(&g)) == 0);
    CHECK(sl_group_wait(&g) == 0);
    CHECK(sl_group_wait(&g) == 0);          /* again: same answer */
    CHECK(atomic_load(&ran) == 100);
    CHECK(plain_result == 99);
    CHECK(g.nworkers <= 2);
    sl_group_destroy(&g);

    /* destroy without wait waits. */
    CHECK(sl_group_init(&g, NULL, 0) == 0);
    atomic_store(&ran, 0);
    CHECK(sl_group_go(&g, ok_task, NULL) == 0);
    sl_group_destroy(&g);
    CHECK(atomic_load(&ran) == 1);
}

/* --- the limit bounds concurrency --- */

static _Atomic int running, max_running;
static int tracked_task(void *arg, sl_ctx *ctx)
{
    (void)arg; (void)ctx;
    int now = atomic_fetch_add(&running, 1) + 1;
    int m = atomic_load(&max_running);
    while (now > m && !atomic_compare_exchange_weak(&max_running, &m, now)) {}
    sleep_ms(2);
    atomic_fetch_sub(&running, 1);
    return 0;
}

static void limits(void)
{
    for (unsigned limit = 1; limit <= 4; limit++) {
        sl_group g;
        atomic_store(&max_running, 0);
        CHECK(sl_group_init(&g, NULL, limit) == 0);
        for (int i = 0; i < 24; i++) CHECK(sl_group_go(&g, tracked_task, NULL) == 0);
        CHECK(sl_group_wait(&g) == 0);
        CHECK(atomic_load(&max_running) <= (int)limit);
        CHECK(g.nworkers <= limit);
        sl_group_destroy(&g);
    }
}

/* --- unlimited: tasks that wait for each other all start --- */

#define MEET 8
static pthread_barrier_t meet;
static int meet_task(void *arg, sl_ctx *ctx)
{
    (void)arg; (void)ctx;
    pthread_barrier_wait(&meet);
    return 0;
}

static void unlimited(void)
{
    sl_group g;
    pthread_barrier_init(&meet, NULL, MEET);
    CHECK(sl_group_init(&g, NULL, 0) == 0);
    for (int i = 0; i < MEET; i++) CHECK(sl_group_go(&g, meet_task, NULL) == 0);
    CHECK(sl_group_wait(&g) == 0);
    sl_group_destroy(&g);
    pthread_barrier_destroy(&meet);
}

/* --- the first error wins and cancels the siblings --- */

static int fail_task(void *arg, sl_ctx *ctx)
{
    (void)arg; (void)ctx;
    sleep_ms(3);
    return -EIO;
}

static int until_cancel_task(void *arg, sl_ctx *ctx)
{
    (void)arg;
    int e = sl_ctx_wait(ctx);           /* returns only on cancel */
    return e == -ECANCELED ? -EPIPE : -EFAULT;
}

static void first_error(void)
{
    for (int round = 0; round < 10; round++) {
        sl_group g;
        CHECK(sl_group_init(&g, NULL, 0) == 0);
        for (int i = 0; i < 4; i++) CHECK(sl_group_go(&g, until_cancel_task, NULL) == 0);
        CHECK(sl_group_go(&g, fail_task, NULL) == 0);
        for (int i = 0; i < 4; i++) CHECK(sl_group_go(&g, until_cancel_task, NULL) == 0);
        CHECK(sl_group_wait(&g) == -EIO);
        CHECK(sl_ctx_err(sl_group_ctx(&g)) == -ECANCELED);
        sl_group_destroy(&g);
    }

    /* The parent's cancel reaches the group's tasks. */
    sl_ctx parent;
    sl_group g;
    CHECK(sl_ctx_init(&parent, NULL) == 0);
    CHECK(sl_group_init(&g, &parent, 3) == 0);
    for (int i = 0; i < 3; i++) CHECK(sl_group_go(&g, until_cancel_task, NULL) == 0);
    sleep_ms(2);
    sl_ctx_cancel(&parent);
    CHECK(sl_group_wait(&g) == -EPIPE);
    sl_group_destroy(&g);
    sl_ctx_destroy(&parent);
}

/* --- nested fan-out: tasks add tasks to their own group --- */

static sl_group nest;
static int leaf_task(void *arg, sl_ctx *ctx)
{
    (void)ctx;
    atomic_fetch_add((_Atomic int *)arg, 1);
    return 0;
}
static int branch_task(void *arg, sl_ctx *ctx)
{
    (void)ctx;
    for (int i = 0; i < 10; i++) CHECK(sl_group_go(&nest, leaf_task, arg) == 0);
    return 0;
}

static void nested(void)
{
    _Atomic int leaves = 0;
    CHECK(sl_group_init(&nest, NULL, 2) == 0);
    for (int i = 0; i < 10; i++) CHECK(sl_group_go(&nest, branch_task, (void *)&leaves) == 0);
    CHECK(sl_group_wait(&nest) == 0);
    CHECK(atomic_load(&leaves) == 100);
    sl_group_destroy(&nest);
}

/* --- stress: every task runs exactly once, whatever the limit --- */

#define TASKS 3000
static _Atomic unsigned char hits[TASKS];
static int mark_task(void *arg, sl_ctx *ctx)
{
    (void)ctx;
    atomic_fetch_add(&hits[(long)arg], 1);
    return (long)arg == TASKS / 2 ? -ENOSPC : 0;
}

static void stress(void)
{
    unsigned limits[] = { 0, 1, 2, 3, 8 };
    for (int round = 0; round < 10; round++) {
        sl_group g;
        for (int i = 0; i < TASKS; i++) atomic_store(&hits[i], 0);
        CHECK(sl_group_init(&g, NULL, limits[round % 5]) == 0);
        for (long i = 0; i < TASKS; i++) CHECK(sl_group_go(&g, mark_task, (void *)i) == 0);
        CHECK(sl_group_wait(&g) == -ENOSPC);
        for (int i = 0; i < TASKS; i++) CHECK(atomic_load(&hits[i]) == 1);
        sl_group_destroy(&g);
    }
}

int main(void)
{
    units();
    limits();
    unlimited();
    first_error();
    nested();
    stress();
    printf("group: %d failures\n", failures);
    return failures != 0;
}
