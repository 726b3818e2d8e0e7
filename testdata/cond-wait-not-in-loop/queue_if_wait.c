/* A bounded work queue: the classic if-guarded wait and its loop-guarded fix. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define QCAP 64

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t nonempty, nonfull;
    void *items[QCAP];
    size_t head, len;
    bool closed;
};

/* positive: if instead of while */
void *queue_pop_bad(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    if (q->len == 0)
        pthread_cond_wait(&q->nonempty, &q->mu); // expect: cond-wait-not-in-loop
    void *it = q->items[q->head];
    q->head = (q->head + 1) % QCAP;
    q->len--;
    pthread_cond_signal(&q->nonfull);
    pthread_mutex_unlock(&q->mu);
    return it;
}

/* positive: braces around the wait do not make it a loop */
void queue_push_bad(struct queue *q, void *it)
{
    pthread_mutex_lock(&q->mu);
    if (q->len == QCAP) {
        pthread_cond_wait(&q->nonfull, &q->mu); // expect: cond-wait-not-in-loop
    }
    q->items[(q->head + q->len) % QCAP] = it;
    q->len++;
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->mu);
}

/* negative: the textbook shape */
void *queue_pop(struct queue *q)
{
    void *it = NULL;
    pthread_mutex_lock(&q->mu);
    while (q->len == 0 && !q->closed)
        pthread_cond_wait(&q->nonempty, &q->mu);
    if (q->len > 0) {
        it = q->items[q->head];
        q->head = (q->head + 1) % QCAP;
        q->len--;
        pthread_cond_signal(&q->nonfull);
    }
    pthread_mutex_unlock(&q->mu);
    return it;
}

/* negative: do-while re-tests after the wait */
void queue_push(struct queue *q, void *it)
{
    pthread_mutex_lock(&q->mu);
    do {
        if (q->len < QCAP)
            break;
        pthread_cond_wait(&q->nonfull, &q->mu);
    } while (1);
    q->items[(q->head + q->len) % QCAP] = it;
    q->len++;
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->mu);
}
