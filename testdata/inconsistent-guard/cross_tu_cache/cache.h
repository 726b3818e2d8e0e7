/* An LRU object cache (cache.c) and the metrics exporter that reads it
 * (metrics.c).  Fields are guarded by struct lru_cache::mu. */
#ifndef CACHE_H
#define CACHE_H
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

struct item { unsigned key; size_t size; struct item *next; };

struct lru_cache {
    pthread_mutex_t mu;
    struct item *head;
    size_t nitems;
    size_t bytes;
    size_t limit;
    atomic_ulong lookups;
};

struct lru_cache *cache_create(size_t limit);
int cache_put(struct lru_cache *c, struct item *it);
struct item *cache_get(struct lru_cache *c, unsigned key);
void cache_set_limit(struct lru_cache *c, size_t limit);
#endif
