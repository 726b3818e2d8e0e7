/* Timed waits: a sleep that a signal may cut short is fine; an if-guarded
 * timed wait that then trusts the predicate is not. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

struct ticker {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    bool stop;
    int pending;
};

static void deadline_in(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* negative: an interruptible sleep, no predicate depends on it */
void ticker_nap(struct ticker *t, int ms)
{
    struct timespec ts;
    deadline_in(&ts, ms);
    pthread_mutex_lock(&t->mu);
    pthread_cond_timedwait(&t->wake, &t->mu, &ts);
    pthread_mutex_unlock(&t->mu);
}

/* positive: if-guarded timed wait, then consumes as if work arrived */
int ticker_take_bad(struct ticker *t, int ms)
{
    struct timespec ts;
    deadline_in(&ts, ms);
    pthread_mutex_lock(&t->mu);
    if (t->pending == 0)
        pthread_cond_timedwait(&t->wake, &t->mu, &ts); // expect: cond-wait-not-in-loop
    t->pending--;
    pthread_mutex_unlock(&t->mu);
    return 0;
}

/* negative: the timed loop with ETIMEDOUT handling */
int ticker_take(struct ticker *t, int ms)
{
    struct timespec ts;
    int rc = 0;
    deadline_in(&ts, ms);
    pthread_mutex_lock(&t->mu);
    while (t->pending == 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&t->wake, &t->mu, &ts);
    if (t->pending > 0)
        t->pending--;
    pthread_mutex_unlock(&t->mu);
    return rc == ETIMEDOUT ? -1 : 0;
}

/* negative: a service loop that re-tests stop after each timed nap */
void *ticker_main(void *arg)
{
    struct ticker *t = arg;
    struct timespec ts;
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        deadline_in(&ts, 100);
        pthread_cond_timedwait(&t->wake, &t->mu, &ts);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}
