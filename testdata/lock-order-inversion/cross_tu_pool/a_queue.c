/* Job queue.  jobq_push wakes a worker while holding the queue lock; the
 * wake path records a statistic under g_stats_mu two calls away in
 * c_stats.c: jobq::mu -> g_stats_mu, first seen here (a_queue.c sorts
 * first). */
#include "pool.h"

void jobq_push(struct jobq *q, struct job *j)
{
    pthread_mutex_lock(&q->mu);
    j->next = 0;
    if (q->tail)
        q->tail->next = j;
    else
        q->head = j;
    q->tail = j;
    q->depth++;
    worker_wake(q);
    pthread_mutex_unlock(&q->mu);
}

int jobq_depth(struct jobq *q)
{
    int d;
    pthread_mutex_lock(&q->mu);
    d = q->stopping ? 0 : q->depth;
    pthread_mutex_unlock(&q->mu);
    return d;
}
