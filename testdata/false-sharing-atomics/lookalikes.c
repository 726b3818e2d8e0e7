/* Look-alikes of per-thread slots that are not: table positions, ring history, set-up loops. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define NOPTS 16
#define HIST 8
#define NWORKERS 4

/* negative: an options table indexed by 'idx', written by a non-thread API */
struct opt_entry {
    int code;
    int len;
    unsigned char present;
};
struct opt_table {
    struct opt_entry entries[NOPTS];
};
static struct opt_table g_opts;

/* negative: a rotating history of samples, position from a ticket counter */
struct rxq {
    atomic_uint pos;
    atomic_ullong cycles[HIST];
};
static struct rxq g_rxq;

/* negative: per-worker plain counters, but written from main only */
static long planned[NWORKERS];

/* negative: the thread writes every slot in a loop (a reset, not a per-thread slot) */
static atomic_long gauges[NWORKERS];

/* negative: a slot id picked per call with a ticket - a round-robin pool */
static atomic_int rr_pool[NWORKERS];
static atomic_uint rr_next;

static void opt_add(unsigned idx, int code, int len)
{
    g_opts.entries[idx].code = code;
    g_opts.entries[idx].len = len;
    g_opts.entries[idx].present = 1;
}

static void sample(struct rxq *rx, unsigned long long c)
{
    unsigned idx = atomic_fetch_add(&rx->pos, 1) % HIST;
    atomic_store_explicit(&rx->cycles[idx], c, memory_order_relaxed);
}

static void plan(int worker_id, long n)
{
    planned[worker_id] = n;
}

static void *poller(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        sample(&g_rxq, (unsigned long long)i);
        for (int slot = 0; slot < NWORKERS; slot++)
            atomic_store(&gauges[slot], 0);
        unsigned slot = atomic_fetch_add(&rr_next, 1) % NWORKERS;
        atomic_fetch_add(&rr_pool[slot], 1);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    memset(&g_opts, 0, sizeof g_opts);
    opt_add(3, 42, 4);
    for (int i = 0; i < NWORKERS; i++)
        plan(i, 10 * i);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, poller, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("%d %ld\n", g_opts.entries[3].code, planned[1]);
    return 0;
}
