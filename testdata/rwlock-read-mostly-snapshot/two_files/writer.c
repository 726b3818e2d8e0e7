/* ... the writer in another: it only swaps the pointer. */
#include <pthread.h>
#include <stdlib.h>
#include "shared.h"

pthread_rwlock_t tls_rw = PTHREAD_RWLOCK_INITIALIZER;
struct tls_settings *tls_settings;

void tls_reload(struct tls_settings *next)
{
    pthread_rwlock_wrlock(&tls_rw);
    struct tls_settings *old = tls_settings;
    tls_settings = next;
    pthread_rwlock_unlock(&tls_rw);
    free(old);
}
