/* Each of these sections only bumps one counter under the stats lock. */
#include "stats.h"

struct stats g_stats = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0 };

/* positive: every access to requests, in both files, is under g_stats.mu */
void on_request(void)
{
    pthread_mutex_lock(&g_stats.mu);
    g_stats.requests++; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&g_stats.mu);
}

/* negative: report.c reads errors without the lock, so the lock is not the
 * whole story (inconsistent guarding, a different finding) */
void on_error(void)
{
    pthread_mutex_lock(&g_stats.mu);
    g_stats.errors++;
    pthread_mutex_unlock(&g_stats.mu);
}

/* negative: report.c updates bytes together with batches (an invariant
 * the lock keeps) */
void on_bytes(unsigned long n)
{
    pthread_mutex_lock(&g_stats.mu);
    g_stats.bytes += n;
    pthread_mutex_unlock(&g_stats.mu);
}
