/* ctx.c - cancellation contexts: deadlines, parent links and watcher callbacks. */
#include "synclint/ctx.h"

#include <errno.h>

static void parent_done(void *arg)
{
    sl_ctx *c = arg;
    int e = atomic_load_explicit(&c->parent->err, memory_order_acquire);
    sl_ctx_cancel_err(c, e ? e : -ECANCELED);
}

static int init_common(sl_ctx *c, sl_ctx *parent, int64_t deadline_ns)
{
    int r;

    sl_event_init(&c->done);
    atomic_init(&c->err, 0);
    c->parent = parent;
    c->watchers = NULL;
    c->running = NULL;
    c->in_parent.linked = false;
    if (parent && parent->deadline_ns >= 0 && (deadline_ns < 0 || parent->deadline_ns < deadline_ns))
        deadline_ns = parent->deadline_ns;
    c->deadline_ns = deadline_ns;

    if ((r = pthread_mutex_init(&c->lock, NULL)) != 0) return -r;
    if ((r = pthread_cond_init(&c->fn_done, NULL)) != 0) goto out_mutex;

    if (parent) {
        int e = sl_ctx_watch(parent, &c->in_parent, parent_done, c);
        if (e != 0) {
            atomic_store_explicit(&c->err, e, memory_order_release);
            sl_event_set(&c->done);
        }
    }
    return 0;

out_mutex:
    pthread_mutex_destroy(&c->lock);
    return -r;
}

int sl_ctx_init(sl_ctx *c, sl_ctx *parent)
{
    return init_common(c, parent, -1);
}

int sl_ctx_init_deadline(sl_ctx *c, sl_ctx *parent, const struct timespec *abstime)
{
    if (abstime == NULL || abstime->tv_sec < 0 || abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000)
        return -EINVAL;
    int64_t dl = (int64_t)abstime->tv_sec * 1000000000 + abstime->tv_nsec;
    return init_common(c, parent, dl);
}

int sl_ctx_init_timeout(sl_ctx *c, sl_ctx *parent, int64_t timeout_ns)
{
    if (timeout_ns < 0) return -EINVAL;
    int64_t now = sl_monotonic_ns();
    return init_common(c, parent, timeout_ns > INT64_MAX - now ? -1 : now + timeout_ns);
}

void sl_ctx_destroy(sl_ctx *c)
{
    if (c->parent) sl_ctx_unwatch(c->parent, &c->in_parent);
    pthread_cond_destroy(&c->fn_done);
    pthread_mutex_destroy(&c->lock);
}

int sl_ctx_cancel_err(sl_ctx *c, int err)
{
    if (err != -ECANCELED && err != -ETIMEDOUT) return -EINVAL;
    pthread_mutex_lock(&c->lock);
    int expected = 0;
    if (!atomic_compare_exchange_strong_explicit(&c->err, &expected, err,
                                                 memory_order_acq_rel, memory_order_acquire)) {
        pthread_mutex_unlock(&c->lock);
        return -EALREADY;
    }
    sl_event_set(&c->done);
    /* Run each watcher with the lock dropped, so fn may take any lock of its
     * own; `running` lets sl_ctx_unwatch wait for it to finish. */
    sl_ctx_watcher *w;
    while ((w = c->watchers) != NULL) {
        c->watchers = w->next;
        if (w->next) w->next->prev = NULL;
        w->linked = false;
        c->running = w;
        pthread_mutex_unlock(&c->lock);
        w->fn(w->arg);
        pthread_mutex_lock(&c->lock);
        c->running = NULL;
        pthread_cond_broadcast(&c->fn_done);
    }
    pthread_mutex_unlock(&c->lock);
    return 0;
}

int sl_ctx_cancel(sl_ctx *c)
{
    return sl_ctx_cancel_err(c, -ECANCELED);
}

int sl_ctx_err_slow(sl_ctx *c)
{
    int e = atomic_load_explicit(&c->err, memory_order_acquire);
    if (e != 0 || c->deadline_ns < 0 || sl_monotonic_ns() < c->deadline_ns) return e;
    /* Expired: mark done without running watchers (see ctx.h, Deadlines). */
    int expected = 0;
    if (atomic_compare_exchange_strong_explicit(&c->err, &expected, -ETIMEDOUT,
                                                memory_order_acq_rel, memory_order_acquire)) {
        sl_event_set(&c->done);
        return -ETIMEDOUT;
    }
    return expected;
}

bool sl_ctx_deadline(const sl_ctx *c, struct timespec *abstime)
{
    if (c == NULL || c->deadline_ns < 0) return false;
    if (abstime) {
        abstime->tv_sec = (time_t)(c->deadline_ns / 1000000000);
        abstime->tv_nsec = (long)(c->deadline_ns % 1000000000);
    }
    return true;
}

int sl_ctx_wait(sl_ctx *c)
{
    int e;
    while ((e = sl_ctx_err(c)) == 0)
        sl_event_wait_until_ns(&c->done, c->deadline_ns);
    return e;
}

int sl_ctx_watch(sl_ctx *c, sl_ctx_watcher *w, void (*fn)(void *arg), void *arg)
{
    w->fn = fn;
    w->arg = arg;
    w->linked = false;
    int e = sl_ctx_err(c);
    if (e != 0) return e;
    pthread_mutex_lock(&c->lock);
    e = atomic_load_explicit(&c->err, memory_order_acquire);
    if (e == 0) {
        w->prev = NULL;
        w->next = c->watchers;
        if (c->watchers) c->watchers->prev = w;
        c->watchers = w;
        w->linked = true;
    }
    pthread_mutex_unlock(&c->lock);
    return e;
}

void sl_ctx_unwatch(sl_ctx *c, sl_ctx_watcher *w)
{
    pthread_mutex_lock(&c->lock);
    if (w->linked) {
        if (w->prev) w->prev->next = w->next;
        else c->watchers = w->next;
        if (w->next) w->next->prev = w->prev;
        w->linked = false;
    } else {
        while (c->running == w) pthread_cond_wait(&c->fn_done, &c->lock);
    }
    pthread_mutex_unlock(&c->lock);
}
