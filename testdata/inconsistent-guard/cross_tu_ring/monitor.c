/* A monitor thread's "is it idle?" probe reads the indices racily; head and
 * tail are guarded at every other site (ring.h, producer.c, consumer.c). */
#include "ring.h"

/* positive (two sites) */
int ring_idle_hint(struct ring *r)
{
    unsigned h = r->head; // expect: inconsistent-guard
    unsigned t = r->tail; // expect: inconsistent-guard
    return h == t;
}

/* negative: the locked statistics helper from the header */
int ring_overloaded(struct ring *r)
{
    unsigned used;
    unsigned long drops;
    ring_stats(r, &used, &drops);
    return used > 48 || drops > 0;
}
