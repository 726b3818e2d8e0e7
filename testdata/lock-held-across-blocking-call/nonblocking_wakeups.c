/* A wake-up write of a few bytes to a self-pipe or eventfd made
 * non-blocking cannot block, lock held or not; the same write to a
 * descriptor left blocking, or a large write, can. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

struct pool {
    pthread_mutex_t mu;
    int wake_fd[2];      /* pipe2(O_NONBLOCK) */
    int plain_fd[2];     /* pipe(): blocking */
    int cloexec_fd[2];   /* pipe2(O_CLOEXEC): blocking */
    int efd;             /* eventfd(EFD_NONBLOCK) */
    int notify_fd;       /* eventfd(EFD_CLOEXEC): blocking */
    int sock;            /* fcntl(F_SETFL, | O_NONBLOCK) */
    int peer;            /* fcntl(F_SETFL, & ~O_NONBLOCK): made blocking */
    int dgram;           /* socket(SOCK_NONBLOCK) */
    int fifo;            /* open(O_NONBLOCK) */
    int wake_r, wake_w;  /* copied from a local pipe2(O_NONBLOCK) pair */
    int slow_w;          /* copied from a local pipe() pair */
    int pending;
};

static int g_wake;       /* eventfd(EFD_NONBLOCK) */

int pool_init(struct pool *p, const char *fifo)
{
    if (pipe2(p->wake_fd, O_NONBLOCK | O_CLOEXEC) < 0) return -1;
    if (pipe(p->plain_fd) < 0) return -1;
    if (pipe2(p->cloexec_fd, O_CLOEXEC) < 0) return -1;
    if ((p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) return -1;
    p->notify_fd = eventfd(0, EFD_CLOEXEC);
    g_wake = eventfd(0, EFD_NONBLOCK);
    int fl = fcntl(p->sock, F_GETFL, 0);
    if (fl < 0 || fcntl(p->sock, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
    fl = fcntl(p->peer, F_GETFL, 0);
    fcntl(p->peer, F_SETFL, fl & ~O_NONBLOCK);
    p->dgram = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    p->fifo = open(fifo, O_WRONLY | O_NONBLOCK);
    int fds[2], slow[2];
    if (pipe2(fds, O_NONBLOCK) < 0 || pipe(slow) < 0) return -1;
    p->wake_r = fds[0];
    p->wake_w = fds[1];
    p->slow_w = slow[1];
    return 0;
}

static void pool_wake(struct pool *pool)
{
    char c = 1;
    (void)write(pool->wake_fd[1], &c, 1);
}

/* negative: self-pipe made with pipe2(O_NONBLOCK), through a helper */
void pool_submit(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->pending++;
    pool_wake(p);
    pthread_mutex_unlock(&p->mu);
}

/* negative: eventfd made with EFD_NONBLOCK, written directly */
void pool_submit_efd(struct pool *s)
{
    uint64_t one = 1;
    pthread_mutex_lock(&s->mu);
    s->pending++;
    (void)write(s->efd, &one, sizeof one);
    pthread_mutex_unlock(&s->mu);
}

/* negative: a global eventfd, sizeof of the type */
void pool_kick(struct pool *p)
{
    uint64_t one = 1;
    pthread_mutex_lock(&p->mu);
    p->pending++;
    (void)write(g_wake, &one, sizeof(uint64_t));
    pthread_mutex_unlock(&p->mu);
}

/* negative: a socket made non-blocking with fcntl, one byte */
void pool_ping(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->pending++;
    (void)write(p->sock, "p", 1);
    pthread_mutex_unlock(&p->mu);
}

/* negative: socket(SOCK_NONBLOCK) */
void pool_note(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    (void)write(p->dgram, "!", 1);
    pthread_mutex_unlock(&p->mu);
}

/* negative: a FIFO opened with O_NONBLOCK */
void pool_tick(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->pending--;
    (void)write(p->fifo, "\n", 1);
    pthread_mutex_unlock(&p->mu);
}

/* negative: the non-blocking pair was made in a local and copied */
void pool_signal(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->pending++;
    (void)write(p->wake_w, "w", 1);
    pthread_mutex_unlock(&p->mu);
}

/* positive: copied from a blocking pipe() */
void pool_signal_slow(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->pending++;
    (void)write(p->slow_w, "w", 1);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&p->mu);
}

static void pool_wake_plain(struct pool *p)
{
    (void)write(p->plain_fd[1], "x", 1);
}

/* positive: a self-pipe made with plain pipe() blocks when full */
void pool_submit_plain(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->pending++;
    pool_wake_plain(p);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&p->mu);
}

/* positive: pipe2 without O_NONBLOCK */
void pool_submit_cloexec(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->pending++;
    (void)write(p->cloexec_fd[1], "x", 1);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&p->mu);
}

/* positive: eventfd without EFD_NONBLOCK blocks at the counter's maximum */
void pool_notify(struct pool *p)
{
    uint64_t one = 1;
    pthread_mutex_lock(&p->mu);
    p->pending++;
    (void)write(p->notify_fd, &one, sizeof one);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&p->mu);
}

/* positive: fcntl cleared O_NONBLOCK */
void pool_ping_peer(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    (void)write(p->peer, "p", 1);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&p->mu);
}

/* positive: a large write to the non-blocking socket is a transfer, not a
 * wake-up (and a short write under the lock is the next bug) */
void pool_send(struct pool *p, const char *buf)
{
    pthread_mutex_lock(&p->mu);
    (void)write(p->sock, buf, 4096);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&p->mu);
}

/* positive: a size known only at run time */
void pool_send_n(struct pool *p, const char *buf, size_t n)
{
    pthread_mutex_lock(&p->mu);
    (void)write(p->efd, buf, n);   // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&p->mu);
}

/* a section without blocking work: the lock is not an I/O lock */
int pool_pending(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    int n = p->pending;
    pthread_mutex_unlock(&p->mu);
    return n;
}
