/* Calls under a lock into a header's static helpers that block: the
 * helpers must be lowered for the chain to be seen, including one whose
 * definition comes after the call and one reached through another helper. */
#include <pthread.h>
#include "io_proto.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

void send_now(int fd, const char *buf, size_t n)
{
    pthread_mutex_lock(&mu);
    flush_all(fd, buf, n); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&mu);
}

#include "io_impl.h"

void sync_now(int fd)
{
    pthread_mutex_lock(&mu);
    sync_outer(fd); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&mu);
}

/* an ops table: sync_by_table is used, so it is lowered (e2e.cli counts
 * the functions: sync_unused is the only helper left out) */
void (*const sync_ops[])(int) = { sync_by_table };

int bump(int x)
{
    int r;
    pthread_mutex_lock(&mu);
    r = quick(x);   /* does not block */
    pthread_mutex_unlock(&mu);
    return r;
}
