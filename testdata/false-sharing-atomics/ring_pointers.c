/* Pointer fields into a ring shared with the kernel or another process
 * (io_uring's sq tail and cq head): atomic stores through them write where
 * they point, not the struct's own line. */
#include <stdatomic.h>
#include <stdint.h>

struct ring {
    uint32_t *sqhead;
    uint32_t *sqtail;
    uint32_t mask;
    uint32_t *cqhead;
    uint32_t *cqtail;
};

void ring_submit(struct ring *r, uint32_t n)
{
    uint32_t t = atomic_load_explicit((_Atomic uint32_t *)r->sqtail, memory_order_relaxed);
    atomic_store_explicit((_Atomic uint32_t *)r->sqtail, t + n, memory_order_release);
}

void ring_reap(struct ring *r, uint32_t n)
{
    uint32_t h = atomic_load_explicit((_Atomic uint32_t *)r->cqhead, memory_order_relaxed);
    atomic_store_explicit((_Atomic uint32_t *)r->cqhead, h + n, memory_order_release);
}

/* the same pair as fields of their own, written from two functions */
struct counters { _Atomic uint32_t sent; _Atomic uint32_t received; }; // expect: false-sharing-atomics
static struct counters stats;

void count_sent(void)
{
    for (int i = 0; i < 64; i++)
        atomic_fetch_add(&stats.sent, 1);
}

void count_received(void)
{
    for (int i = 0; i < 64; i++)
        atomic_fetch_add(&stats.received, 1);
}
