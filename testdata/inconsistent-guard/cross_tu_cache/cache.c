/* The cache itself: every access to nitems/bytes/limit is under c->mu
 * (cache_create is set-up and not counted). */
#include <stdlib.h>
#include "cache.h"

/* negative: set-up (name word "create", calls pthread_mutex_init) */
struct lru_cache *cache_create(size_t limit)
{
    struct lru_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->mu, NULL);
    c->limit = limit;
    c->bytes = 0;
    return c;
}

/* drops the tail item; the caller holds c->mu (static, every caller locked) */
static void cache_evict_tail_locked(struct lru_cache *c)
{
    struct item **pp = &c->head;
    if (!*pp)
        return;
    while ((*pp)->next)
        pp = &(*pp)->next;
    c->bytes -= (*pp)->size;
    c->nitems--;
    free(*pp);
    *pp = NULL;
}

int cache_put(struct lru_cache *c, struct item *it)
{
    pthread_mutex_lock(&c->mu);
    while (c->head && c->bytes + it->size > c->limit)
        cache_evict_tail_locked(c);
    it->next = c->head;
    c->head = it;
    c->nitems++;
    c->bytes += it->size;
    pthread_mutex_unlock(&c->mu);
    return 0;
}

struct item *cache_get(struct lru_cache *c, unsigned key)
{
    struct item *it;
    atomic_fetch_add(&c->lookups, 1);
    pthread_mutex_lock(&c->mu);
    for (it = c->head; it; it = it->next)
        if (it->key == key)
            break;
    pthread_mutex_unlock(&c->mu);
    return it;
}

void cache_set_limit(struct lru_cache *c, size_t limit)
{
    pthread_mutex_lock(&c->mu);
    c->limit = limit;
    while (c->head && c->bytes > c->limit)
        cache_evict_tail_locked(c);
    pthread_mutex_unlock(&c->mu);
}
