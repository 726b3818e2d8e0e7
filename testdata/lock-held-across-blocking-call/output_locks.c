/* A lock is an output lock only when its sections do nothing but format and
 * write output.  One that also guards state other code reads is reported,
 * whatever its name; sleeps, syncs and joins are never an output lock's job. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_fp;
static unsigned long log_seq;

/* log_mu also guards log_seq, which log_count reads: not only output */
void log_line(const char *msg)
{
    pthread_mutex_lock(&log_mu);
    log_seq++;
    fprintf(log_fp, "%lu %s\n", log_seq, msg); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&log_mu);
}

unsigned long log_count(void)
{
    pthread_mutex_lock(&log_mu);
    unsigned long n = log_seq;
    pthread_mutex_unlock(&log_mu);
    return n;
}

/* A pure output lock: every section formats and writes, nothing else. */
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

void out_line(const char *msg)
{
    pthread_mutex_lock(&out_mu);
    fputs(msg, stdout);
    fflush(stdout);
    pthread_mutex_unlock(&out_mu);
}

void out_pair(const char *k, const char *v)
{
    pthread_mutex_lock(&out_mu);
    printf("%s=%s\n", k, v);
    pthread_mutex_unlock(&out_mu);
}

/* ... but a sleep or a sync under it is reported anyway. */
void out_throttled(const char *msg)
{
    pthread_mutex_lock(&out_mu);
    fputs(msg, stdout);
    usleep(100); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&out_mu);
}

void out_durable(int fd, const char *msg)
{
    pthread_mutex_lock(&out_mu);
    if (write(fd, msg, 1) > 0)
        fsync(fd); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&out_mu);
}

/* An output lock whose line counter lives only inside its sections is still
 * an output lock: the counter is part of the output. */
static pthread_mutex_t trace_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned trace_lines;

void trace(const char *msg)
{
    pthread_mutex_lock(&trace_mu);
    trace_lines++;
    fprintf(stderr, "[%u] %s\n", trace_lines, msg);
    pthread_mutex_unlock(&trace_mu);
}

/* A connection lock named for I/O still guards the connection's state. */
struct conn { pthread_mutex_t io_lock; int fd; int state; long sent; };

void conn_send(struct conn *c, const char *buf, size_t n)
{
    pthread_mutex_lock(&c->io_lock);
    ssize_t w = write(c->fd, buf, n); // expect: lock-held-across-blocking-call
    if (w > 0)
        c->sent += w;
    pthread_mutex_unlock(&c->io_lock);
}

int conn_state(struct conn *c)
{
    pthread_mutex_lock(&c->io_lock);
    int s = c->state;
    pthread_mutex_unlock(&c->io_lock);
    return s;
}
