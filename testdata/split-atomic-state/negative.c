/* split-atomic-state: pairs that are consistent, or whose tear is harmless. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

/* 1: a sequence counter: the writer bumps seq around the stores, the reader re-checks */
struct seqpair { atomic_uint seq; atomic_long x, y; };

void seq_write(struct seqpair *p, long x, long y)
{
    atomic_fetch_add(&p->seq, 1);
    atomic_store(&p->x, x);
    atomic_store(&p->y, y);
    atomic_fetch_add(&p->seq, 1);
}

bool seq_read_ordered(struct seqpair *p)
{
    unsigned s;
    long x, y;
    do {
        s = atomic_load(&p->seq);
        x = atomic_load(&p->x);
        y = atomic_load(&p->y);
    } while ((s & 1) || s != atomic_load(&p->seq));
    return x < y;
}

/* 2: statistics bumped together, only printed */
static atomic_ulong n_packets, n_bytes;

void count_packet(unsigned long len)
{
    atomic_fetch_add(&n_packets, 1);
    atomic_fetch_add(&n_bytes, len);
}

void print_stats(void)
{
    printf("%lu packets, %lu bytes\n", atomic_load(&n_packets), atomic_load(&n_bytes));
}

/* 3: a printed ratio of two counters (a torn ratio is an approximation) */
static atomic_ulong hits, lookups;

void cache_hit(void)
{
    atomic_fetch_add(&hits, 1);
    atomic_fetch_add(&lookups, 1);
}

void cache_report(void)
{
    unsigned long h = atomic_load(&hits), l = atomic_load(&lookups);
    printf("hit rate %.2f\n", l ? (double)h / (double)l : 0.0);
}

/* 4: stored and loaded under the same lock */
static pthread_mutex_t lim_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int lim_lo, lim_hi;

void lim_set(int lo, int hi)
{
    pthread_mutex_lock(&lim_mu);
    atomic_store(&lim_lo, lo);
    atomic_store(&lim_hi, hi);
    pthread_mutex_unlock(&lim_mu);
}

bool lim_ok(int v)
{
    pthread_mutex_lock(&lim_mu);
    bool ok = v >= atomic_load(&lim_lo) && v <= atomic_load(&lim_hi);
    pthread_mutex_unlock(&lim_mu);
    return ok;
}

/* 5: not always stored together: one is also stored alone */
static atomic_int mode, level;

void set_both(int m, int l)
{
    atomic_store(&mode, m);
    atomic_store(&level, l);
}

void set_level(int l)
{
    atomic_store(&level, l);
}

bool mode_level_ok(void)
{
    return atomic_load(&mode) <= atomic_load(&level);
}

/* 6: the stores are far apart (other work between): not one update */
static atomic_long t_begin, t_finish;
long do_work(void);

void timed(void)
{
    atomic_store(&t_begin, 1);
    long r = do_work();
    (void)r;
    atomic_store(&t_finish, 2);
}

bool timing_sane(void)
{
    return atomic_load(&t_begin) <= atomic_load(&t_finish);
}

/* 7: fields of two different objects */
struct gauge { atomic_int cur, peak; };

void move_gauge(struct gauge *a, struct gauge *b, int v)
{
    atomic_store(&a->cur, v);
    atomic_store(&b->peak, v);
}

bool gauge_over(struct gauge *g)
{
    return atomic_load(&g->cur) > atomic_load(&g->peak);
}

/* 8: loaded in one function but used separately, never combined */
struct flags { atomic_bool stop, pause; };

void halt(struct flags *f)
{
    atomic_store(&f->stop, true);
    atomic_store(&f->pause, false);
}

int poll_flags(struct flags *f)
{
    if (atomic_load(&f->stop)) return 1;
    if (atomic_load(&f->pause)) return 2;
    return 0;
}

/* 9: stored together only in an init function (before any thread runs) */
struct dims { atomic_int w, h; };

void dims_init(struct dims *d, int w, int h)
{
    atomic_store(&d->w, w);
    atomic_store(&d->h, h);
}

bool dims_square(struct dims *d)
{
    return atomic_load(&d->w) == atomic_load(&d->h);
}

/* 10: one of the pair read by the same function that writes it (a CAS update) */
static atomic_long owner_id, owner_gen;

void take_owner(long id)
{
    long g = atomic_load(&owner_gen);
    atomic_store(&owner_id, id);
    atomic_store(&owner_gen, g + 1);
}

/* 11: a field and a global stored together (publish, then an epoch bump, as
 * sl_snapshot's writer does): two different objects, not one state */
struct snap { _Atomic(void *) current; };
static atomic_ulong snap_epoch;

void snap_publish(struct snap *s, void *next)
{
    atomic_exchange(&s->current, next);
    atomic_fetch_add(&snap_epoch, 1);
}

bool snap_stale(struct snap *s, void *seen, unsigned long e)
{
    return atomic_load(&s->current) != seen || atomic_load(&snap_epoch) != e;
}
