/* The pointer is copied into a local, but still called under the lock;
 * cleanup through one out_unlock label. */
#include <pthread.h>

struct job { void (*backoff)(unsigned attempt); int (*step)(void *); void *ctx; int state; };
struct runner { pthread_mutex_t mu; struct job *jobs[8]; int n; };

int runner_retry(struct runner *r, int i, unsigned attempt)
{
    int rc = -1;
    pthread_mutex_lock(&r->mu);
    if (i >= r->n)
        goto out_unlock;
    void (*wait_fn)(unsigned) = r->jobs[i]->backoff;
    wait_fn(attempt); // expect: callback-under-lock
    rc = r->jobs[i]->step(r->jobs[i]->ctx);
out_unlock:
    pthread_mutex_unlock(&r->mu);
    return rc;
}

/* after the label's unlock: outside the section */
int runner_retry_outside(struct runner *r, int i, unsigned attempt)
{
    void (*wait_fn)(unsigned) = 0;
    pthread_mutex_lock(&r->mu);
    if (i >= r->n)
        goto out_unlock;
    wait_fn = r->jobs[i]->backoff;
out_unlock:
    pthread_mutex_unlock(&r->mu);
    if (wait_fn) wait_fn(attempt);
    return 0;
}
