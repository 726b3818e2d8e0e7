/* C11 threads, per-CPU slots via sched_getcpu(), and thread-local slot ids. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <threads.h>

#define MAX_CPUS 64
#define NTHREADS 4

/* positive: per-CPU atomics indexed by sched_getcpu() */
static atomic_ulong per_cpu_events[MAX_CPUS]; // expect: false-sharing-atomics

/* positive: slot picked once per thread and kept in a thread-local */
static _Thread_local int my_slot;
static atomic_int busy[NTHREADS]; // expect: false-sharing-atomics

/* positive: plain counters written by the C11 thread body at *(int *)arg */
static long bytes_seen[NTHREADS]; // expect: false-sharing-atomics

/* negative: per-CPU slots each aligned to their own line */
struct cpu_slot {
    _Alignas(64) atomic_ulong events;
};
static struct cpu_slot per_cpu_padded[MAX_CPUS];

/* negative: a thread-local array is private to each thread */
static _Thread_local long scratch[8];

static atomic_int next_slot;

static void count_event(void)
{
    int cpu = sched_getcpu();
    if (cpu < 0 || cpu >= MAX_CPUS)
        cpu = 0;
    atomic_fetch_add_explicit(&per_cpu_events[cpu], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&per_cpu_padded[sched_getcpu() & (MAX_CPUS - 1)].events, 1,
                              memory_order_relaxed);
}

static int body(void *arg)
{
    int id = *(int *)arg;
    my_slot = atomic_fetch_add(&next_slot, 1) % NTHREADS;
    for (int i = 0; i < 100; i++) {
        atomic_store(&busy[my_slot], 1);
        count_event();
        bytes_seen[id] += 64;
        scratch[i % 8] += i;
        atomic_store(&busy[my_slot], 0);
    }
    return 0;
}

int main(void)
{
    thrd_t t[NTHREADS];
    int ids[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        ids[i] = i;
        thrd_create(&t[i], body, &ids[i]);
    }
    long sum = 0;
    for (int i = 0; i < NTHREADS; i++) {
        thrd_join(t[i], NULL);
        sum += bytes_seen[i];
    }
    printf("%ld %lu\n", sum, atomic_load(&per_cpu_events[0]));
    return 0;
}
