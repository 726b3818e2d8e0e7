/* One-shot events built from a condvar and a flag: globals and struct fields. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* ---- a global "started" flag, broadcast once by the worker ---- */
static pthread_mutex_t start_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cv = PTHREAD_COND_INITIALIZER;
static bool started;

void *worker_main(void *arg)
{
    pthread_mutex_lock(&start_mu);
    started = true;
    pthread_cond_broadcast(&start_cv);
    pthread_mutex_unlock(&start_mu);
    return arg;
}

/* positive: the waiter of a one-shot */
void wait_until_started(void)
{
    pthread_mutex_lock(&start_mu);
    while (!started)
        pthread_cond_wait(&start_cv, &start_mu); // expect: condvar-one-shot
    pthread_mutex_unlock(&start_mu);
}

/* ---- a struct field, zeroed at init (initialisation, not a reset) ---- */
struct server {
    pthread_mutex_t mu;
    pthread_cond_t ready_cv;
    int ready;
    int port;
};

int server_init(struct server *s)
{
    s->ready = 0;
    s->port = 0;
    pthread_mutex_init(&s->mu, NULL);
    return pthread_cond_init(&s->ready_cv, NULL);
}

void server_listening(struct server *s, int port)
{
    pthread_mutex_lock(&s->mu);
    s->port = port;
    s->ready = 1;
    pthread_mutex_unlock(&s->mu);
    pthread_cond_signal(&s->ready_cv);   /* after the unlock: still the pair */
}

/* positive: compared with 0, the wait's result kept */
int server_wait_ready(struct server *s)
{
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    while (s->ready == 0) {
        rc = pthread_cond_wait(&s->ready_cv, &s->mu); // expect: condvar-one-shot
    }
    int port = s->port;
    pthread_mutex_unlock(&s->mu);
    return rc ? -1 : port;
}

/* positive: a second waiter of the same event is a second place to change */
int server_port(struct server *s)
{
    pthread_mutex_lock(&s->mu);
    while (!s->ready)
        pthread_cond_wait(&s->ready_cv, &s->mu); // expect: condvar-one-shot
    int port = s->port;
    pthread_mutex_unlock(&s->mu);
    return port;
}

/* ---- a timed wait for a shutdown that never un-happens ---- */
struct reaper {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool shutdown;
};

void reaper_stop(struct reaper *r)
{
    pthread_mutex_lock(&r->lock);
    r->shutdown = true;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

/* positive: a timed wait loops on the flag alone */
void reaper_sleep(struct reaper *r, const struct timespec *until)
{
    pthread_mutex_lock(&r->lock);
    while (!r->shutdown)
        pthread_cond_timedwait(&r->cond, &r->lock, until); // expect: condvar-one-shot
    pthread_mutex_unlock(&r->lock);
}

/* ---- macros around the lock calls, a for loop ---- */
#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)

static pthread_mutex_t cfg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cfg_cv = PTHREAD_COND_INITIALIZER;
static int cfg_loaded;

void config_loaded(void)
{
    LOCK(&cfg_mu);
    cfg_loaded = 1;
    pthread_cond_broadcast(&cfg_cv);
    UNLOCK(&cfg_mu);
}

/* positive: for (; !flag;) is the same loop */
void config_wait(void)
{
    LOCK(&cfg_mu);
    for (; !cfg_loaded;)
        pthread_cond_wait(&cfg_cv, &cfg_mu); // expect: condvar-one-shot
    UNLOCK(&cfg_mu);
}

/* ---- a thread-start handshake through a struct on the creator's stack ---- */
struct start_args {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int running;
    void *(*fn)(void *);
    void *arg;
};

static void *trampoline(void *p)
{
    struct start_args *sa = p;
    void *(*fn)(void *) = sa->fn;
    void *arg = sa->arg;
    pthread_mutex_lock(&sa->mu);
    sa->running = 1;
    pthread_cond_signal(&sa->cv);
    pthread_mutex_unlock(&sa->mu);
    return fn(arg);
}

/* positive: the creator waits on a file-scope struct by name, the thread
 * sets it through its pointer: the same fields */
static struct start_args boot_args;

int start_boot_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
    boot_args.fn = fn;
    boot_args.arg = arg;
    int rc = pthread_create(t, NULL, trampoline, &boot_args);
    if (rc)
        return rc;
    pthread_mutex_lock(&boot_args.mu);
    while (!boot_args.running)
        pthread_cond_wait(&boot_args.cv, &boot_args.mu); // expect: condvar-one-shot
    pthread_mutex_unlock(&boot_args.mu);
    return 0;
}
