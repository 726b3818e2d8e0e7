/* Real-code shapes: an if-wait re-tested by the enclosing service loop, in
 * the same function or in every caller of a static helper; macros. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct worker {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int queued;
    bool quit;
};

#define WAIT_ON(w) pthread_cond_wait(&(w)->cv, &(w)->mu)

static void run_one(struct worker *w) { w->queued--; }

/* negative: the if-wait sits inside `while (!w->quit)`, which re-tests */
void *worker_loop(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->quit) {
        if (w->queued == 0) {
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        run_one(w);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* negative: static helper whose only caller is a service loop */
static void wait_for_work(struct worker *w)
{
    if (w->queued == 0 && !w->quit)
        WAIT_ON(w);
}

void *worker_loop2(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->quit) {
        wait_for_work(w);
        if (w->queued > 0)
            run_one(w);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* positive: the macro spelling in an if, no loop anywhere */
void drain_one_bad(struct worker *w)
{
    pthread_mutex_lock(&w->mu);
    if (w->queued == 0)
        WAIT_ON(w); // expect: cond-wait-not-in-loop
    run_one(w);
    pthread_mutex_unlock(&w->mu);
}

/* negative: local predicate refreshed from shared state inside the loop */
void wait_until_quit(struct worker *w)
{
    bool done = false;
    pthread_mutex_lock(&w->mu);
    while (!done) {
        pthread_cond_wait(&w->cv, &w->mu);
        done = w->quit;
    }
    pthread_mutex_unlock(&w->mu);
}

/* positive: early-return path waits once and proceeds */
int take_or_fail_bad(struct worker *w, bool nonblock)
{
    pthread_mutex_lock(&w->mu);
    if (w->queued == 0) {
        if (nonblock) {
            pthread_mutex_unlock(&w->mu);
            return -1;
        }
        pthread_cond_wait(&w->cv, &w->mu); // expect: cond-wait-not-in-loop
    }
    run_one(w);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

/* positive: inside a service loop, but the item is used before anything
 * re-tests the predicate */
void *worker_loop_consumes_bad(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->quit) {
        if (w->queued == 0)
            pthread_cond_wait(&w->cv, &w->mu); // expect: cond-wait-not-in-loop
        run_one(w);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* positive: static helper called from a loop, but it pops after the wait
 * having re-tested only part of its predicate */
static int take_job(struct worker *w)
{
    pthread_mutex_lock(&w->mu);
    if (w->queued == 0 && !w->quit)
        pthread_cond_wait(&w->cv, &w->mu); // expect: cond-wait-not-in-loop
    if (w->quit) {
        pthread_mutex_unlock(&w->mu);
        return 0;
    }
    run_one(w);
    pthread_mutex_unlock(&w->mu);
    return 1;
}

void *worker_loop3(void *arg)
{
    while (take_job(arg))
        ;
    return NULL;
}

/* negative: a worker pool loop: the test before the wait leaves the
 * iteration when there is work, the wait only does bookkeeping after it,
 * and the loop comes back to the test */
struct pool { pthread_mutex_t mu; pthread_cond_t work; void *head; bool stop; int sleepers; };

void *pool_worker(void *arg)
{
    struct pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->head != NULL) {
            p->head = NULL;
            continue;
        }
        if (p->stop)
            break;
        p->sleepers++;
        pthread_cond_wait(&p->work, &p->mu);
        p->sleepers--;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}
