/* fdio.c - whole writes (fdio.h). */
#include "fdio.h"

#include <errno.h>
#include <unistd.h>

int sl_write_all(int fd, const void *p, size_t n)
{
    const char *b = p;
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}
