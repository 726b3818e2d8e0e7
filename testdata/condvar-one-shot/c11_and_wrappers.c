/* One-shot events with C11 threads and with wait wrappers. */
// sync-lint-args: --wrapper=os_cond_wait:wait:0:1 --wrapper=ev_bind:bind:0:1 --wrapper=ev_wait:wait:0
#include <pthread.h>
#include <stdbool.h>
#include <threads.h>

/* ---- C11: mtx_t, cnd_t ---- */
static mtx_t done_mu;
static cnd_t done_cv;
static bool job_done;

void job_finish(void)
{
    mtx_lock(&done_mu);
    job_done = true;
    cnd_broadcast(&done_cv);
    mtx_unlock(&done_mu);
}

/* positive */
void job_join(void)
{
    mtx_lock(&done_mu);
    while (!job_done)
        cnd_wait(&done_cv, &done_mu); // expect: condvar-one-shot
    mtx_unlock(&done_mu);
}

/* ---- a same-TU wrapper around the wait ---- */
struct latch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool open;
};

static void latch_block(struct latch *l)
{
    pthread_cond_wait(&l->cv, &l->mu);
}

void latch_open(struct latch *l)
{
    pthread_mutex_lock(&l->mu);
    l->open = true;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

/* positive: the wrapper is the wait */
void latch_wait(struct latch *l)
{
    pthread_mutex_lock(&l->mu);
    while (!l->open)
        latch_block(l); // expect: condvar-one-shot
    pthread_mutex_unlock(&l->mu);
}

/* ---- a declared wrapper (an OS abstraction layer) ---- */
int os_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);

struct thread_ctl {
    pthread_mutex_t m;
    pthread_cond_t c;
    bool exited;
};

void thread_exit_notify(struct thread_ctl *t)
{
    pthread_mutex_lock(&t->m);
    t->exited = true;
    pthread_cond_signal(&t->c);
    pthread_mutex_unlock(&t->m);
}

/* positive */
void thread_wait_exit(struct thread_ctl *t)
{
    pthread_mutex_lock(&t->m);
    while (!t->exited)
        os_cond_wait(&t->c, &t->m); // expect: condvar-one-shot
    pthread_mutex_unlock(&t->m);
}

/* ---- a condvar bound to its mutex at init ---- */
void ev_bind(pthread_cond_t *c, pthread_mutex_t *m);
void ev_wait(pthread_cond_t *c);

struct boot {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned char complete;
};

void boot_init(struct boot *b)
{
    pthread_mutex_init(&b->mu, NULL);
    ev_bind(&b->cv, &b->mu);
    b->complete = 0;
}

void boot_done(struct boot *b)
{
    pthread_mutex_lock(&b->mu);
    b->complete = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

/* positive: the bound wait releases b->mu */
void boot_wait(struct boot *b)
{
    pthread_mutex_lock(&b->mu);
    while (!b->complete)
        ev_wait(&b->cv); // expect: condvar-one-shot
    pthread_mutex_unlock(&b->mu);
}

/* ---- the loop written as for (;;) with a break on the flag ---- */
static mtx_t stop_mu;
static cnd_t stop_cv;
static int stop_requested;

void request_stop(void)
{
    mtx_lock(&stop_mu);
    stop_requested = 1;
    cnd_broadcast(&stop_cv);
    mtx_unlock(&stop_mu);
}

/* positive */
void wait_for_stop(void)
{
    mtx_lock(&stop_mu);
    for (;;) {
        if (stop_requested)
            break;
        cnd_wait(&stop_cv, &stop_mu); // expect: condvar-one-shot
    }
    mtx_unlock(&stop_mu);
}

/* negative: the break test reads more than the flag */
static mtx_t drain_mu;
static cnd_t drain_cv;
static int drain_quit;
static int drain_pending;

void drain_quit_now(void)
{
    mtx_lock(&drain_mu);
    drain_quit = 1;
    cnd_broadcast(&drain_cv);
    mtx_unlock(&drain_mu);
}

void drain_wait(void)
{
    mtx_lock(&drain_mu);
    for (;;) {
        if (drain_quit && drain_pending == 0)
            break;
        cnd_wait(&drain_cv, &drain_mu);
    }
    mtx_unlock(&drain_mu);
}
