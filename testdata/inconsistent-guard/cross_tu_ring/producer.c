/* Producer side: a full ring counts a drop, under the lock. */
#include "ring.h"

int ring_push(struct ring *r, int v)
{
    int rc = 0;
    pthread_mutex_lock(&r->mu);
    if (r->tail - r->head == 64) {
        r->drops++;
        rc = -1;
    } else {
        r->items[r->tail % 64] = v;
        r->tail++;
        pthread_cond_signal(&r->nonempty);
    }
    pthread_mutex_unlock(&r->mu);
    return rc;
}
