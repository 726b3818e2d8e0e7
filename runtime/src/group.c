/* group.c - errgroup: a lazily grown worker pool, a task queue, first error. */
#include "synclint/group.h"

#include <errno.h>
#include <stdlib.h>
#include "relax.h"

struct sl_group_task {
    sl_group_fn fn;
    void *arg;
    struct sl_group_task *next;
};

/* How long an idle worker polls for a new task before it sleeps: a producer
 * pushing tasks back to back then needs no futex wake per task. */
#define SPIN_ROUNDS 2000


int sl_group_init(sl_group *g, sl_ctx *parent, unsigned limit)
{
    int r;
    if (g == NULL) return -EINVAL;
    if ((r = sl_ctx_init(&g->ctx, parent)) != 0) return r;
    if ((r = pthread_mutex_init(&g->lock, NULL)) != 0) goto out_ctx;
    if ((r = pthread_cond_init(&g->work, NULL)) != 0) goto out_mutex;
    if ((r = pthread_cond_init(&g->all_done, NULL)) != 0) goto out_work;
    g->head = g->tail = g->free_tasks = NULL;
    g->qlen = 0;
    atomic_init(&g->queued, 0);
    atomic_init(&g->stopping, false);
    g->limit = limit;
    g->nworkers = g->idle = g->sleepers = g->pending = 0;
    g->threads = NULL;
    g->cap_threads = 0;
    g->first_err = 0;
    g->waiting = g->waited = false;
    return 0;

out_work:
    pthread_cond_destroy(&g->work);
out_mutex:
    pthread_mutex_destroy(&g->lock);
out_ctx:
    sl_ctx_destroy(&g->ctx);
    return r > 0 ? -r : r;
}

static void *worker(void *arg)
{
    sl_group *g = arg;
    pthread_mutex_lock(&g->lock);
    for (;;) {
        struct sl_group_task *t = g->head;
        if (t != NULL) {
            g->head = t->next;
            if (g->head == NULL) g->tail = NULL;
            g->qlen--;
            atomic_store_explicit(&g->queued, g->qlen, memory_order_relaxed);
            g->idle--;
            pthread_mutex_unlock(&g->lock);

            int r = t->fn(t->arg, &g->ctx);

            pthread_mutex_lock(&g->lock);
            bool first = r != 0 && g->first_err == 0;
            if (first) g->first_err = r;
            t->next = g->free_tasks;
            g->free_tasks = t;
            g->idle++;
            if (--g->pending == 0 && g->waiting) pthread_cond_broadcast(&g->all_done);
            if (first) {
                pthread_mutex_unlock(&g->lock);
                sl_ctx_cancel(&g->ctx);   /* watchers run here, lock dropped */
                pthread_mutex_lock(&g->lock);
            }
            continue;
        }
        if (atomic_load_explicit(&g->stopping, memory_order_relaxed)) break;

        pthread_mutex_unlock(&g->lock);
        for (int i = 0; i < SPIN_ROUNDS; i++) {
            if (atomic_load_explicit(&g->queued, memory_order_relaxed) != 0 ||
                atomic_load_explicit(&g->stopping, memory_order_relaxed))
                break;
            cpu_relax();
        }
        pthread_mutex_lock(&g->lock);
        if (g->head != NULL || atomic_load_explicit(&g->stopping, memory_order_relaxed)) continue;
        g->sleepers++;
        pthread_cond_wait(&g->work, &g->lock);
        g->sleepers--;
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

/* Called with g->lock held. */
static int spawn(sl_group *g)
{
    if (g->nworkers == g->cap_threads) {
        unsigned cap = g->cap_threads ? g->cap_threads * 2 : 4;
        pthread_t *n = realloc(g->threads, cap * sizeof *n);
        if (n == NULL) return -ENOMEM;
        g->threads = n;
        g->cap_threads = cap;
    }
    int r = pthread_create(&g->threads[g->nworkers], NULL, worker, g);
    if (r != 0) return -r;
    g->nworkers++;
    g->idle++;
    return 0;
}

int sl_group_go(sl_group *g, sl_group_fn fn, void *arg)
{
    if (fn == NULL) return -EINVAL;
    pthread_mutex_lock(&g->lock);
    if (g->waited) {
        pthread_mutex_unlock(&g->lock);
        return -EINVAL;
    }
    struct sl_group_task *t = g->free_tasks;
    if (t != NULL) {
        g->free_tasks = t->next;
    } else if ((t = malloc(sizeof *t)) == NULL) {
        pthread_mutex_unlock(&g->lock);
        return -ENOMEM;
    }
    t->fn = fn;
    t->arg = arg;
    t->next = NULL;

    /* A new thread when some queued task would find no idle worker. */
    if (g->qlen + 1 > g->idle && (g->limit == 0 || g->nworkers < g->limit)) {
        int r = spawn(g);
        if (r != 0 && (g->limit == 0 || g->nworkers == 0)) {
            t->next = g->free_tasks;
            g->free_tasks = t;
            pthread_mutex_unlock(&g->lock);
            return r;
        }
    }
    if (g->tail) g->tail->next = t;
    else g->head = t;
    g->tail = t;
    g->qlen++;
    g->pending++;
    atomic_store_explicit(&g->queued, g->qlen, memory_order_relaxed);
    if (g->sleepers > 0) pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->lock);
    return 0;
}

int sl_group_wait(sl_group *g)
{
    pthread_mutex_lock(&g->lock);
    if (g->waited) {
        int e = g->first_err;
        pthread_mutex_unlock(&g->lock);
        return e;
    }
    g->waiting = true;
    while (g->pending > 0) pthread_cond_wait(&g->all_done, &g->lock);
    g->waited = true;
    atomic_store_explicit(&g->stopping, true, memory_order_relaxed);
    pthread_cond_broadcast(&g->work);
    unsigned n = g->nworkers;
    int e = g->first_err;
    pthread_mutex_unlock(&g->lock);

    /* No task runs, and go() now fails: the thread array is stable. */
    for (unsigned i = 0; i < n; i++) pthread_join(g->threads[i], NULL);
    sl_ctx_cancel(&g->ctx);
    return e;
}

void sl_group_destroy(sl_group *g)
{
    sl_group_wait(g);
    struct sl_group_task *t;
    while ((t = g->free_tasks) != NULL) {
        g->free_tasks = t->next;
        free(t);
    }
    free(g->threads);
    g->threads = NULL;
    pthread_cond_destroy(&g->all_done);
    pthread_cond_destroy(&g->work);
    pthread_mutex_destroy(&g->lock);
    sl_ctx_destroy(&g->ctx);
}
