/* relay-thread: threads whose loop only receives a value and stores it
 * into one shared variable. */
#include <mqueue.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/socket.h>
#include <threads.h>
#include <unistd.h>

typedef struct sl_chan sl_chan;
typedef struct sl_ctx sl_ctx;
int sl_chan_recv(sl_chan *ch, void **item, sl_ctx *ctx, long timeout_ns);

struct config;
struct queue;
struct config *queue_pop(struct queue *q);

struct reading { int temp; int humidity; };
struct station {
    int sock;
    int last_temp;
    struct config *current;
    sl_chan *updates;
    struct queue *incoming;
};

struct mailbox {
    pthread_mutex_t lock;
    pthread_cond_t full_cond;
    int full;
    int val;
};

static int level_pipe[2];
static int current_level;
static atomic_int atomic_level;
static long mq_latest;
static mqd_t mq;
static pthread_mutex_t level_lock = PTHREAD_MUTEX_INITIALIZER;
static int guarded_level;
static struct mailbox mb;
static int mb_copy;

#define PUBLISH(x) (current_level = (x))

static void *level_relay(void *arg)
{
    int v;
    (void)arg;
    while (read(level_pipe[0], &v, sizeof v) == sizeof v)
        current_level = v; // expect: relay-thread
    return NULL;
}

static void *temp_relay(void *arg)
{
    struct station *st = arg;
    struct reading r;
    for (;;) {
        ssize_t n = recv(st->sock, &r, sizeof r, 0);
        if (n <= 0) {
            close(st->sock);
            break;
        }
        st->last_temp = r.temp; // expect: relay-thread
    }
    return NULL;
}

static void *config_relay(void *arg)
{
    struct station *st = arg;
    void *p;
    while (sl_chan_recv(st->updates, &p, NULL, -1) == 0)
        st->current = p; // expect: relay-thread
    return NULL;
}

static void *atomic_relay(void *arg)
{
    int v;
    (void)arg;
    while (read(level_pipe[0], &v, sizeof v) > 0)
        atomic_store(&atomic_level, v); // expect: relay-thread
    return NULL;
}

/* the C11 spelling, from a message queue */
static int mq_relay(void *arg)
{
    long v;
    (void)arg;
    for (;;) {
        if (mq_receive(mq, (char *)&v, sizeof v, NULL) < 0) goto out;
        mq_latest = v; // expect: relay-thread
    }
out:
    return 0;
}

/* a lock around the store is still only a relay */
static void *locked_relay(void *arg)
{
    int v;
    (void)arg;
    while (read(level_pipe[0], &v, sizeof v) == sizeof v) {
        pthread_mutex_lock(&level_lock);
        guarded_level = v; // expect: relay-thread
        pthread_mutex_unlock(&level_lock);
    }
    return NULL;
}

/* a condvar mailbox: wait for a value, take it, store it */
static void *mailbox_relay(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&mb.lock);
        while (!mb.full)
            pthread_cond_wait(&mb.full_cond, &mb.lock);
        int v = mb.val;
        mb.full = 0;
        pthread_mutex_unlock(&mb.lock);
        mb_copy = v; // expect: relay-thread
    }
    return NULL;
}

static void *queue_relay(void *arg)
{
    struct station *st = arg;
    struct config *c;
    while ((c = queue_pop(st->incoming)) != NULL)
        st->current = c; // expect: relay-thread
    return NULL;
}

static void *macro_relay(void *arg)
{
    int v;
    (void)arg;
    while (read(level_pipe[0], &v, sizeof v) == sizeof v)
        PUBLISH(v); // expect: relay-thread
    return NULL;
}

void start_relays(struct station *st)
{
    pthread_t t;
    thrd_t c11;
    pthread_create(&t, NULL, level_relay, NULL); // expect: thread-leak
    pthread_create(&t, NULL, temp_relay, st);
    pthread_create(&t, NULL, config_relay, st);
    pthread_create(&t, NULL, atomic_relay, NULL);
    thrd_create(&c11, mq_relay, NULL); // expect: thread-leak
    pthread_create(&t, NULL, locked_relay, NULL);
    pthread_create(&t, NULL, mailbox_relay, NULL);
    pthread_create(&t, NULL, queue_relay, st);
    pthread_create(&t, NULL, macro_relay, NULL);
}
