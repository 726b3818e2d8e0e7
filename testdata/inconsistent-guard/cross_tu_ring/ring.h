/* A packet ring shared by producer.c, consumer.c and monitor.c.  The static
 * inline ring_stats below is compiled into every file that includes this
 * header, but it is ONE source place: its accesses count once. */
#ifndef RING_H
#define RING_H
#include <pthread.h>

struct ring {
    pthread_mutex_t mu;
    pthread_cond_t nonempty;
    unsigned head, tail;
    unsigned long drops;
    int items[64];
};

static inline void ring_stats(struct ring *r, unsigned *used, unsigned long *drops)
{
    pthread_mutex_lock(&r->mu);
    *used = r->tail - r->head;
    *drops = r->drops;
    pthread_mutex_unlock(&r->mu);
}

int ring_push(struct ring *r, int v);
int ring_pop(struct ring *r);
#endif
