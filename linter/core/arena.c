/* arena.c - bump allocator backing per-TU models and diagnostic lists. */
#include "arena.h"
#include "err.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SL_ARENA_BLOCK (64 * 1024)

struct sl_arena_block {
    struct sl_arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

static void *xmalloc_block(size_t n)
{
    return sl_xmalloc(n);
}

void sl_arena_init(struct sl_arena *a) { a->head = NULL; a->used_total = 0; }

void sl_arena_free(struct sl_arena *a)
{
    struct sl_arena_block *b = a->head;
    while (b) {
        struct sl_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

/* Uninitialised storage: for callers that write every byte at once. */
static void *alloc_raw(struct sl_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    struct sl_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > SL_ARENA_BLOCK / 4 ? size : SL_ARENA_BLOCK;
        b = xmalloc_block(sizeof *b + cap);
        b->size = cap;
        b->used = 0;
        if (cap == size && a->head) {
            /* A large one-off: keep the current block as head for small ones. */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += size;
    a->used_total += size;
    return p;
}

void *sl_arena_alloc(struct sl_arena *a, size_t size)
{
    void *p = alloc_raw(a, size);
    memset(p, 0, size);
    return p;
}

char *sl_arena_strndup(struct sl_arena *a, const char *s, size_t n)
{
    char *d = alloc_raw(a, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *sl_arena_join(struct sl_arena *a, const char *const *parts, size_t n)
{
    size_t len[8], total = 0;
    if (n > 8) sl_bug("sl_arena_join: more than 8 parts");
    for (size_t i = 0; i < n; i++) total += len[i] = parts[i] ? strlen(parts[i]) : 0;
    char *d = alloc_raw(a, total + 1), *p = d;
    for (size_t i = 0; i < n; i++) {
        if (len[i]) memcpy(p, parts[i], len[i]);
        p += len[i];
    }
    *p = 0;
    return d;
}

char *sl_arena_strdup(struct sl_arena *a, const char *s)
{
    return s ? sl_arena_strndup(a, s, strlen(s)) : NULL;
}

char *sl_arena_printf(struct sl_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = sl_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    if (n > 0)
        vsnprintf(d, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return d;
}

void *sl_arena_grow(struct sl_arena *a, void *old, size_t n, size_t new_cap,
                    size_t elem)
{
    unsigned char *p = alloc_raw(a, new_cap * elem);
    if (n)
        memcpy(p, old, n * elem);
    memset(p + n * elem, 0, (new_cap - n) * elem);   /* the new tail reads as zero */
    return p;
}
