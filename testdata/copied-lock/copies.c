/* Structs that hold a lock, copied by value in the ways real code does it. */
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <threads.h>

struct account {
    pthread_mutex_t mu;
    long balance;
};

/* A project lock type wrapping the pthread one, as OVS does. */
struct proj_mutex {
    pthread_mutex_t lock;
    const char *where;
};

struct stats {
    struct proj_mutex mutex;
    unsigned long hits, misses;
};

struct queue {
    mtx_t mu;
    cnd_t nonempty;
    int items[16];
};

struct pool {
    sem_t slots;
    int size;
};

struct spin_counter {
    pthread_spinlock_t spin;
    long n;
};

void account_print(struct account a);
long stats_total(struct stats s);

/* A by-value parameter: the callee locks its own copy. */
long account_audit(struct account a) // expect: copied-lock
{
    pthread_mutex_lock(&a.mu);
    long b = a.balance;
    pthread_mutex_unlock(&a.mu);
    return b;
}

long audit_caller(struct account *acct)
{
    return account_audit(*acct);
}

void account_snapshot(struct account *dst, const struct account *src)
{
    pthread_mutex_lock((pthread_mutex_t *)&src->mu);
    *dst = *src; // expect: copied-lock
    pthread_mutex_unlock((pthread_mutex_t *)&src->mu);
}

struct holder {
    struct stats st;
    int id;
};

void holder_set_stats(struct holder *h, const struct stats *st)
{
    h->st = *st; // expect: copied-lock
}

unsigned long stats_hits(struct stats *sp)
{
    struct stats copy = *sp; // expect: copied-lock
    return copy.hits;
}

void print_one(struct account *acct)
{
    account_print(*acct); // expect: copied-lock
}

struct queue queue_get(struct queue *all, int i)
{
    return all[i]; // expect: copied-lock
}

void pool_clone(struct pool *dst, const struct pool *src)
{
    memcpy(dst, src, sizeof(struct pool)); // expect: copied-lock
}

void stats_copy_many(struct stats *dst, const struct stats *src, int n)
{
    memmove(dst, src, n * sizeof *src); // expect: copied-lock
}

void spin_copy(struct spin_counter *a, struct spin_counter *b)
{
    *a = *b; // expect: copied-lock
}

struct wrapper {
    struct account inner;
    int flags;
};

void wrap_from(struct wrapper *w, const struct account *acct)
{
    *w = (struct wrapper){ .inner = *acct, .flags = 1 }; // expect: copied-lock
}

long stats_sum(struct stats *s)
{
    return stats_total(*s); // expect: copied-lock
}

typedef struct {
    pthread_rwlock_t rw;
    int config[4];
} config_t;

static config_t current;

config_t config_get(void)
{
    return current; // expect: copied-lock
}

#define COPY_ACCOUNT(d, s) ((d) = (s))

void macro_copy(struct account *d, struct account *s)
{
    COPY_ACCOUNT(*d, *s); // expect: copied-lock
}
