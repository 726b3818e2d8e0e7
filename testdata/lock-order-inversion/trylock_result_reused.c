/* Open vSwitch's revalidator shape: `retval` holds a trylock's result on one
 * branch and another call's result on the other; the later `if (retval)`
 * says nothing about the lock on the second branch, so no order is taken
 * there (an old lock-flow bug made the lock look held and reported a false
 * inversion with the install path). */
#include <pthread.h>

struct ukey { pthread_mutex_t mutex; int state; };
struct umap { pthread_mutex_t mutex; };

struct ukey *ukey_lookup(int id);
int ukey_create(int id, struct ukey **out);
void install(struct umap *m, struct ukey *k);

/* negative: umap taken only where no ukey lock can be held */
int revalidate(struct umap *m, int id)
{
    struct ukey *k = ukey_lookup(id);
    int retval;
    if (k) {
        retval = pthread_mutex_trylock(&k->mutex);
    } else {
        retval = ukey_create(id, &k);
        if (retval)
            return retval;
        pthread_mutex_lock(&m->mutex);
        install(m, k);
        pthread_mutex_unlock(&m->mutex);
        return 0;
    }
    if (retval)
        return retval;
    k->state = 1;
    pthread_mutex_unlock(&k->mutex);
    return 0;
}

/* negative: the other order, umap then a fresh ukey's lock */
void replace(struct umap *m, struct ukey *fresh)
{
    pthread_mutex_lock(&m->mutex);
    pthread_mutex_lock(&fresh->mutex);
    fresh->state = 2;
    pthread_mutex_unlock(&fresh->mutex);
    pthread_mutex_unlock(&m->mutex);
}
