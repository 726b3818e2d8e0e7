/* Locks taken through function-pointer fields: libevent's global
 * evthread_lock_fns_ (also behind a NULL test, EVLOCK_LOCK) and an ops table
 * reached through a pointer. */
// sync-lint-args: --wrapper=evthread_lock_fns_.lock:lock:1 --wrapper=evthread_lock_fns_.unlock:unlock:1 --wrapper=lock_ops.acquire:lock --wrapper=lock_ops.release:unlock
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct evthread_lock_callbacks {
    int lock_api_version;
    unsigned supported_locktypes;
    void *(*alloc)(unsigned locktype);
    void (*free)(void *lock, unsigned locktype);
    int (*lock)(unsigned mode, void *lock);
    int (*unlock)(unsigned mode, void *lock);
};
struct evthread_lock_callbacks evthread_lock_fns_;

#define EVLOCK_LOCK(lockvar, mode) \
    do { if (lockvar) evthread_lock_fns_.lock(mode, lockvar); } while (0)
#define EVLOCK_UNLOCK(lockvar, mode) \
    do { if (lockvar) evthread_lock_fns_.unlock(mode, lockvar); } while (0)

struct event_base { void *th_base_lock; int event_count; int fd; int running; };

void base_count(struct event_base *base)
{
    EVLOCK_LOCK(base->th_base_lock, 0);
    base->event_count++;
    base->running = 1;
    EVLOCK_UNLOCK(base->th_base_lock, 0);
}

void base_dump(struct event_base *base, FILE *out)
{
    EVLOCK_LOCK(base->th_base_lock, 0);
    base->running = 0;
    fprintf(out, "%d events\n", base->event_count); // expect: lock-held-across-blocking-call
    EVLOCK_UNLOCK(base->th_base_lock, 0);
    fflush(out);
}

void base_wake(struct event_base *base)
{
    evthread_lock_fns_.lock(0, base->th_base_lock);
    base->running = 2;
    write(base->fd, "x", 1); // expect: lock-held-across-blocking-call
    evthread_lock_fns_.unlock(0, base->th_base_lock);
}

struct lock_ops { void (*acquire)(pthread_mutex_t *); void (*release)(pthread_mutex_t *); };
struct store { const struct lock_ops *ops; pthread_mutex_t mu; int fd; int n; char buf[32]; };

void store_put(struct store *s, char c)
{
    s->ops->acquire(&s->mu);
    s->buf[s->n % 32] = c;
    s->n++;
    s->ops->release(&s->mu);
}

void store_sync(struct store *s)
{
    s->ops->acquire(&s->mu);
    s->n = 0;
    fsync(s->fd); // expect: lock-held-across-blocking-call
    s->ops->release(&s->mu);
    fsync(s->fd);
}
