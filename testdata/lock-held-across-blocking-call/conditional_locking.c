/* Conditional locking (libevent's EVLOCK_LOCK, zstd's I/O pool): the lock is
 * taken and released under the same guard, so between the two guarded
 * blocks it is held whenever it exists. */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

struct io_pool {
    pthread_mutex_t *mu;          /* NULL: single-threaded, no locking */
    pthread_mutex_t jobs_mu;
    int threaded;
    int fd;
    char buf[64];
    size_t len;
};

#define POOL_LOCK(p) do { if ((p)->mu) pthread_mutex_lock((p)->mu); } while (0)
#define POOL_UNLOCK(p) do { if ((p)->mu) pthread_mutex_unlock((p)->mu); } while (0)

/* the sections that do no I/O: the locks are not I/O locks */
void pool_reset(struct io_pool *p)
{
    if (p->mu) pthread_mutex_lock(p->mu);
    p->len = 0;
    p->buf[0] = 0;
    if (p->mu) pthread_mutex_unlock(p->mu);
    if (p->threaded) pthread_mutex_lock(&p->jobs_mu);
    p->len = 0;
    p->buf[0] = 0;
    if (p->threaded) pthread_mutex_unlock(&p->jobs_mu);
}

/* libevent: if (lock) lock; ... if (lock) unlock */
void pool_flush(struct io_pool *p, char c)
{
    pthread_mutex_t *lock = p->mu;
    if (lock) pthread_mutex_lock(lock);
    p->buf[p->len % sizeof p->buf] = c;
    p->len++;
    if (lock) pthread_mutex_unlock(lock);
    if (lock) pthread_mutex_lock(lock);
    write(p->fd, p->buf, p->len); // expect: lock-held-across-blocking-call
    p->len = 0;
    if (lock) pthread_mutex_unlock(lock);
    write(p->fd, "\n", 1);      /* after the guarded unlock: no lock on any path */
}

/* a field as the guard, through do { } while (0) macros */
void pool_send(struct io_pool *p)
{
    POOL_LOCK(p);
    p->len++;
    send(p->fd, p->buf, p->len, 0); // expect: lock-held-across-blocking-call
    POOL_UNLOCK(p);
    fsync(p->fd);
}

/* zstd: a flag guards an embedded mutex; != NULL / == NULL forms */
void pool_log(struct io_pool *p, FILE *out)
{
    if (p->threaded) pthread_mutex_lock(&p->jobs_mu);
    p->len = 2;
    usleep(10); // expect: lock-held-across-blocking-call
    if (p->threaded) pthread_mutex_unlock(&p->jobs_mu);
    if (p->mu != NULL) pthread_mutex_lock(p->mu);
    p->len = 1;
    if (p->mu == NULL) fputs("unlocked path\n", out);   /* no lock exists here */
    else fputs("locked path\n", out); // expect: lock-held-across-blocking-call
    if (p->mu != NULL) pthread_mutex_unlock(p->mu);
}

/* the guard is reassigned in between: only maybe held, not reported */
void pool_swap(struct io_pool *p, pthread_mutex_t *other)
{
    pthread_mutex_t *lock = p->mu;
    if (lock) pthread_mutex_lock(lock);
    p->len = 3;
    lock = other;
    write(p->fd, p->buf, p->len);
    if (lock) pthread_mutex_unlock(lock);
}
