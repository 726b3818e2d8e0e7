/* Double-checked locking on a plain flag or pointer: the unlocked read races. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <threads.h>

struct table { int n; int slots[64]; };
struct table *table_build(void);
void crypto_setup_tables(void);

/* ---- positive: the classic flag ---- */
static pthread_mutex_t crypto_mu = PTHREAD_MUTEX_INITIALIZER;
static int crypto_inited;

void crypto_ensure(void)
{
    if (!crypto_inited) { // expect: hand-rolled-once
        pthread_mutex_lock(&crypto_mu);
        if (!crypto_inited) {
            crypto_setup_tables();
            crypto_inited = 1;
        }
        pthread_mutex_unlock(&crypto_mu);
    }
}

/* ---- positive: a lazily created singleton ---- */
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static struct table *the_table;

struct table *get_table(void)
{
    if (the_table == NULL) { // expect: hand-rolled-once
        pthread_mutex_lock(&table_mu);
        if (the_table == NULL)
            the_table = table_build();
        pthread_mutex_unlock(&table_mu);
    }
    return the_table;
}

/* ---- positive: the first test as an early return ---- */
static pthread_mutex_t names_mu = PTHREAD_MUTEX_INITIALIZER;
static char **names;

char **get_names(void)
{
    if (names) // expect: hand-rolled-once
        return names;
    pthread_mutex_lock(&names_mu);
    if (!names)
        names = calloc(16, sizeof *names);
    pthread_mutex_unlock(&names_mu);
    return names;
}

/* ---- positive: a struct field, with an unlikely() hint ---- */
#define unlikely(x) __builtin_expect(!!(x), 0)
struct codec {
    pthread_mutex_t mu;
    bool ready;
    int *lut;
};

int *codec_lut(struct codec *c)
{
    if (unlikely(!c->ready)) { // expect: hand-rolled-once
        pthread_mutex_lock(&c->mu);
        if (!c->ready) {
            c->lut = calloc(256, sizeof(int));
            c->ready = true;
        }
        pthread_mutex_unlock(&c->mu);
    }
    return c->lut;
}

/* ---- positive: C11 mtx_t, a static local pointer, macros ---- */
static mtx_t reg_mu;
#define REG_LOCK() mtx_lock(&reg_mu)
#define REG_UNLOCK() mtx_unlock(&reg_mu)

struct table *registry(void)
{
    static struct table *reg;
    if (!reg) { // expect: hand-rolled-once
        REG_LOCK();
        if (!reg)
            reg = table_build();
        REG_UNLOCK();
    }
    return reg;
}

/* ---- positive: volatile is not a fix (no acquire, no release) ---- */
static pthread_mutex_t vol_mu = PTHREAD_MUTEX_INITIALIZER;
static volatile int vol_inited;

void vol_ensure(void)
{
    if (vol_inited == 0) { // expect: hand-rolled-once
        pthread_mutex_lock(&vol_mu);
        if (vol_inited == 0) {
            crypto_setup_tables();
            vol_inited = 1;
        }
        pthread_mutex_unlock(&vol_mu);
    }
}

/* ---- positive: the first read copied into a local, then tested ---- */
static pthread_mutex_t cfg_mu = PTHREAD_MUTEX_INITIALIZER;
static struct table *cfg_table;

struct table *config_table(void)
{
    struct table *t = cfg_table; // expect: hand-rolled-once, inconsistent-guard
    if (!t) {
        pthread_mutex_lock(&cfg_mu);
        if (!cfg_table)
            cfg_table = table_build();
        t = cfg_table;
        pthread_mutex_unlock(&cfg_mu);
    }
    return t;
}

/* ---- positive: a slot of an array, read into a local, re-read under the lock ---- */
struct stats {
    pthread_mutex_t mu;
    void *buckets[16];
};
void *bucket_new(void);

void *stats_bucket(struct stats *s, unsigned id)
{
    unsigned idx = id & 15;
    void *b = s->buckets[idx]; // expect: hand-rolled-once
    if (!b) {
        pthread_mutex_lock(&s->mu);
        b = s->buckets[idx];
        if (!b)
            b = s->buckets[idx] = bucket_new();
        pthread_mutex_unlock(&s->mu);
    }
    return b;
}

/* ---- positive: the double check split across a fast path and a slow path ---- */
static pthread_mutex_t split_mu = PTHREAD_MUTEX_INITIALIZER;
static int split_inited;

static void split_init_slow(void)
{
    pthread_mutex_lock(&split_mu);
    if (!split_inited) {
        crypto_setup_tables();
        split_inited = 1;
    }
    pthread_mutex_unlock(&split_mu);
}

int split_use(void)
{
    if (!split_inited) // expect: hand-rolled-once
        split_init_slow();
    return 0;
}
