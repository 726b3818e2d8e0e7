/* Project lock wrappers: a thin same-file wrapper is analysed at its callers;
 * a declared wrapper (Varnish's Lck_CondWait shape) is a wait itself. */
// sync-lint-args: --wrapper=Lck_CondWait:wait:0:1 --wrapper=Lck_Lock:lock --wrapper=Lck_Unlock:unlock
#include <pthread.h>
#include <stdbool.h>

struct lock { pthread_mutex_t mtx; };
void Lck_Lock(struct lock *l);
void Lck_Unlock(struct lock *l);
int Lck_CondWait(pthread_cond_t *cv, struct lock *l);

struct pool {
    struct lock mtx;
    pthread_cond_t cv;
    int nidle;
    bool shutdown;
};

static void cond_wait_thin(pthread_cond_t *cv, pthread_mutex_t *m)
{
    pthread_cond_wait(cv, m);
}

struct job { pthread_mutex_t mu; pthread_cond_t done_cv; bool done; };

/* negative: the wrapper itself is not reported; its caller loops */
void job_wait(struct job *j)
{
    pthread_mutex_lock(&j->mu);
    while (!j->done)
        cond_wait_thin(&j->done_cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
}

/* positive: the wrapper called under an if */
void job_wait_bad(struct job *j)
{
    pthread_mutex_lock(&j->mu);
    if (!j->done)
        cond_wait_thin(&j->done_cv, &j->mu); // expect: cond-wait-not-in-loop
    pthread_mutex_unlock(&j->mu);
}

/* positive: declared wrapper under an if */
void pool_wait_idle_bad(struct pool *p)
{
    Lck_Lock(&p->mtx);
    if (p->nidle == 0)
        (void)Lck_CondWait(&p->cv, &p->mtx); // expect: cond-wait-not-in-loop
    p->nidle--;
    Lck_Unlock(&p->mtx);
}

/* negative: declared wrapper in a loop */
void pool_wait_idle(struct pool *p)
{
    Lck_Lock(&p->mtx);
    while (p->nidle == 0 && !p->shutdown)
        (void)Lck_CondWait(&p->cv, &p->mtx);
    if (p->nidle > 0)
        p->nidle--;
    Lck_Unlock(&p->mtx);
}
