/* A wait whose mutex was bound to the condvar at init (cv_init(cv, mtx),
 * cv_wait(cv)) is still a wait: it needs a loop around it. */
// sync-lint-args: --wrapper=cv_init:bind:0:1 --wrapper=cv_wait:wait:0
#include <pthread.h>
#include <stdbool.h>

void cv_init(pthread_cond_t *cv, pthread_mutex_t *mtx);
void cv_wait(pthread_cond_t *cv);

struct job { pthread_mutex_t mu; pthread_cond_t done_cv; bool done; int result; };

void job_init(struct job *j)
{
    pthread_mutex_init(&j->mu, NULL);
    cv_init(&j->done_cv, &j->mu);
}

int job_wait(struct job *j)
{
    pthread_mutex_lock(&j->mu);
    while (!j->done)
        cv_wait(&j->done_cv);
    int r = j->result;
    pthread_mutex_unlock(&j->mu);
    return r;
}

int job_wait_once(struct job *j)
{
    pthread_mutex_lock(&j->mu);
    if (!j->done)
        cv_wait(&j->done_cv); // expect: cond-wait-not-in-loop
    int r = j->result;
    pthread_mutex_unlock(&j->mu);
    return r;
}
