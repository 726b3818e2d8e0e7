/* A project header that declares a static helper before the header that
 * defines it is included (the definition comes after its first use). */
#include <stddef.h>
#include <unistd.h>
static inline void flush_all(int fd, const char *buf, size_t n);
