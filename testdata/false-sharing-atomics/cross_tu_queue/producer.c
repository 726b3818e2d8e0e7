#include "queue.h"

void produce(struct ring *r, void *item)
{
    unsigned long h = atomic_load_explicit(&r->head, memory_order_relaxed);
    r->slots[h % 256] = item;
    atomic_store_explicit(&r->head, h + 1, memory_order_release);
}

void produce_padded(struct padded_ring *r, void *item)
{
    unsigned long h = atomic_load_explicit(&r->head, memory_order_relaxed);
    r->slots[h % 256] = item;
    atomic_store_explicit(&r->head, h + 1, memory_order_release);
}

void stamp_now(struct stamp *s, unsigned long t)
{
    atomic_fetch_add(&s->seq, 1);
    atomic_store(&s->when, t);
}
