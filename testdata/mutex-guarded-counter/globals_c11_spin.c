/* Global counters behind pthread, C11 and spin locks. */
#include <pthread.h>
#include <threads.h>

static pthread_mutex_t hits_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long hits;

static mtx_t drops_mu;
static long drops;

static pthread_spinlock_t events_spin;
static unsigned events;

static pthread_rwlock_t gen_rw = PTHREAD_RWLOCK_INITIALIZER;
static unsigned long generation;

void record_hit(void)
{
    pthread_mutex_lock(&hits_mu);
    hits++; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&hits_mu);
}

unsigned long read_hits(void)
{
    unsigned long h;
    pthread_mutex_lock(&hits_mu);
    h = hits; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&hits_mu);
    return h;
}

void drop(int n)
{
    mtx_lock(&drops_mu);
    drops += n; // expect: mutex-guarded-counter
    mtx_unlock(&drops_mu);
}

void event(void)
{
    pthread_spin_lock(&events_spin);
    events++; // expect: mutex-guarded-counter
    pthread_spin_unlock(&events_spin);
}

void bump_generation(void)
{
    pthread_rwlock_wrlock(&gen_rw);
    generation++; // expect: mutex-guarded-counter
    pthread_rwlock_unlock(&gen_rw);
}

unsigned long read_generation(void)
{
    pthread_rwlock_rdlock(&gen_rw);
    unsigned long g = generation; // expect: mutex-guarded-counter
    pthread_rwlock_unlock(&gen_rw);
    return g;
}

void init_counters(void)
{
    mtx_init(&drops_mu, mtx_plain);
    pthread_spin_init(&events_spin, PTHREAD_PROCESS_PRIVATE);
}
