/* Public calls take the connection lock and pass a constant code: only
 * CTRL_SET_FD reaches the backend's lock. */
#include "conn.h"

int conn_get_fd(struct conn *c)
{
    int fd = -1;
    pthread_mutex_lock(&c->mu);
    c->ops->ctrl(c, CTRL_GET_FD, &fd);
    pthread_mutex_unlock(&c->mu);
    return fd;
}

int conn_has_inner(struct conn *c)
{
    int yes = 0;
    pthread_mutex_lock(&c->mu);
    c->ops->ctrl(c, CTRL_GET_INNER, &yes);
    pthread_mutex_unlock(&c->mu);
    return yes;
}

int conn_set_fd(struct conn *c, int fd)
{
    int rc;
    pthread_mutex_lock(&c->mu);
    rc = c->ops->ctrl(c, CTRL_SET_FD, &fd); // expect: callback-under-lock
    pthread_mutex_unlock(&c->mu);
    return rc;
}
