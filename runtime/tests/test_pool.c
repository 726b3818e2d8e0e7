/* test_pool.c - sl_pool: units, error paths, cross-thread put, and a stress
 * test that objects are never handed to two users at once. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synclint/pool.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

struct req { pthread_mutex_t mu; _Atomic int in_use; char buf[4096]; int ctor_runs; };

static _Atomic int ctors, resets, dtors;

static void req_ctor(void *o, void *arg) { struct req *r = o; pthread_mutex_init(&r->mu, NULL); atomic_init(&r->in_use, 0); r->ctor_runs = 1; atomic_fetch_add(&ctors, 1); (void)arg; }
static void req_reset(void *o, void *arg) { struct req *r = o; r->buf[0] = 0; atomic_fetch_add(&resets, 1); (void)arg; }
static void req_dtor(void *o, void *arg) { struct req *r = o; pthread_mutex_destroy(&r->mu); atomic_fetch_add(&dtors, 1); (void)arg; }

static sl_pool pool;
static _Atomic int double_use;

static void *worker(void *arg)
{
    (void)arg;
    struct req *held[8];
    for (int round = 0; round < 20000; round++) {
        int n = 1 + round % 8;
        for (int i = 0; i < n; i++) {
            held[i] = sl_pool_get(&pool);
            if (atomic_exchange(&held[i]->in_use, 1) != 0) atomic_fetch_add(&double_use, 1);
            pthread_mutex_lock(&held[i]->mu);
            held[i]->buf[0] = 'x';
            pthread_mutex_unlock(&held[i]->mu);
        }
        for (int i = 0; i < n; i++) {
            atomic_store(&held[i]->in_use, 0);
            sl_pool_put(&pool, held[i]);
        }
    }
    return NULL;
}

int main(void)
{
    CHECK(sl_pool_init(NULL, 8, NULL, NULL, NULL, NULL, 0) == -EINVAL);
    CHECK(sl_pool_init(&pool, 0, NULL, NULL, NULL, NULL, 0) == -EINVAL);
    CHECK(sl_pool_init(&pool, 8, NULL, NULL, NULL, NULL, SL_POOL_MAX_PER_THREAD + 1) == -EINVAL);
    CHECK(sl_pool_init(&pool, sizeof(struct req), req_ctor, req_reset, req_dtor, NULL, 4) == 0);
    struct req *a = sl_pool_get(&pool), *b = sl_pool_get(&pool);
    CHECK(a && b && a != b && a->ctor_runs == 1 && atomic_load(&ctors) == 2);
    sl_pool_put(&pool, a);
    CHECK(atomic_load(&resets) == 1);
    CHECK(sl_pool_get(&pool) == a);           /* reused from this thread's cache */
    CHECK(atomic_load(&ctors) == 2);          /* no new construction */
    sl_pool_put(&pool, a);
    sl_pool_put(&pool, b);
    /* more than the per-thread cache: overflow to the shared list */
    struct req *many[12];
    for (int i = 0; i < 12; i++) many[i] = sl_pool_get(&pool);
    for (int i = 0; i < 12; i++) sl_pool_put(&pool, many[i]);
    CHECK(pool.n_shared >= 8);

    enum { T = 6 };
    pthread_t t[T];
    for (int i = 0; i < T; i++) CHECK(pthread_create(&t[i], NULL, worker, NULL) == 0);
    for (int i = 0; i < T; i++) pthread_join(t[i], NULL);
    CHECK(atomic_load(&double_use) == 0);
    int made = atomic_load(&ctors);
    CHECK(made <= 12 + T * 8 + 8);            /* reuse, not one allocation per get */
    sl_pool_destroy(&pool);
    CHECK(atomic_load(&dtors) == made);       /* everything back and destroyed */
    printf("pool: %d objects made, %d failures\n", made, failures);
    return failures != 0;
}
