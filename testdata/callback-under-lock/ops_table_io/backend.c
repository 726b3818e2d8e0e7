/* Storage backends registered in an ops table (file-scope initialisers,
 * designated and positional); the file backend writes to disk. */
#include <stddef.h>
#include <unistd.h>
#include "store.h"

static int file_flush(struct store *s)
{
    return (int)write(s->fd, s->buf, s->len);
}

static size_t file_size(const struct store *s)
{
    return s->len;
}

const struct store_ops file_store_ops = {
    .flush = file_flush,
    .size = file_size,
};

static int mem_flush(struct store *s)
{
    s->len = 0;
    return 0;
}

static size_t mem_size(const struct store *s)
{
    return s->len;
}

const struct store_ops mem_store_ops = { mem_flush, mem_size };
