/* Counters bumped through lock wrappers and macros. */
// sync-lint-args: --wrapper=STATS_LOCK:lock:@stats_lock --wrapper=STATS_UNLOCK:unlock:@stats_lock
#include <pthread.h>

pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
void STATS_LOCK(void);
void STATS_UNLOCK(void);

struct global_stats { unsigned long curr_conns, total_conns, rejected; };
static struct global_stats gstats;

struct conn_pool { pthread_mutex_t mu; int live; };

static void pool_lock(struct conn_pool *p) { pthread_mutex_lock(&p->mu); }
static void pool_unlock(struct conn_pool *p) { pthread_mutex_unlock(&p->mu); }

#define COUNT_UNDER(mu, x) do { pthread_mutex_lock(mu); (x)++; pthread_mutex_unlock(mu); } while (0)

static pthread_mutex_t macro_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long macro_count;

void conn_rejected(void)
{
    STATS_LOCK();
    gstats.rejected++; // expect: mutex-guarded-counter
    STATS_UNLOCK();
}

/* negative: two counters changed together (curr and total move as a pair) */
void conn_opened(void)
{
    STATS_LOCK();
    gstats.curr_conns++;
    gstats.total_conns++;
    STATS_UNLOCK();
}

void conn_closed(void)
{
    STATS_LOCK();
    gstats.curr_conns--;
    STATS_UNLOCK();
}

void pool_add(struct conn_pool *p)
{
    pool_lock(p);
    p->live++; // expect: mutex-guarded-counter
    pool_unlock(p);
}

void tick(void)
{
    COUNT_UNDER(&macro_mu, macro_count); // expect: mutex-guarded-counter
}
