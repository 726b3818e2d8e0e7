/* rwlock-read-mostly-snapshot: the readers in one file ... */
#include <pthread.h>
#include "shared.h"

int tls_min_version(void)
{
    pthread_rwlock_rdlock(&tls_rw);   // expect: rwlock-read-mostly-snapshot
    int v = tls_settings->min_version;
    pthread_rwlock_unlock(&tls_rw);
    return v;
}
