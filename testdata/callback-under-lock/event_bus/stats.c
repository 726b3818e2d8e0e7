/* A subscriber that takes its own lock: run under the bus lock it nests
 * stats_mu inside bus->mu, an order the rest of the program never sees. */
#include <threads.h>
#include "bus.h"

static mtx_t stats_mu;
static long seen[8];
static long total;

static void count_event(void *arg, int ev)
{
    (void)arg;
    mtx_lock(&stats_mu);
    seen[ev & 7] += 1;
    total += ev;
    mtx_unlock(&stats_mu);
}

static struct sub stats_sub;

void stats_start(struct bus *b)
{
    mtx_init(&stats_mu, mtx_plain);
    bus_subscribe(b, &stats_sub, count_event, NULL);
}
