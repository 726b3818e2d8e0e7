/* A helper called with the lock held that drops it around the slow call and
 * takes it back (curl's thread pool reaping its zombies) does not block
 * under the caller's lock; one that keeps it does. */
#include <pthread.h>
#include <unistd.h>

struct pool { pthread_mutex_t lock; pthread_t zombies[8]; int n_zombies; int active; int fd; };

static void reap(struct pool *p)
{
    while (p->n_zombies > 0) {
        pthread_t t = p->zombies[--p->n_zombies];
        pthread_mutex_unlock(&p->lock);
        pthread_join(t, 0);
        pthread_mutex_lock(&p->lock);
    }
}

void pool_tick(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    reap(p);
    p->active++;
    pthread_mutex_unlock(&p->lock);
}

/* keeps the caller's lock across the join */
static void reap_locked(struct pool *p)
{
    while (p->n_zombies > 0)
        pthread_join(p->zombies[--p->n_zombies], 0);
}

void pool_drain(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    reap_locked(p); // expect: lock-held-across-blocking-call
    p->active = 0;
    pthread_mutex_unlock(&p->lock);
}

/* drops it, writes, takes it back: the write is outside the lock */
static void flush_unlocked(struct pool *p, const char *buf)
{
    pthread_mutex_unlock(&p->lock);
    if (write(p->fd, buf, 1) < 0)
        p->fd = -1;
    pthread_mutex_lock(&p->lock);
}

void pool_report(struct pool *p, const char *buf)
{
    pthread_mutex_lock(&p->lock);
    p->active++;
    flush_unlocked(p, buf);
    p->active--;
    pthread_mutex_unlock(&p->lock);
}
