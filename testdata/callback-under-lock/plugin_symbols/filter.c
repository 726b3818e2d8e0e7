#include <pthread.h>

struct plugin { void *dl; int (*filter)(const char *line); };

static pthread_rwlock_t plugins_lock = PTHREAD_RWLOCK_INITIALIZER;

int filter_line(struct plugin *p, const char *line)
{
    int keep;
    pthread_rwlock_rdlock(&plugins_lock);
    keep = p->filter(line); // expect: callback-under-lock
    pthread_rwlock_unlock(&plugins_lock);
    return keep;
}
