/* An increment whose result is used is atomic_fetch_add's return value; a
 * function named new_id hands out numbers on every call (it is no
 * constructor); several counters under one lock, each updated alone and read
 * together in one report, give a finding per update section. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t id_mu = PTHREAD_MUTEX_INITIALIZER;
static long next_id;

long new_id(void)
{
    pthread_mutex_lock(&id_mu);
    long id = ++next_id; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&id_mu);
    return id;
}

static pthread_mutex_t seq_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned seq;

unsigned alloc_seq(void)
{
    unsigned s;
    pthread_mutex_lock(&seq_mu);
    s = seq++; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&seq_mu);
    return s;
}

unsigned peek_seq(void)
{
    pthread_mutex_lock(&seq_mu);
    unsigned s = seq; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&seq_mu);
    return s;
}

static pthread_mutex_t st_mu = PTHREAD_MUTEX_INITIALIZER;
static long n_rx, n_tx;
static int stats_enabled;

void count_rx(void)
{
    if (stats_enabled) {
        pthread_mutex_lock(&st_mu);
        n_rx++; // expect: mutex-guarded-counter
        pthread_mutex_unlock(&st_mu);
    }
}

void count_tx(long bytes)
{
    pthread_mutex_lock(&st_mu);
    n_tx += bytes; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&st_mu);
}

/* The report copies both together: not an invariant, and not itself one
 * counter's section. */
void report_stats(void)
{
    long rx, tx;
    pthread_mutex_lock(&st_mu);
    rx = n_rx;
    tx = n_tx;
    pthread_mutex_unlock(&st_mu);
    printf("rx=%ld tx=%ld\n", rx, tx);
}

/* A real constructor may set up its object's counter without the lock. */
struct pool { pthread_mutex_t mu; long taken; char *slab; };

struct pool *pool_new(void)
{
    struct pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    pthread_mutex_init(&p->mu, NULL);
    p->taken = 0;
    return p;
}

void pool_take(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->taken++; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&p->mu);
}

/* Not a counter: the value is used for a decision under the lock. */
static pthread_mutex_t lim_mu = PTHREAD_MUTEX_INITIALIZER;
static int active;

int try_enter(int max)
{
    int ok = 0;
    pthread_mutex_lock(&lim_mu);
    if (active < max) {
        active++;
        ok = 1;
    }
    pthread_mutex_unlock(&lim_mu);
    return ok;
}

void leave(void)
{
    pthread_mutex_lock(&lim_mu);
    active--;
    pthread_mutex_unlock(&lim_mu);
}
