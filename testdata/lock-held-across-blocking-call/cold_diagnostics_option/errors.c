/* The rule option report_cold_diagnostics (set in this folder's
 * .sync-lint.json, found upwards from the file): diagnostics on a cold
 * error path under a lock are reported too. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static int table[64];

int table_set(int k, int v)
{
    pthread_mutex_lock(&table_mu);
    if (k < 0 || k >= 64) {
        fprintf(stderr, "table_set: bad key %d\n", k); // expect: lock-held-across-blocking-call
        pthread_mutex_unlock(&table_mu);
        return -1;
    }
    table[k] = v;
    pthread_mutex_unlock(&table_mu);
    return 0;
}

/* negative: the diagnostic after the unlock */
int table_get(int k, int *v)
{
    pthread_mutex_lock(&table_mu);
    if (k < 0 || k >= 64) {
        pthread_mutex_unlock(&table_mu);
        fprintf(stderr, "table_get: bad key %d\n", k);
        return -1;
    }
    *v = table[k];
    pthread_mutex_unlock(&table_mu);
    return 0;
}
