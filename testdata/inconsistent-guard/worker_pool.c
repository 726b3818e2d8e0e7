/* A fixed thread pool over a ring of work items, all globals behind
 * g_q_mu.  main() writes config before the first pthread_create and reads
 * results after pthread_join without the lock (not counted); a backlog
 * probe and a stop test read shared state without it (findings). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t g_q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_q_cv = PTHREAD_COND_INITIALIZER;
static int g_q_items[256];
static unsigned g_q_head, g_q_tail;
static int g_shutdown;
static int g_max_backlog;
static long g_done, g_busy;

void do_work(int item);

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        int item;
        pthread_mutex_lock(&g_q_mu);
        while (g_q_head == g_q_tail && !g_shutdown)
            pthread_cond_wait(&g_q_cv, &g_q_mu);
        if (g_shutdown && g_q_head == g_q_tail) {
            pthread_mutex_unlock(&g_q_mu);
            break;
        }
        item = g_q_items[g_q_head % 256];
        g_q_head++;
        g_busy++;
        pthread_mutex_unlock(&g_q_mu);
        do_work(item);
        pthread_mutex_lock(&g_q_mu);
        g_done++;
        g_busy--;
        pthread_mutex_unlock(&g_q_mu);
    }
    return NULL;
}

int pool_submit(int item)
{
    int rc = -1;
    pthread_mutex_lock(&g_q_mu);
    if (!g_shutdown && g_q_tail - g_q_head < (unsigned)g_max_backlog) {
        g_q_items[g_q_tail % 256] = item;
        g_q_tail++;
        pthread_cond_signal(&g_q_cv);
        rc = 0;
    }
    pthread_mutex_unlock(&g_q_mu);
    return rc;
}

void pool_set_limit(int n)
{
    pthread_mutex_lock(&g_q_mu);
    g_max_backlog = n > 256 ? 256 : n;
    pthread_cond_broadcast(&g_q_cv);
    pthread_mutex_unlock(&g_q_mu);
}

void pool_progress(long *done, long *busy, int *limit)
{
    pthread_mutex_lock(&g_q_mu);
    *done = g_done;
    *busy = g_busy;
    *limit = g_max_backlog;
    pthread_mutex_unlock(&g_q_mu);
}

long pool_drain_stats(void)
{
    long done;
    pthread_mutex_lock(&g_q_mu);
    done = g_done;
    g_done = 0;
    pthread_mutex_unlock(&g_q_mu);
    return done;
}

/* positive (two sites): a monitoring probe reads the ring indices racily */
unsigned pool_backlog(void)
{
    unsigned tail = g_q_tail; // expect: inconsistent-guard
    unsigned head = g_q_head; // expect: inconsistent-guard
    return tail - head;
}

/* positive: an external (not static) stop test without the lock */
int pool_stopping(void)
{
    return g_shutdown; // expect: inconsistent-guard
}

/* negative: g_max_backlog before the first pthread_create (config), and
 * g_done / g_busy after pthread_join (teardown) */
int main(int argc, char **argv)
{
    pthread_t th[4];
    g_max_backlog = argc > 1 ? atoi(argv[1]) : 128;
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, worker, NULL);
    for (int i = 0; i < 1000; i++)
        pool_submit(i);
    pthread_mutex_lock(&g_q_mu);
    g_shutdown = 1;
    pthread_cond_broadcast(&g_q_cv);
    pthread_mutex_unlock(&g_q_mu);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    printf("done=%ld busy=%ld\n", g_done, g_busy);
    return 0;
}
