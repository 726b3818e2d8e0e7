/* Per-server statistics: counters each behind the struct's mutex. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

struct stats {
    pthread_mutex_t mu;
    unsigned long requests;
    unsigned long failures;
    long inflight;
    unsigned long bytes_in, bytes_out;   /* updated together: an invariant */
};

struct stats *stats_new(void)
{
    struct stats *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->mu, NULL);
    s->requests = 0;   /* set-up before the object is shared */
    return s;
}

void stats_request(struct stats *s)
{
    pthread_mutex_lock(&s->mu);
    s->requests++; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&s->mu);
}

void stats_failure(struct stats *s)
{
    pthread_mutex_lock(&s->mu);
    ++s->failures; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&s->mu);
}

void stats_enter(struct stats *s)
{
    pthread_mutex_lock(&s->mu);
    s->inflight += 1; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&s->mu);
}

void stats_leave(struct stats *s)
{
    pthread_mutex_lock(&s->mu);
    s->inflight--; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&s->mu);
}

unsigned long stats_requests(struct stats *s)
{
    pthread_mutex_lock(&s->mu);
    unsigned long n = s->requests; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* negative: a consistent snapshot of two counters is a plain read */
void stats_snapshot(struct stats *s, unsigned long *req, unsigned long *fail)
{
    unsigned long r, f;
    pthread_mutex_lock(&s->mu);
    r = s->requests;
    f = s->failures;
    pthread_mutex_unlock(&s->mu);
    *req = r;
    *fail = f;
}

/* negative: two counters updated together under the lock */
void stats_transfer(struct stats *s, size_t in, size_t out)
{
    pthread_mutex_lock(&s->mu);
    s->bytes_in += in;
    s->bytes_out += out;
    pthread_mutex_unlock(&s->mu);
}

/* negative: bytes_in is also updated alone, but it is part of the pair above */
void stats_in(struct stats *s, size_t in)
{
    pthread_mutex_lock(&s->mu);
    s->bytes_in += in;
    pthread_mutex_unlock(&s->mu);
}

void stats_free(struct stats *s)
{
    pthread_mutex_destroy(&s->mu);
    free(s);
}
