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

/* The state can sit in a helper called only under the lock: the sequence
 * number log_emit bumps is read by code outside the lock's sections. */
static pthread_mutex_t audit_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long audit_seq;
static FILE *audit_fp;

static void audit_emit(const char *m)
{
    audit_seq++;
    fprintf(audit_fp, "%lu %s\n", audit_seq, m);
}

void audit(const char *m)
{
    pthread_mutex_lock(&audit_mu);
    audit_emit(m); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&audit_mu);
}

unsigned long audit_count(void)
{
    return audit_seq;
}

/* ... while a helper whose counter nothing else reads keeps the lock an
 * output lock. */
static pthread_mutex_t echo_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned echo_lines;

static void echo_emit(const char *m)
{
    echo_lines++;
    printf("[%u] %s\n", echo_lines, m);
}

void echo(const char *m)
{
    pthread_mutex_lock(&echo_mu);
    echo_emit(m);
    pthread_mutex_unlock(&echo_mu);
}

/* Two locks whose sections both print and bump one counter: the counter is
 * state each lock's sections share with the other's, so neither is only an
 * output lock. */
static pthread_mutex_t left_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t right_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long printed;

void print_left(const char *m)
{
    pthread_mutex_lock(&left_mu);
    printed++;
    printf("< %s\n", m); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&left_mu);
}

void print_right(const char *m)
{
    pthread_mutex_lock(&right_mu);
    printed++;
    printf("> %s\n", m); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&right_mu);
}
