#include <threads.h>
#include "queue.h"

static mtx_t q_mu;

void complete_all(struct queue *q)
{
    mtx_lock(&q_mu);
    for (struct req *r = q->head; r; r = r->next)
        r->done(r);
    q->head = 0;
    mtx_unlock(&q_mu);
}
