/* A lock API reached through a table of function pointers, declared as
 * lock wrappers: calls through it are lock operations, not callbacks. */
// sync-lint-args: --wrapper=lock_fns_.lock:lock:1 --wrapper=lock_fns_.unlock:unlock:1
#include <pthread.h>

struct lock_callbacks {
    void *(*alloc)(unsigned type);
    int (*lock)(unsigned mode, void *lock);
    int (*unlock)(unsigned mode, void *lock);
};
extern struct lock_callbacks lock_fns_;

#define BASE_LOCK(b) do { if ((b)->lock) lock_fns_.lock(0, (b)->lock); } while (0)
#define BASE_UNLOCK(b) do { if ((b)->lock) lock_fns_.unlock(0, (b)->lock); } while (0)

struct base { void *lock; void *inner_lock; int pending; int active; };

void base_activate(struct base *b)
{
    BASE_LOCK(b);
    b->pending = 0;
    b->active = 1;
    lock_fns_.lock(0, b->inner_lock);
    b->active = 2;
    lock_fns_.unlock(0, b->inner_lock);
    BASE_UNLOCK(b);
}
