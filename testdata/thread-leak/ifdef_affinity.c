/* thread-leak: a worker pinned to a CPU under #ifdef; the pinning failure
 * returns before the join. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>

#define HAVE_AFFINITY 1

void *pinned_worker(void *arg);

int run_pinned(int cpu, void *arg)
{
    pthread_t t;
    if (pthread_create(&t, NULL, pinned_worker, arg) != 0) // expect: thread-leak
        return -1;
#ifdef HAVE_AFFINITY
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(t, sizeof set, &set) != 0)
        return -1;
#endif
    return pthread_join(t, NULL);
}

/* negative: the same, cancelling and joining on the failure */
int run_pinned_ok(int cpu, void *arg)
{
    pthread_t t;
    if (pthread_create(&t, NULL, pinned_worker, arg) != 0)
        return -1;
#ifdef HAVE_AFFINITY
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(t, sizeof set, &set) != 0) {
        pthread_cancel(t);
        pthread_join(t, NULL);
        return -1;
    }
#endif
    return pthread_join(t, NULL);
}
