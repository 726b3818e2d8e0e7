/* Locks declared as output locks (--io-lock, config "io_locks"): the I/O
 * under them is their job even where the file alone does not show it (the
 * lock also guards a counter read outside it); sleeps and joins under them
 * are still reported, and so is I/O under a lock that is not declared. */
// sync-lint-args: --io-lock=audit_mu --io-lock=conn::wmu
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t audit_mu = PTHREAD_MUTEX_INITIALIZER;
static FILE *audit_file;
static unsigned long audit_seq;

/* negative: declared by name; its sequence number is read outside it */
void audit(const char *what)
{
    pthread_mutex_lock(&audit_mu);
    fprintf(audit_file, "%lu %s\n", ++audit_seq, what);
    fflush(audit_file);
    pthread_mutex_unlock(&audit_mu);
}

unsigned long audit_count(void)
{
    return audit_seq;
}

/* positive: a declared output lock is no licence to sleep */
void audit_slowly(const char *what)
{
    pthread_mutex_lock(&audit_mu);
    fprintf(audit_file, "%s\n", what);
    usleep(1000); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&audit_mu);
}

struct conn { pthread_mutex_t wmu; pthread_mutex_t mu; int fd; int frames; long bytes; };

/* negative: declared by class (struct conn::wmu) */
void conn_send(struct conn *c, const char *buf, size_t n)
{
    pthread_mutex_lock(&c->wmu);
    c->frames++;
    write(c->fd, buf, n);
    pthread_mutex_unlock(&c->wmu);
}

int conn_frames(struct conn *c)
{
    return c->frames;
}

long conn_bytes(struct conn *c)
{
    return c->bytes;
}

/* positive: the same write under the connection's other lock */
void conn_send_locked(struct conn *c, const char *buf, size_t n)
{
    pthread_mutex_lock(&c->mu);
    c->bytes += (long)n;
    write(c->fd, buf, n); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&c->mu);
}
