/* once.h - run an initialiser exactly once, with an argument.
 *
 * Interface:
 *   sl_once                         one 32-bit word
 *     SL_ONCE_INIT                  static initialiser
 *     sl_once_init(o)               dynamic initialiser (no concurrent use)
 *     sl_once_call(o, fn, arg) -> 0 | fn's error  run fn(arg) once; later: 0
 *     sl_once_done(o)      -> bool             has an fn(arg) call succeeded?
 *
 * Replaces: pthread_once, whose init routine takes no argument (so the
 * state it initialises must be global), cannot fail, and costs a call and
 * a function-pointer check even after initialisation; and the broken
 * double-checked `if (!inited) { lock; if (!inited) {...; inited = 1;} }`
 * with a plain flag (sync-lint rule double-checked-init).
 *
 * Semantics: the first caller runs fn(arg); concurrent callers block until
 * it returns.  If fn returns 0 the once is done and every later call returns
 * 0 at the cost of one acquire load.  If fn returns non-zero (by convention
 * a -errno), that caller gets the value, the once goes back to "not run",
 * and the next caller (possibly one that was blocked) runs its own fn(arg):
 * a failed initialisation can be retried.  Callers may pass different fn/arg;
 * whichever succeeds first wins.
 *
 * Ownership: the caller owns the storage; no resources, no destroy.
 * Blocking: the fast path never blocks; callers that arrive while fn runs
 *   sleep (futex) until it returns.  fn must not call sl_once_call on the same o
 *   (it would deadlock).
 * Memory order: a 0 return from sl_once_call and sl_once_done() == true are
 *   acquire: everything fn wrote is visible.
 * Errors: only fn's own non-zero return.
 */
#ifndef SYNCLINT_ONCE_H
#define SYNCLINT_ONCE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct sl_once {
    _Atomic uint32_t state;   /* 0 new, 1 running, 2 running with sleepers, 3 done */
} sl_once;

#define SL_ONCE_INIT { 0 }
#define SL_ONCE_DONE 3u

typedef int (*sl_once_fn)(void *arg);

static inline void sl_once_init(sl_once *o)
{
    atomic_init(&o->state, 0);
}

int sl_once_slow(sl_once *o, sl_once_fn fn, void *arg);

static inline bool sl_once_done(const sl_once *o)
{
    return atomic_load_explicit((_Atomic uint32_t *)&o->state, memory_order_acquire) == SL_ONCE_DONE;
}

static inline int sl_once_call(sl_once *o, sl_once_fn fn, void *arg)
{
    if (__builtin_expect(sl_once_done(o), 1)) return 0;
    return sl_once_slow(o, fn, arg);
}

#endif
