/* singleflight.h - concurrent callers asking for the same key share one
 * execution and its result (Go's singleflight, in C).
 *
 * Interface:
 *   sl_singleflight
 *     sl_singleflight_init(g)                 -> 0
 *     sl_singleflight_destroy(g)              (no calls in flight)
 *     sl_singleflight_do(g, key, fn, arg, &result, &shared) -> fn's error (0 or -errno) | -ENOMEM
 *
 * Replaces: a cache-miss stampede, where every thread that misses runs the
 * same expensive load (or takes a global lock around it).
 * fn(arg, &result) runs in exactly one of the callers that ask for key while
 * no call for key is in flight (the leader); the others block until it
 * returns and receive the same result pointer and error.  *shared is false
 * for the leader, true for callers that waited.
 * Ownership: the key is copied.  The result pointer is shared by every
 * caller of that flight: make it immutable, and either never free it
 * (cache it) or refcount it before returning from fn.  sync-lint cannot
 * know who frees it, and neither can this module.
 * Blocking: the leader runs fn without any lock held; followers wait on an
 * sl_event.  fn must not call sl_singleflight_do for the same key.
 * Memory order: everything fn wrote happens-before the followers' return.
 */
#ifndef SYNCLINT_SINGLEFLIGHT_H
#define SYNCLINT_SINGLEFLIGHT_H

#include <pthread.h>
#include <stdbool.h>

struct sl_flight;

typedef struct sl_singleflight {
    pthread_mutex_t lock;
    struct sl_flight *calls;   /* in flight, by lock */
} sl_singleflight;

typedef int (*sl_flight_fn)(void *arg, void **result);

int sl_singleflight_init(sl_singleflight *g);
void sl_singleflight_destroy(sl_singleflight *g);
int sl_singleflight_do(sl_singleflight *g, const char *key, sl_flight_fn fn, void *arg,
                       void **result, bool *shared);

#endif
