/* Sleeping, joining and polling with a lock held; C11 threads too. */
#include <poll.h>
#include <pthread.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_t workers[4];
static int nworkers;
static int backoff_ms;

static mtx_t c11_mu;
static int c11_state;

/* positive: joining threads while holding the registry lock */
void stop_workers_bad(void)
{
    pthread_mutex_lock(&reg_mu);
    for (int i = 0; i < nworkers; i++)
        pthread_join(workers[i], NULL); // expect: lock-held-across-blocking-call
    nworkers = 0;
    pthread_mutex_unlock(&reg_mu);
}

/* negative: take the handles out, then join */
void stop_workers(void)
{
    pthread_t copy[4];
    int n;
    pthread_mutex_lock(&reg_mu);
    n = nworkers;
    for (int i = 0; i < n; i++)
        copy[i] = workers[i];
    nworkers = 0;
    pthread_mutex_unlock(&reg_mu);
    for (int i = 0; i < n; i++)
        pthread_join(copy[i], NULL);
}

/* positive: backoff sleep inside the critical section */
void retry_bad(void)
{
    pthread_mutex_lock(&reg_mu);
    backoff_ms *= 2;
    usleep((useconds_t)backoff_ms * 1000); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&reg_mu);
}

/* positive: poll() with the C11 mutex held */
int c11_poll_bad(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    mtx_lock(&c11_mu);
    int r = poll(&p, 1, 1000); // expect: lock-held-across-blocking-call
    c11_state = r;
    mtx_unlock(&c11_mu);
    return r;
}

/* negative: nanosleep after the unlock */
void pace(void)
{
    struct timespec ts = { 0, 1000000 };
    mtx_lock(&c11_mu);
    c11_state++;
    mtx_unlock(&c11_mu);
    nanosleep(&ts, NULL);
}
