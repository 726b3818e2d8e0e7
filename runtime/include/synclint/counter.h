/* counter.h - counters that many threads bump without a mutex.
 *
 * Interface:
 *   sl_counter                    one atomic 64-bit word
 *     SL_COUNTER_INIT             static initialiser (value 0)
 *     sl_counter_init(c, v)       set to v (not concurrently with other use)
 *     sl_counter_add(c, d)        add d; returns the value before the add
 *     sl_counter_inc(c)           add 1; returns the value before
 *     sl_counter_load(c)          current value
 *     sl_counter_store(c, v)      replace the value
 *   sl_striped_counter            per-thread stripes, each on its own line
 *     sl_striped_counter_init(s, nstripes) -> 0 | -EINVAL | -ENOMEM
 *     sl_striped_counter_destroy(s)
 *     sl_striped_counter_add(s, d)   add d to the calling thread's stripe
 *     sl_striped_counter_sum(s)      sum of all stripes
 *     sl_striped_counter_reset(s)    set every stripe to 0 (only while no thread adds)
 *
 * Replaces: a pthread_mutex_t held only to do `n++` (sync-lint rule
 * mutex-guarded-counter).  sl_counter is one lock-free atomic read-modify-
 * write: about the cost of the uncontended mutex's lock alone, and it never
 * puts a thread to sleep.  When many threads add often and the total is read
 * rarely (request/byte statistics), sl_striped_counter gives each thread its
 * own cache line, so adds never contend; the price is a sum that walks every
 * stripe.
 *
 * Ownership: the caller owns the counter storage.  sl_striped_counter_init
 * allocates the stripes; sl_striped_counter_destroy frees them.
 * Blocking: nothing here blocks or makes a system call after init, except a
 * thread's first striped add, which takes a process-wide lock to get its slot.
 * Memory order: sl_counter_add/inc are relaxed read-modify-writes (a
 * counter orders nothing else); load is relaxed.  Use sl_counter_add_acq_rel
 * when the counter publishes other data (e.g. a ticket).  The striped sum is
 * not a snapshot: adds that race with it may or may not be included, but no
 * completed add is lost, and with no concurrent adds the sum is exact.
 * Errors: actions return 0 or -errno.
 */
#ifndef SYNCLINT_COUNTER_H
#define SYNCLINT_COUNTER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "synclint/pad.h"

typedef struct sl_counter {
    _Atomic uint64_t value;
} sl_counter;

#define SL_COUNTER_INIT { 0 }

static inline void sl_counter_init(sl_counter *c, uint64_t v)
{
    atomic_init(&c->value, v);
}

static inline uint64_t sl_counter_add(sl_counter *c, uint64_t d)
{
    return atomic_fetch_add_explicit(&c->value, d, memory_order_relaxed);
}

static inline uint64_t sl_counter_add_acq_rel(sl_counter *c, uint64_t d)
{
    return atomic_fetch_add_explicit(&c->value, d, memory_order_acq_rel);
}

static inline uint64_t sl_counter_inc(sl_counter *c)
{
    return atomic_fetch_add_explicit(&c->value, 1, memory_order_relaxed);
}

static inline uint64_t sl_counter_load(const sl_counter *c)
{
    return atomic_load_explicit((_Atomic uint64_t *)&c->value, memory_order_relaxed);
}

static inline void sl_counter_store(sl_counter *c, uint64_t v)
{
    atomic_store_explicit(&c->value, v, memory_order_relaxed);
}

/* One stripe per line. */
struct sl_counter_stripe {
    SL_ALIGNED_LINE _Atomic uint64_t value;
};

typedef struct sl_striped_counter {
    struct sl_counter_stripe *stripes;
    unsigned nstripes;           /* owned stripes, then one shared overflow stripe */
} sl_striped_counter;

/* nstripes: how many threads get a stripe of their own (0: 64, or four per
 * online CPU if that is more).  Returns 0, -EINVAL (over 65536), or -ENOMEM. */
int sl_striped_counter_init(sl_striped_counter *s, unsigned nstripes);
void sl_striped_counter_destroy(sl_striped_counter *s);

/* The calling thread's slot: a small integer unique among live threads,
 * recycled when a thread exits.  The first call in a thread takes a lock. */
extern _Thread_local unsigned sl__slot_plus1;
unsigned sl__slot_assign(void);
static inline unsigned sl_thread_slot(void)
{
    unsigned s = sl__slot_plus1;
    return __builtin_expect(s != 0, 1) ? s - 1 : sl__slot_assign();
}

/* A thread whose slot has a stripe is that stripe's only writer, so the add
 * is a plain relaxed load and store: no locked instruction, and the line
 * stays in this core's cache.  Threads beyond nstripes share the overflow
 * stripe with an atomic add. */
static inline void sl_striped_counter_add(sl_striped_counter *s, uint64_t d)
{
    unsigned id = sl_thread_slot();
    if (__builtin_expect(id < s->nstripes, 1)) {
        _Atomic uint64_t *v = &s->stripes[id].value;
        atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + d,
                              memory_order_relaxed);
    } else {
        atomic_fetch_add_explicit(&s->stripes[s->nstripes].value, d, memory_order_relaxed);
    }
}

uint64_t sl_striped_counter_sum(const sl_striped_counter *s);
void sl_striped_counter_reset(sl_striped_counter *s);

#endif
