/* A helper called with the port lock held that drops it before taking the
 * flush lock, and takes it back after, takes them in no order at all (Open
 * vSwitch's dp_netdev_offload_flush); one that keeps it does. */
#include <pthread.h>

struct dp { pthread_mutex_t port_mu; int n_ports; };
static pthread_mutex_t flush_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
static int flushes, stat_count;

static void offload_flush(struct dp *dp)
{
    pthread_mutex_unlock(&dp->port_mu);
    pthread_mutex_lock(&flush_mu);
    flushes++;
    pthread_mutex_lock(&dp->port_mu);
    pthread_mutex_unlock(&flush_mu);
}

void del_port(struct dp *dp)
{
    pthread_mutex_lock(&dp->port_mu);
    dp->n_ports--;
    offload_flush(dp);
    pthread_mutex_unlock(&dp->port_mu);
}

/* keeps the port lock while it takes the stats lock ... */
static void count_stats(struct dp *dp)
{
    pthread_mutex_lock(&stats_mu);
    stat_count += dp->n_ports;
    pthread_mutex_unlock(&stats_mu);
}

void add_port(struct dp *dp)
{
    pthread_mutex_lock(&dp->port_mu);
    dp->n_ports++;
    count_stats(dp);
    pthread_mutex_unlock(&dp->port_mu);
}

/* ... while here the stats lock is held first */
void report(struct dp *dp)
{
    pthread_mutex_lock(&stats_mu);
    pthread_mutex_lock(&dp->port_mu); // expect: lock-order-inversion
    stat_count = dp->n_ports;
    pthread_mutex_unlock(&dp->port_mu);
    pthread_mutex_unlock(&stats_mu);
}
