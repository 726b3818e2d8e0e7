/* Workers.  worker_wake only signals and counts; worker_take nests the two
 * locks in the same order as a_queue.c (not a finding by itself). */
#include "pool.h"

extern pthread_mutex_t g_stats_mu;
extern unsigned long g_stats_taken, g_stats_idle_ns;

void worker_wake(struct jobq *q)
{
    pthread_cond_signal(&q->nonempty);
    stats_note_wake();
}

/* negative: jobq::mu -> g_stats_mu, the same order as jobq_push */
struct job *worker_take(struct jobq *q)
{
    struct job *j;
    pthread_mutex_lock(&q->mu);
    while (!q->head && !q->stopping)
        pthread_cond_wait(&q->nonempty, &q->mu);
    j = q->head;
    if (j) {
        q->head = j->next;
        if (!q->head)
            q->tail = 0;
        q->depth--;
        pthread_mutex_lock(&g_stats_mu);
        g_stats_taken++;
        g_stats_idle_ns = 0;
        pthread_mutex_unlock(&g_stats_mu);
    }
    pthread_mutex_unlock(&q->mu);
    return j;
}
