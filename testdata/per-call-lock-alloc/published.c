/* Objects whose lock is real: they reach another thread, or the lock
 * outlives the call.  All must stay silent. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <threads.h>

struct work { pthread_mutex_t mu; int state; struct work *next; };
struct pool { pthread_mutex_t mu; struct work *head; };

static struct work *registry;
static _Atomic(struct work *) latest;
void external_submit(struct work *w);

static void *worker(void *arg)
{
    struct work *w = arg;
    pthread_mutex_lock(&w->mu);
    w->state = 1;
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* passed to pthread_create, joined, then destroyed: a real lock */
int run_with_thread(void)
{
    struct work w = { .state = 0 };
    pthread_t t;
    pthread_mutex_init(&w.mu, NULL);
    if (pthread_create(&t, NULL, worker, &w) != 0)
        return -1;
    pthread_mutex_lock(&w.mu);
    w.state = 2;
    pthread_mutex_unlock(&w.mu);
    pthread_join(t, NULL);
    pthread_mutex_destroy(&w.mu);
    return w.state;
}

static int c11_worker(void *arg)
{
    mtx_t *m = arg;
    mtx_lock(m);
    mtx_unlock(m);
    return 0;
}

int run_c11(void)
{
    mtx_t m;
    thrd_t t;
    mtx_init(&m, mtx_plain);
    thrd_create(&t, c11_worker, &m);
    thrd_join(t, NULL);
    mtx_destroy(&m);
    return 0;
}

/* constructor: returns the object with the lock initialised */
struct work *work_create(void)
{
    struct work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    pthread_mutex_init(&w->mu, NULL);
    return w;
}

/* destructor: the object comes from the caller */
void work_destroy(struct work *w)
{
    pthread_mutex_destroy(&w->mu);
    free(w);
}

/* initialised on a parameter's object, destroyed elsewhere */
void pool_init(struct pool *p)
{
    pthread_mutex_init(&p->mu, NULL);
    p->head = NULL;
}

/* published into a global list while it lives */
int publish_briefly(void)
{
    struct work *w = malloc(sizeof *w);
    if (!w)
        return -1;
    pthread_mutex_init(&w->mu, NULL);
    w->next = registry;
    registry = w;
    pthread_mutex_lock(&w->mu);
    w->state = 3;
    pthread_mutex_unlock(&w->mu);
    registry = w->next;
    pthread_mutex_destroy(&w->mu);
    free(w);
    return 0;
}

/* stored through an out-parameter of a pool that other threads read */
int pool_push_tmp(struct pool *p)
{
    struct work *w = malloc(sizeof *w);
    if (!w)
        return -1;
    pthread_mutex_init(&w->mu, NULL);
    p->head = w;
    pthread_mutex_lock(&w->mu);
    w->state = 4;
    pthread_mutex_unlock(&w->mu);
    p->head = NULL;
    pthread_mutex_destroy(&w->mu);
    free(w);
    return 0;
}

/* handed to an external function that may keep it */
int submit_and_wait(void)
{
    struct work w;
    pthread_mutex_init(&w.mu, NULL);
    external_submit(&w);
    pthread_mutex_destroy(&w.mu);
    return 0;
}

/* published atomically */
int publish_atomic(void)
{
    struct work *w = malloc(sizeof *w);
    if (!w)
        return -1;
    pthread_mutex_init(&w->mu, NULL);
    atomic_store(&latest, w);
    atomic_store(&latest, NULL);
    pthread_mutex_destroy(&w->mu);
    free(w);
    return 0;
}

/* the object belongs to a list reached from a parameter */
int reinit_head(struct pool *p)
{
    struct work *w = p->head;
    pthread_mutex_init(&w->mu, NULL);
    pthread_mutex_destroy(&w->mu);
    return 0;
}

/* a same-file helper that stores it globally */
static void remember(struct work *w) { registry = w; }

int remember_tmp(void)
{
    struct work w;
    pthread_mutex_init(&w.mu, NULL);
    remember(&w);
    registry = NULL;
    pthread_mutex_destroy(&w.mu);
    return 0;
}

/* static local: lives across calls */
int static_local(void)
{
    static pthread_mutex_t mu;
    pthread_mutex_init(&mu, NULL);
    pthread_mutex_destroy(&mu);
    return 0;
}
