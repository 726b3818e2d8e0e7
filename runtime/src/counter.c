/* counter.c - thread slots, striped counter allocation and sums. */
#include "synclint/counter.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Slot ids: unique among live threads, handed back at thread exit through a
 * pthread key destructor, so thread pools that come and go reuse stripes. */
_Thread_local unsigned sl__slot_plus1;

static pthread_mutex_t slot_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;
static pthread_key_t slot_key;
static unsigned *free_slots;
static unsigned n_free, cap_free, next_slot;

static void slot_release(void *p)
{
    unsigned id = (unsigned)(uintptr_t)p - 1;
    pthread_mutex_lock(&slot_mu);
    if (n_free == cap_free) {
        unsigned nc = cap_free ? cap_free * 2 : 64;
        unsigned *nf = realloc(free_slots, nc * sizeof *nf);
        if (nf) { free_slots = nf; cap_free = nc; }
    }
    if (n_free < cap_free) free_slots[n_free++] = id;   /* else: leaked id, still correct */
    pthread_mutex_unlock(&slot_mu);
}

static void slot_key_create(void)
{
    if (pthread_key_create(&slot_key, slot_release) != 0) slot_key = (pthread_key_t)-1;
}

unsigned sl__slot_assign(void)
{
    pthread_once(&slot_once, slot_key_create);
    pthread_mutex_lock(&slot_mu);
    unsigned id = n_free ? free_slots[--n_free] : next_slot++;
    pthread_mutex_unlock(&slot_mu);
    sl__slot_plus1 = id + 1;
    if (slot_key != (pthread_key_t)-1)
        pthread_setspecific(slot_key, (void *)(uintptr_t)(id + 1));
    return id;
}

int sl_striped_counter_init(sl_striped_counter *s, unsigned nstripes)
{
    if (nstripes == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        nstripes = cpus > 16 ? (unsigned)cpus * 4 : 64;
    }
    if (nstripes > 65536) return -EINVAL;
    void *mem = NULL;
    /* owned stripes plus the shared overflow stripe */
    if (posix_memalign(&mem, SL_CACHELINE, (nstripes + 1) * sizeof(struct sl_counter_stripe)) != 0)
        return -ENOMEM;
    s->stripes = mem;
    s->nstripes = nstripes;
    for (unsigned i = 0; i <= nstripes; i++) atomic_init(&s->stripes[i].value, 0);
    return 0;
}

void sl_striped_counter_destroy(sl_striped_counter *s)
{
    free(s->stripes);
    s->stripes = NULL;
    s->nstripes = 0;
}

uint64_t sl_striped_counter_sum(const sl_striped_counter *s)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i <= s->nstripes; i++)
        sum += atomic_load_explicit(&s->stripes[i].value, memory_order_relaxed);
    return sum;
}

void sl_striped_counter_reset(sl_striped_counter *s)
{
    for (unsigned i = 0; i <= s->nstripes; i++)
        atomic_store_explicit(&s->stripes[i].value, 0, memory_order_relaxed);
}
