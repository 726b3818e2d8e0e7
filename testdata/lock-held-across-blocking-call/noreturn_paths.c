/* Blocking calls on paths that end the process (a failed check that prints
 * and aborts, a log-and-exit helper, _exit in a forked child) do not block
 * the caller's lock; a call on a path that can still return does. */
#define _GNU_SOURCE
#include <err.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

struct ring { pthread_mutex_t mu; int head, tail, size, fd, mode; long stats[4]; };
static FILE *g_stream;   /* a log file, not stderr */

/* assert-like: print to the log and abort */
#define RING_ASSERT(x) \
    do { \
        if (!(x)) { \
            fprintf(g_stream, "%s:%d: assertion '%s' failed\n", __FILE__, __LINE__, #x); \
            fflush(g_stream); \
            abort(); \
        } \
    } while (0)

/* log and exit: every path ends in exit(), so it never returns */
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(g_stream, fmt, ap);
    va_end(ap);
    fflush(g_stream);
    exit(1);
}

static void ring_check(const struct ring *r)
{
    RING_ASSERT(r->head >= 0 && r->head < r->size);
    RING_ASSERT(r->tail >= 0 && r->tail < r->size);
}

/* negative: the only blocking calls of the helper are in the failed check */
void ring_push(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    ring_check(r);
    r->head = (r->head + 1) % r->size;
    pthread_mutex_unlock(&r->mu);
}

/* negative: the failed check used directly under the lock */
void ring_pop(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    RING_ASSERT(r->tail != r->head);
    r->tail = (r->tail + 1) % r->size;
    pthread_mutex_unlock(&r->mu);
}

static void ring_validate(struct ring *r)
{
    if (r->size <= 0)
        die("ring: bad size %d\n", r->size);
    if (r->fd < 0) {
        fprintf(g_stream, "ring: no descriptor\n");
        die("giving up\n");
    }
}

/* negative: a helper that reaches a log-and-exit helper only to fail */
void ring_reset(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    ring_validate(r);
    r->head = r->tail = 0;
    pthread_mutex_unlock(&r->mu);
}

static void ring_account(struct ring *r)
{
    switch (r->mode) {
    case 0: r->stats[0]++; break;
    case 1: r->stats[1]++; break;
    default:
        fprintf(g_stream, "ring: bad mode %d\n", r->mode);
        abort();
    }
}

/* negative: the bad-mode case prints and aborts */
void ring_count(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    ring_account(r);
    pthread_mutex_unlock(&r->mu);
}

static pid_t spawn_reporter(struct ring *r)
{
    pid_t pid = fork();
    if (pid == 0) {
        dprintf(r->fd, "child\n");
        write(r->fd, "done\n", 5);
        _exit(0);
    }
    return pid;
}

/* negative: the writes are in the child, which ends with _exit */
void ring_spawn(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    pid_t p = spawn_reporter(r);
    r->stats[3] = p;
    pthread_mutex_unlock(&r->mu);
}

static void ring_sync_or_die(struct ring *r)
{
    if (fsync(r->fd) != 0)
        err(1, "fsync");
}

/* positive: fsync returns normally when it succeeds; only the failure exits */
void ring_commit(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    ring_sync_or_die(r);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&r->mu);
}

static void ring_emit(struct ring *r, int bad)
{
    if (bad) {
        write(r->fd, "bad\n", 4);
        abort();
    } else {
        write(r->fd, "ok\n", 3);
    }
}

/* positive: blocks on the path that returns, aborts on the other */
void ring_emit_locked(struct ring *r, int bad)
{
    pthread_mutex_lock(&r->mu);
    ring_emit(r, bad);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&r->mu);
}

/* positive: the print comes before a check that usually passes */
void ring_trace(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    fprintf(g_stream, "head %d tail %d\n", r->head, r->tail);   // expect: lock-held-across-blocking-call
    RING_ASSERT(r->head != r->tail);
    pthread_mutex_unlock(&r->mu);
}

static void warn_or_die(struct ring *r, int fatal)
{
    fprintf(g_stream, "ring %p: overflow\n", (void *)r);
    if (fatal)
        exit(2);
}

/* positive: the helper exits only when asked to */
void ring_overflow(struct ring *r, int fatal)
{
    pthread_mutex_lock(&r->mu);
    warn_or_die(r, fatal);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&r->mu);
}

static void write_retry(struct ring *r, const char *p, size_t n)
{
    while (write(r->fd, p, n) < 0) {
        if (r->mode != 2)
            abort();
    }
}

/* positive: the loop ends when the write succeeds */
void ring_flush(struct ring *r, const char *p, size_t n)
{
    pthread_mutex_lock(&r->mu);
    write_retry(r, p, n);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&r->mu);
}

static int ring_save(struct ring *r)
{
    write(r->fd, r->stats, sizeof r->stats);
    if (r->mode == 3)
        goto out;
    abort();
out:
    return 0;
}

/* positive: a goto may lead to a return */
int ring_save_locked(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    int rc = ring_save(r);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&r->mu);
    return rc;
}

/* a section without blocking work: the lock is not an I/O lock */
int ring_len(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    int n = (r->head - r->tail + r->size) % r->size;
    pthread_mutex_unlock(&r->mu);
    return n;
}
