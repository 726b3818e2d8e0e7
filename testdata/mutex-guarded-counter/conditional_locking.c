/* A counter bumped under a lock that exists only when threaded: the lock is
 * taken and released under the same guard, so the increment is its whole
 * critical section. */
#include <pthread.h>
#include <stddef.h>

static unsigned long hits, misses;
static pthread_mutex_t *stats_mu;       /* NULL when single-threaded */

void count_hit(pthread_mutex_t *lock)
{
    if (lock) pthread_mutex_lock(lock);
    hits++; // expect: mutex-guarded-counter
    if (lock) pthread_mutex_unlock(lock);
}

void count_miss(void)
{
    pthread_mutex_t *m = stats_mu;
    if (m != NULL) pthread_mutex_lock(m);
    misses++; // expect: mutex-guarded-counter
    if (m != NULL) pthread_mutex_unlock(m);
}

struct table { pthread_mutex_t *mu; int n; int items[16]; };

/* negative: the section does more than bump one integer */
void table_add(struct table *t, int v, int threaded)
{
    if (threaded) pthread_mutex_lock(t->mu);
    t->items[t->n & 15] = v;
    t->n++;
    if (threaded) pthread_mutex_unlock(t->mu);
}
