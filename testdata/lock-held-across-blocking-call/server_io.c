/* A connection table: socket and file I/O under the table lock, and the
 * narrowed versions that copy under the lock and do the I/O after. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn { int fd; unsigned long sent; char peer[64]; };

struct table {
    pthread_mutex_t mu;
    struct conn conns[16];
    int n;
    FILE *audit;
};

/* positive: send() with the table locked */
int table_broadcast_bad(struct table *t, const void *msg, size_t len)
{
    pthread_mutex_lock(&t->mu);
    for (int i = 0; i < t->n; i++) {
        send(t->conns[i].fd, msg, len, 0); // expect: lock-held-across-blocking-call
        t->conns[i].sent += len;
    }
    pthread_mutex_unlock(&t->mu);
    return 0;
}

/* negative: copy the fds under the lock, send after */
int table_broadcast(struct table *t, const void *msg, size_t len)
{
    int fds[16], n;
    pthread_mutex_lock(&t->mu);
    n = t->n;
    for (int i = 0; i < n; i++) {
        fds[i] = t->conns[i].fd;
        t->conns[i].sent += len;
    }
    pthread_mutex_unlock(&t->mu);
    for (int i = 0; i < n; i++)
        send(fds[i], msg, len, 0);
    return 0;
}

/* positive: fprintf to an audit file while holding the table lock */
void table_add_bad(struct table *t, int fd, const char *peer)
{
    pthread_mutex_lock(&t->mu);
    t->conns[t->n].fd = fd;
    strncpy(t->conns[t->n].peer, peer, sizeof t->conns[0].peer - 1);
    t->n++;
    fprintf(t->audit, "add %s\n", peer); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&t->mu);
}

/* negative: close() of an fd is not treated as blocking (it rarely is, and
 * error-path cleanup under a lock is everywhere in real code) */
void table_drop(struct table *t, int i)
{
    pthread_mutex_lock(&t->mu);
    close(t->conns[i].fd);
    t->conns[i] = t->conns[--t->n];
    pthread_mutex_unlock(&t->mu);
}

/* positive: flushing the audit log with the table locked */
void table_checkpoint_bad(struct table *t)
{
    pthread_mutex_lock(&t->mu);
    fprintf(t->audit, "n=%d\n", t->n); // expect: lock-held-across-blocking-call
    fflush(t->audit); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&t->mu);
}

/* negative: once-only initialisation reads a file under the lock */
static int once_done;
static double ticks;
static void read_ticks_once(void)
{
    if (__atomic_exchange_n(&once_done, 1, __ATOMIC_ACQ_REL))
        return;
    FILE *f = fopen("/proc/net/psched", "r");
    if (f) {
        if (fscanf(f, "%lf", &ticks) != 1)
            ticks = 1.0;
        fclose(f);
    }
}

int table_rate(struct table *t)
{
    pthread_mutex_lock(&t->mu);
    read_ticks_once();
    int r = (int)(t->n * ticks);
    pthread_mutex_unlock(&t->mu);
    return r;
}

/* negative: error path that reports and bails out (cold) */
int table_get_fd(struct table *t, int i)
{
    pthread_mutex_lock(&t->mu);
    if (i < 0 || i >= t->n) {
        fprintf(stderr, "table_get_fd: bad index %d\n", i);
        pthread_mutex_unlock(&t->mu);
        return -1;
    }
    int fd = t->conns[i].fd;
    pthread_mutex_unlock(&t->mu);
    return fd;
}
