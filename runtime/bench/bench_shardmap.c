/* bench_shardmap.c - pair: shardmap (one mutex over the whole table vs one
 * padded mutex per shard), threads working on disjoint keys. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "synclint/shardmap.h"

#define NKEYS 512
#define MAXT 64

struct map_state {
    sl_shardmap single, sharded;
    char keys[MAXT][NKEYS][24];
};

static int incr(void **value, bool found, void *arg)
{
    (void)arg;
    if (!found) {
        *value = calloc(1, sizeof(long));
        if (!*value) return -1;
    }
    return (int)++*(long *)*value;
}

static void *map_setup(unsigned nthreads)
{
    struct map_state *s = sl_bench_zalloc(sizeof *s);
    if (!s) return NULL;
    /* "before": the same table behind a single lock */
    sl_shardmap_init(&s->single, 1, free);
    sl_shardmap_init(&s->sharded, 64, free);
    for (unsigned t = 0; t < MAXT && t < nthreads + 1; t++)
        for (unsigned k = 0; k < NKEYS; k++) {
            snprintf(s->keys[t][k], sizeof s->keys[t][k], "session-%u-%u", t, k);
            sl_shardmap_update(&s->single, s->keys[t][k], incr, NULL);
            sl_shardmap_update(&s->sharded, s->keys[t][k], incr, NULL);
        }
    return s;
}

static void map_teardown(void *p)
{
    struct map_state *s = p;
    sl_shardmap_destroy(&s->single);
    sl_shardmap_destroy(&s->sharded);
    free(s);
}

/* a lookup and an update per op, as a request path would */
static uint64_t run(sl_shardmap *m, char (*keys)[24], uint64_t iters)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < iters; i++) {
        const char *k = keys[i % NKEYS];
        void *v;
        if (sl_shardmap_get(m, k, &v) == 0) sum += (uint64_t)(uintptr_t)v & 1;
        sum += (uint64_t)sl_shardmap_update(m, k, incr, NULL);
    }
    sl_bench_sink(sum);
    return iters;
}

static uint64_t single_lock(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct map_state *s = p;
    return run(&s->single, s->keys[tid % MAXT], iters);
}

static uint64_t sharded(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct map_state *s = p;
    return run(&s->sharded, s->keys[tid % MAXT], iters);
}

const sl_bench_pair sl_bench_shardmap = {
    "shardmap", "hash map behind one mutex", "sl_shardmap (64 padded shard locks)",
    0, map_setup, map_teardown, single_lock, sharded, false,
};
