/* busy-wait: spinning, yielding and sleeping waits on a flag another
 * thread sets (globals, fields, C11 atomics). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

static volatile int ready;
static atomic_bool done;
static int started;            /* plain int, set by the thread below */

struct job {
    int finished;
    atomic_int state;
    pthread_mutex_t lock;
};

static void *starter(void *arg)
{
    (void)arg;
    started = 1;
    ready = 1;
    atomic_store(&done, true);
    return NULL;
}

void finish(struct job *j)
{
    pthread_mutex_lock(&j->lock);
    j->finished = 1;
    pthread_mutex_unlock(&j->lock);
}

void spin_on_volatile(void)
{
    while (!ready) // expect: busy-wait, volatile-as-sync
        ;
}

void spin_on_atomic(void)
{
    while (!atomic_load(&done)) {} // expect: busy-wait
}

void yield_on_plain_global(void)
{
    pthread_t t;
    pthread_create(&t, NULL, starter, NULL);
    while (!started) // expect: busy-wait
        sched_yield();
    pthread_join(t, NULL);
}

void sleep_on_field(struct job *j)
{
    while (!j->finished) // expect: busy-wait
        usleep(1000);
}

/* the flag is read under the job's lock, the sleep outside it */
void poll_under_lock(struct job *j)
{
    for (;;) { // expect: busy-wait
        pthread_mutex_lock(&j->lock);
        int f = j->finished;
        pthread_mutex_unlock(&j->lock);
        if (f) break;
        usleep(500);
    }
}

/* do/while over a local refreshed from the atomic each round */
int wait_state(struct job *j)
{
    struct timespec ts = { 0, 100000 };
    int s;
    do { // expect: busy-wait
        s = atomic_load_explicit(&j->state, memory_order_acquire);
        if (s != 0) break;
        nanosleep(&ts, NULL);
    } while (1);
    return s;
}

void c11_sleep(struct job *j)
{
    struct timespec ts = { 0, 1000000 };
    while (atomic_load(&j->state) == 0) // expect: busy-wait
        thrd_sleep(&ts, NULL);
}

/* a deadline does not change that the loop polls */
int wait_with_timeout(struct job *j, time_t deadline)
{
    while (!atomic_load(&j->state)) { // expect: busy-wait
        if (time(NULL) > deadline) return -1;
        thrd_yield();
    }
    return 0;
}
