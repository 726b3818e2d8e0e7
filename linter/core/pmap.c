/* pmap.c - open addressing over (a, b) word pairs (pmap.h). */
#include "pmap.h"

#include "err.h"

static uint32_t hash2(uintptr_t a, uintptr_t b)
{
    uint64_t h = (uint64_t)a * 0x9e3779b97f4a7c15ull;
    h ^= (uint64_t)b + 0x7f4a7c159e3779b9ull + (h << 6) + (h >> 2);
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return (uint32_t)(h ^ (h >> 32));
}

void sl_pmap_init(struct sl_pmap *m, struct sl_arena *a)
{
    m->arena = a;
    m->slots = NULL;
    m->cap = m->n = 0;
}

void *sl_pmap_get(const struct sl_pmap *m, uintptr_t a, uintptr_t b)
{
    if (!m->cap) return NULL;
    for (uint32_t j = hash2(a, b) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        const struct sl_pmap_slot *s = &m->slots[j];
        if (!s->a && !s->b) return NULL;
        if (s->a == a && s->b == b) return s->v;
    }
}

static void grow(struct sl_pmap *m)
{
    uint32_t ncap = m->cap ? m->cap * 2 : 64;
    if (ncap < m->cap) sl_bug("pmap: more than 2^31 entries");
    struct sl_pmap_slot *ns = sl_arena_alloc(m->arena, (size_t)ncap * sizeof *ns);
    for (uint32_t i = 0; i < m->cap; i++) {
        const struct sl_pmap_slot *s = &m->slots[i];
        if (!s->a && !s->b) continue;
        uint32_t j = hash2(s->a, s->b) & (ncap - 1);
        while (ns[j].a || ns[j].b) j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    m->slots = ns;
    m->cap = ncap;
}

void **sl_pmap_slot(struct sl_pmap *m, uintptr_t a, uintptr_t b)
{
    SL_ASSERT(a || b);
    if ((m->n + 1) * 2 > m->cap) grow(m);
    for (uint32_t j = hash2(a, b) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        struct sl_pmap_slot *s = &m->slots[j];
        if (s->a == a && s->b == b) return &s->v;
        if (!s->a && !s->b) {
            s->a = a;
            s->b = b;
            s->v = NULL;
            m->n++;
            return &s->v;
        }
    }
}
