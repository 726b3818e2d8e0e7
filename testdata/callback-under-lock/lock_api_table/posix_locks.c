// sync-lint-args: --wrapper=lock_fns_.lock:lock:1 --wrapper=lock_fns_.unlock:unlock:1
#include <pthread.h>
#include <stdlib.h>

struct lock_callbacks {
    void *(*alloc)(unsigned type);
    int (*lock)(unsigned mode, void *lock);
    int (*unlock)(unsigned mode, void *lock);
};

static void *posix_alloc(unsigned type)
{
    (void)type;
    pthread_mutex_t *m = malloc(sizeof *m);
    if (m) pthread_mutex_init(m, NULL);
    return m;
}

static int posix_lock(unsigned mode, void *lock)
{
    (void)mode;
    return pthread_mutex_lock(lock);
}

static int posix_unlock(unsigned mode, void *lock)
{
    (void)mode;
    return pthread_mutex_unlock(lock);
}

struct lock_callbacks lock_fns_ = { posix_alloc, posix_lock, posix_unlock };
