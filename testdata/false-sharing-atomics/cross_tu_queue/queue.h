/* A single-producer single-consumer ring whose two indices are written by
 * different files: the producer in producer.c, the consumer in consumer.c. */
#include <stdalign.h>
#include <stdatomic.h>

struct ring { // expect: false-sharing-atomics
    atomic_ulong head;          /* written by the producer */
    atomic_ulong tail;          /* written by the consumer */
    void *slots[256];
};

/* negative: the same ring with the indices on their own lines */
struct padded_ring {
    alignas(64) atomic_ulong head;
    alignas(64) atomic_ulong tail;
    void *slots[256];
};

/* negative: two atomics written only by one function */
struct stamp {
    atomic_ulong seq;
    atomic_ulong when;
};

void produce(struct ring *r, void *item);
void *consume(struct ring *r);
void produce_padded(struct padded_ring *r, void *item);
void *consume_padded(struct padded_ring *r);
void stamp_now(struct stamp *s, unsigned long t);
