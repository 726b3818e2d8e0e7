/* A condition wait called through a table of function pointers (a
 * portability layer choosing pthreads or another threading library at run
 * time), declared with --wrapper=STRUCT.FIELD. */
// sync-lint-args: --wrapper=thread_ops.lock:lock --wrapper=thread_ops.unlock:unlock --wrapper=thread_ops.wait:wait:0:1
#include <pthread.h>
#include <stdbool.h>

struct thread_ops {
    int (*lock)(pthread_mutex_t *);
    int (*unlock)(pthread_mutex_t *);
    int (*wait)(pthread_cond_t *, pthread_mutex_t *);
};

extern const struct thread_ops *ops;

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t nonempty;
    int n;
};

/* positive: an if-wait through the table */
int take_once(struct queue *q)
{
    ops->lock(&q->mu);
    if (q->n == 0)
        ops->wait(&q->nonempty, &q->mu); // expect: cond-wait-not-in-loop
    int got = q->n > 0;
    if (got) q->n--;
    ops->unlock(&q->mu);
    return got;
}

/* negative: the same wait in a loop that re-tests */
int take(struct queue *q)
{
    ops->lock(&q->mu);
    while (q->n == 0)
        ops->wait(&q->nonempty, &q->mu);
    q->n--;
    ops->unlock(&q->mu);
    return 1;
}
