/* pool.c - pool set-up, the shared list behind the per-thread caches. */
#include "synclint/pool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sl_pool_init(sl_pool *p, size_t size, void (*ctor)(void *, void *),
                 void (*reset)(void *, void *), void (*dtor)(void *, void *), void *arg,
                 unsigned per_thread)
{
    if (!p || size == 0 || per_thread > SL_POOL_MAX_PER_THREAD) return -EINVAL;
    memset(p, 0, sizeof *p);
    void *mem = NULL;
    if (posix_memalign(&mem, SL_CACHELINE, SL_POOL_SLOTS * sizeof(struct sl_pool_cache)) != 0)
        return -ENOMEM;
    memset(mem, 0, SL_POOL_SLOTS * sizeof(struct sl_pool_cache));
    p->caches = mem;
    p->size = size;
    p->per_thread = per_thread ? per_thread : 16;
    p->ctor = ctor;
    p->reset = reset;
    p->dtor = dtor;
    p->arg = arg;
    pthread_mutex_init(&p->lock, NULL);
    return 0;
}

void *sl_pool_get_slow(sl_pool *p)
{
    void *obj = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->n_shared) obj = p->shared[--p->n_shared];
    pthread_mutex_unlock(&p->lock);
    if (obj) return obj;
    obj = malloc(p->size);
    if (obj && p->ctor) p->ctor(obj, p->arg);
    return obj;
}

void sl_pool_put_slow(sl_pool *p, void *obj)
{
    pthread_mutex_lock(&p->lock);
    if (p->n_shared == p->cap_shared) {
        size_t nc = p->cap_shared ? p->cap_shared * 2 : 64;
        void **ns = realloc(p->shared, nc * sizeof *ns);
        if (!ns) {
            pthread_mutex_unlock(&p->lock);
            if (p->dtor) p->dtor(obj, p->arg);   /* cannot keep it: release it */
            free(obj);
            return;
        }
        p->shared = ns;
        p->cap_shared = nc;
    }
    p->shared[p->n_shared++] = obj;
    pthread_mutex_unlock(&p->lock);
}

static void release(sl_pool *p, void *obj)
{
    if (p->dtor) p->dtor(obj, p->arg);
    free(obj);
}

void sl_pool_destroy(sl_pool *p)
{
    for (unsigned s = 0; s < SL_POOL_SLOTS; s++)
        for (unsigned i = 0; i < p->caches[s].n; i++) release(p, p->caches[s].objs[i]);
    for (size_t i = 0; i < p->n_shared; i++) release(p, p->shared[i]);
    free(p->shared);
    free(p->caches);
    pthread_mutex_destroy(&p->lock);
    memset(p, 0, sizeof *p);
}
