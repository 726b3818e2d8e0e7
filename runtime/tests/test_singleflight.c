/* test_singleflight.c - one execution per key in flight; errors and results
 * shared; a new flight after the last one finished. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "synclint/event.h"
#include "synclint/singleflight.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static sl_singleflight g;
static _Atomic int executions, started;
static sl_event release_leader;
static int answer = 42;

static int slow_load(void *arg, void **result)
{
    (void)arg;
    atomic_fetch_add(&executions, 1);
    sl_event_wait(&release_leader);   /* hold the flight open */
    *result = &answer;
    return 0;
}

static int failing(void *arg, void **result) { (void)arg; *result = NULL; return -EIO; }

static _Atomic int shared_count, wrong;

static void *caller(void *arg)
{
    (void)arg;
    void *res = NULL;
    bool shared = false;
    atomic_fetch_add(&started, 1);
    int rc = sl_singleflight_do(&g, "config", slow_load, NULL, &res, &shared);
    if (rc != 0 || res != &answer) atomic_fetch_add(&wrong, 1);
    if (shared) atomic_fetch_add(&shared_count, 1);
    return NULL;
}

int main(void)
{
    sl_singleflight_init(&g);
    sl_event_init(&release_leader);
    enum { T = 8 };
    pthread_t t[T];
    for (int i = 0; i < T; i++) CHECK(pthread_create(&t[i], NULL, caller, NULL) == 0);
    while (atomic_load(&started) < T) sched_yield();
    struct timespec ms = { 0, 50 * 1000 * 1000 };
    nanosleep(&ms, NULL);                 /* let followers find the flight */
    sl_event_set(&release_leader);
    for (int i = 0; i < T; i++) pthread_join(t[i], NULL);
    CHECK(atomic_load(&wrong) == 0);
    CHECK(atomic_load(&executions) >= 1 && atomic_load(&executions) <= 2);
    CHECK(atomic_load(&shared_count) == T - atomic_load(&executions));
    /* a later call starts a new flight */
    void *res;
    bool shared = true;
    CHECK(sl_singleflight_do(&g, "config", slow_load, NULL, &res, &shared) == 0 && !shared);
    CHECK(sl_singleflight_do(&g, "other", failing, NULL, &res, &shared) == -EIO && res == NULL);
    CHECK(g.calls == NULL);
    sl_singleflight_destroy(&g);
    printf("singleflight: %d executions for %d callers, %d failures\n", atomic_load(&executions), T,
           failures);
    return failures != 0;
}
