/* snapshot.c - reader registry, grace periods (membarrier epochs), publish. */
#define _GNU_SOURCE
#include "synclint/snapshot.h"

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "membarrier.h"

#define SL_RETIRE_BATCH 64

_Thread_local struct sl__reader *sl__reader_self;
_Atomic uint64_t sl__snapshot_epoch = 1;
_Atomic int sl__snapshot_need_fence = 1;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sl__reader *readers;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;
static pthread_key_t reader_key;

static void reader_unregister(void *p)
{
    struct sl__reader *r = p;
    pthread_mutex_lock(&registry_lock);
    for (struct sl__reader **pp = &readers; *pp; pp = &(*pp)->next)
        if (*pp == r) { *pp = r->next; break; }
    pthread_mutex_unlock(&registry_lock);
    free(r);
}

static void setup(void)
{
    pthread_key_create(&reader_key, reader_unregister);
    atomic_store(&sl__snapshot_need_fence, sl__membarrier_ready() ? 0 : 1);
}

struct sl__reader *sl__reader_register(void)
{
    pthread_once(&setup_once, setup);
    struct sl__reader *r = NULL;
    if (posix_memalign((void **)&r, SL_CACHELINE, sizeof *r) != 0) abort();
    memset(r, 0, sizeof *r);
    atomic_init(&r->epoch, 0);
    pthread_mutex_lock(&registry_lock);
    r->next = readers;
    readers = r;
    pthread_mutex_unlock(&registry_lock);
    pthread_setspecific(reader_key, r);
    sl__reader_self = r;
    return r;
}

/* Is this thread inside a read section?  Its epoch word is nonzero then. */
static bool in_section(struct sl__reader *self)
{
    return self && atomic_load_explicit(&self->epoch, memory_order_relaxed) != 0;
}

/* A full barrier on every thread of the process (or just ours when readers
 * fence themselves). */
static void barrier_all(void)
{
    sl__barrier_heavy();
}

int sl_snapshot_synchronize(void)
{
    pthread_once(&setup_once, setup);
    struct sl__reader *self = sl__reader_self;
    if (in_section(self)) return -EDEADLK;
    pthread_mutex_lock(&registry_lock);
    barrier_all();   /* pointer updates before here are seen by new readers */
    uint64_t next = atomic_fetch_add_explicit(&sl__snapshot_epoch, 1, memory_order_acq_rel) + 1;
    barrier_all();   /* readers' epoch stores before here are seen below */
    for (struct sl__reader *r = readers; r; r = r->next) {
        unsigned spins = 0;
        for (;;) {
            uint64_t e = atomic_load_explicit(&r->epoch, memory_order_acquire);
            if (e == 0 || e >= next) break;
            if (++spins > 64) sched_yield();
        }
    }
    barrier_all();   /* readers' loads in their sections happen before our frees */
    pthread_mutex_unlock(&registry_lock);
    return 0;
}

int sl_snapshot_init(sl_snapshot *s, void *initial, void (*free_fn)(void *))
{
    if (!s || !free_fn) return -EINVAL;
    pthread_once(&setup_once, setup);
    memset(s, 0, sizeof *s);
    atomic_init(&s->current, initial);
    pthread_mutex_init(&s->wlock, NULL);
    s->free_fn = free_fn;
    return 0;
}

static void free_retired(sl_snapshot *s, void **list, size_t n)
{
    for (size_t i = 0; i < n; i++) s->free_fn(list[i]);
}

int sl_snapshot_publish(sl_snapshot *s, void *next)
{
    if (in_section(sl__reader_self)) return -EDEADLK;
    pthread_mutex_lock(&s->wlock);
    void *old = atomic_exchange_explicit(&s->current, next, memory_order_acq_rel);
    pthread_mutex_unlock(&s->wlock);
    sl_snapshot_synchronize();
    if (old) s->free_fn(old);
    return 0;
}

int sl_snapshot_publish_deferred(sl_snapshot *s, void *next)
{
    pthread_mutex_lock(&s->wlock);
    void *old = atomic_exchange_explicit(&s->current, next, memory_order_acq_rel);
    if (old) {
        if (s->n_retired == s->cap_retired) {
            size_t nc = s->cap_retired ? s->cap_retired * 2 : SL_RETIRE_BATCH;
            void **nr = realloc(s->retired, nc * sizeof *nr);
            if (!nr) {
                /* cannot defer: put the old one back and report */
                atomic_store_explicit(&s->current, old, memory_order_release);
                pthread_mutex_unlock(&s->wlock);
                return -ENOMEM;
            }
            s->retired = nr;
            s->cap_retired = nc;
        }
        s->retired[s->n_retired++] = old;
    }
    bool full = s->n_retired >= SL_RETIRE_BATCH;
    pthread_mutex_unlock(&s->wlock);
    if (full && !in_section(sl__reader_self)) sl_snapshot_reclaim(s);
    return 0;
}

int sl_snapshot_reclaim(sl_snapshot *s)
{
    if (in_section(sl__reader_self)) return -EDEADLK;
    pthread_mutex_lock(&s->wlock);
    void **list = s->retired;
    size_t n = s->n_retired;
    s->retired = NULL;
    s->n_retired = s->cap_retired = 0;
    pthread_mutex_unlock(&s->wlock);
    if (!n) { free(list); return 0; }
    sl_snapshot_synchronize();   /* everything in list was unpublished before this */
    free_retired(s, list, n);
    free(list);
    return 0;
}

void sl_snapshot_destroy(sl_snapshot *s)
{
    void *cur = atomic_load_explicit(&s->current, memory_order_acquire);
    free_retired(s, s->retired, s->n_retired);
    free(s->retired);
    if (cur) s->free_fn(cur);
    pthread_mutex_destroy(&s->wlock);
    memset(s, 0, sizeof *s);
}
