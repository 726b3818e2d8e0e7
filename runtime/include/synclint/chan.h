/* chan.h - a bounded multi-producer multi-consumer channel of pointers or
 * of fixed-size items copied by value, with blocking send/recv that honour a
 * cancellation context and a timeout, a dropping try_send, and
 * close-then-drain.
 *
 * Interface:
 *   sl_chan
 *     sl_chan_init(ch, capacity)          a channel of pointers
 *                                         -> 0 | -EINVAL | -ENOMEM  (rounded to a power of two)
 *     sl_chan_init_items(ch, capacity, item_size)  a channel of item_size-byte
 *                                         items (1..SL_CHAN_MAX_ITEM), copied in and out
 *                                         -> 0 | -EINVAL | -ENOMEM
 *     sl_chan_destroy(ch)                 -> items still queued (dropped: pointers
 *                                         are not freed)
 *     sl_chan_send(ch, item, ctx, timeout_ns)  block while full
 *                                         -> 0 | -EPIPE (closed) | -ETIMEDOUT | -ECANCELED
 *     sl_chan_recv(ch, &item, ctx, timeout_ns) block while empty
 *                                         -> 0 | -EPIPE (closed and drained) | -ETIMEDOUT | -ECANCELED
 *     sl_chan_try_send(ch, item)          never blocks; when full the item is
 *                                         dropped and counted  -> 0 | -EAGAIN | -EPIPE
 *     sl_chan_try_recv(ch, &item)         -> 0 | -EAGAIN (empty) | -EPIPE (closed and drained)
 *     sl_chan_send_item / sl_chan_recv_item / sl_chan_try_send_item /
 *     sl_chan_try_recv_item(ch, ptr, ...) the same on a channel of items: send
 *                                         copies item_size bytes from ptr, recv
 *                                         copies them to ptr
 *     sl_chan_close(ch)                   -> 0 | -EALREADY; wakes every waiter
 *     sl_chan_drops(ch)                   items dropped by try_send so far
 *     sl_chan_len(ch)                     approximate number queued
 *   ctx may be NULL; timeout_ns < 0 means no timeout (0: do not wait).
 *   The pointer calls on a channel of items, and the item calls on a
 *   channel of pointers, return -EINVAL and do nothing.
 *
 * Replaces: a mutex + two condvars around a ring buffer (and the hand-made
 * versions that forget the while loop: sync-lint rule cond-wait-not-in-loop).
 * Design: a bounded ring with a sequence number per slot (Vyukov's MPMC
 * queue): send and receive each claim a position with one compare-and-swap
 * and never take a lock.  A thread that loses that race backs off (a few
 * hundred ns, doubling while it keeps losing, holding no slot), so threads
 * hammering one end take turns in batches instead of bouncing its cache
 * lines on every operation.  Blocking only happens on an empty (or full)
 * ring: the caller spins briefly, yields the core a few times (while
 * yielding is cheap: a yield that handed the core to another process for
 * over 200 us, with this channel not moving meanwhile, makes later callers
 * skip yielding), then announces itself in a waiter count, re-checks, and
 * sleeps on a futex word that the other side bumps only when a waiter is
 * announced, so the fast paths make no system call; a full try_send makes
 * none either.  A waker takes the sleepers it woke off the count, so the
 * operations after it make no system call while the woken thread waits for
 * a cpu.
 * Ownership: a channel of pointers stores them and never dereferences or
 * frees them; a received item belongs to the receiver.  A channel of items
 * owns one slot of item_size bytes per position (allocated by init, freed
 * by destroy); send copies into it and recv copies out, so no item memory
 * is shared between sender and receiver.
 * Blocking: send/recv block only when full/empty; close never blocks.
 * Memory order: a successful send is a release and the matching receive an
 * acquire: what the sender wrote before sending is visible to the receiver.
 * Close: after close, sends fail with -EPIPE and receivers drain what is
 * queued, then get -EPIPE.  A send racing with close may still succeed; its
 * item is then received by a later receive, or counted by destroy.
 */
#ifndef SYNCLINT_CHAN_H
#define SYNCLINT_CHAN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "synclint/ctx.h"
#include "synclint/pad.h"

struct sl_chan_cell {
    _Atomic size_t seq;
    void *item;
};

/* Largest item a channel of items carries; bigger payloads go by pointer. */
#define SL_CHAN_MAX_ITEM 4096

typedef struct sl_chan {
    struct sl_chan_cell *cells;
    size_t mask;
    unsigned char *slots;                          /* channel of items: capacity * stride bytes */
    size_t item_size, stride;                      /* 0 for a channel of pointers */
    SL_ALIGNED_LINE _Atomic size_t enq;
    SL_ALIGNED_LINE _Atomic size_t deq;
    SL_ALIGNED_LINE _Atomic uint32_t not_empty;    /* futex word: bumped on send when receivers wait */
    _Atomic uint32_t recv_waiters;
    SL_ALIGNED_LINE _Atomic uint32_t not_full;     /* bumped on receive when senders wait */
    _Atomic uint32_t send_waiters;
    SL_ALIGNED_LINE _Atomic int closed;            /* read by every send */
    SL_ALIGNED_LINE _Atomic uint64_t drops;        /* written under overload: own line */
    /* written by blocked callers, while drops is written by try_send on a
     * full ring: under overload both happen at once, so a line of their own */
    SL_ALIGNED_LINE _Atomic uint32_t yield_us;     /* blocked callers' recent sched_yield cost */
    _Atomic uint32_t yield_probe;                  /* counts waits that skipped yielding */
} sl_chan;

int sl_chan_init(sl_chan *ch, size_t capacity);
int sl_chan_init_items(sl_chan *ch, size_t capacity, size_t item_size);
size_t sl_chan_destroy(sl_chan *ch);
int sl_chan_send(sl_chan *ch, void *item, sl_ctx *ctx, int64_t timeout_ns);
int sl_chan_recv(sl_chan *ch, void **item, sl_ctx *ctx, int64_t timeout_ns);
int sl_chan_try_send(sl_chan *ch, void *item);
int sl_chan_try_recv(sl_chan *ch, void **item);
int sl_chan_send_item(sl_chan *ch, const void *item, sl_ctx *ctx, int64_t timeout_ns);
int sl_chan_recv_item(sl_chan *ch, void *item, sl_ctx *ctx, int64_t timeout_ns);
int sl_chan_try_send_item(sl_chan *ch, const void *item);
int sl_chan_try_recv_item(sl_chan *ch, void *item);
int sl_chan_close(sl_chan *ch);
uint64_t sl_chan_drops(const sl_chan *ch);
size_t sl_chan_len(const sl_chan *ch);

#endif
