/* Pool statistics.  The periodic flush samples the queue depth while
 * holding g_stats_mu: g_stats_mu -> jobq::mu, the reverse of a_queue.c.
 * c_stats.c sorts last, so the pair's finding is here. */
#include <errno.h>
#include "pool.h"

pthread_mutex_t g_stats_mu = PTHREAD_MUTEX_INITIALIZER;
unsigned long g_stats_taken, g_stats_idle_ns;
static unsigned long g_stats_wakes;
static int g_stats_depth_max;

void stats_note_wake(void)
{
    pthread_mutex_lock(&g_stats_mu);
    g_stats_wakes++;
    g_stats_idle_ns = 0;
    pthread_mutex_unlock(&g_stats_mu);
}

/* positive: holding g_stats_mu, call jobq_depth, which takes jobq::mu */
void stats_flush(struct jobq *q, unsigned long out[3])
{
    pthread_mutex_lock(&g_stats_mu);
    int d = jobq_depth(q); // expect: lock-order-inversion
    if (d > g_stats_depth_max)
        g_stats_depth_max = d;
    out[0] = g_stats_taken;
    out[1] = g_stats_wakes;
    out[2] = (unsigned long)g_stats_depth_max;
    pthread_mutex_unlock(&g_stats_mu);
}

/* negative: g_stats_mu -> jobq::mu again, but the queue lock is only
 * tried and skipped when busy: a trylock is never an edge */
int stats_sample_depth(struct jobq *q)
{
    int rc = -EBUSY;
    pthread_mutex_lock(&g_stats_mu);
    if (pthread_mutex_trylock(&q->mu) == 0) {
        if (q->depth > g_stats_depth_max)
            g_stats_depth_max = q->depth;
        pthread_mutex_unlock(&q->mu);
        rc = 0;
    }
    pthread_mutex_unlock(&g_stats_mu);
    return rc;
}
