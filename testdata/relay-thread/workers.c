/* relay-thread: receiving threads that do more than relay one value. */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct sl_chan sl_chan;
typedef struct sl_ctx sl_ctx;
int sl_chan_recv(sl_chan *ch, void **item, sl_ctx *ctx, long timeout_ns);
int sl_chan_send(sl_chan *ch, void *item, sl_ctx *ctx, long timeout_ns);

struct stats {
    pthread_mutex_t lock;
    long total;
    long count;
    int last;
    time_t last_at;
};

static int in_pipe[2];
static int out_fd;
static struct stats stats;
static int got_one;
static sl_chan *stage_in, *stage_out;
static int listen_fd;
extern void apply_setting(int v);

/* processes each value */
static void *processor(void *arg)
{
    int v;
    (void)arg;
    while (read(in_pipe[0], &v, sizeof v) == sizeof v)
        apply_setting(v);
    return NULL;
}

/* updates two fields together */
static void *stamped(void *arg)
{
    int v;
    (void)arg;
    while (read(in_pipe[0], &v, sizeof v) == sizeof v) {
        pthread_mutex_lock(&stats.lock);
        stats.last = v;
        stats.last_at = time(NULL);
        pthread_mutex_unlock(&stats.lock);
    }
    return NULL;
}

/* a pipeline stage forwards to the next channel */
static void *stage(void *arg)
{
    void *p;
    (void)arg;
    while (sl_chan_recv(stage_in, &p, NULL, -1) == 0)
        sl_chan_send(stage_out, p, NULL, -1);
    return NULL;
}

/* a running aggregate needs the lock */
static void *summer(void *arg)
{
    int v;
    (void)arg;
    while (read(in_pipe[0], &v, sizeof v) == sizeof v) {
        pthread_mutex_lock(&stats.lock);
        stats.total += v; // expect: mutex-guarded-counter
        pthread_mutex_unlock(&stats.lock);
    }
    return NULL;
}

static void *counter(void *arg)
{
    int v;
    (void)arg;
    while (read(in_pipe[0], &v, sizeof v) == sizeof v)
        stats.count = stats.count + 1;
    return NULL;
}

/* writes output */
static void *echo(void *arg)
{
    char buf[256];
    ssize_t n;
    (void)arg;
    while ((n = read(in_pipe[0], buf, sizeof buf)) > 0)
        write(out_fd, buf, (size_t)n);
    return NULL;
}

/* stores a constant: a flag, not the value */
static void *notifier(void *arg)
{
    char c;
    (void)arg;
    while (read(in_pipe[0], &c, 1) == 1)
        got_one = 1;
    return NULL;
}

static void *handler(void *arg)
{
    (void)arg;
    return NULL;
}

/* an accept loop spawns handlers */
static void *acceptor(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) break;
        pthread_t t;
        pthread_create(&t, NULL, handler, (void *)(long)fd); // expect: unbounded-thread-spawn
        pthread_detach(t);
    }
    return NULL;
}

/* the same loop in a function that is no thread entry */
void drain_once(void)
{
    int v;
    while (read(in_pipe[0], &v, sizeof v) == sizeof v)
        stats.last = v;
}

/* a thread that logs what it relays */
static void *logged(void *arg)
{
    int v;
    (void)arg;
    while (read(in_pipe[0], &v, sizeof v) == sizeof v) {
        stats.last = v;
        fprintf(stderr, "level %d\n", v);
    }
    return NULL;
}

/* stores into the element the value picks: a per-item record, not one variable */
static int status_of[64];

static void *per_item(void *arg)
{
    int v;
    (void)arg;
    while (read(in_pipe[0], &v, sizeof v) == sizeof v)
        status_of[v & 63] = v;
    return NULL;
}

void start_workers(void)
{
    pthread_t t;
    pthread_create(&t, NULL, processor, NULL); // expect: thread-leak
    pthread_create(&t, NULL, stamped, NULL);
    pthread_create(&t, NULL, stage, NULL);
    pthread_create(&t, NULL, summer, NULL);
    pthread_create(&t, NULL, counter, NULL);
    pthread_create(&t, NULL, echo, NULL);
    pthread_create(&t, NULL, notifier, NULL);
    pthread_create(&t, NULL, acceptor, NULL);
    pthread_create(&t, NULL, logged, NULL);
    pthread_create(&t, NULL, per_item, NULL);
}
