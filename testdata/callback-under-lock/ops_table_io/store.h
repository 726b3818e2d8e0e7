#include <pthread.h>
#include <stddef.h>

struct store;
struct store_ops {
    int (*flush)(struct store *);
    size_t (*size)(const struct store *);
};
struct store {
    const struct store_ops *ops;
    pthread_mutex_t mu;
    int fd;
    size_t len;
    char buf[256];
};
