/* counter.c - striped counter allocation, stripe assignment and sums. */
#include "synclint/counter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Atomic unsigned next_stripe;
static _Thread_local unsigned my_stripe_plus1;   /* 0: not assigned yet */

unsigned sl_stripe_self(void)
{
    unsigned s = my_stripe_plus1;
    if (__builtin_expect(s == 0, 0)) {
        s = atomic_fetch_add_explicit(&next_stripe, 1, memory_order_relaxed) + 1;
        my_stripe_plus1 = s;
    }
    return s - 1;
}

int sl_striped_counter_init(sl_striped_counter *s, unsigned nstripes)
{
    if (nstripes == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        nstripes = cpus > 0 ? (unsigned)cpus * 2 : 8;
    }
    if (nstripes > 65536) return -EINVAL;
    unsigned n = 1;
    while (n < nstripes) n <<= 1;
    void *mem = NULL;
    if (posix_memalign(&mem, SL_CACHELINE, n * sizeof(struct sl_counter_stripe)) != 0)
        return -ENOMEM;
    s->stripes = mem;
    s->nstripes = n;
    for (unsigned i = 0; i < n; i++) atomic_init(&s->stripes[i].value, 0);
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
    for (unsigned i = 0; i < s->nstripes; i++)
        sum += atomic_load_explicit(&s->stripes[i].value, memory_order_relaxed);
    return sum;
}

void sl_striped_counter_reset(sl_striped_counter *s)
{
    for (unsigned i = 0; i < s->nstripes; i++)
        atomic_store_explicit(&s->stripes[i].value, 0, memory_order_relaxed);
}
