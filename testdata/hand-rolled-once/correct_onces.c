/* Correct onces and look-alikes that must stay silent. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <threads.h>

struct table;
struct table *table_build(void);
void setup_tables(void);

/* negative: a correct double check: acquire load, release store */
static pthread_mutex_t acq_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int acq_inited;

void acq_ensure(void)
{
    if (!atomic_load_explicit(&acq_inited, memory_order_acquire)) {
        pthread_mutex_lock(&acq_mu);
        if (!atomic_load_explicit(&acq_inited, memory_order_relaxed)) {
            setup_tables();
            atomic_store_explicit(&acq_inited, 1, memory_order_release);
        }
        pthread_mutex_unlock(&acq_mu);
    }
}

/* negative: the GCC builtins on a plain pointer */
static pthread_mutex_t gcc_mu = PTHREAD_MUTEX_INITIALIZER;
static struct table *gcc_table;

struct table *gcc_get(void)
{
    struct table *t = __atomic_load_n(&gcc_table, __ATOMIC_ACQUIRE);
    if (t)
        return t;
    pthread_mutex_lock(&gcc_mu);
    if (!__atomic_load_n(&gcc_table, __ATOMIC_RELAXED))
        __atomic_store_n(&gcc_table, table_build(), __ATOMIC_RELEASE);
    t = gcc_table;
    pthread_mutex_unlock(&gcc_mu);
    return t;
}

/* negative: an _Atomic flag read plainly is a seq_cst load */
static pthread_mutex_t seq_mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic bool seq_ready;

void seq_ensure(void)
{
    if (!seq_ready) {
        pthread_mutex_lock(&seq_mu);
        if (!seq_ready) {
            setup_tables();
            seq_ready = true;
        }
        pthread_mutex_unlock(&seq_mu);
    }
}

/* negative: pthread_once and call_once */
static pthread_once_t po = PTHREAD_ONCE_INIT;
static once_flag co = ONCE_FLAG_INIT;

void po_ensure(void) { pthread_once(&po, setup_tables); }
void co_ensure(void) { call_once(&co, setup_tables); }

/* negative: set-up run once from main */
static pthread_mutex_t boot_mu = PTHREAD_MUTEX_INITIALIZER;
static int boot_inited;

void boot_init(void)
{
    pthread_mutex_lock(&boot_mu);
    if (!boot_inited) {
        setup_tables();
        boot_inited = 1;
    }
    pthread_mutex_unlock(&boot_mu);
}

int main(void)
{
    boot_init();
    return 0;
}

/* negative: the lock does real work on every call; the init is a by-product */
struct cache { pthread_mutex_t mu; bool inited; int hits; int slots[16]; };

int cache_get(struct cache *c, int k)
{
    pthread_mutex_lock(&c->mu);
    if (!c->inited) {
        c->hits = 0;
        c->inited = true;
    }
    c->hits++;
    int v = c->slots[k & 15];
    pthread_mutex_unlock(&c->mu);
    return v;
}

/* negative: a flag re-armed by a teardown: a once cannot be reset */
static pthread_mutex_t sub_mu = PTHREAD_MUTEX_INITIALIZER;
static int sub_inited;

void sub_ensure(void)
{
    pthread_mutex_lock(&sub_mu);
    if (!sub_inited) {
        setup_tables();
        sub_inited = 1;
    }
    pthread_mutex_unlock(&sub_mu);
}

void sub_shutdown(void)
{
    pthread_mutex_lock(&sub_mu);
    sub_inited = 0;
    pthread_mutex_unlock(&sub_mu);
}

/* negative: a static local initialiser needs no lock */
const char *level_name(int l)
{
    static const char *const names[] = { "debug", "info", "warn", "error" };
    return names[l & 3];
}

/* negative: a status word, refilled under the lock on every call while it is
 * zero (a shared dump cursor): real work, and a computed value, not a flag */
struct dump { pthread_mutex_t mu; int status; };
int dump_refill(struct dump *d, char *buf);

int dump_next(struct dump *d, char *buf)
{
    int rc;
    pthread_mutex_lock(&d->mu);
    if (!d->status)
        d->status = dump_refill(d, buf);
    rc = d->status;
    pthread_mutex_unlock(&d->mu);
    return rc;
}

/* negative: a double check that only sets a flag (a "too late to configure"
 * marker): no data is published, nothing is initialised; the flag wants to be
 * atomic, but this is not lazy initialisation */
static pthread_mutex_t late_mu = PTHREAD_MUTEX_INITIALIZER;
static int too_late;

void mark_too_late(void)
{
    if (!too_late) {
        pthread_mutex_lock(&late_mu);
        if (!too_late)
            too_late = 1;
        pthread_mutex_unlock(&late_mu);
    }
}
