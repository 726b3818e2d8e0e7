/* split-atomic-state: pairs stored together and loaded apart, then combined. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <threads.h>

/* 1: a range, stored field by field, checked as a pair */
struct range { _Atomic long lo, hi; };
static struct range window;

void window_set(long lo, long hi)
{
    atomic_store(&window.lo, lo);
    atomic_store(&window.hi, hi);
}

bool window_contains(long x)
{
    long lo = atomic_load(&window.lo);
    long hi = atomic_load(&window.hi);   // expect: split-atomic-state
    return x >= lo && x < hi;
}

/* 2: two globals, a generation and a size */
static atomic_uint table_gen;
static atomic_size_t table_size;

void table_publish(unsigned gen, size_t size)
{
    atomic_store_explicit(&table_gen, gen, memory_order_release);
    atomic_store_explicit(&table_size, size, memory_order_release);
}

bool table_fresh(unsigned cached_gen, size_t want)
{
    if (atomic_load_explicit(&table_gen, memory_order_acquire) == cached_gen &&
        atomic_load_explicit(&table_size, memory_order_acquire) >= want)   // expect: split-atomic-state
        return true;
    return false;
}

/* 3: plain assignment to _Atomic fields; the reader compares them directly */
struct ring { _Atomic unsigned head, tail; int slots[64]; };

void ring_reset_to(struct ring *r, unsigned pos)
{
    r->head = pos;
    r->tail = pos;
}

bool ring_empty(struct ring *r)
{
    return r->head == r->tail;   // expect: split-atomic-state
}

/* 4: read-modify-writes moving capacity between two counters */
struct pool { atomic_long used, avail; long total; };

void pool_take(struct pool *p, long n)
{
    atomic_fetch_add(&p->used, n);
    atomic_fetch_sub(&p->avail, n);
}

void pool_give(struct pool *p, long n)
{
    atomic_fetch_sub(&p->used, n);
    atomic_fetch_add(&p->avail, n);
}

bool pool_consistent(struct pool *p)
{
    long u = atomic_load(&p->used);
    long a = atomic_load(&p->avail);   // expect: split-atomic-state
    return u + a == p->total;
}

/* 5: the writer is a macro */
struct bounds { atomic_int min, max; };
#define SET_BOUNDS(b, l, h) do { atomic_store(&(b)->min, (l)); atomic_store(&(b)->max, (h)); } while (0)

void bounds_update(struct bounds *b, int l, int h)
{
    SET_BOUNDS(b, l, h);
}

int bounds_clamp(struct bounds *b, int v)
{
    int lo = atomic_load(&b->min);
    int hi = atomic_load(&b->max);   // expect: split-atomic-state
    if (lo > hi) return lo;
    return v;
}

/* 6: stored under a lock, read without it */
static pthread_mutex_t cfg_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int cfg_port, cfg_tls;

void cfg_apply(int port, int tls)
{
    pthread_mutex_lock(&cfg_mu);
    atomic_store(&cfg_port, port);
    atomic_store(&cfg_tls, tls);
    pthread_mutex_unlock(&cfg_mu);
}

int cfg_check(void)
{
    int port = atomic_load(&cfg_port);
    int tls = atomic_load(&cfg_tls);   // expect: split-atomic-state
    if (tls && port == 80) return -1;
    return 0;
}

/* 7: the reader is a C11 thread, the test in a ?: */
static atomic_long limit_soft, limit_hard;

void limits_set(long soft, long hard)
{
    atomic_store(&limit_soft, soft);
    atomic_store(&limit_hard, hard);
}

static int watcher(void *arg)
{
    long *usage = arg;
    return *usage > atomic_load(&limit_soft) ? (atomic_load(&limit_soft) < atomic_load(&limit_hard) ? 1 : 2) : 0;   // expect: split-atomic-state
}

void start_watcher(long *usage)
{
    thrd_t t;
    thrd_create(&t, watcher, usage);
    thrd_join(t, NULL);
}

/* 8: OVS-style read macros that store into a local through a pointer */
#define ATOMIC_READ(src, dst) (*(dst) = atomic_load(src))
struct epoch_pair { atomic_ullong start, end; };

void epoch_advance(struct epoch_pair *e, unsigned long long s, unsigned long long t)
{
    atomic_store(&e->start, s);
    atomic_store(&e->end, t);
}

bool epoch_open(struct epoch_pair *e)
{
    unsigned long long s, t;
    ATOMIC_READ(&e->start, &s);
    ATOMIC_READ(&e->end, &t);   // expect: split-atomic-state
    while (s < t) return true;
    return false;
}
