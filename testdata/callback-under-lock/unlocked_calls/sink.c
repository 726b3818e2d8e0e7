/* Blocking callbacks, called only where no lock is held. */
#include <unistd.h>

struct sink { void (*emit)(struct sink *, const char *, unsigned long); int fd; };

static void fd_emit(struct sink *s, const char *p, unsigned long n)
{
    write(s->fd, p, n);
}

void sink_open(struct sink *s, int fd)
{
    s->emit = fd_emit;
    s->fd = fd;
}
