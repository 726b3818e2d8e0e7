/* strmap.c - open addressing over FNV-1a string hashes (strmap.h). */
#include "strmap.h"

#include <string.h>

struct slot { const char *key; uint64_t hash; uint32_t value; };
struct sl_strmap { struct sl_arena *arena; struct slot *slots; uint32_t cap, n; };

static uint64_t hash_str(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

struct sl_strmap *sl_strmap_new(struct sl_arena *a)
{
    struct sl_strmap *m = sl_arena_alloc(a, sizeof *m);
    m->arena = a;
    return m;
}

bool sl_strmap_get(const struct sl_strmap *m, const char *key, uint32_t *value)
{
    if (!m->cap) return false;
    uint64_t h = hash_str(key);
    for (uint32_t j = (uint32_t)h & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        const struct slot *s = &m->slots[j];
        if (!s->key) return false;
        if (s->hash == h && !strcmp(s->key, key)) { *value = s->value; return true; }
    }
}

/* The slot of key, inserted with value when absent. */
static struct slot *find_or_insert(struct sl_strmap *m, const char *key, uint32_t value)
{
    if ((m->n + 1) * 2 > m->cap) {
        uint32_t ncap = m->cap ? m->cap * 2 : 64;
        struct slot *ns = sl_arena_alloc(m->arena, (size_t)ncap * sizeof *ns);
        for (uint32_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key) continue;
            uint32_t j = (uint32_t)m->slots[i].hash & (ncap - 1);
            while (ns[j].key) j = (j + 1) & (ncap - 1);
            ns[j] = m->slots[i];
        }
        m->slots = ns;
        m->cap = ncap;
    }
    uint64_t h = hash_str(key);
    for (uint32_t j = (uint32_t)h & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        struct slot *s = &m->slots[j];
        if (!s->key) {
            s->key = sl_arena_strdup(m->arena, key);
            s->hash = h;
            s->value = value;
            m->n++;
            return s;
        }
        if (s->hash == h && !strcmp(s->key, key)) return s;
    }
}

uint32_t sl_strmap_put(struct sl_strmap *m, const char *key, uint32_t value)
{
    return find_or_insert(m, key, value)->value;
}

void sl_strmap_set(struct sl_strmap *m, const char *key, uint32_t value)
{
    find_or_insert(m, key, value)->value = value;
}

const char *sl_strmap_intern(struct sl_strmap *m, const char *key)
{
    return find_or_insert(m, key, 0)->key;
}
