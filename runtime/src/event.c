/* event.c - the one-shot event's slow paths: sleeping waiters and waking them. */
#include "synclint/event.h"

#include <errno.h>

#include "futex.h"
#include "synclint/ctx.h"

int sl_event_set(sl_event *e)
{
    /* The only access to *e: afterwards a waiter may free it (futex wake on
     * a private futex uses the address as a key and never touches memory). */
    uint32_t old = atomic_fetch_or_explicit(&e->state, SL_EVENT_SET_BIT, memory_order_acq_rel);
    if (old & SL_EVENT_SET_BIT) return -EALREADY;
    if (old & SL_EVENT_WAITERS_BIT) sl_futex_wake_all(&e->state);
    return 0;
}

void sl_event_poke(sl_event *e)
{
    uint32_t old = atomic_fetch_add_explicit(&e->state, SL_EVENT_SEQ_ONE, memory_order_acq_rel);
    if (old & SL_EVENT_WAITERS_BIT) sl_futex_wake_all(&e->state);
}

/* Announce a sleeper and return the word to sleep on. */
static uint32_t announce(sl_event *e)
{
    return atomic_fetch_or_explicit(&e->state, SL_EVENT_WAITERS_BIT, memory_order_acquire)
           | SL_EVENT_WAITERS_BIT;
}

int sl_event_wait_slow(sl_event *e, int64_t deadline_ns)
{
    for (;;) {
        uint32_t s = announce(e);
        if (s & SL_EVENT_SET_BIT) return 0;
        if (deadline_ns >= 0 && sl_monotonic_ns() >= deadline_ns) return -ETIMEDOUT;
        sl_futex_wait(&e->state, s, deadline_ns);
    }
}

int sl_event_timedwait(sl_event *e, const struct timespec *abstime)
{
    if (abstime == NULL) {
        sl_event_wait(e);
        return 0;
    }
    if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000 || abstime->tv_sec < 0)
        return -EINVAL;
    return sl_event_wait_until_ns(e, (int64_t)abstime->tv_sec * 1000000000 + abstime->tv_nsec);
}

int sl_event_wait_for(sl_event *e, int64_t timeout_ns)
{
    if (sl_event_is_set(e)) return 0;
    if (timeout_ns < 0) timeout_ns = 0;
    int64_t now = sl_monotonic_ns();
    int64_t dl = timeout_ns > INT64_MAX - now ? -1 : now + timeout_ns;
    return sl_event_wait_slow(e, dl);
}

static void poke_cb(void *arg)
{
    sl_event_poke(arg);
}

int sl_event_wait_ctx(sl_event *e, sl_ctx *ctx)
{
    if (sl_event_is_set(e)) return 0;
    if (ctx == NULL) {
        sl_event_wait_slow(e, -1);
        return 0;
    }
    sl_ctx_watcher w;
    int err = sl_ctx_watch(ctx, &w, poke_cb, e);
    if (err != 0) return sl_event_is_set(e) ? 0 : err;
    int64_t dl = sl_ctx_deadline_ns(ctx);
    for (;;) {
        /* Announce before checking ctx: a cancel after the check pokes the
         * word (acq_rel), so the futex wait below returns at once. */
        uint32_t s = announce(e);
        if (s & SL_EVENT_SET_BIT) {
            err = 0;
            break;
        }
        if ((err = sl_ctx_err(ctx)) != 0) break;
        sl_futex_wait(&e->state, s, dl);
    }
    sl_ctx_unwatch(ctx, &w);
    return err;
}
