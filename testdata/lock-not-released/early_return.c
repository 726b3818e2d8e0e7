/* lock-not-released: early error returns that forget the unlock, next to
 * the same functions written with one cleanup label. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <threads.h>

struct queue {
    pthread_mutex_t mu;
    int n, cap;
    int *v;
};

int queue_put(struct queue *q, int v)
{
    pthread_mutex_lock(&q->mu);
    if (q->n == q->cap)
        return -ENOSPC; // expect: lock-not-released
    q->v[q->n++] = v;
    pthread_mutex_unlock(&q->mu);
    return 0;
}

/* negative: the same with a single cleanup label every path goes through */
int queue_put_fixed(struct queue *q, int v)
{
    int rc = 0;
    pthread_mutex_lock(&q->mu);
    if (q->n == q->cap) {
        rc = -ENOSPC;
        goto out_unlock;
    }
    q->v[q->n++] = v;
out_unlock:
    pthread_mutex_unlock(&q->mu);
    return rc;
}

/* a goto past the unlock: the label is reached held and not held */
int queue_grow(struct queue *q, int cap)
{
    int rc = 0;
    pthread_mutex_lock(&q->mu);
    int *nv = realloc(q->v, (size_t)cap * sizeof *nv);
    if (!nv) {
        rc = -ENOMEM;
        goto out;
    }
    q->v = nv;
    q->cap = cap;
    pthread_mutex_unlock(&q->mu);
out:
    return rc; // expect: lock-not-released
}

/* a break out of the loop with the lock held */
void queue_drain(struct queue *q, int stop)
{
    for (int i = 0; i < stop; i++) {
        pthread_mutex_lock(&q->mu);
        if (q->n == 0)
            break;
        q->n--;
        pthread_mutex_unlock(&q->mu);
    }
} // expect: lock-not-released

/* the end of the function reached held, an early return released */
static mtx_t stats_mu;
static long stats_total;

void stats_add(long v)
{
    mtx_lock(&stats_mu);
    if (v < 0) {
        mtx_unlock(&stats_mu);
        return;
    }
    stats_total += v;
} // expect: lock-not-released

/* a project's lock macros around a struct field */
#define Q_LOCK(q) pthread_mutex_lock(&(q)->mu)
#define Q_UNLOCK(q) pthread_mutex_unlock(&(q)->mu)

int queue_take(struct queue *q, int *out)
{
    Q_LOCK(q);
    if (q->n == 0)
        return -EAGAIN; // expect: lock-not-released
    *out = q->v[--q->n];
    Q_UNLOCK(q);
    return 0;
}

/* negative: every early return unlocks first */
int queue_take_fixed(struct queue *q, int *out)
{
    Q_LOCK(q);
    if (q->n == 0) {
        Q_UNLOCK(q);
        return -EAGAIN;
    }
    *out = q->v[--q->n];
    Q_UNLOCK(q);
    return 0;
}

/* conditional locking whose error return skips the second test */
int queue_count(struct queue *q, int need_lock, int *out)
{
    if (need_lock)
        pthread_mutex_lock(&q->mu);
    if (!out)
        return -EINVAL; // expect: lock-not-released
    *out = q->n;
    if (need_lock)
        pthread_mutex_unlock(&q->mu);
    return 0;
}

/* negative: the flag tested twice, nothing in between leaves */
int queue_count_fixed(struct queue *q, int need_lock)
{
    int n;
    if (need_lock)
        pthread_mutex_lock(&q->mu);
    n = q->n;
    if (need_lock)
        pthread_mutex_unlock(&q->mu);
    return n;
}

/* an #ifdef'd feature path that returns early */
int queue_check(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
#ifndef NDEBUG
    if (q->n > q->cap)
        return -EIO; // expect: lock-not-released
#endif
    pthread_mutex_unlock(&q->mu);
    return 0;
}
