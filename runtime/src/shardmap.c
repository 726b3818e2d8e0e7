/* shardmap.c - sharded chained hash map with a padded mutex per shard. */
#include "synclint/shardmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct sl_shardmap_entry {
    struct sl_shardmap_entry *next;
    uint64_t hash;
    void *value;
    char key[];
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ^ (h >> 29);
}

int sl_shardmap_init(sl_shardmap *m, unsigned nshards, void (*free_value)(void *))
{
    if (!m || nshards > 4096) return -EINVAL;
    if (nshards == 0) nshards = 64;
    unsigned n = 1;
    while (n < nshards) n <<= 1;
    void *mem = NULL;
    if (posix_memalign(&mem, SL_CACHELINE, n * sizeof(struct sl_shardmap_shard)) != 0) return -ENOMEM;
    memset(mem, 0, n * sizeof(struct sl_shardmap_shard));
    m->shards = mem;
    m->nshards = n;
    m->free_value = free_value;
    for (unsigned i = 0; i < n; i++) pthread_mutex_init(&m->shards[i].lock, NULL);
    return 0;
}

static struct sl_shardmap_shard *shard_of(sl_shardmap *m, uint64_t h)
{
    return &m->shards[h & (m->nshards - 1)];
}

/* Bucket index uses the high bits: the low ones chose the shard. */
static size_t bucket_of(const struct sl_shardmap_shard *s, uint64_t h)
{
    return (size_t)(h >> 20) & (s->nbuckets - 1);
}

static struct sl_shardmap_entry **find(struct sl_shardmap_shard *s, const char *key, uint64_t h)
{
    if (!s->nbuckets) return NULL;
    struct sl_shardmap_entry **pp = &s->buckets[bucket_of(s, h)];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->hash == h && !strcmp((*pp)->key, key)) return pp;
    return pp;
}

static int grow(struct sl_shardmap_shard *s)
{
    size_t nb = s->nbuckets ? s->nbuckets * 2 : 16;
    struct sl_shardmap_entry **b = calloc(nb, sizeof *b);
    if (!b) return -ENOMEM;
    for (size_t i = 0; i < s->nbuckets; i++) {
        struct sl_shardmap_entry *e = s->buckets[i];
        while (e) {
            struct sl_shardmap_entry *next = e->next;
            size_t k = (size_t)(e->hash >> 20) & (nb - 1);
            e->next = b[k];
            b[k] = e;
            e = next;
        }
    }
    free(s->buckets);
    s->buckets = b;
    s->nbuckets = nb;
    return 0;
}

/* Insert a new entry (the key is absent).  Called with the shard locked. */
static int insert(struct sl_shardmap_shard *s, const char *key, uint64_t h, void *value)
{
    if ((s->count + 1) * 4 > s->nbuckets * 3 && grow(s) != 0 && !s->nbuckets) return -ENOMEM;
    size_t kl = strlen(key);
    struct sl_shardmap_entry *e = malloc(sizeof *e + kl + 1);
    if (!e) return -ENOMEM;
    memcpy(e->key, key, kl + 1);
    e->hash = h;
    e->value = value;
    size_t k = bucket_of(s, h);
    e->next = s->buckets[k];
    s->buckets[k] = e;
    s->count++;
    return 0;
}

int sl_shardmap_put(sl_shardmap *m, const char *key, void *value, void **old)
{
    uint64_t h = hash_key(key);
    struct sl_shardmap_shard *s = shard_of(m, h);
    int rc = 0;
    void *prev = NULL;
    bool replaced = false;
    pthread_mutex_lock(&s->lock);
    struct sl_shardmap_entry **pp = find(s, key, h);
    if (pp && *pp) {
        prev = (*pp)->value;
        (*pp)->value = value;
        replaced = true;
    } else {
        rc = insert(s, key, h, value);
    }
    pthread_mutex_unlock(&s->lock);
    if (old) *old = prev;
    else if (replaced && prev && m->free_value) m->free_value(prev);
    return rc;
}

int sl_shardmap_get(sl_shardmap *m, const char *key, void **value)
{
    uint64_t h = hash_key(key);
    struct sl_shardmap_shard *s = shard_of(m, h);
    int rc = -ENOENT;
    pthread_mutex_lock(&s->lock);
    struct sl_shardmap_entry **pp = find(s, key, h);
    if (pp && *pp) {
        if (value) *value = (*pp)->value;
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int sl_shardmap_delete(sl_shardmap *m, const char *key, void **old)
{
    uint64_t h = hash_key(key);
    struct sl_shardmap_shard *s = shard_of(m, h);
    struct sl_shardmap_entry *gone = NULL;
    pthread_mutex_lock(&s->lock);
    struct sl_shardmap_entry **pp = find(s, key, h);
    if (pp && *pp) {
        gone = *pp;
        *pp = gone->next;
        s->count--;
    }
    pthread_mutex_unlock(&s->lock);
    if (!gone) return -ENOENT;
    if (old) *old = gone->value;
    else if (gone->value && m->free_value) m->free_value(gone->value);
    free(gone);
    return 0;
}

int sl_shardmap_update(sl_shardmap *m, const char *key, sl_shardmap_update_fn fn, void *arg)
{
    uint64_t h = hash_key(key);
    struct sl_shardmap_shard *s = shard_of(m, h);
    pthread_mutex_lock(&s->lock);
    struct sl_shardmap_entry **pp = find(s, key, h);
    int rc;
    if (pp && *pp) {
        rc = fn(&(*pp)->value, true, arg);
    } else {
        void *v = NULL;
        rc = fn(&v, false, arg);
        if (rc >= 0 && v) {
            int ins = insert(s, key, h, v);
            if (ins) rc = ins;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void sl_shardmap_each(sl_shardmap *m, sl_shardmap_each_fn fn, void *arg)
{
    for (unsigned i = 0; i < m->nshards; i++) {
        struct sl_shardmap_shard *s = &m->shards[i];
        pthread_mutex_lock(&s->lock);
        for (size_t b = 0; b < s->nbuckets; b++)
            for (struct sl_shardmap_entry *e = s->buckets[b]; e; e = e->next) fn(e->key, e->value, arg);
        pthread_mutex_unlock(&s->lock);
    }
}

size_t sl_shardmap_count(sl_shardmap *m)
{
    size_t n = 0;
    for (unsigned i = 0; i < m->nshards; i++) {
        pthread_mutex_lock(&m->shards[i].lock);
        n += m->shards[i].count;
        pthread_mutex_unlock(&m->shards[i].lock);
    }
    return n;
}

void sl_shardmap_destroy(sl_shardmap *m)
{
    for (unsigned i = 0; i < m->nshards; i++) {
        struct sl_shardmap_shard *s = &m->shards[i];
        for (size_t b = 0; b < s->nbuckets; b++) {
            struct sl_shardmap_entry *e = s->buckets[b];
            while (e) {
                struct sl_shardmap_entry *next = e->next;
                if (e->value && m->free_value) m->free_value(e->value);
                free(e);
                e = next;
            }
        }
        free(s->buckets);
        pthread_mutex_destroy(&s->lock);
    }
    free(m->shards);
    memset(m, 0, sizeof *m);
}
