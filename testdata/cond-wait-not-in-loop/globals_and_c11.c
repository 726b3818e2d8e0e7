/* Globals, C11 threads, and a bare wait with no predicate at all. */
#include <pthread.h>
#include <stdbool.h>
#include <threads.h>

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static bool g_started;
static int g_generation;

static mtx_t c11_mu;
static cnd_t c11_cv;
static int c11_ready;

/* positive: no predicate at all - a signal sent before the wait is lost */
void wait_for_start_bare(void)
{
    pthread_mutex_lock(&g_mu);
    pthread_cond_wait(&g_cv, &g_mu); // expect: cond-wait-not-in-loop
    pthread_mutex_unlock(&g_mu);
}

/* positive: C11 cnd_wait in an if */
int c11_wait_bad(void)
{
    mtx_lock(&c11_mu);
    if (!c11_ready)
        cnd_wait(&c11_cv, &c11_mu); // expect: cond-wait-not-in-loop
    int v = c11_ready;
    mtx_unlock(&c11_mu);
    return v;
}

/* negative: C11 in a while */
int c11_wait_good(void)
{
    mtx_lock(&c11_mu);
    while (!c11_ready)
        cnd_wait(&c11_cv, &c11_mu);
    int v = c11_ready;
    mtx_unlock(&c11_mu);
    return v;
}

/* negative: generation counter re-read in the loop condition */
void barrier_wait(void)
{
    pthread_mutex_lock(&g_mu);
    int gen = g_generation;
    while (gen == g_generation)
        pthread_cond_wait(&g_cv, &g_mu);
    pthread_mutex_unlock(&g_mu);
}

/* negative: for(;;) with a break guarded by the shared flag */
void wait_started(void)
{
    pthread_mutex_lock(&g_mu);
    for (;;) {
        if (g_started)
            break;
        pthread_cond_wait(&g_cv, &g_mu);
    }
    pthread_mutex_unlock(&g_mu);
}

/* positive: a counting loop re-tests nothing shared */
void wait_three_signals(void)
{
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < 3; i++)
        pthread_cond_wait(&g_cv, &g_mu); // expect: cond-wait-not-in-loop
    pthread_mutex_unlock(&g_mu);
}
