/* Condvars bound to their mutex at creation: cv_wait(cv) takes no mutex
 * because cv_init(cv, mtx) bound them, so the wait releases that mutex. */
// sync-lint-args: --wrapper=cv_init:bind:0:1 --wrapper=cv_wait:wait:0 --wrapper=cv_timedwait:timedwait:0
#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

void cv_init(pthread_cond_t *cv, pthread_mutex_t *mtx);
void cv_wait(pthread_cond_t *cv);
int cv_timedwait(pthread_cond_t *cv, long ms);

struct queue { pthread_mutex_t mu; pthread_cond_t nonempty; int n; bool closed; };
struct stats { pthread_mutex_t mu; long waits; };

void queue_init(struct queue *q)
{
    pthread_mutex_init(&q->mu, NULL);
    cv_init(&q->nonempty, &q->mu);
}

static void queue_sleep(struct queue *q)
{
    cv_wait(&q->nonempty);
}

/* negative: the wait releases q->mu, the mutex bound to the condvar */
int queue_pop(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && !q->closed)
        cv_wait(&q->nonempty);
    int got = q->n > 0 ? q->n-- : -1;
    pthread_mutex_unlock(&q->mu);
    return got;
}

/* negative: timed, and through a same-file wrapper */
int queue_pop_timed(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && !q->closed)
        if (cv_timedwait(&q->nonempty, 100) != 0) break;
    while (q->n == 0 && !q->closed)
        queue_sleep(q);
    int got = q->n > 0 ? q->n-- : -1;
    pthread_mutex_unlock(&q->mu);
    return got;
}

/* positive: a second lock is held across the wait; only q->mu is released */
int queue_pop_counted(struct queue *q, struct stats *s)
{
    pthread_mutex_lock(&s->mu);
    s->waits++;
    pthread_mutex_lock(&q->mu);
    while (q->n == 0)
        cv_wait(&q->nonempty); // expect: lock-held-across-blocking-call
    int got = q->n--;
    pthread_mutex_unlock(&q->mu);
    pthread_mutex_unlock(&s->mu);
    return got;
}

void stats_reset(struct stats *s)
{
    pthread_mutex_lock(&s->mu);
    s->waits = 0;
    pthread_mutex_unlock(&s->mu);
}
