/* The metrics exporter, in another file: one consistent locked snapshot
 * (fine), an atomic counter read (fine), and two racy reads of guarded
 * fields (findings, counted against the sites in cache.c). */
#include "cache.h"

struct cache_metrics { size_t items, bytes; unsigned long lookups; double fill; };

/* negative: locked snapshot, plus an atomic load outside the lock */
void metrics_snapshot(struct lru_cache *c, struct cache_metrics *m)
{
    pthread_mutex_lock(&c->mu);
    m->items = c->nitems;
    m->bytes = c->bytes;
    pthread_mutex_unlock(&c->mu);
    m->lookups = atomic_load(&c->lookups);
}

/* positive: bytes is guarded at every site in cache.c and above */
size_t metrics_bytes_fast(struct lru_cache *c)
{
    return c->bytes; // expect: inconsistent-guard
}

/* positive: limit is guarded at 3 sites in cache.c (create is set-up) */
double metrics_fill(struct lru_cache *c, size_t bytes)
{
    size_t limit = c->limit; // expect: inconsistent-guard
    return limit ? (double)bytes / (double)limit : 0.0;
}
