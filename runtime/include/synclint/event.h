/* event.h - one-shot event: set once, every waiter wakes.
 *
 * Interface:
 *   sl_event                          one 32-bit word; no allocation, no destroy
 *     SL_EVENT_INIT                   static initialiser (not set)
 *     sl_event_init(e)                initialise (not set)
 *     sl_event_set(e)        -> 0 | -EALREADY     set and wake every waiter
 *     sl_event_is_set(e)     -> bool              one acquire load, never blocks
 *     sl_event_wait(e)                            block until set
 *     sl_event_timedwait(e, abstime) -> 0 | -ETIMEDOUT | -EINVAL
 *                                     abstime: CLOCK_MONOTONIC timespec
 *     sl_event_wait_for(e, timeout_ns) -> 0 | -ETIMEDOUT
 *     sl_event_wait_until_ns(e, deadline_ns) -> 0 | -ETIMEDOUT
 *                                     deadline_ns: sl_monotonic_ns() based, <0 none
 *     sl_event_wait_ctx(e, ctx) -> 0 | -ECANCELED | -ETIMEDOUT
 *                                     until set, or ctx cancelled / past deadline
 *     sl_event_reset(e)               back to not set (no concurrent users only)
 *     sl_monotonic_ns()               CLOCK_MONOTONIC now, in nanoseconds
 *
 * Replaces: the condvar one-shot, `pthread_mutex_lock; while (!ready)
 * pthread_cond_wait; pthread_mutex_unlock` paired with a setter that locks,
 * sets `ready = 1` and broadcasts (sync-lint's condvar-one-shot shape).  That
 * costs a mutex round trip on every check even long after the flag is set,
 * and a forgotten `while` or a signal instead of a broadcast loses waiters.
 *
 * Implementation: one state word (set bit, a sticky "has sleepers" bit, and
 * a wake sequence used by sl_event_wait_ctx).  Waiters sleep on it with a
 * futex on Linux (a hashed condvar table elsewhere).  sl_event_set is one
 * atomic fetch-or, plus a futex wake only if a waiter ever went to sleep:
 * with no waiters it makes no system call.
 *
 * Ownership: the caller owns the storage; an event holds no resources, so it
 *   needs no destroy.  set reads and writes the event once, before it wakes:
 *   a waiter that returned from a wait may free the event even while the
 *   setter is still inside sl_event_set (the usual "completion on the
 *   waiter's stack" pattern is safe).  Free it only when no thread will
 *   wait on or set it any more.
 * Blocking: set never blocks (one futex wake when there are waiters);
 *   is_set never blocks; the wait family blocks until set / timeout / cancel.
 * Memory order: set is a release (seq_cst) store; a wait that returns 0 and
 *   is_set returning true are acquire: everything written before set is
 *   visible after them.
 * Errors: set returns -EALREADY when the event was already set (harmless;
 *   the first set won).  Waits return -ETIMEDOUT past their deadline,
 *   -EINVAL for a malformed timespec, and wait_ctx returns the context's
 *   error (-ECANCELED or -ETIMEDOUT).  A set event always wins: if the event
 *   is set, waits return 0 even when the deadline passed or ctx is done.
 */
#ifndef SYNCLINT_EVENT_H
#define SYNCLINT_EVENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct sl_ctx;

typedef struct sl_event {
    /* bit 0: set; bit 1: someone sleeps or slept (sticky); bits 2..31: a
     * wake sequence bumped by sl_event_poke.  One word, so set touches the
     * event once: a waiter may free it as soon as it sees the set bit. */
    _Atomic uint32_t state;
} sl_event;

#define SL_EVENT_INIT { 0 }
#define SL_EVENT_SET_BIT 1u
#define SL_EVENT_WAITERS_BIT 2u
#define SL_EVENT_SEQ_ONE 4u

static inline void sl_event_init(sl_event *e)
{
    atomic_init(&e->state, 0);
}

/* Not blocking.  Acquire: true means writes before set are visible. */
static inline bool sl_event_is_set(const sl_event *e)
{
    return (atomic_load_explicit((_Atomic uint32_t *)&e->state, memory_order_acquire)
            & SL_EVENT_SET_BIT) != 0;
}

/* Set the event and wake all waiters.  0, or -EALREADY if already set.
 * No system call when nobody waits. */
int sl_event_set(sl_event *e);

/* Slow paths (the inline wrappers below check the flag first). */
int sl_event_wait_slow(sl_event *e, int64_t deadline_ns);

/* Block until set.  Fast path: one acquire load. */
static inline void sl_event_wait(sl_event *e)
{
    if (__builtin_expect(sl_event_is_set(e), 1)) return;
    sl_event_wait_slow(e, -1);
}

/* Block until set or deadline_ns (CLOCK_MONOTONIC ns; negative: none). */
static inline int sl_event_wait_until_ns(sl_event *e, int64_t deadline_ns)
{
    if (__builtin_expect(sl_event_is_set(e), 1)) return 0;
    return sl_event_wait_slow(e, deadline_ns);
}

/* Block until set or abstime (CLOCK_MONOTONIC).  -EINVAL if tv_nsec is out
 * of range. */
int sl_event_timedwait(sl_event *e, const struct timespec *abstime);

/* Block until set or timeout_ns from now.  0 or -ETIMEDOUT. */
int sl_event_wait_for(sl_event *e, int64_t timeout_ns);

/* Block until set, or ctx is cancelled or past its deadline.  ctx may be
 * NULL (wait forever).  0, or ctx's error. */
int sl_event_wait_ctx(sl_event *e, struct sl_ctx *ctx);

/* Back to not set.  Only when no thread waits or sets concurrently. */
static inline void sl_event_reset(sl_event *e)
{
    atomic_store_explicit(&e->state, 0, memory_order_relaxed);
}

/* Wake the event's waiters without setting it, so that they re-check
 * external conditions (used by ctx watchers).  Not blocking. */
void sl_event_poke(sl_event *e);

static inline int64_t sl_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
