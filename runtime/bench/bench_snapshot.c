/* bench_snapshot.c - pairs: snapshot (rwlock read vs sl_snapshot read),
 * snapshot-vs-liburcu (memb read side vs ours), snapshot-publish-vs-liburcu
 * (call_rcu vs deferred publish). */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"
#include "synclint/snapshot.h"

#ifdef SL_BENCH_HAVE_URCU
#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>
#endif

struct cfg {
    unsigned long version, limit;
#ifdef SL_BENCH_HAVE_URCU
    struct rcu_head rcu;
#endif
};

struct snap_state {
    pthread_rwlock_t rw;
    struct cfg *locked_cfg;
    sl_snapshot snap;
    /* liburcu's pointer API (rcu_dereference, rcu_xchg_pointer) takes a
     * plain pointer and does the atomic accesses itself (__atomic_load
     * consume, xchg); an _Atomic-qualified one does not compile with clang
     * (its typeof keeps the qualifier).  Plain accesses only in setup and
     * teardown, outside the threads. */
    struct cfg *urcu_cfg;
};

static void free_cfg(void *p) { free(p); }

static struct cfg *new_cfg(unsigned long v)
{
    struct cfg *c = calloc(1, sizeof *c);
    if (c) { c->version = v; c->limit = 100 + v; }
    return c;
}

static void *snap_setup(unsigned nthreads)
{
    (void)nthreads;
    struct snap_state *s = sl_bench_zalloc(sizeof *s);
    if (!s) return NULL;
    pthread_rwlock_init(&s->rw, NULL);
    s->locked_cfg = new_cfg(1);
    sl_snapshot_init(&s->snap, new_cfg(1), free_cfg);
    s->urcu_cfg = new_cfg(1);
    return s;
}

static void snap_teardown(void *p)
{
    struct snap_state *s = p;
#ifdef SL_BENCH_HAVE_URCU
    urcu_memb_barrier();   /* wait for pending call_rcu callbacks */
#endif
    pthread_rwlock_destroy(&s->rw);
    free(s->locked_cfg);
    sl_snapshot_destroy(&s->snap);
    free(s->urcu_cfg);
    free(s);
}

static uint64_t rwlock_read(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct snap_state *s = p;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < iters; i++) {
        pthread_rwlock_rdlock(&s->rw);
        sum += s->locked_cfg->limit;
        pthread_rwlock_unlock(&s->rw);
    }
    sl_bench_sink(sum);
    return iters;
}

static uint64_t snapshot_read(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct snap_state *s = p;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < iters; i++) {
        const struct cfg *c = sl_snapshot_read_begin(&s->snap);
        sum += c->limit;
        sl_snapshot_read_end();
    }
    sl_bench_sink(sum);
    return iters;
}

const sl_bench_pair sl_bench_snapshot = {
    "snapshot", "pthread_rwlock_rdlock; read config; unlock",
    "sl_snapshot_read_begin; read; read_end",
    0, snap_setup, snap_teardown, rwlock_read, snapshot_read, false,
};

#ifdef SL_BENCH_HAVE_URCU
static uint64_t urcu_read(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct snap_state *s = p;
    uint64_t sum = 0;
    urcu_memb_register_thread();
    for (uint64_t i = 0; i < iters; i++) {
        urcu_memb_read_lock();
        struct cfg *c = rcu_dereference(s->urcu_cfg);
        sum += c->limit;
        urcu_memb_read_unlock();
    }
    urcu_memb_unregister_thread();
    sl_bench_sink(sum);
    return iters;
}

const sl_bench_pair sl_bench_snapshot_vs_liburcu = {
    "snapshot-vs-liburcu", "liburcu memb: rcu_read_lock; rcu_dereference; unlock",
    "sl_snapshot_read_begin; read; read_end",
    0, snap_setup, snap_teardown, urcu_read, snapshot_read, false,
};

static void urcu_free_cb(struct rcu_head *h)
{
    free(caa_container_of(h, struct cfg, rcu));
}

/* One writer replaces the config; the old one is freed later. */
static uint64_t urcu_publish(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct snap_state *s = p;
    if (tid != 0) return 0;
    urcu_memb_register_thread();
    for (uint64_t i = 0; i < iters; i++) {
        struct cfg *old = rcu_xchg_pointer(&s->urcu_cfg, new_cfg(i));
        urcu_memb_call_rcu(&old->rcu, urcu_free_cb);
    }
    urcu_memb_unregister_thread();
    return iters;
}

static uint64_t snapshot_publish(void *p, unsigned tid, unsigned n, uint64_t iters)
{
    struct snap_state *s = p;
    if (tid != 0) return 0;
    for (uint64_t i = 0; i < iters; i++) sl_snapshot_publish_deferred(&s->snap, new_cfg(i));
    return iters;
}

const sl_bench_pair sl_bench_snapshot_publish_vs_liburcu = {
    "snapshot-publish-vs-liburcu", "liburcu memb: rcu_xchg_pointer + call_rcu",
    "sl_snapshot_publish_deferred", 1, snap_setup, snap_teardown, urcu_publish, snapshot_publish,
    true,
};
#endif
