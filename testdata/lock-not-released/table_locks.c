// sync-lint-args: --wrapper=lock_fns.lock:lock:1 --wrapper=lock_fns.unlock:unlock:1
/* lock-not-released: locking through a function-pointer table behind macros
 * that skip a NULL lock (libevent's EVLOCK_LOCK), flags set beside the lock,
 * helpers that drop and retake the caller's lock or release it on one path. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct lock_table {
    int (*lock)(unsigned mode, void *lock);
    int (*unlock)(unsigned mode, void *lock);
};
extern struct lock_table lock_fns;

#define LOCK(l) do { if (l) lock_fns.lock(0, l); } while (0)
#define UNLOCK(l) do { if (l) lock_fns.unlock(0, l); } while (0)

struct base {
    void *lock;
    int n_events;
    struct port *port;
};
struct port { void *lock; int refcnt; };

int base_add_once(struct base *b, int v)
{
    LOCK(b->lock);
    if (v < 0) {
        free(b->port);
        return v; // expect: lock-not-released
    }
    b->n_events += v;
    UNLOCK(b->lock);
    return 0;
}

/* negative: the same macros on every path; a NULL lock holds nothing */
int base_add(struct base *b, int v)
{
    LOCK(b->lock);
    if (v < 0) {
        UNLOCK(b->lock);
        return -1;
    }
    b->n_events += v;
    UNLOCK(b->lock);
    return 0;
}

/* negative: a flag set beside the lock, tested at the end */
int base_release_port(struct base *b)
{
    int locked = 0, rc = 1;
    if (b->port) {
        LOCK(b->port->lock);
        locked = 1;
        rc = --b->port->refcnt;
    }
    b->n_events = 0;
    if (locked)
        UNLOCK(b->port->lock);
    return rc;
}

/* negative: drops its caller's lock around a join and takes it back */
void reap_thread(pthread_t t);

struct pool {
    pthread_mutex_t mu;
    pthread_t *zombies;
    int n_zombies, refs;
};

static void pool_reap(struct pool *p)
{
    while (p->n_zombies > 0) {
        pthread_t t = p->zombies[--p->n_zombies];
        pthread_mutex_unlock(&p->mu);
        reap_thread(t);
        pthread_mutex_lock(&p->mu);
    }
}

/* releases (and frees) only when the last reference goes */
static bool pool_unref(struct pool *p)
{
    if (--p->refs)
        return false;
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_destroy(&p->mu);
    free(p);
    return true;
}

void pool_shutdown(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    pool_reap(p);
    if (!pool_unref(p))
        pthread_mutex_unlock(&p->mu);
}

/* negative: a lock call whose error is tested holds nothing on that branch */
int pool_count(struct pool *p)
{
    if (pthread_mutex_lock(&p->mu) != 0)
        return -1;
    int n = p->n_zombies;
    pthread_mutex_unlock(&p->mu);
    return n;
}
