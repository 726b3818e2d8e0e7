/* Per-thread stats arrays indexed by a worker id (pthreads): the commonest false sharing. */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define NWORKERS 8
#define NBUCKETS 64

struct worker {
    int id;
    pthread_t thread;
    unsigned long jobs;
};

/* positive: atomics, 8 slots per line, bumped at the worker's own id */
static atomic_long hits[NWORKERS]; // expect: false-sharing-atomics

/* positive: small plain structs indexed by self->idx */
struct reqstats {
    long requests;
    long bytes;
};
static struct reqstats stats[NWORKERS]; // expect: false-sharing-atomics

/* positive: plain integers, written from the thread body at (long)arg */
static unsigned long loops_done[NWORKERS]; // expect: false-sharing-atomics

/* negative: every slot on its own line */
struct padded_counter {
    alignas(64) atomic_long n;
};
static struct padded_counter padded_hits[NWORKERS];

/* negative: totals written by main after the join, in a loop over all slots */
static long totals[NWORKERS];

/* negative: indexed by a hash, not by a thread id (a striped table) */
static atomic_uint buckets[NBUCKETS];

/* negative: read per thread, written once before the threads start */
static int limits[NWORKERS];

struct self_info {
    int idx;
};

static void account(struct self_info *self, long n)
{
    stats[self->idx].requests++;
    stats[self->idx].bytes += n;
}

static unsigned hash(const char *s)
{
    unsigned h = 5381;
    while (*s) h = h * 33u + (unsigned char)*s++;
    return h;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct self_info self = { .idx = w->id };
    for (int i = 0; i < limits[w->id]; i++) {
        atomic_fetch_add_explicit(&hits[w->id], 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&padded_hits[w->id].n, 1, memory_order_relaxed);
        atomic_fetch_add(&buckets[hash("key") % NBUCKETS], 1);
        account(&self, 100);
        w->jobs++;
    }
    return NULL;
}

static void *spinner(void *arg)
{
    long id = (long)(intptr_t)arg;
    for (int i = 0; i < 1000; i++)
        loops_done[id]++;
    return NULL;
}

int main(void)
{
    struct worker ws[NWORKERS];
    pthread_t spin[NWORKERS];
    for (int i = 0; i < NWORKERS; i++) {
        limits[i] = 1000;
        ws[i].id = i;
        ws[i].jobs = 0;
        pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]);
        pthread_create(&spin[i], NULL, spinner, (void *)(intptr_t)i);
    }
    for (int i = 0; i < NWORKERS; i++) {
        pthread_join(ws[i].thread, NULL);
        pthread_join(spin[i], NULL);
    }
    for (int i = 0; i < NWORKERS; i++)
        totals[i] = atomic_load(&hits[i]) + stats[i].requests + (long)loops_done[i];
    printf("%ld\n", totals[0]);
    return 0;
}
