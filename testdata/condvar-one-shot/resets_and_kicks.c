/* More look-alikes: a flag re-armed after teardown, a condvar also kicked
 * without the flag, a flag written through a pointer, a set outside the
 * mutex (a different bug). */
#include <pthread.h>
#include <stdbool.h>
#include <threads.h>

void set_flag(bool *flag);

/* ---- negative: re-armed by restart(): a reusable state, not a one-shot ---- */
struct engine {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool running;
};

void engine_started(struct engine *e)
{
    pthread_mutex_lock(&e->mu);
    e->running = true;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

void engine_restart(struct engine *e)
{
    pthread_mutex_lock(&e->mu);
    e->running = false;
    pthread_mutex_unlock(&e->mu);
}

void engine_wait(struct engine *e)
{
    pthread_mutex_lock(&e->mu);
    while (!e->running)
        pthread_cond_wait(&e->cv, &e->mu);
    pthread_mutex_unlock(&e->mu);
}

/* ---- negative: the condvar is also kicked to make waiters re-check
 * something else (a poke without the flag) ---- */
static mtx_t kick_mu;
static cnd_t kick_cv;
static bool kick_quit;

void kick_quit_now(void)
{
    mtx_lock(&kick_mu);
    kick_quit = true;
    cnd_broadcast(&kick_cv);
    mtx_unlock(&kick_mu);
}

void kick_poke(void)
{
    cnd_signal(&kick_cv);
}

void kick_wait(void)
{
    mtx_lock(&kick_mu);
    while (!kick_quit)
        cnd_wait(&kick_cv, &kick_mu);
    mtx_unlock(&kick_mu);
}

/* ---- negative: the flag escapes by address (written where we cannot see) ---- */
struct task {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool finished;
};

void task_complete(struct task *t)
{
    pthread_mutex_lock(&t->mu);
    set_flag(&t->finished);
    t->finished = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

void task_wait(struct task *t)
{
    pthread_mutex_lock(&t->mu);
    while (!t->finished)
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

/* ---- negative: set outside the mutex (a lost-wakeup bug of another kind) ---- */
static pthread_mutex_t loose_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loose_cv = PTHREAD_COND_INITIALIZER;
static int loose_done;

void loose_finish(void)
{
    loose_done = 1;
    pthread_cond_broadcast(&loose_cv);
}

void loose_wait(void)
{
    pthread_mutex_lock(&loose_mu);
    while (!loose_done)
        pthread_cond_wait(&loose_cv, &loose_mu);
    pthread_mutex_unlock(&loose_mu);
}

/* ---- negative: set but never signalled in this file (polled elsewhere) ---- */
static pthread_mutex_t poll_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t poll_cv = PTHREAD_COND_INITIALIZER;
static int poll_seen;

void poll_mark(void)
{
    pthread_mutex_lock(&poll_mu);
    poll_seen = 1;
    pthread_mutex_unlock(&poll_mu);
}

void poll_wait(void)
{
    pthread_mutex_lock(&poll_mu);
    while (!poll_seen)
        pthread_cond_wait(&poll_cv, &poll_mu);
    pthread_mutex_unlock(&poll_mu);
}
