/* The cache calls its backend under the store lock: flush may be the file
 * backend's, which writes; size is trivial in every backend. */
#include "store.h"

int cache_sync(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    int rc = s->ops->flush(s); // expect: callback-under-lock
    pthread_mutex_unlock(&s->mu);
    return rc;
}

size_t cache_used(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    size_t n = s->ops->size(s);
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* the right shape: read the pointer under the lock, call it after */
int cache_sync_unlocked(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    int (*flush)(struct store *) = s->ops->flush;
    pthread_mutex_unlock(&s->mu);
    return flush(s);
}
