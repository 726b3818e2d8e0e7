/* chan.c - lock-free bounded MPMC ring of pointers or fixed-size items, with
 * futex sleeping when empty/full. */
#include "synclint/chan.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "futex.h"
#include "membarrier.h"
#include "relax.h"

static int chan_init(sl_chan *ch, size_t capacity, size_t item_size)
{
    if (!ch || capacity == 0 || capacity > ((size_t)1 << 30)) return -EINVAL;
    size_t n = 2;
    while (n < capacity) n <<= 1;
    size_t stride = (item_size + 7) & ~(size_t)7;   /* 8-byte aligned slots */
    if (stride && n > SIZE_MAX / stride) return -EINVAL;
    memset(ch, 0, sizeof *ch);
    ch->cells = calloc(n, sizeof *ch->cells);
    if (!ch->cells) return -ENOMEM;
    if (item_size) {
        void *mem = NULL;
        if (posix_memalign(&mem, SL_CACHELINE, n * stride) != 0) {
            free(ch->cells);
            ch->cells = NULL;
            return -ENOMEM;
        }
        ch->slots = mem;
        ch->item_size = item_size;
        ch->stride = stride;
    }
    for (size_t i = 0; i < n; i++) atomic_init(&ch->cells[i].seq, i);
    sl__membarrier_ready();   /* register now, not on the first sleep */
    ch->mask = n - 1;
    return 0;
}

int sl_chan_init(sl_chan *ch, size_t capacity)
{
    return chan_init(ch, capacity, 0);
}

int sl_chan_init_items(sl_chan *ch, size_t capacity, size_t item_size)
{
    if (item_size == 0 || item_size > SL_CHAN_MAX_ITEM) return -EINVAL;
    return chan_init(ch, capacity, item_size);
}

size_t sl_chan_destroy(sl_chan *ch)
{
    size_t left = sl_chan_len(ch);
    free(ch->cells);
    free(ch->slots);
    memset(ch, 0, sizeof *ch);
    return left;
}

size_t sl_chan_len(const sl_chan *ch)
{
    size_t e = atomic_load_explicit(&ch->enq, memory_order_relaxed);
    size_t d = atomic_load_explicit(&ch->deq, memory_order_relaxed);
    return e > d ? e - d : 0;
}

uint64_t sl_chan_drops(const sl_chan *ch)
{
    return atomic_load_explicit(&ch->drops, memory_order_relaxed);
}

/* Wake one sleeper on word if anyone announced they wait.  The light
 * barrier here pairs with the heavy one a waiter issues between announcing
 * itself and re-checking the ring: one of the two always sees the other,
 * and the hot path pays only a compiler barrier (see membarrier.h).
 *
 * waiters counts callers that announced themselves and were not woken yet.
 * With Linux futexes the waker takes the sleepers it woke off the count
 * (FUTEX_WAKE says how many) and they do not take themselves off
 * (futex_wait returned 0); a caller that returns for any other reason
 * takes itself off.  So once the only sleeper is woken, later operations
 * see no waiter and make no system call while it waits for a cpu: before,
 * each of them made a futex wake (that found nobody) until it ran, which on
 * a loaded machine meant a system call per item for a whole scheduler
 * slice.  The portable fallback cannot count: waiters take themselves off. */
static void wake_counted(_Atomic uint32_t *word, _Atomic uint32_t *waiters, int n)
{
    atomic_fetch_add_explicit(word, 1, memory_order_release);
    int woken = sl_futex_wake(word, n);
    if (woken > 0) atomic_fetch_sub_explicit(waiters, (uint32_t)woken, memory_order_relaxed);
}

/* Each futex word is followed by its waiter count, so the hot path passes
 * wake_one one pointer, as before counting (one instruction less in every
 * send and receive; measured layout-sensitive, see sl_chan_send). */
_Static_assert(offsetof(sl_chan, recv_waiters) == offsetof(sl_chan, not_empty) + sizeof(uint32_t) &&
               offsetof(sl_chan, send_waiters) == offsetof(sl_chan, not_full) + sizeof(uint32_t),
               "a futex word's waiter count must follow it");

static __attribute__((noinline)) void wake_one(_Atomic uint32_t *word)
{
    wake_counted(word, word + 1, 1);
}

static inline void notify(_Atomic uint32_t *word, _Atomic uint32_t *waiters)
{
    sl__barrier_light();
    if (__builtin_expect(atomic_load_explicit(waiters, memory_order_relaxed) != 0, 0))
        wake_one(word);
}

/* A lost compare-and-swap on enq or deq means another thread is working on
 * the same end of the ring.  If both retry at once, every operation pays a
 * line transfer for enq/deq and the cells; stepping aside, longer after each
 * consecutive loss, lets the winner run a batch with those lines in its own
 * cache (what a mutex ring gets by putting its loser to sleep, without the
 * system calls).  The loser holds no slot while it waits, so nobody waits
 * on it.  1024 pauses is about 10 us on a current x86 core. */
enum { BACKOFF_FIRST = 32, BACKOFF_MAX = 1024 };

static inline void backoff(unsigned *spins)
{
    for (unsigned i = 0; i < *spins; i++) cpu_relax();
    if (*spins < BACKOFF_MAX) *spins *= 2;
}

/* The item at position pos of a channel of items. */
static inline unsigned char *slot_at(const sl_chan *ch, size_t pos)
{
    return ch->slots + (pos & ch->mask) * ch->stride;
}

/* size 0: a channel of pointers, the item is the pointer, kept in the cell;
 * else size bytes are copied from item into the position's slot.  Callers
 * pass a constant 0 on the pointer paths, so those compile without the copy. */
static inline int enqueue(sl_chan *ch, const void *item, size_t size)
{
    unsigned spins = BACKOFF_FIRST;
    size_t pos = atomic_load_explicit(&ch->enq, memory_order_relaxed);
    for (;;) {
        struct sl_chan_cell *c = &ch->cells[pos & ch->mask];
        size_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
        intptr_t dif = (intptr_t)seq - (intptr_t)pos;
        if (dif == 0) {
            if (atomic_compare_exchange_strong_explicit(&ch->enq, &pos, pos + 1,
                                                        memory_order_relaxed, memory_order_relaxed)) {
                if (size) memcpy(slot_at(ch, pos), item, size);
                else c->item = (void *)item;   /* stored, never dereferenced */
                atomic_store_explicit(&c->seq, pos + 1, memory_order_release);
                notify(&ch->not_empty, &ch->recv_waiters);
                return 0;
            }
            backoff(&spins);
            pos = atomic_load_explicit(&ch->enq, memory_order_relaxed);
        } else if (dif < 0) {
            return -EAGAIN;   /* full */
        } else {
            pos = atomic_load_explicit(&ch->enq, memory_order_relaxed);
        }
    }
}

/* size 0: *(void **)out receives the pointer; else size bytes go to out. */
static inline int dequeue(sl_chan *ch, void *out, size_t size)
{
    unsigned spins = BACKOFF_FIRST;
    size_t pos = atomic_load_explicit(&ch->deq, memory_order_relaxed);
    for (;;) {
        struct sl_chan_cell *c = &ch->cells[pos & ch->mask];
        size_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
        intptr_t dif = (intptr_t)seq - (intptr_t)(pos + 1);
        if (dif == 0) {
            if (atomic_compare_exchange_strong_explicit(&ch->deq, &pos, pos + 1,
                                                        memory_order_relaxed, memory_order_relaxed)) {
                if (size) memcpy(out, slot_at(ch, pos), size);
                else *(void **)out = c->item;
                atomic_store_explicit(&c->seq, pos + ch->mask + 1, memory_order_release);
                notify(&ch->not_full, &ch->send_waiters);
                return 0;
            }
            backoff(&spins);
            pos = atomic_load_explicit(&ch->deq, memory_order_relaxed);
        } else if (dif < 0) {
            return -EAGAIN;   /* empty */
        } else {
            pos = atomic_load_explicit(&ch->deq, memory_order_relaxed);
        }
    }
}

/* One attempt to send: -EPIPE once closed, -EAGAIN when full. */
static inline int send_once(sl_chan *ch, const void *item, size_t size)
{
    if (atomic_load_explicit(&ch->closed, memory_order_acquire)) return -EPIPE;
    return enqueue(ch, item, size);
}

static inline int try_send(sl_chan *ch, const void *item, size_t size)
{
    int rc = send_once(ch, item, size);
    if (rc == -EAGAIN) atomic_fetch_add_explicit(&ch->drops, 1, memory_order_relaxed);
    return rc;
}

static inline int try_recv(sl_chan *ch, void *out, size_t size)
{
    int rc = dequeue(ch, out, size);
    if (rc == -EAGAIN && atomic_load_explicit(&ch->closed, memory_order_acquire)) {
        rc = dequeue(ch, out, size);   /* an item sent just before close */
        if (rc == -EAGAIN) return -EPIPE;
    }
    return rc;
}

/* A channel of items (else of pointers): each family of calls checks it is
 * used on its own kind and returns -EINVAL otherwise. */
static inline bool is_items(const sl_chan *ch)
{
    return __builtin_expect(ch->item_size != 0, 0);
}

int sl_chan_try_send(sl_chan *ch, void *item)
{
    return is_items(ch) ? -EINVAL : try_send(ch, item, 0);
}

int sl_chan_try_recv(sl_chan *ch, void **item)
{
    return is_items(ch) ? -EINVAL : try_recv(ch, item, 0);
}

int sl_chan_try_send_item(sl_chan *ch, const void *item)
{
    return is_items(ch) ? try_send(ch, item, ch->item_size) : -EINVAL;
}

int sl_chan_try_recv_item(sl_chan *ch, void *item)
{
    return is_items(ch) ? try_recv(ch, item, ch->item_size) : -EINVAL;
}

int sl_chan_close(sl_chan *ch)
{
    if (atomic_exchange_explicit(&ch->closed, 1, memory_order_acq_rel)) return -EALREADY;
    wake_counted(&ch->not_empty, &ch->recv_waiters, INT_MAX);
    wake_counted(&ch->not_full, &ch->send_waiters, INT_MAX);
    return 0;
}

/* Before sleeping: spin (the other side is usually mid-operation), then
 * yield the core a few times (with more threads than cores, the thread that
 * would make progress may be waiting for this core; Go's runtime lock does
 * the same), and only then pay for the sleep's set-up (the heavy barrier
 * and a futex wait, plus a wake on the other side).
 *
 * Yielding is adaptive.  sched_yield hands the core to whoever the
 * scheduler picks: this process's other side when it has more threads than
 * cores (cheap: it runs until it blocks, and it is what makes progress), or
 * another busy process, which then runs a whole slice (a millisecond or more
 * on Linux's EEVDF) while this caller waits runnable, and again on the next
 * yield.  With two spinning processes beside 2 producers and 2 consumers on
 * 2 cores, sl_chan's threads spent 75-99% of their time waiting for a cpu
 * (schedstat) and moved an item every 360-1100 ns, against the mutex
 * ring's 70-320.  So blocked callers time their yields (an average in
 * yield_us, a quarter weight for the newest; a yield during which the
 * channel moved at least an item per microsecond costs nothing: the core
 * went to this channel's other side, which is what yielding is for) and
 * while a yield costs over YIELD_COSTLY_US they skip yielding and sleep on
 * the futex, where a wake brings them back as soon as the other side acts;
 * one wait in YIELD_PROBE yields anyway, to notice when yields are cheap
 * again. */
enum { SPIN_BEFORE_WAIT = 200, YIELD_BEFORE_WAIT = 4, YIELD_COSTLY_US = 200, YIELD_PROBE = 64 };

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Yield up to YIELD_BEFORE_WAIT times, retrying after each; -EAGAIN if the
 * caller should go on to sleep.  Relaxed accesses: yield_us is a hint. */
static __attribute__((noinline, cold)) int yield_before_wait(sl_chan *ch, int (*try)(sl_chan *, void **),
                                                             void **slot)
{
    uint32_t avg = atomic_load_explicit(&ch->yield_us, memory_order_relaxed);
    if (avg > YIELD_COSTLY_US &&
        atomic_fetch_add_explicit(&ch->yield_probe, 1, memory_order_relaxed) % YIELD_PROBE != 0)
        return -EAGAIN;
    for (int y = 0; y < YIELD_BEFORE_WAIT; y++) {
        size_t moved = atomic_load_explicit(&ch->enq, memory_order_relaxed) +
                       atomic_load_explicit(&ch->deq, memory_order_relaxed);
        int64_t t0 = now_ns();
        sched_yield();
        int64_t us = (now_ns() - t0) / 1000;
        moved = atomic_load_explicit(&ch->enq, memory_order_relaxed) +
                atomic_load_explicit(&ch->deq, memory_order_relaxed) - moved;
        /* A long yield while this channel moved an item a microsecond or
         * more was spent on its own other side: not a cost. */
        if ((int64_t)moved >= us) us = 0;
        if (us > 10000) us = 10000;   /* one long stall must not stop yields for long */
        avg = (3 * avg + (uint32_t)us) / 4;
        atomic_store_explicit(&ch->yield_us, avg, memory_order_relaxed);
        int rc = try(ch, slot);
        if (rc != -EAGAIN) return rc;
        if (avg > YIELD_COSTLY_US) break;
    }
    return -EAGAIN;
}

struct wake_arg { _Atomic uint32_t *word, *waiters; };

static void wake_on_cancel(void *arg)
{
    struct wake_arg *w = arg;
    wake_counted(w->word, w->waiters, INT_MAX);
}

/* Block until try() stops saying -EAGAIN, the channel closes, ctx is done
 * or the deadline passes. */
static int wait_for(sl_chan *ch, _Atomic uint32_t *word, _Atomic uint32_t *waiters,
                    int (*try)(sl_chan *, void **), void **slot, sl_ctx *ctx, int64_t timeout_ns)
{
    int rc = try(ch, slot);
    if (rc != -EAGAIN || timeout_ns == 0) return rc == -EAGAIN ? -ETIMEDOUT : rc;
    for (int spin = 0; spin < SPIN_BEFORE_WAIT; spin++) {
        cpu_relax();
        if ((rc = try(ch, slot)) != -EAGAIN) return rc;
    }
    if ((rc = yield_before_wait(ch, try, slot)) != -EAGAIN) return rc;
    int64_t deadline = timeout_ns > 0 ? now_ns() + timeout_ns : -1;
    if (ctx) {
        int64_t cd = sl_ctx_deadline_ns(ctx);
        if (cd >= 0 && (deadline < 0 || cd < deadline)) deadline = cd;
    }
    sl_ctx_watcher w;
    struct wake_arg wa = { word, waiters };
    if (ctx) {
        int err = sl_ctx_watch(ctx, &w, wake_on_cancel, &wa);
        if (err) return err;
    }
    for (;;) {
        if (ctx && (rc = sl_ctx_err(ctx)) != 0) break;
        atomic_fetch_add_explicit(waiters, 1, memory_order_seq_cst);
        sl__barrier_heavy();   /* senders' light barrier pairs with this */
        uint32_t seen = atomic_load_explicit(word, memory_order_acquire);
        rc = try(ch, slot);
        if (rc != -EAGAIN) {
            atomic_fetch_sub_explicit(waiters, 1, memory_order_relaxed);
            break;
        }
        int f = sl_futex_wait(word, seen, deadline);
        if (!SL_FUTEX_WAKE_COUNTS || f != 0)   /* else its waker took it off */
            atomic_fetch_sub_explicit(waiters, 1, memory_order_relaxed);
        if (f == -ETIMEDOUT || (deadline >= 0 && now_ns() >= deadline)) {
            rc = try(ch, slot);
            if (rc == -EAGAIN)
                rc = ctx && sl_ctx_err(ctx) ? sl_ctx_err(ctx) : -ETIMEDOUT;
            break;
        }
    }
    if (ctx) sl_ctx_unwatch(ctx, &w);
    return rc;
}

/* wait_for's retries.  slot: for a pointer send, the item; for a pointer
 * receive, where the item goes; for items, the caller's buffer pointer. */
static int retry_send(sl_chan *ch, void **slot)
{
    return send_once(ch, *slot, 0);
}

static int retry_recv(sl_chan *ch, void **slot)
{
    return try_recv(ch, slot, 0);
}

static int retry_send_item(sl_chan *ch, void **slot)
{
    return send_once(ch, *slot, ch->item_size);
}

static int retry_recv_item(sl_chan *ch, void **slot)
{
    return try_recv(ch, *slot, ch->item_size);
}

int sl_chan_send(sl_chan *ch, void *item, sl_ctx *ctx, int64_t timeout_ns)
{
    if (is_items(ch)) return -EINVAL;
    /* send_once spelled out: written through it, GCC 12 lays the fast path
     * out ~0.5 ns slower (measured with sl-bench chan) */
    if (atomic_load_explicit(&ch->closed, memory_order_acquire)) return -EPIPE;
    if (__builtin_expect(enqueue(ch, item, 0) == 0, 1)) return 0;   /* fast path */
    void *slot = item;
    return wait_for(ch, &ch->not_full, &ch->send_waiters, retry_send, &slot, ctx, timeout_ns);
}

int sl_chan_recv(sl_chan *ch, void **item, sl_ctx *ctx, int64_t timeout_ns)
{
    if (is_items(ch)) return -EINVAL;
    if (__builtin_expect(dequeue(ch, item, 0) == 0, 1)) return 0;   /* fast path */
    return wait_for(ch, &ch->not_empty, &ch->recv_waiters, retry_recv, item, ctx, timeout_ns);
}

int sl_chan_send_item(sl_chan *ch, const void *item, sl_ctx *ctx, int64_t timeout_ns)
{
    if (!is_items(ch)) return -EINVAL;
    if (atomic_load_explicit(&ch->closed, memory_order_acquire)) return -EPIPE;
    if (__builtin_expect(enqueue(ch, item, ch->item_size) == 0, 1)) return 0;
    void *slot = (void *)item;   /* read only, by retry_send_item */
    return wait_for(ch, &ch->not_full, &ch->send_waiters, retry_send_item, &slot, ctx, timeout_ns);
}

int sl_chan_recv_item(sl_chan *ch, void *item, sl_ctx *ctx, int64_t timeout_ns)
{
    if (!is_items(ch)) return -EINVAL;
    if (__builtin_expect(dequeue(ch, item, ch->item_size) == 0, 1)) return 0;
    void *slot = item;
    return wait_for(ch, &ch->not_empty, &ch->recv_waiters, retry_recv_item, &slot, ctx, timeout_ns);
}
