#include <pthread.h>

enum conn_ctrl_op { CTRL_GET_FD = 1, CTRL_SET_FD = 2, CTRL_GET_INNER = 3 };

struct conn;
struct conn_ops { int (*ctrl)(struct conn *c, enum conn_ctrl_op op, int *data); };
struct conn {
    const struct conn_ops *ops;
    pthread_mutex_t mu;
    pthread_mutex_t *io_lock;
    struct conn *inner;
    int fd;
};
