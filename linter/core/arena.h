/* arena.h - bump allocation for everything that lives as long as one
 * translation unit (the model, its strings) or one result list.
 *
 * An arena is owned by one thread at a time.  Allocation never fails: on
 * out-of-memory the process aborts with a message (the analyser cannot do
 * anything useful without memory).  sl_arena_free releases every block.
 */
#ifndef SL_ARENA_H
#define SL_ARENA_H

#include <stddef.h>

struct sl_arena_block;
struct sl_arena {
    struct sl_arena_block *head;
    size_t used_total;          /* bytes handed out, for stats */
};

void sl_arena_init(struct sl_arena *a);
void sl_arena_free(struct sl_arena *a);
/* Zeroed, 16-byte aligned memory owned by the arena. */
void *sl_arena_alloc(struct sl_arena *a, size_t size);
char *sl_arena_strdup(struct sl_arena *a, const char *s);
char *sl_arena_strndup(struct sl_arena *a, const char *s, size_t n);
/* The n strings one after another (NULLs skipped), copied once: keys built
 * per access site, where printf's two passes over the format cost more
 * than the copy. */
char *sl_arena_join(struct sl_arena *a, const char *const *parts, size_t n);
char *sl_arena_printf(struct sl_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grow an arena array: returns a copy of old (n elements) with room for
 * new_cap elements.  The old storage is simply abandoned to the arena. */
void *sl_arena_grow(struct sl_arena *a, void *old, size_t n, size_t new_cap,
                    size_t elem);

#endif
