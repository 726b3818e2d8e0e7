/* fdio.h - writes on file descriptors that finish: retried on EINTR and
 * after short counts (pipes, sockets, a client's stdin). */
#ifndef SL_FDIO_H
#define SL_FDIO_H

#include <stddef.h>

/* Write all n bytes of p to fd.  Returns 0, or -1 with errno set. */
int sl_write_all(int fd, const void *p, size_t n);

#endif
