/* The server holds the connection table lock while it answers: a call into
 * net.c that writes to the socket blocks every thread that needs the table. */
#include <pthread.h>
#include "net.h"

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int n_conns;

int conn_count(void)
{
    pthread_mutex_lock(&table_lock);
    int n = n_conns;
    pthread_mutex_unlock(&table_lock);
    return n;
}

/* positive: a blocking helper defined in another file */
void answer(int fd, const char *msg, size_t len)
{
    pthread_mutex_lock(&table_lock);
    n_conns++;
    net_send_all(fd, msg, len); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&table_lock);
}

/* positive: through two helpers of the other file */
void answer_line(int fd, const char *line, size_t len)
{
    pthread_mutex_lock(&table_lock);
    net_send_line(fd, line, len); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&table_lock);
}

/* negative: the other file's helper only formats */
size_t status(char *out, size_t cap)
{
    pthread_mutex_lock(&table_lock);
    size_t n = net_format(out, cap, n_conns);
    pthread_mutex_unlock(&table_lock);
    return n;
}

/* negative: its only blocking call is on a path that aborts */
void audit(void)
{
    pthread_mutex_lock(&table_lock);
    net_check(n_conns >= 0);
    pthread_mutex_unlock(&table_lock);
}

/* negative: the slow call after the unlock */
void answer_later(int fd, const char *msg, size_t len)
{
    pthread_mutex_lock(&table_lock);
    n_conns++;
    pthread_mutex_unlock(&table_lock);
    net_send_all(fd, msg, len);
}

/* negative: accept until the non-blocking listener would block */
#include <errno.h>
int accept_all(int lfd)
{
    int n = 0;
    pthread_mutex_lock(&table_lock);
    for (;;) {
        int fd = net_accept(lfd);
        if (fd < 0) {
            if (errno == EAGAIN)
                break;
            break;
        }
        n_conns++;
        n++;
    }
    pthread_mutex_unlock(&table_lock);
    return n;
}

/* negative: a log call under the lock (a diagnostic, not a blocking helper) */
void drop(int fd)
{
    pthread_mutex_lock(&table_lock);
    if (fd < 0)
        net_log_warn("bad descriptor");
    n_conns--;
    pthread_mutex_unlock(&table_lock);
}

/* opening the peers' sockets under the table lock */
int open_peers(const struct sockaddr *peer, unsigned len)
{
    pthread_mutex_lock(&table_lock);
    int u = net_open_udp(peer, len);
    int t = net_open_tcp(peer, len); // expect: lock-held-across-blocking-call
    int a = net_open_async(peer, len);
    n_conns += (u >= 0) + (t >= 0) + (a >= 0);
    int n = n_conns;
    pthread_mutex_unlock(&table_lock);
    return n;
}
