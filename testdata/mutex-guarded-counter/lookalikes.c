/* Look-alike correct code: locks that protect more than one counter. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct queue {
    pthread_mutex_t mu;
    void *items[64];
    int len;
    unsigned long pushed;
    atomic_ulong peeks;
};

/* negative: the counter moves with the queue contents */
int queue_push(struct queue *q, void *it)
{
    int rc = -1;
    pthread_mutex_lock(&q->mu);
    if (q->len < 64) {
        q->items[q->len++] = it;
        rc = 0;
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

/* negative: q->len is part of the queue invariant above */
void queue_drop_one(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->len--;
    pthread_mutex_unlock(&q->mu);
}

void trace_push(unsigned long n);

/* negative: the section also calls a function */
void queue_note_push(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->pushed++;
    trace_push(q->pushed);
    pthread_mutex_unlock(&q->mu);
}

/* negative: already atomic */
void queue_peek(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    atomic_fetch_add(&q->peeks, 1);
    pthread_mutex_unlock(&q->mu);
}

static pthread_mutex_t seq_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned seq;
static unsigned racy_reads;

/* negative: a reset to a computed value is not an increment */
void seq_reset(unsigned v)
{
    pthread_mutex_lock(&seq_mu);
    seq = v * 2;
    pthread_mutex_unlock(&seq_mu);
}

void seq_next(void)
{
    pthread_mutex_lock(&seq_mu);
    seq++;
    pthread_mutex_unlock(&seq_mu);
}

/* negative: also read without the lock elsewhere: not every access is guarded */
static pthread_mutex_t rr_mu = PTHREAD_MUTEX_INITIALIZER;
void racy_inc(void)
{
    pthread_mutex_lock(&rr_mu);
    racy_reads++;
    pthread_mutex_unlock(&rr_mu);
}

unsigned racy_peek(void) { return racy_reads; }

/* negative: compare-and-update (a maximum) under the lock */
static pthread_mutex_t max_mu = PTHREAD_MUTEX_INITIALIZER;
static long max_seen;
void observe(long v)
{
    pthread_mutex_lock(&max_mu);
    if (v > max_seen)
        max_seen = v;
    pthread_mutex_unlock(&max_mu);
}

/* negative: the counter feeds a decision under the lock */
static pthread_mutex_t lim_mu = PTHREAD_MUTEX_INITIALIZER;
static int active;
int try_enter(int limit)
{
    int ok = 0;
    pthread_mutex_lock(&lim_mu);
    if (active < limit) {
        active++;
        ok = 1;
    }
    pthread_mutex_unlock(&lim_mu);
    return ok;
}
