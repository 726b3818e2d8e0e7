/* The network helpers, in their own file: one writes to a socket until all
 * is sent (blocks), one only formats, one blocks only on a path that aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "net.h"

int net_send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* through another helper of this file */
int net_send_line(int fd, const char *line, size_t len)
{
    return net_send_all(fd, line, len);
}

size_t net_format(char *out, size_t cap, int code)
{
    return (size_t)snprintf(out, cap < 16 ? cap : 16, "%d\r\n", code);
}

void net_check(int ok)
{
    if (!ok) {
        fprintf(stderr, "net: invariant broken\n");
        abort();
    }
}

int net_accept(int lfd)
{
    return accept(lfd, 0, 0);
}

void net_log_warn(const char *msg)
{
    fprintf(stderr, "net: %s\n", msg);
    fflush(stderr);
}

/* a datagram socket: connect() only records the peer */
int net_open_udp(const struct sockaddr *peer, unsigned len)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, peer, len) < 0)
        return -1;
    return fd;
}

/* a stream socket: connect() waits for the handshake */
int net_open_tcp(const struct sockaddr *peer, unsigned len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, peer, len) < 0)
        return -1;
    return fd;
}

int set_nonblocking(int fd);

/* a stream socket made non-blocking first: connect() returns EINPROGRESS */
int net_open_async(const struct sockaddr *peer, unsigned len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || set_nonblocking(fd))
        return -1;
    (void)connect(fd, peer, len);
    return fd;
}
