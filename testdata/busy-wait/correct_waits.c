/* busy-wait: look-alikes that must stay quiet - blocking waits, bounded
 * spins before a block, retries, worker and event loops, signal flags. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <threads.h>
#include <unistd.h>

#define SPIN 100

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    atomic_int open;
    int ready;
};

static atomic_bool stop;
static volatile sig_atomic_t got_term;
static sem_t items;
extern void do_work(void);
extern int try_connect(void);
extern void handle(struct pollfd *fds, int n);

/* spin a little with a pause, then block on the condvar */
void gate_wait(struct gate *g)
{
    for (int i = 0; i < SPIN; i++) {
        if (atomic_load(&g->open)) return;
        cpu_relax();
    }
    pthread_mutex_lock(&g->lock);
    while (!atomic_load(&g->open))
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

/* the correct form, C11 spelling */
void gate_wait_c11(struct gate *g, mtx_t *m, cnd_t *c)
{
    mtx_lock(m);
    while (!g->ready)
        cnd_wait(c, m);
    mtx_unlock(m);
}

/* a bounded retry: it counts its tries */
int wait_bounded(struct gate *g)
{
    for (int tries = 0; tries < 5; tries++) {
        if (atomic_load(&g->open)) return 0;
        usleep(100);
    }
    return -1;
}

int connect_retry(void)
{
    int tries = 0;
    while (!try_connect()) {
        if (++tries > 5) return -1;
        usleep(100);
    }
    return 0;
}

/* a worker loop: real work each round */
void *worker(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop))
        do_work();
    return NULL;
}

/* an event loop: it blocks on descriptors, with a timeout */
void event_loop(struct pollfd *fds, int n)
{
    while (!atomic_load(&stop)) {
        int r = poll(fds, n, 100);
        if (r > 0) handle(fds, n);
    }
}

/* a signal handler sets the flag; sleep is interrupted by the signal */
void wait_for_term(void)
{
    while (!got_term)
        sleep(1);
}

/* a semaphore wait retried on EINTR blocks properly */
void take_item(void)
{
    while (sem_wait(&items) == -1 && errno == EINTR)
        ;
}

/* loops re-testing locals only */
int count_down(int n)
{
    int left = n;
    while (left > 0) left--;
    return left;
}

/* a macro's do { } while (0) wrapper runs once: not a loop */
#define CHECK_OPEN(g) do { if (!atomic_load(&(g)->open)) break; } while (0)

void check_open(struct gate *g)
{
    CHECK_OPEN(g);
}

void stop_all(void)
{
    atomic_store(&stop, true);
}
