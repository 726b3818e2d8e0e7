/* Completion callbacks that only signal a condition variable or set a flag
 * through a helper of their own file: no lock taken, nothing blocks. */
#include <pthread.h>
#include "queue.h"

static pthread_mutex_t done_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;

static void mark(struct req *r, int v)
{
    r->status = v;
}

static void wake_waiter(struct req *r)
{
    mark(r, 1);
    pthread_cond_signal(&done_cv);
}

static void set_done(struct req *r)
{
    mark(r, 2);
}

void req_submit(struct queue *q, struct req *r, int notify)
{
    r->done = notify ? wake_waiter : set_done;
    pthread_mutex_lock(&done_mu);
    r->next = q->head;
    q->head = r;
    pthread_mutex_unlock(&done_mu);
}
