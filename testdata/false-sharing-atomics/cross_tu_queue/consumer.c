#include "queue.h"

void *consume(struct ring *r)
{
    unsigned long t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    void *item = r->slots[t % 256];
    atomic_store_explicit(&r->tail, t + 1, memory_order_release);
    return item;
}

void *consume_padded(struct padded_ring *r)
{
    unsigned long t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    void *item = r->slots[t % 256];
    atomic_store_explicit(&r->tail, t + 1, memory_order_release);
    return item;
}
