/* goto-based retry loops (kernel/OVS style) and infinite loops that never
 * re-test anything. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct chan {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    void *slot;
    bool closed;
};

void consume(void *item);

/* negative: a backward goto re-runs the test after every wakeup */
void *chan_recv(struct chan *c)
{
    void *v;
    pthread_mutex_lock(&c->mu);
retry:
    if (c->slot == NULL && !c->closed) {
        pthread_cond_wait(&c->cv, &c->mu);
        goto retry;
    }
    v = c->slot;
    c->slot = NULL;
    pthread_mutex_unlock(&c->mu);
    return v;
}

/* positive: for(;;) that waits and then takes without re-testing */
void *chan_pump_bad(void *arg)
{
    struct chan *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        pthread_cond_wait(&c->cv, &c->mu); // expect: cond-wait-not-in-loop
        void *v = c->slot;
        c->slot = NULL;
        pthread_mutex_unlock(&c->mu);
        consume(v);
    }
    return NULL;
}

/* negative: for(;;) whose body returns when closed, tested after the wait */
void *chan_pump(void *arg)
{
    struct chan *c = arg;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        while (c->slot == NULL) {
            if (c->closed) {
                pthread_mutex_unlock(&c->mu);
                return NULL;
            }
            pthread_cond_wait(&c->cv, &c->mu);
        }
        void *v = c->slot;
        c->slot = NULL;
        pthread_mutex_unlock(&c->mu);
        consume(v);
    }
}

/* positive: goto forwards (cleanup), not a retry */
int chan_recv_once_bad(struct chan *c, void **out)
{
    int rc = 0;
    pthread_mutex_lock(&c->mu);
    if (c->closed) {
        rc = -1;
        goto out_unlock;
    }
    if (c->slot == NULL)
        pthread_cond_wait(&c->cv, &c->mu); // expect: cond-wait-not-in-loop
    *out = c->slot;
    c->slot = NULL;
out_unlock:
    pthread_mutex_unlock(&c->mu);
    return rc;
}
