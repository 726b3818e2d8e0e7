/* negative: `table_mu` here is a different lock from the `table_mu` of
 * aliases.c (both static): two keyed functions each, never three. */
#include <pthread.h>
#include "hashmap.h"

static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static struct hashmap *table;

const char *mime_for(const char *ext)
{
    const char *t;
    pthread_mutex_lock(&table_mu);
    t = hm_lookup(table, ext);
    pthread_mutex_unlock(&table_mu);
    return t ? t : "application/octet-stream";
}

int mime_register(const char *ext, const char *type)
{
    int rc;
    pthread_mutex_lock(&table_mu);
    rc = hm_insert(table, ext, (void *)type);
    pthread_mutex_unlock(&table_mu);
    return rc;
}
