/* Structs of C11 atomics: fields on one line written by different functions, and correct layouts. */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* positive: the seed's ConnState - status and byte count on one line */
struct conn_state { // expect: false-sharing-atomics
    atomic_int status;
    atomic_long bytes;
};

/* positive: single-producer/single-consumer ring, head and tail share a line */
typedef struct { // expect: false-sharing-atomics
    _Atomic unsigned head;
    _Atomic unsigned tail;
    void *items[256];
} ring_t;

/* negative: the same ring with each index on its own line */
typedef struct {
    alignas(64) _Atomic unsigned head;
    alignas(64) _Atomic unsigned tail;
    void *items[256];
} padded_ring_t;

/* negative: manual padding pushes the second counter to the next line */
struct padded_stats {
    atomic_ulong accepted;
    char pad[64 - sizeof(atomic_ulong)];
    atomic_ulong rejected;
};

/* negative: both atomics written by one function only (true sharing, not false) */
struct req_meter {
    atomic_long count;
    atomic_long total_ns;
};

/* negative: one atomic; the plain fields are set once at start-up */
struct server {
    atomic_bool stopping;
    int port;
    int backlog;
};

/* negative: the init function writes both, a single worker writes one */
struct job_counters {
    atomic_uint started;
    atomic_uint finished;
};

static struct conn_state g_conn;
static ring_t g_ring;
static padded_ring_t g_pring;
static struct padded_stats g_pstats;
static struct req_meter g_meter;
static struct server g_server = { .port = 8080 };
static struct job_counters *g_jobs;

static void conn_set_status(struct conn_state *c, int s)
{
    atomic_store_explicit(&c->status, s, memory_order_release);
}

static void conn_account(struct conn_state *c, long n)
{
    atomic_fetch_add_explicit(&c->bytes, n, memory_order_relaxed);
}

static bool ring_push(ring_t *r, void *p)
{
    unsigned h = atomic_load_explicit(&r->head, memory_order_relaxed);
    if (h - atomic_load_explicit(&r->tail, memory_order_acquire) == 256)
        return false;
    r->items[h % 256] = p;
    atomic_store_explicit(&r->head, h + 1, memory_order_release);
    return true;
}

static void *ring_pop(ring_t *r)
{
    unsigned t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    if (t == atomic_load_explicit(&r->head, memory_order_acquire))
        return NULL;
    void *p = r->items[t % 256];
    atomic_store_explicit(&r->tail, t + 1, memory_order_release);
    return p;
}

static bool pring_push(padded_ring_t *r, void *p)
{
    unsigned h = atomic_load(&r->head);
    if (h - atomic_load(&r->tail) == 256)
        return false;
    r->items[h % 256] = p;
    atomic_store(&r->head, h + 1);
    return true;
}

static void *pring_pop(padded_ring_t *r)
{
    unsigned t = atomic_load(&r->tail);
    if (t == atomic_load(&r->head))
        return NULL;
    void *p = r->items[t % 256];
    atomic_store(&r->tail, t + 1);
    return p;
}

static void on_accept(bool ok)
{
    if (ok)
        atomic_fetch_add(&g_pstats.accepted, 1);
    else
        atomic_fetch_add(&g_pstats.rejected, 1);
}

static void reject(void)
{
    atomic_fetch_add(&g_pstats.rejected, 1);
}

static void meter_record(struct req_meter *m, long ns)
{
    atomic_fetch_add(&m->count, 1);
    atomic_fetch_add(&m->total_ns, ns);
}

static struct job_counters *job_counters_create(void)
{
    struct job_counters *jc = malloc(sizeof *jc);
    if (!jc)
        return NULL;
    atomic_init(&jc->started, 0);
    atomic_init(&jc->finished, 0);
    return jc;
}

static void job_counters_reset(struct job_counters *jc)
{
    atomic_store(&jc->started, 0);
    atomic_store(&jc->finished, 0);
}

static void job_start(struct job_counters *jc)
{
    atomic_fetch_add(&jc->started, 1);
}

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        while (!ring_push(&g_ring, &g_ring))
            ;
        while (!pring_push(&g_pring, &g_pring))
            ;
        conn_account(&g_conn, 512);
        meter_record(&g_meter, 100);
        job_start(g_jobs);
        on_accept(i % 3 != 0);
    }
    atomic_store(&g_server.stopping, true);
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    int got = 0;
    while (got < 1000) {
        if (ring_pop(&g_ring))
            got++;
        (void)pring_pop(&g_pring);
    }
    conn_set_status(&g_conn, 2);
    reject();
    return NULL;
}

int main(void)
{
    pthread_t p, c;
    g_jobs = job_counters_create();
    if (!g_jobs)
        return 1;
    job_counters_reset(g_jobs);
    g_server.backlog = 128;
    pthread_create(&p, NULL, producer, NULL);
    pthread_create(&c, NULL, consumer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("%d %d\n", g_server.port, atomic_load(&g_conn.status));
    free(g_jobs);
    return 0;
}
