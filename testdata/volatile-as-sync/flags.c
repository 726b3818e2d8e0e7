/* volatile flags used to signal between threads. */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <threads.h>
#include <unistd.h>

static volatile int done;
static int result;

void *compute_thread(void *arg)
{
    (void)arg;
    result = 42;
    done = 1;
    return NULL;
}

int wait_result(void)
{
    while (!done) // expect: volatile-as-sync, busy-wait
        ;
    return result;
}

/* A stop flag in a worker struct, tested by the thread's service loop. */
struct worker {
    pthread_t tid;
    volatile bool stop;
    int jobs;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (;;) {
        if (w->stop) // expect: volatile-as-sync
            break;
        w->jobs++;
        usleep(1000);
    }
    return NULL;
}

void worker_start(struct worker *w)
{
    pthread_create(&w->tid, NULL, worker_main, w);
}

void worker_shutdown(struct worker *w)
{
    w->stop = true;
    pthread_join(w->tid, NULL);
}

/* A ready flag set on a C11 thread and read (once) on the caller's thread. */
static volatile int ready;
static int table[64];

static int filler(void *arg)
{
    (void)arg;
    for (int i = 0; i < 64; i++) table[i] = i;
    ready = 1;
    return 0;
}

int table_lookup(int i)
{
    if (ready) // expect: volatile-as-sync
        return table[i & 63];
    return -1;
}

void table_fill_async(void)
{
    thrd_t t;
    thrd_create(&t, filler, NULL);
    thrd_detach(t);
}

/* A do-while spin on a volatile counter bumped by another function. */
static volatile unsigned generation;

void bump_generation(void)
{
    generation++;
}

void wait_generation(unsigned seen)
{
    do { // expect: busy-wait
        usleep(10);
    } while (generation == seen); // expect: volatile-as-sync
}

/* A volatile pointer spun on through a macro, and a for-loop condition. */
static int *volatile published;
#define WAIT_FOR(p) while (!(p)) sched_yield()

int *consume(void)
{
    WAIT_FOR(published); // expect: volatile-as-sync, busy-wait
    return published;
}

static volatile long budget;

void budget_refill(long n)
{
    budget = n;
}

long budget_drain(void)
{
    long spent = 0;
    for (; budget > 0; spent++) // expect: volatile-as-sync, busy-wait
        usleep(1);
    return spent;
}

int *consume_again(void)
{
    return published;
}

void publish(int *p)
{
    published = p;
}

/* A local handed to the thread that sets it. */
static void *set_flag(void *arg)
{
    *(volatile int *)arg = 1;
    return NULL;
}

void run_and_spin(void)
{
    volatile int flag = 0;
    pthread_t t;
    pthread_create(&t, NULL, set_flag, (void *)&flag);
    while (!flag) // expect: volatile-as-sync
        ;
    pthread_join(t, NULL);
}

/* An array of volatile per-slot flags. */
static volatile int slot_busy[8];

void slot_release(int i)
{
    slot_busy[i] = 0;
}

void slot_wait(int i)
{
    while (slot_busy[i]) // expect: volatile-as-sync
        usleep(1);
}

/* A volatile field in a global struct, the pool's shutdown flag. */
struct pool {
    pthread_mutex_t mu;
    volatile int quit;
    int pending;
};
static struct pool the_pool;

void pool_destroy(void)
{
    the_pool.quit = 1;
}

void *pool_thread(void *arg)
{
    (void)arg;
    while (!the_pool.quit) { // expect: volatile-as-sync
        pthread_mutex_lock(&the_pool.mu);
        the_pool.pending = 0;
        pthread_mutex_unlock(&the_pool.mu);
    }
    return NULL;
}

#ifdef USE_THREADS_OPTION
static volatile int unbuilt_flag;
void unbuilt_set(void) { unbuilt_flag = 1; }
void unbuilt_spin(void) { while (!unbuilt_flag) ; }
#endif
