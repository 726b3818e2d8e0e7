/* Arrays indexed by an "id" that names an item, not a thread: the dedupe
 * bitmap of a stress test or a "done" table filled by worker threads.  The
 * index's source decides, not its name.  A real per-thread id kept in a
 * local of the same name is still found. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define NITEMS 4096
#define NWORKERS 8

struct queue;
void *queue_pop(struct queue *q);

static struct queue *jobs;

/* negative: which items were consumed, indexed by the item's own id */
static atomic_uchar seen[NITEMS];

/* negative: per-request completion flags, indexed by the request id */
struct request { uint32_t id; int status; };
static atomic_int done[NITEMS];

struct worker { int id; struct queue *q; };

/* positive: per-worker hit counters, the worker's id read from its argument */
static atomic_long hits[NWORKERS];   // expect: false-sharing-atomics

static void *consumer(void *arg)
{
    (void)arg;
    void *it;
    while ((it = queue_pop(jobs)) != NULL) {
        uintptr_t id = (uintptr_t)it - 1;
        atomic_store(&seen[id], 1);
    }
    return NULL;
}

static void *handler(void *arg)
{
    (void)arg;
    struct request *r;
    while ((r = queue_pop(jobs)) != NULL) {
        unsigned id = r->id % NITEMS;
        atomic_store_explicit(&done[id], r->status, memory_order_release);
    }
    return NULL;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    int id = w->id;
    while (queue_pop(w->q) != NULL) atomic_fetch_add(&hits[id], 1);
    return NULL;
}

void start(struct worker *ws)
{
    pthread_t t;
    pthread_create(&t, NULL, consumer, NULL); // expect: thread-leak
    pthread_create(&t, NULL, handler, NULL);
    for (int i = 0; i < NWORKERS; i++) pthread_create(&t, NULL, worker_main, &ws[i]);
}

/* positive: the thread's own record from thread-specific data */
struct tctx { int id; };
static pthread_key_t tctx_key;
static atomic_long served[NWORKERS];   // expect: false-sharing-atomics

static void *tsd_worker(void *arg)
{
    (void)arg;
    struct tctx *me = pthread_getspecific(tctx_key);
    while (queue_pop(jobs) != NULL) atomic_fetch_add(&served[me->id], 1);
    return NULL;
}

void start_tsd(void)
{
    pthread_t t;
    pthread_create(&t, NULL, tsd_worker, NULL); // expect: thread-leak
}

/* negative: a table of watcher pointers written by the logger thread at
 * the watcher's own id (memcached's logger.c shape): the id names the
 * watcher, handed to the helper from the global table, not the thread */
struct watcher { int id; int fd; };
#define NWATCHERS 20
static struct watcher *watchers[NWATCHERS];

static void close_watcher(struct watcher *w)
{
    watchers[w->id] = NULL;
}

static void *logger_thread(void *arg)
{
    (void)arg;
    for (int x = 0; x < NWATCHERS; x++) {
        struct watcher *w = watchers[x];
        if (w && w->fd < 0) close_watcher(w);
    }
    return NULL;
}

/* positive: helpers handed the thread's own record, or its id, by the
 * thread body: per-thread slots through one call */
struct lane { int id; };
static atomic_long lane_bytes[NWORKERS];   // expect: false-sharing-atomics
static atomic_long lane_pkts[NWORKERS];    // expect: false-sharing-atomics

static void account_bytes(struct lane *l, long n)
{
    atomic_fetch_add(&lane_bytes[l->id], n);
}

static void account_pkt(int id)
{
    atomic_fetch_add(&lane_pkts[id], 1);
}

static void *lane_main(void *arg)
{
    struct lane *l = arg;
    while (queue_pop(jobs) != NULL) {
        account_bytes(l, 64);
        account_pkt(l->id);
    }
    return NULL;
}

void start_more(struct lane *lanes)
{
    pthread_t t;
    pthread_create(&t, NULL, logger_thread, NULL); // expect: thread-leak
    for (int i = 0; i < NWORKERS; i++) pthread_create(&t, NULL, lane_main, &lanes[i]);
}

/* negative: a record received by value into a local, marked by its id */
struct rec { uint32_t id; uint32_t len; };
int recv_rec(struct queue *q, struct rec *out);
static atomic_uchar rec_seen[NITEMS];

static void *rec_consumer(void *arg)
{
    (void)arg;
    struct rec r;
    while (recv_rec(jobs, &r) == 0) atomic_store(&rec_seen[r.id % NITEMS], 1);
    return NULL;
}

/* positive: the thread's own record filled in by a call, named for it */
struct tinfo { int idx; };
void get_thread_info(struct tinfo *out);
static atomic_long polls[NWORKERS];   // expect: false-sharing-atomics

static void *poll_main(void *arg)
{
    (void)arg;
    struct tinfo me;
    get_thread_info(&me);
    while (queue_pop(jobs) != NULL) atomic_fetch_add(&polls[me.idx], 1);
    return NULL;
}

void start_rec(void)
{
    pthread_t t;
    pthread_create(&t, NULL, rec_consumer, NULL); // expect: thread-leak
    pthread_create(&t, NULL, poll_main, NULL);
}
