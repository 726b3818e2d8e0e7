/* strmap.h - a hash map from strings to small integers, in an arena.
 * Keys are copied into the arena; lookups are expected O(1).  One thread. */
#ifndef SL_STRMAP_H
#define SL_STRMAP_H

#include <stdbool.h>
#include <stdint.h>
#include "arena.h"

struct sl_strmap;

struct sl_strmap *sl_strmap_new(struct sl_arena *a);
/* The value of key, or false when absent. */
bool sl_strmap_get(const struct sl_strmap *m, const char *key, uint32_t *value);
/* Insert key -> value unless present; returns the value stored. */
uint32_t sl_strmap_put(struct sl_strmap *m, const char *key, uint32_t value);
/* Insert or replace: key -> value. */
void sl_strmap_set(struct sl_strmap *m, const char *key, uint32_t value);
/* The map's own copy of key (inserted when absent): one copy of each string
 * however often it is interned.  Use a map of its own, values unused. */
const char *sl_strmap_intern(struct sl_strmap *m, const char *key);

#endif
