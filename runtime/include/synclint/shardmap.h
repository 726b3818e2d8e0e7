/* shardmap.h - a string-keyed map split into shards, each with its own
 * cache-line-padded lock: threads working on different keys rarely meet.
 *
 * Interface:
 *   sl_shardmap
 *     sl_shardmap_init(m, nshards, free_value)     -> 0 | -EINVAL | -ENOMEM
 *     sl_shardmap_destroy(m)                       frees keys, and values via free_value
 *     sl_shardmap_put(m, key, value, &old)         insert or replace -> 0 | -ENOMEM
 *     sl_shardmap_get(m, key, &value)              -> 0 | -ENOENT
 *     sl_shardmap_delete(m, key, &old)             -> 0 | -ENOENT
 *     sl_shardmap_update(m, key, fn, arg)          fn(&value_slot, found, arg) under the
 *                                                  shard lock: read-modify-write, insert
 *                                                  if absent              -> fn's result | -ENOMEM
 *     sl_shardmap_each(m, fn, arg)                 visit every entry, one shard at a time
 *     sl_shardmap_count(m)
 *
 * Replaces: one global mutex around a hash table that many threads hit
 * (sync-lint rule global-lock-hot-map).
 * Ownership: keys are copied; values are the caller's pointers.  put and
 * delete hand the replaced/removed value back through *old (the caller owns
 * it again) when old is non-NULL, else free it with free_value.  get returns
 * the stored pointer without transferring ownership: if another thread may
 * delete or replace it, use update (which runs under the shard lock) or
 * store refcounted values.
 * Blocking: every call takes one shard mutex (each for all shards in turn:
 * each, destroy is not thread-safe).  Callbacks run with the shard lock
 * held: they must not call back into the same map.
 * Memory order: the shard mutex orders everything done under it.
 */
#ifndef SYNCLINT_SHARDMAP_H
#define SYNCLINT_SHARDMAP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "synclint/pad.h"

struct sl_shardmap_entry;

struct sl_shardmap_shard {
    SL_ALIGNED_LINE pthread_mutex_t lock;
    struct sl_shardmap_entry **buckets;
    size_t nbuckets, count;
};

typedef struct sl_shardmap {
    struct sl_shardmap_shard *shards;
    unsigned nshards;          /* power of two */
    void (*free_value)(void *);
} sl_shardmap;

typedef int (*sl_shardmap_update_fn)(void **value, bool found, void *arg);
typedef void (*sl_shardmap_each_fn)(const char *key, void *value, void *arg);

int sl_shardmap_init(sl_shardmap *m, unsigned nshards, void (*free_value)(void *));
void sl_shardmap_destroy(sl_shardmap *m);
int sl_shardmap_put(sl_shardmap *m, const char *key, void *value, void **old);
int sl_shardmap_get(sl_shardmap *m, const char *key, void **value);
int sl_shardmap_delete(sl_shardmap *m, const char *key, void **old);
int sl_shardmap_update(sl_shardmap *m, const char *key, sl_shardmap_update_fn fn, void *arg);
void sl_shardmap_each(sl_shardmap *m, sl_shardmap_each_fn fn, void *arg);
size_t sl_shardmap_count(sl_shardmap *m);

#endif
