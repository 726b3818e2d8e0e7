/* Static helpers of a header.  A TU lowers those it uses (by a call, by
 * another helper it uses, by taking the address); one no file uses is dead
 * code in every TU and is not lowered at all. */
#include <stddef.h>
#include <unistd.h>

static inline void flush_all(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w <= 0) return;
        buf += w;
        n -= (size_t)w;
    }
}

static inline void sync_inner(int fd)
{
    fsync(fd);
}

static inline void sync_outer(int fd)
{
    sync_inner(fd);
}

static inline void sync_unused(int fd)
{
    fsync(fd);
}

/* used only through a table of function pointers in main.c */
static inline void sync_by_table(int fd)
{
    fsync(fd);
}

static inline int quick(int x)
{
    return x + 1;
}
