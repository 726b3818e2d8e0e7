/* test_once.c - sl_once: units, failure retry, and a race where many
 * threads call at once and fn must run exactly once (run under TSan too). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "synclint/once.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static int init_value(void *arg)
{
    int *p = arg;
    *p += 1;
    return 0;
}

static int fail_eio(void *arg)
{
    (*(int *)arg)++;
    return -EIO;
}

static void units(void)
{
    sl_once o = SL_ONCE_INIT;
    int v = 0;
    CHECK(!sl_once_done(&o));
    CHECK(sl_once_call(&o, fail_eio, &v) == -EIO);
    CHECK(v == 1);
    CHECK(!sl_once_done(&o));                    /* a failure can be retried */
    CHECK(sl_once_call(&o, fail_eio, &v) == -EIO);
    CHECK(v == 2);
    CHECK(sl_once_call(&o, init_value, &v) == 0);
    CHECK(v == 3);
    CHECK(sl_once_done(&o));
    CHECK(sl_once_call(&o, init_value, &v) == 0);   /* never again */
    CHECK(sl_once_call(&o, fail_eio, &v) == 0);
    CHECK(v == 3);

    sl_once d;
    sl_once_init(&d);
    CHECK(!sl_once_done(&d));
}

/* --- race: THREADS callers per round, fn runs exactly once --- */

#define THREADS 8
#define ROUNDS 200

// sync-lint: ignore[false-sharing-atomics] test counters, read once per round: not a hot path
struct table { int *data; int ready; _Atomic int runs; _Atomic int attempts; };

static sl_once round_once;
static struct table tab;
static pthread_barrier_t start;

static int build_table(void *arg)
{
    struct table *t = arg;
    atomic_fetch_add(&t->runs, 1);
    t->data = malloc(16 * sizeof(int));
    for (int i = 0; i < 16; i++) t->data[i] = i * i;
    t->ready = 1;
    return 0;
}

/* Fails for the first two callers that get to run it. */
static int flaky_build(void *arg)
{
    struct table *t = arg;
    if (atomic_fetch_add(&t->attempts, 1) < 2) return -EAGAIN;
    return build_table(arg);
}

static void *caller(void *arg)
{
    int flaky = arg != NULL;
    pthread_barrier_wait(&start);
    int r;
    while ((r = sl_once_call(&round_once, flaky ? flaky_build : build_table, &tab)) == -EAGAIN)
        CHECK(flaky);
    CHECK(r == 0);
    CHECK(tab.ready == 1);
    CHECK(tab.data[15] == 225);
    return NULL;
}

static void race(int flaky)
{
    for (int round = 0; round < ROUNDS; round++) {
        sl_once_init(&round_once);
        tab.data = NULL;
        tab.ready = 0;
        atomic_store(&tab.runs, 0);
        atomic_store(&tab.attempts, 0);
        pthread_t t[THREADS];
        for (int i = 0; i < THREADS; i++)
            CHECK(pthread_create(&t[i], NULL, caller, flaky ? (void *)1 : NULL) == 0);
        for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
        CHECK(atomic_load(&tab.runs) == 1);
        free(tab.data);
    }
}

int main(void)
{
    units();
    pthread_barrier_init(&start, NULL, THREADS);
    race(0);
    race(1);
    pthread_barrier_destroy(&start);
    printf("once: %d failures\n", failures);
    return failures != 0;
}
