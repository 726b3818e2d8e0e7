/* Look-alikes that are not one-shot events: gates, counters, queues,
 * shared condvars, computed flags. */
#include <pthread.h>
#include <stdbool.h>

/* ---- negative: a reusable gate, reset by the consumer ---- */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_ready;

void gate_post(void)
{
    pthread_mutex_lock(&gate_mu);
    gate_ready = 1;
    pthread_cond_signal(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

void gate_take(void)
{
    pthread_mutex_lock(&gate_mu);
    while (!gate_ready)
        pthread_cond_wait(&gate_cv, &gate_mu);
    gate_ready = 0;
    pthread_mutex_unlock(&gate_mu);
}

/* ---- negative: a counter (a start barrier) ---- */
struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n_ready;
    int n_threads;
};

void pool_thread_ready(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->n_ready++;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void pool_wait_all(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->n_ready < p->n_threads)
        pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

/* ---- negative: a queue, and a done flag waited on with the queue ---- */
struct queue {
    pthread_mutex_t mu;
    pthread_cond_t nonempty;
    int len;
    bool done;
    int items[64];
};

void queue_close(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->done = true;
    pthread_cond_broadcast(&q->nonempty);
    pthread_mutex_unlock(&q->mu);
}

void queue_push(struct queue *q, int v)
{
    pthread_mutex_lock(&q->mu);
    q->items[q->len++] = v;
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->mu);
}

int queue_pop(struct queue *q, int *out)
{
    pthread_mutex_lock(&q->mu);
    while (!q->done && q->len == 0)
        pthread_cond_wait(&q->nonempty, &q->mu);
    int ok = q->len > 0;
    if (ok) *out = q->items[--q->len];
    pthread_mutex_unlock(&q->mu);
    return ok;
}

/* negative: the same condvar also carries the queue's other waits */
void queue_drain(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (!q->done)
        pthread_cond_wait(&q->nonempty, &q->mu);
    pthread_mutex_unlock(&q->mu);
}

/* ---- negative: one condvar, two flags ---- */
static pthread_mutex_t st_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t st_cv = PTHREAD_COND_INITIALIZER;
static bool st_running, st_stopped;

void st_set_running(void)
{
    pthread_mutex_lock(&st_mu);
    st_running = true;
    pthread_cond_broadcast(&st_cv);
    pthread_mutex_unlock(&st_mu);
}

void st_set_stopped(void)
{
    pthread_mutex_lock(&st_mu);
    st_stopped = true;
    pthread_cond_broadcast(&st_cv);
    pthread_mutex_unlock(&st_mu);
}

void st_wait_running(void)
{
    pthread_mutex_lock(&st_mu);
    while (!st_running)
        pthread_cond_wait(&st_cv, &st_mu);
    pthread_mutex_unlock(&st_mu);
}

void st_wait_stopped(void)
{
    pthread_mutex_lock(&st_mu);
    while (!st_stopped)
        pthread_cond_wait(&st_cv, &st_mu);
    pthread_mutex_unlock(&st_mu);
}

/* ---- negative: the flag is set to a computed value ---- */
struct probe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool ok;
};

void probe_report(struct probe *p, int rc)
{
    pthread_mutex_lock(&p->mu);
    p->ok = (rc == 0);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void probe_wait(struct probe *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->ok)
        pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
