/* Arrays of small structs with atomics: slot arrays in globals and struct members. */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>

#define NWORKERS 4

/* one atomic per slot: the struct is fine, the array is the problem */
struct slot {
    atomic_int state;
    int owner;
};

/* positive: 8-byte slots, one per worker, 8 to a line */
static struct slot slots[NWORKERS]; // expect: false-sharing-atomics

/* positive: a struct member array of per-worker progress words */
struct pool {
    int nworkers;
    atomic_ulong progress[NWORKERS]; // expect: false-sharing-atomics
    struct slot *spare;
};

/* positive: the element type is the problem - reported once, at the type,
 * not again at the array below */
typedef struct { // expect: false-sharing-atomics
    atomic_long enqueued;
    atomic_long dequeued;
} lane_t;
static lane_t lanes[NWORKERS];

/* negative: each element padded to a full line by hand */
struct padded_slot {
    atomic_int state;
    char pad[60];
};
static struct padded_slot padded_slots[NWORKERS];

/* negative: 128-byte elements (two lines each) */
struct big_slot {
    alignas(128) atomic_long value;
};
static struct big_slot big_slots[NWORKERS];

/* negative: a member array written by one thread only, at a constant */
struct ctl {
    atomic_int phase[4];
};
static struct ctl g_ctl;

static struct pool g_pool = { .nworkers = NWORKERS };

struct worker_arg {
    int wid;
    struct pool *pool;
};

#define MARK_BUSY(i) atomic_store(&slots[(i)].state, 1)
#define MARK_IDLE(i) atomic_store(&slots[(i)].state, 0)

static void lane_in(int worker) { atomic_fetch_add(&lanes[worker].enqueued, 1); }
static void lane_out(int worker) { atomic_fetch_add(&lanes[worker].dequeued, 1); }

static void *worker(void *arg)
{
    struct worker_arg *wa = arg;
    for (int i = 0; i < 100; i++) {
        MARK_BUSY(wa->wid);
        atomic_fetch_add_explicit(&wa->pool->progress[wa->wid], 1, memory_order_relaxed);
        atomic_fetch_add(&padded_slots[wa->wid].state, 1);
        atomic_fetch_add(&big_slots[wa->wid].value, 1);
        lane_in(wa->wid);
        lane_out(wa->wid);
        MARK_IDLE(wa->wid);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[NWORKERS];
    struct worker_arg args[NWORKERS];
    atomic_store(&g_ctl.phase[0], 1);
    for (int i = 0; i < NWORKERS; i++) {
        args[i].wid = i;
        args[i].pool = &g_pool;
        pthread_create(&t[i], NULL, worker, &args[i]);
    }
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    atomic_store(&g_ctl.phase[1], 1);
    printf("%lu\n", atomic_load(&g_pool.progress[0]));
    return 0;
}
