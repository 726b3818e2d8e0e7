/* singleflight.c - one execution per key in flight, shared by its callers. */
#include "synclint/singleflight.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "synclint/event.h"

struct sl_flight {
    struct sl_flight *next;
    sl_event done;
    void *result;
    int err;
    unsigned refs;            /* leader + waiters still to read, by lock */
    char key[];
};

int sl_singleflight_init(sl_singleflight *g)
{
    pthread_mutex_init(&g->lock, NULL);
    g->calls = NULL;
    return 0;
}

void sl_singleflight_destroy(sl_singleflight *g)
{
    pthread_mutex_destroy(&g->lock);
}

static void unref(sl_singleflight *g, struct sl_flight *f)
{
    pthread_mutex_lock(&g->lock);
    bool last = --f->refs == 0;
    pthread_mutex_unlock(&g->lock);
    if (last) free(f);
}

int sl_singleflight_do(sl_singleflight *g, const char *key, sl_flight_fn fn, void *arg,
                       void **result, bool *shared)
{
    pthread_mutex_lock(&g->lock);
    for (struct sl_flight *f = g->calls; f; f = f->next) {
        if (strcmp(f->key, key)) continue;
        f->refs++;
        pthread_mutex_unlock(&g->lock);
        sl_event_wait(&f->done);
        if (result) *result = f->result;
        if (shared) *shared = true;
        int err = f->err;
        unref(g, f);
        return err;
    }
    size_t kl = strlen(key);
    struct sl_flight *f = malloc(sizeof *f + kl + 1);
    if (!f) {
        pthread_mutex_unlock(&g->lock);
        return -ENOMEM;
    }
    memcpy(f->key, key, kl + 1);
    sl_event_init(&f->done);
    f->result = NULL;
    f->err = 0;
    f->refs = 1;
    f->next = g->calls;
    g->calls = f;
    pthread_mutex_unlock(&g->lock);

    void *res = NULL;
    int err = fn(arg, &res);

    pthread_mutex_lock(&g->lock);
    f->result = res;
    f->err = err;
    for (struct sl_flight **pp = &g->calls; *pp; pp = &(*pp)->next)
        if (*pp == f) { *pp = f->next; break; }   /* later callers start a new flight */
    pthread_mutex_unlock(&g->lock);
    sl_event_set(&f->done);   /* release: result and err visible to waiters */
    if (result) *result = res;
    if (shared) *shared = false;
    unref(g, f);
    return err;
}
