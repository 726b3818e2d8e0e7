/* Trylock with back-off is the standard way to take locks "against" the
 * order: the lock taken by trylock is never an edge.  A trylock on the
 * OUTER lock followed by a blocking lock of the inner one still is. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>

static pthread_mutex_t g_lru_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_slab_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_lru_len, g_lru_evicted;
static int g_slab_free, g_slab_moves;

/* the documented order: slab -> lru */
void slab_reclaim(int n)
{
    pthread_mutex_lock(&g_slab_mu);
    pthread_mutex_lock(&g_lru_mu);
    g_lru_len -= n;
    g_lru_evicted += n;
    g_slab_free += n;
    pthread_mutex_unlock(&g_lru_mu);
    pthread_mutex_unlock(&g_slab_mu);
}

/* negative: lru -> slab only by trylock; on failure it drops the lru lock
 * and retries, so it can never wait for g_slab_mu while holding g_lru_mu */
void lru_rebalance(void)
{
    for (;;) {
        pthread_mutex_lock(&g_lru_mu);
        if (pthread_mutex_trylock(&g_slab_mu) != 0) {
            pthread_mutex_unlock(&g_lru_mu);
            sched_yield();
            continue;
        }
        g_slab_moves++;
        g_lru_len--;
        g_slab_free++;
        pthread_mutex_unlock(&g_slab_mu);
        pthread_mutex_unlock(&g_lru_mu);
        return;
    }
}

/* negative: the == 0 spelling of the same back-off */
int lru_try_shrink(void)
{
    int rc = -EBUSY;
    pthread_mutex_lock(&g_lru_mu);
    if (pthread_mutex_trylock(&g_slab_mu) == 0) {
        g_slab_free += g_lru_len;
        g_lru_len = 0;
        pthread_mutex_unlock(&g_slab_mu);
        rc = 0;
    }
    pthread_mutex_unlock(&g_lru_mu);
    return rc;
}

static pthread_mutex_t g_conf_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_stat_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_conf_gen, g_conf_limit;
static long g_stat_sum, g_stat_n;

/* first occurrence of stat -> conf */
void stat_sample(long v)
{
    pthread_mutex_lock(&g_stat_mu);
    g_stat_sum += v;
    g_stat_n++;
    pthread_mutex_lock(&g_conf_mu);
    if (g_stat_n > g_conf_limit)
        g_conf_gen++;
    pthread_mutex_unlock(&g_conf_mu);
    pthread_mutex_unlock(&g_stat_mu);
}

/* positive: the outer lock is taken by trylock, but once it succeeds the
 * inner lock is a blocking lock: conf -> stat, opposite to stat_sample */
int conf_try_reset_stats(void)
{
    if (pthread_mutex_trylock(&g_conf_mu) != 0)
        return -EBUSY;
    pthread_mutex_lock(&g_stat_mu); // expect: lock-order-inversion
    g_stat_sum = 0;
    g_stat_n = 0;
    g_conf_gen++;
    pthread_mutex_unlock(&g_stat_mu);
    pthread_mutex_unlock(&g_conf_mu);
    return 0;
}
