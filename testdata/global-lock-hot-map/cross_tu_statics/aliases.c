/* negative: the other static `table_mu`, again in two keyed functions. */
#include <pthread.h>
#include "hashmap.h"

static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static struct hashmap *table;

const char *alias_resolve(const char *name)
{
    const char *t;
    pthread_mutex_lock(&table_mu);
    t = hm_lookup(table, name);
    pthread_mutex_unlock(&table_mu);
    return t ? t : name;
}

void *alias_drop(const char *name)
{
    void *old;
    pthread_mutex_lock(&table_mu);
    old = hm_erase(table, name);
    pthread_mutex_unlock(&table_mu);
    return old;
}
