/* pool.h - an object pool with per-thread caches: reuse large or costly
 * per-call objects instead of allocating and initialising them each time.
 *
 * Interface:
 *   sl_pool
 *     sl_pool_init(p, size, ctor, reset, dtor, arg, per_thread)  -> 0 | -EINVAL | -ENOMEM
 *     sl_pool_get(p)        an object: from this thread's cache, the shared
 *                           list, or newly allocated and constructed; NULL on ENOMEM
 *     sl_pool_put(p, obj)   reset it and keep it for reuse
 *     sl_pool_destroy(p)    destroy and free every pooled object
 *
 * Replaces: a struct (often holding a mutex) that is malloc'd,
 * pthread_mutex_init'd, used for one call, destroyed and freed every time
 * (sync-lint rule per-call-lock-alloc, tiny-heap-alloc).
 *
 * ctor(obj, arg) runs once when an object is first allocated (initialise its
 * mutex there); reset(obj, arg) runs on every put (clear per-use state);
 * dtor(obj, arg) runs at destroy.  Any may be NULL.
 *
 * Per-thread caches: each live thread has a slot (see counter.h,
 * sl_thread_slot); threads with a slot below the pool's slot count keep up
 * to per_thread objects in their own cache line-aligned stack, touched by no
 * other thread, so get/put take no lock and no atomic.  Overflow, underflow
 * and threads beyond the slot count use a shared list under a mutex.
 * Ownership: get hands the object to the caller; put hands it back (it must
 * come from this pool and not be used after).  Objects may be put from a
 * different thread than got them.  destroy frees pooled objects only:
 * objects still out are the caller's to put back first.
 * Blocking: get/put take the shared-list mutex only on the slow path.
 * Memory order: an object put by one thread and got by another is handed
 * over through the mutex (release/acquire).
 */
#ifndef SYNCLINT_POOL_H
#define SYNCLINT_POOL_H

#include <pthread.h>
#include <stddef.h>

#include "synclint/counter.h"
#include "synclint/pad.h"

#define SL_POOL_SLOTS 64
#define SL_POOL_MAX_PER_THREAD 64

struct sl_pool_cache {
    SL_ALIGNED_LINE unsigned n;
    void *objs[SL_POOL_MAX_PER_THREAD];
};

typedef struct sl_pool {
    size_t size;
    unsigned per_thread;
    void (*ctor)(void *obj, void *arg);
    void (*reset)(void *obj, void *arg);
    void (*dtor)(void *obj, void *arg);
    void *arg;
    struct sl_pool_cache *caches;        /* SL_POOL_SLOTS of them */
    SL_ALIGNED_LINE pthread_mutex_t lock;
    void **shared;                       /* by lock */
    size_t n_shared, cap_shared;
} sl_pool;

int sl_pool_init(sl_pool *p, size_t size, void (*ctor)(void *, void *),
                 void (*reset)(void *, void *), void (*dtor)(void *, void *), void *arg,
                 unsigned per_thread);
void sl_pool_destroy(sl_pool *p);
void *sl_pool_get_slow(sl_pool *p);
void sl_pool_put_slow(sl_pool *p, void *obj);

static inline void *sl_pool_get(sl_pool *p)
{
    unsigned id = sl_thread_slot();
    if (__builtin_expect(id < SL_POOL_SLOTS, 1)) {
        struct sl_pool_cache *c = &p->caches[id];
        if (c->n) return c->objs[--c->n];
    }
    return sl_pool_get_slow(p);
}

static inline void sl_pool_put(sl_pool *p, void *obj)
{
    if (p->reset) p->reset(obj, p->arg);
    unsigned id = sl_thread_slot();
    if (__builtin_expect(id < SL_POOL_SLOTS, 1)) {
        struct sl_pool_cache *c = &p->caches[id];
        if (c->n < p->per_thread) { c->objs[c->n++] = obj; return; }
    }
    sl_pool_put_slow(p, obj);
}

#endif
