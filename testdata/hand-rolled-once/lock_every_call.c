/* A lock taken on every call only to test an init flag. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <threads.h>

void load_locale_tables(void);
int lookup_in_tables(const char *key);
struct dict;
struct dict *dict_build(void);

/* ---- positive: the flag, at the top of a hot function ---- */
static pthread_mutex_t loc_mu = PTHREAD_MUTEX_INITIALIZER;
static bool loc_loaded;

int locale_lookup(const char *key)
{
    pthread_mutex_lock(&loc_mu); // expect: hand-rolled-once
    if (!loc_loaded) {
        load_locale_tables();
        loc_loaded = true;
    }
    pthread_mutex_unlock(&loc_mu);
    return lookup_in_tables(key);
}

/* ---- positive: a pointer copied out under the lock ---- */
static pthread_mutex_t dict_mu = PTHREAD_MUTEX_INITIALIZER;
static struct dict *dict;

struct dict *dict_get(void)
{
    struct dict *d;
    pthread_mutex_lock(&dict_mu); // expect: hand-rolled-once
    if (dict == NULL)
        dict = dict_build();
    d = dict;
    pthread_mutex_unlock(&dict_mu);
    return d;
}

/* ---- positive: C11, a struct field ---- */
struct rng {
    mtx_t mu;
    int seeded;
    unsigned state;
};
unsigned entropy(void);

void rng_ensure_seeded(struct rng *r)
{
    mtx_lock(&r->mu); // expect: hand-rolled-once
    if (r->seeded == 0) {
        r->state = entropy();
        r->seeded = 1;
    }
    mtx_unlock(&r->mu);
}

/* ---- positive: an "init" function that ordinary code calls every time ---- */
static pthread_mutex_t lib_mu = PTHREAD_MUTEX_INITIALIZER;
static int lib_inited;
void lib_load_plugins(void);
int lib_do(int op);

static void lib_lazy_init(void)
{
    pthread_mutex_lock(&lib_mu); // expect: hand-rolled-once
    if (!lib_inited) {
        lib_load_plugins();
        lib_inited = 1;
    }
    pthread_mutex_unlock(&lib_mu);
}

int lib_call(int op)
{
    lib_lazy_init();
    return lib_do(op);
}

/* ---- positive: the inverted shape, leaving early with the lock released ---- */
static pthread_mutex_t codec_mu = PTHREAD_MUTEX_INITIALIZER;
static int codec_registered;
void register_codecs(void);
int codec_find(const char *name);

int codec_open(const char *name)
{
    pthread_mutex_lock(&codec_mu); // expect: hand-rolled-once
    if (codec_registered) {
        pthread_mutex_unlock(&codec_mu);
        return codec_find(name);
    }
    register_codecs();
    codec_registered = 1;
    pthread_mutex_unlock(&codec_mu);
    return codec_find(name);
}

/* negative: the same shape in an init function the application calls once */
static pthread_mutex_t crit_mu = PTHREAD_MUTEX_INITIALIZER;
static int crit_initialized;

int library_init(void)
{
    pthread_mutex_lock(&crit_mu);
    if (crit_initialized != 0) {
        pthread_mutex_unlock(&crit_mu);
        return 1;
    }
    register_codecs();
    crit_initialized = 1;
    pthread_mutex_unlock(&crit_mu);
    return 0;
}
