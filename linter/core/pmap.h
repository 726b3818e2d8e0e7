/* pmap.h - a hash map from a pair of words (pointers, indices) to a
 * pointer, in an arena: the index every pass uses instead of rescanning.
 *
 * Keys are (a, b); (0, 0) is not a valid key.  Lookup and insert are
 * expected O(1); the table doubles at half full.  Storage belongs to the
 * arena given at init (nothing to free separately).  One thread at a time.
 */
#ifndef SL_PMAP_H
#define SL_PMAP_H

#include <stdint.h>
#include "arena.h"

struct sl_pmap_slot { uintptr_t a, b; void *v; };
struct sl_pmap {
    struct sl_arena *arena;
    struct sl_pmap_slot *slots;
    uint32_t cap, n;
};

void sl_pmap_init(struct sl_pmap *m, struct sl_arena *a);
/* The value stored for (a, b), or NULL. */
void *sl_pmap_get(const struct sl_pmap *m, uintptr_t a, uintptr_t b);
/* The slot for (a, b), inserted with v == NULL when new. */
void **sl_pmap_slot(struct sl_pmap *m, uintptr_t a, uintptr_t b);

#define SL_PKEY(p) ((uintptr_t)(const void *)(p))

#endif
