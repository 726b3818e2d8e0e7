/* ... another file modifies the object in place: readers need the lock. */
#include <pthread.h>
#include "shared.h"

pthread_rwlock_t quota_rw = PTHREAD_RWLOCK_INITIALIZER;   // expect: rwlock-write-heavy
struct quota *quota;

void quota_grow(int more)
{
    pthread_rwlock_wrlock(&quota_rw);
    quota->bytes += more;
    quota->files++;
    pthread_rwlock_unlock(&quota_rw);
}
