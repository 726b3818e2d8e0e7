/* Socket I/O under a lock in code written for non-blocking sockets
 * (libevent's evdns): the function tests errno for EAGAIN, or the socket
 * comes from a project wrapper given SOCK_NONBLOCK.  The same calls in code
 * that never expects "would block" still wait for the peer. */
#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/types.h>

#define ERR_RW_RETRIABLE(e) ((e) == EWOULDBLOCK || (e) == EINTR || (e) == EAGAIN)

struct server { pthread_mutex_t lock; int sock; int pending; };

int util_socket(int domain, int type, int protocol);

/* negative: a send whose failure is "retry later": non-blocking by design */
int server_send_probe(struct server *s, const void *buf, size_t len)
{
    int r;
    pthread_mutex_lock(&s->lock);
    r = (int)send(s->sock, buf, len, 0);
    if (r < 0) {
        int err = errno;
        if (ERR_RW_RETRIABLE(err)) {
            pthread_mutex_unlock(&s->lock);
            return 1;
        }
    }
    s->pending++;
    pthread_mutex_unlock(&s->lock);
    return 0;
}

/* negative: drain a non-blocking socket until it would block */
void server_drain(struct server *s, char *buf, size_t len)
{
    pthread_mutex_lock(&s->lock);
    for (;;) {
        ssize_t r = recvfrom(s->sock, buf, len, 0, NULL, NULL);
        if (r < 0 && errno == EAGAIN)
            break;
        if (r <= 0)
            break;
        s->pending--;
    }
    pthread_mutex_unlock(&s->lock);
}

/* positive: a blocking receive: nothing here expects EAGAIN */
int server_wait_reply(struct server *s, char *buf, size_t len)
{
    pthread_mutex_lock(&s->lock);
    ssize_t r = recv(s->sock, buf, len, 0); // expect: lock-held-across-blocking-call
    if (r > 0)
        s->pending--;
    pthread_mutex_unlock(&s->lock);
    return (int)r;
}

/* positive: errno tested, but for another error (EINTR only) */
int server_send_all(struct server *s, const char *buf, size_t len)
{
    pthread_mutex_lock(&s->lock);
    ssize_t r;
    do {
        r = send(s->sock, buf, len, 0); // expect: lock-held-across-blocking-call
    } while (r < 0 && errno == EINTR);
    pthread_mutex_unlock(&s->lock);
    return (int)r;
}
