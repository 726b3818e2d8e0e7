/* The reader side, in another file. */
#include "stats.h"

unsigned long read_requests(void)
{
    pthread_mutex_lock(&g_stats.mu);
    unsigned long r = g_stats.requests; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&g_stats.mu);
    return r;
}

unsigned long peek_errors(void)
{
    return g_stats.errors;
}

void account_batch(unsigned long n)
{
    pthread_mutex_lock(&g_stats.mu);
    g_stats.bytes += n;
    g_stats.batches += 1;
    pthread_mutex_unlock(&g_stats.mu);
}
