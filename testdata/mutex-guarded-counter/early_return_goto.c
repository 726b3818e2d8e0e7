/* Early returns and goto-cleanup around counter sections. */
#include <errno.h>
#include <pthread.h>

struct limiter { pthread_mutex_t mu; unsigned long granted; unsigned long denied; };

/* positive: the section on one path is just the increment */
int grant(struct limiter *l, int ok)
{
    if (!ok) {
        pthread_mutex_lock(&l->mu);
        l->denied++; // expect: mutex-guarded-counter
        pthread_mutex_unlock(&l->mu);
        return -EAGAIN;
    }
    pthread_mutex_lock(&l->mu);
    l->granted += 1; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&l->mu);
    return 0;
}

unsigned long granted(struct limiter *l)
{
    pthread_mutex_lock(&l->mu);
    unsigned long g = l->granted; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&l->mu);
    return g;
}

/* negative: goto-cleanup section that does more than count */
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static int table[16];
static int table_used;
int table_put(int k, int v)
{
    int rc = 0;
    pthread_mutex_lock(&table_mu);
    if (k < 0 || k >= 16) {
        rc = -EINVAL;
        goto out_unlock;
    }
    table[k] = v;
    table_used++;
out_unlock:
    pthread_mutex_unlock(&table_mu);
    return rc;
}
