/* bench_pool.c - pair: pool (per-call malloc + mutex init/destroy + free
 * of a request struct vs sl_pool_get/put). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "synclint/pool.h"

struct request { pthread_mutex_t mu; unsigned long n; char scratch[2048]; };

static void req_ctor(void *o, void *arg) { pthread_mutex_init(&((struct request *)o)->mu, NULL); (void)arg; }
static void req_reset(void *o, void *arg) { ((struct request *)o)->n = 0; (void)arg; }
static void req_dtor(void *o, void *arg) { pthread_mutex_destroy(&((struct request *)o)->mu); (void)arg; }

static void *pool_setup(unsigned nthreads)
{
    (void)nthreads;
    sl_pool *p = sl_bench_zalloc(sizeof *p);
    if (p && sl_pool_init(p, sizeof(struct request), req_ctor, req_reset, req_dtor, NULL, 8) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

static void pool_teardown(void *p)
{
    sl_pool_destroy(p);
    free(p);
}

static void use(struct request *r, uint64_t i)
{
    pthread_mutex_lock(&r->mu);
    r->n += i;
    r->scratch[i & 2047] = (char)i;
    pthread_mutex_unlock(&r->mu);
}

static uint64_t per_call(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        struct request *r = malloc(sizeof *r);
        // sync-lint: ignore[per-call-lock-alloc] the baseline this benchmark measures sl_pool against
        pthread_mutex_init(&r->mu, NULL);
        r->n = 0;
        use(r, i);
        sl_bench_sink(r->n);
        pthread_mutex_destroy(&r->mu);
        free(r);
    }
    return iters;
}

static uint64_t pooled(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    sl_pool *pool = p;
    for (uint64_t i = 0; i < iters; i++) {
        struct request *r = sl_pool_get(pool);
        use(r, i);
        sl_bench_sink(r->n);
        sl_pool_put(pool, r);
    }
    return iters;
}

const sl_bench_pair sl_bench_pool = {
    "pool", "malloc + pthread_mutex_init + use + destroy + free", "sl_pool_get + use + sl_pool_put",
    0, pool_setup, pool_teardown, per_call, pooled, false,
};
