/* The network helpers, in their own file: one writes to a socket until all
 * is sent (blocks), one only formats, one blocks only on a path that aborts. */
#include <stdio.h>
#include <stdlib.h>
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
