/* rwlock-read-mostly-snapshot: a tiny reader here, but ... */
#include <pthread.h>
#include "shared.h"

int quota_bytes(void)
{
    pthread_rwlock_rdlock(&quota_rw);
    int b = quota->bytes;
    pthread_rwlock_unlock(&quota_rw);
    return b;
}

void quota_swap(struct quota *q)
{
    pthread_rwlock_wrlock(&quota_rw);
    quota = q;
    pthread_rwlock_unlock(&quota_rw);
}
