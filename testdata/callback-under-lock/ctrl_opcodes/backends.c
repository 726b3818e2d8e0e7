/* Backends with one ctrl entry point switching on an operation code: only
 * setting the descriptor takes a lock; a filter forwards the code. */
#include "conn.h"

static void sock_setfd(struct conn *c, int fd)
{
    pthread_mutex_lock(c->io_lock);
    c->fd = fd;
    pthread_mutex_unlock(c->io_lock);
}

static int sock_ctrl(struct conn *c, enum conn_ctrl_op op, int *data)
{
    switch (op) {
    case CTRL_GET_FD:
        *data = c->fd;
        return 0;
    case CTRL_SET_FD:
        sock_setfd(c, *data);
        return 0;
    default:
        return -1;
    }
}

static int filter_ctrl(struct conn *c, enum conn_ctrl_op op, int *data)
{
    switch (op) {
    case CTRL_GET_INNER:
        *data = c->inner != 0;
        return 0;
    case CTRL_GET_FD:
    case CTRL_SET_FD:
        if (c->inner && c->inner->ops->ctrl)
            return c->inner->ops->ctrl(c->inner, op, data);
        return -1;
    default:
        return -1;
    }
}

const struct conn_ops sock_ops = { .ctrl = sock_ctrl };
const struct conn_ops filter_ops = { .ctrl = filter_ctrl };
