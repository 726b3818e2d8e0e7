/* ctx.h - cancellation context: a token with an optional deadline, parent to
 * child cancellation, and a done event every blocking call can honour.
 *
 * Interface:
 *   sl_ctx                                 caller-owned; init ... destroy
 *     sl_ctx_init(c, parent)          -> 0 | -errno   parent may be NULL
 *     sl_ctx_init_deadline(c, parent, abstime) -> 0 | -EINVAL | -errno
 *                                          abstime: CLOCK_MONOTONIC
 *     sl_ctx_init_timeout(c, parent, timeout_ns) -> 0 | -EINVAL | -errno
 *     sl_ctx_destroy(c)                    detach from parent, free resources
 *     sl_ctx_cancel(c)                -> 0 | -EALREADY   cancel (-ECANCELED)
 *     sl_ctx_cancel_err(c, err)       -> 0 | -EALREADY | -EINVAL
 *     sl_ctx_err(c)                   -> 0 | -ECANCELED | -ETIMEDOUT
 *     sl_ctx_is_done(c)               -> bool
 *     sl_ctx_done(c)                  -> sl_event *   set once c is done
 *     sl_ctx_deadline(c, &abstime)    -> bool         has a deadline?
 *     sl_ctx_deadline_ns(c)           -> int64_t      CLOCK_MONOTONIC ns, -1 none
 *     sl_ctx_wait(c)                  -> -ECANCELED | -ETIMEDOUT  block until done
 *     sl_ctx_watch(c, w, fn, arg)     -> 0 | c's error  call fn(arg) when c is done
 *     sl_ctx_unwatch(c, w)                   stop watching; waits for a running fn
 *
 * Replaces: ad-hoc `volatile int stop` flags polled in loops, and blocking
 * calls that cannot be interrupted (a thread stuck in pthread_cond_wait or
 * a channel receive at shutdown).  Go's context.Context, in C.
 *
 * Deadlines: a context with a deadline (its own, or inherited from its
 * parent: a child's deadline is the earlier of the two) becomes done with
 * -ETIMEDOUT the first time any call observes that the deadline passed:
 * sl_ctx_err, sl_ctx_is_done, sl_ctx_wait, and every sl_*_ctx wait (which
 * sleep no later than the deadline).  No timer thread exists; a thread that
 * sleeps on the raw done event with sl_event_wait will not be woken by the
 * deadline alone: use sl_ctx_wait or sleep until sl_ctx_deadline_ns.
 * Expiry sets the done event but does not run watchers (it is observed by
 * whichever thread calls sl_ctx_err, maybe under the caller's own lock):
 * every ctx-aware wait sleeps no later than the deadline and sees it itself.
 *
 * Watchers (for authors of blocking primitives): a blocking call that waits
 * for "its condition OR ctx done" registers an sl_ctx_watcher whose fn wakes
 * it (e.g. locks its mutex and broadcasts its condvar, or sl_event_poke),
 * then waits while re-checking sl_ctx_err, and unregisters:
 *
 *     sl_ctx_watcher w;
 *     if ((err = sl_ctx_watch(ctx, &w, wake_me, q)) != 0) return err;
 *     pthread_mutex_lock(&q->lock);
 *     while (!q->ready && (err = sl_ctx_err(ctx)) == 0)
 *         pthread_cond_timedwait(&q->cond, &q->lock, &deadline);  // or cond_wait
 *     pthread_mutex_unlock(&q->lock);
 *     sl_ctx_unwatch(ctx, &w);
 *
 * Safety: fn runs on the thread that calls sl_ctx_cancel (of c or of an
 *   ancestor), with no ctx lock held, at most once per registration; do not
 *   cancel while holding a lock that a watcher fn takes.  fn must not block for long and must not call
 *   sl_ctx_unwatch on the same watcher.  sl_ctx_unwatch waits until a fn
 *   already running for w returns, so w and arg may be freed after it:
 *   never call sl_ctx_unwatch while holding a lock that fn takes.
 *
 * Ownership: the caller owns the sl_ctx storage and every watcher; init
 *   allocates nothing but pthread objects.  A child registers itself with
 *   its parent: destroy every child before its parent.  Destroy a context
 *   only once no other thread uses it and it has no watchers.
 * Blocking: only sl_ctx_wait, and sl_ctx_unwatch while w's fn runs, block.
 *   sl_ctx_cancel runs the watchers (and cancels children, recursively) on
 *   the calling thread.  Children become done inside their parent's
 *   sl_ctx_cancel, before it returns; a third thread that sees the parent
 *   done while that cancel runs may still see a child live for a moment
 *   (as with Go's context).
 * Memory order: cancel is a release; sl_ctx_err returning non-zero and
 *   sl_ctx_is_done returning true are acquire (writes before cancel are
 *   visible).  A done context stays done.
 * Errors: cancel returns -EALREADY if c was already done (the first error
 *   stays); cancel_err takes -ECANCELED or -ETIMEDOUT only (-EINVAL
 *   otherwise); init returns -EINVAL for a malformed deadline and
 *   pthread errors as -errno.  A child of a done parent starts done with
 *   the parent's error.
 */
#ifndef SYNCLINT_CTX_H
#define SYNCLINT_CTX_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "synclint/event.h"

typedef struct sl_ctx_watcher {
    void (*fn)(void *arg);
    void *arg;
    struct sl_ctx_watcher *prev, *next;
    bool linked;                  /* on the ctx's list (under ctx lock) */
} sl_ctx_watcher;

typedef struct sl_ctx {
    sl_event done;                /* set once err is non-zero */
    _Atomic int err;              /* 0, -ECANCELED or -ETIMEDOUT */
    int64_t deadline_ns;          /* CLOCK_MONOTONIC ns; -1: none */
    struct sl_ctx *parent;
    sl_ctx_watcher in_parent;     /* cancels us when the parent is done */
    pthread_mutex_t lock;         /* guards watchers, running */
    pthread_cond_t fn_done;       /* a watcher fn returned */
    sl_ctx_watcher *watchers;
    sl_ctx_watcher *running;      /* the watcher whose fn runs now */
} sl_ctx;

int sl_ctx_init(sl_ctx *c, sl_ctx *parent);
int sl_ctx_init_deadline(sl_ctx *c, sl_ctx *parent, const struct timespec *abstime);
int sl_ctx_init_timeout(sl_ctx *c, sl_ctx *parent, int64_t timeout_ns);
void sl_ctx_destroy(sl_ctx *c);

int sl_ctx_cancel(sl_ctx *c);
int sl_ctx_cancel_err(sl_ctx *c, int err);

/* Slow path of sl_ctx_err: checks the deadline. */
int sl_ctx_err_slow(sl_ctx *c);

/* 0 while live; the error once done.  Not blocking; with a deadline, reads
 * the monotonic clock (vDSO, no system call). */
static inline int sl_ctx_err(sl_ctx *c)
{
    if (c == NULL) return 0;
    int e = atomic_load_explicit(&c->err, memory_order_acquire);
    if (e != 0 || c->deadline_ns < 0) return e;
    return sl_ctx_err_slow(c);
}

static inline bool sl_ctx_is_done(sl_ctx *c)
{
    return sl_ctx_err(c) != 0;
}

/* The done event: set when c becomes done.  Owned by c. */
static inline sl_event *sl_ctx_done(sl_ctx *c)
{
    return &c->done;
}

static inline int64_t sl_ctx_deadline_ns(const sl_ctx *c)
{
    return c == NULL ? -1 : c->deadline_ns;
}

bool sl_ctx_deadline(const sl_ctx *c, struct timespec *abstime);

/* Block until c is done; returns its error. */
int sl_ctx_wait(sl_ctx *c);

int sl_ctx_watch(sl_ctx *c, sl_ctx_watcher *w, void (*fn)(void *arg), void *arg);
void sl_ctx_unwatch(sl_ctx *c, sl_ctx_watcher *w);

#endif
