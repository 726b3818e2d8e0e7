/* Being inside some loop is not enough: the loop must re-test the waited-for
 * predicate.  And the opposite: bookkeeping around the wait inside a
 * predicate loop, and while (1) loops whose breaks test the state, are the
 * correct form. */
#include <errno.h>
#include <pthread.h>
#include <time.h>

struct batch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int ready[8];
    int value, waiters, done, items;
    long sum;
};

/* The loop walks items; each if-wait is tested once and the code moves on. */
void batch_collect(struct batch *b)
{
    pthread_mutex_lock(&b->mu);
    for (int i = 0; i < 8; i++) {
        if (!b->ready[i])
            pthread_cond_wait(&b->cv, &b->mu); // expect: cond-wait-not-in-loop
        b->sum += b->ready[i];
    }
    pthread_mutex_unlock(&b->mu);
}

/* A retry loop that only counts attempts and leaves on the first wakeup. */
int batch_wait_retry(struct batch *b, const struct timespec *ts)
{
    pthread_mutex_lock(&b->mu);
    for (int tries = 0; tries < 3; tries++) {
        if (pthread_cond_timedwait(&b->cv, &b->mu, ts) == 0) // expect: cond-wait-not-in-loop
            break;
    }
    int v = b->value;
    pthread_mutex_unlock(&b->mu);
    return v;
}

/* The status says "woken", not "the value is there". */
int batch_wait_status(struct batch *b, const struct timespec *ts)
{
    pthread_mutex_lock(&b->mu);
    int rc = pthread_cond_timedwait(&b->cv, &b->mu, ts); // expect: cond-wait-not-in-loop
    int v = -1;
    if (rc != ETIMEDOUT)
        v = b->value;
    pthread_mutex_unlock(&b->mu);
    return v;
}

/* Correct: bookkeeping on other fields around the wait in a predicate loop. */
int batch_wait_value(struct batch *b)
{
    pthread_mutex_lock(&b->mu);
    while (!b->value) {
        b->waiters++;
        pthread_cond_wait(&b->cv, &b->mu);
        b->waiters--;
    }
    int v = b->value;
    pthread_mutex_unlock(&b->mu);
    return v;
}

/* Correct: while (1) whose breaks are guarded by tests of the shared state. */
int batch_wait_any(struct batch *b)
{
    pthread_mutex_lock(&b->mu);
    while (1) {
        if (b->done)
            break;
        if (b->items > 0)
            break;
        pthread_cond_wait(&b->cv, &b->mu);
    }
    int v = b->items;
    pthread_mutex_unlock(&b->mu);
    return v;
}

/* Correct: a timed wait used as a bounded sleep; nothing after it depends on
 * a predicate. */
void batch_nap(struct batch *b, const struct timespec *ts)
{
    pthread_mutex_lock(&b->mu);
    pthread_cond_timedwait(&b->cv, &b->mu, ts);
    pthread_mutex_unlock(&b->mu);
}

/* Correct: a timed retry loop that re-tests the predicate every time. */
int batch_wait_deadline(struct batch *b, const struct timespec *ts)
{
    int rc = 0;
    pthread_mutex_lock(&b->mu);
    while (!b->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&b->cv, &b->mu, ts);
    int done = b->done;
    pthread_mutex_unlock(&b->mu);
    return done;
}

/* Correct: a per-item predicate loop inside the walk. */
void batch_collect_each(struct batch *b)
{
    pthread_mutex_lock(&b->mu);
    for (int i = 0; i < 8; i++) {
        while (!b->ready[i])
            pthread_cond_wait(&b->cv, &b->mu);
        b->sum += b->ready[i];
    }
    pthread_mutex_unlock(&b->mu);
}

/* Correct: the thread-start handshake through a struct on the creator's
 * stack; its address goes to the thread, so sa.running is shared state and
 * the loop re-tests it.  (A one-shot event: condvar-one-shot's finding.) */
struct start_arg { pthread_mutex_t mu; pthread_cond_t cv; int running; };

static void *start_worker(void *p)
{
    struct start_arg *a = p;
    pthread_mutex_lock(&a->mu);
    a->running = 1;
    pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mu);
    return 0;
}

int start_and_wait(pthread_t *t)
{
    struct start_arg sa = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
    if (pthread_create(t, 0, start_worker, &sa))
        return -1;
    pthread_mutex_lock(&sa.mu);
    while (!sa.running)
        pthread_cond_wait(&sa.cv, &sa.mu); // expect: condvar-one-shot
    pthread_mutex_unlock(&sa.mu);
    return 0;
}
