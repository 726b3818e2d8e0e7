/* Lock classes of struct fields: `struct S::mu` is one class whatever the
 * variable is called.  A cache that updates its stats block while locked,
 * and a stats dumper that walks the cache while holding the stats lock. */
#include <pthread.h>
#include <stddef.h>

struct stats {
    pthread_mutex_t mu;
    unsigned long hits, misses;
};

struct entry { unsigned key; int val; };

struct cache {
    pthread_mutex_t mu;
    struct entry slots[32];
    size_t used;
    struct stats *st;
};

/* helper: takes stats::mu; called with cache::mu held below, so the call is
 * an edge cache::mu -> stats::mu */
static void stats_note(struct stats *st, int hit)
{
    pthread_mutex_lock(&st->mu);
    if (hit)
        st->hits++;
    else
        st->misses++;
    pthread_mutex_unlock(&st->mu);
}

/* first occurrence of cache::mu -> stats::mu: the helper call */
int cache_get(struct cache *c, unsigned key, int *val)
{
    int found = 0;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->used; i++) {
        if (c->slots[i].key == key) {
            *val = c->slots[i].val;
            found = 1;
            break;
        }
    }
    stats_note(c->st, found);
    pthread_mutex_unlock(&c->mu);
    return found;
}

/* positive: stats::mu -> cache::mu through other variable names; this is the
 * later of the two orders, so the finding is at the inner lock */
void stats_report(struct stats *s, struct cache *owner, unsigned long out[3])
{
    pthread_mutex_lock(&s->mu);
    out[0] = s->hits;
    out[1] = s->misses;
    pthread_mutex_lock(&owner->mu); // expect: lock-order-inversion
    out[2] = owner->used;
    pthread_mutex_unlock(&owner->mu);
    pthread_mutex_unlock(&s->mu);
}

/* A thread pool: a job holds a pointer to its pool. */
struct pool;
struct job {
    pthread_mutex_t mu;
    int state;
    struct pool *owner;
    struct job *next;
};
struct pool {
    pthread_mutex_t mu;
    struct job *running;
    int nrunning;
};

/* first occurrence of job::mu -> pool::mu (direct nesting) */
void job_finish(struct job *j)
{
    pthread_mutex_lock(&j->mu);
    j->state = 2;
    pthread_mutex_lock(&j->owner->mu);
    j->owner->nrunning--;
    j->owner->running = j->next;
    pthread_mutex_unlock(&j->owner->mu);
    pthread_mutex_unlock(&j->mu);
}

/* positive: pool::mu -> job::mu; the later order of the pair job/pool */
void pool_cancel_all(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    for (struct job *it = p->running; it; it = it->next) {
        pthread_mutex_lock(&it->mu); // expect: lock-order-inversion
        it->state = 3;
        it->owner = NULL;
        pthread_mutex_unlock(&it->mu);
    }
    p->nrunning = 0;
    pthread_mutex_unlock(&p->mu);
}
