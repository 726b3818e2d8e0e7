/* Caches keyed by id: wrapper locks, macros, goto-less early returns. */
#include <pthread.h>
#include <stdlib.h>

struct obj { int id; int refs; };
struct cache { pthread_rwlock_t rw; pthread_mutex_t mu; struct obj *slots[128]; };

#define CACHE_LOCK(c) pthread_mutex_lock(&(c)->mu)
#define CACHE_UNLOCK(c) pthread_mutex_unlock(&(c)->mu)

struct obj *obj_create(int id);
void obj_destroy(struct obj *o);
struct obj *cache_search(struct cache *c, int id);
struct obj *cache_get(struct cache *c, int id);
void cache_put_slot(struct cache *c, struct obj *o);

struct obj *cache_acquire(struct cache *c, int id)
{
    struct obj *fresh = obj_create(id); // expect: eager-alloc-before-lookup
    CACHE_LOCK(c);
    struct obj *o = cache_search(c, id);
    if (o) {
        o->refs++;
        CACHE_UNLOCK(c);
        obj_destroy(fresh);
        return o;
    }
    cache_put_slot(c, fresh);
    CACHE_UNLOCK(c);
    return fresh;
}

/* write lock of an rwlock */
struct obj *cache_acquire_rw(struct cache *c, int id)
{
    struct obj *fresh = malloc(sizeof *fresh); // expect: eager-alloc-before-lookup
    if (!fresh)
        return NULL;
    fresh->id = id;
    pthread_rwlock_wrlock(&c->rw);
    struct obj *o = cache_get(c, id);
    if (o) {
        pthread_rwlock_unlock(&c->rw);
        free(fresh);
        return o;
    }
    cache_put_slot(c, fresh);
    pthread_rwlock_unlock(&c->rw);
    return fresh;
}

/* the found test written directly on the call */
int cache_has_or_add(struct cache *c, int id)
{
    struct obj *fresh = obj_create(id); // expect: eager-alloc-before-lookup
    int had = 0;
    CACHE_LOCK(c);
    if (cache_search(c, id)) {
        had = 1;
        obj_destroy(fresh);
    } else {
        cache_put_slot(c, fresh);
    }
    CACHE_UNLOCK(c);
    return had;
}

#ifdef CACHE_THREADED
#define MAYBE_LOCK(c) pthread_mutex_lock(&(c)->mu)
#define MAYBE_UNLOCK(c) pthread_mutex_unlock(&(c)->mu)
#else
#define MAYBE_LOCK(c) pthread_mutex_lock(&(c)->mu)
#define MAYBE_UNLOCK(c) pthread_mutex_unlock(&(c)->mu)
#endif

/* goto-less early exit through a macro-wrapped lock */
struct obj *cache_acquire_macro(struct cache *c, int id)
{
    struct obj *fresh = calloc(1, sizeof *fresh); // expect: eager-alloc-before-lookup
    struct obj *o;
    MAYBE_LOCK(c);
    o = cache_search(c, id);
    if (o == NULL) {
        cache_put_slot(c, fresh);
        o = fresh;
        fresh = NULL;
    }
    MAYBE_UNLOCK(c);
    if (o != fresh)
        free(fresh);
    return o;
}
