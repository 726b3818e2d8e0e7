/* stats_server.c - a small threaded server with the habits sync-lint finds.
 *
 * Run:  build/sync-lint examples/stats_server.c
 * Each finding names the lock involved and the replacement.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NWORKERS 4
#define QCAP 128

struct job { int fd; char req[256]; };

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t nonempty;
    struct job jobs[QCAP];
    int head, len;
    bool stopping;
};

/* Hit by every request from every worker. */
struct stats {
    atomic_ulong requests;     /* written by worker_main */
    atomic_ulong bytes_out;    /* written by send_reply: same cache line */
};

static struct queue q = { .mu = PTHREAD_MUTEX_INITIALIZER, .nonempty = PTHREAD_COND_INITIALIZER };
static struct stats stats;
static pthread_mutex_t errors_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long errors;
static sem_t cache_sem;
static char cache[4096];

static bool queue_pop(struct job *out)
{
    pthread_mutex_lock(&q.mu);
    if (q.len == 0 && !q.stopping)
        pthread_cond_wait(&q.nonempty, &q.mu);    /* if, not while */
    if (q.stopping) {
        pthread_mutex_unlock(&q.mu);
        return false;
    }
    *out = q.jobs[q.head];
    q.head = (q.head + 1) % QCAP;
    q.len--;
    pthread_mutex_unlock(&q.mu);
    return true;
}

static void count_error(void)
{
    pthread_mutex_lock(&errors_mu);                 /* a mutex for one counter */
    errors++;
    pthread_mutex_unlock(&errors_mu);
}

unsigned long error_count(void)
{
    pthread_mutex_lock(&errors_mu);
    unsigned long n = errors;
    pthread_mutex_unlock(&errors_mu);
    return n;
}

static void send_reply(const struct job *j, const char *body)
{
    size_t len = strlen(body);
    atomic_fetch_add(&stats.bytes_out, len);
    pthread_mutex_lock(&q.mu);
    if (write(j->fd, body, len) < 0)              /* I/O with the queue locked */
        count_error();
    pthread_mutex_unlock(&q.mu);
}

static void cache_lookup(const char *key, char *out, size_t n)
{
    sem_wait(&cache_sem);                           /* a semaphore as a mutex */
    strncpy(out, strstr(cache, key) ? key : "miss", n - 1);
    out[n - 1] = 0;
    sem_post(&cache_sem);
}

static void *worker_main(void *arg)
{
    (void)arg;
    struct job j;
    char val[64];
    while (queue_pop(&j)) {
        atomic_fetch_add(&stats.requests, 1);
        cache_lookup(j.req, val, sizeof val);
        send_reply(&j, val);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[NWORKERS];
    sem_init(&cache_sem, 0, 1);
    for (int i = 0; i < NWORKERS; i++)
        pthread_create(&t[i], NULL, worker_main, NULL);
    pthread_mutex_lock(&q.mu);
    q.stopping = true;
    pthread_cond_broadcast(&q.nonempty);
    pthread_mutex_unlock(&q.mu);
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    printf("%lu requests, %lu errors\n", (unsigned long)stats.requests, error_count());
    return 0;
}
