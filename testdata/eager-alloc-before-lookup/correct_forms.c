/* Lookup first, construct on a miss, re-check: silent.  Also allocations
 * used on both paths and lookups without a lock. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry { struct entry *next; char *key; int refs; };
struct table { pthread_mutex_t mu; struct entry *head; };

struct entry *table_find(struct table *t, const char *key);
void table_insert(struct table *t, struct entry *e);
struct entry *entry_new(const char *key);
void entry_free(struct entry *e);
void log_miss(struct entry *probe);

/* the replacement shape */
struct entry *intern_good(struct table *t, const char *key)
{
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_find(t, key);
    pthread_mutex_unlock(&t->mu);
    if (e)
        return e;
    struct entry *n = entry_new(key);
    pthread_mutex_lock(&t->mu);
    e = table_find(t, key);
    if (!e) {
        table_insert(t, n);
        e = n;
        n = NULL;
    }
    pthread_mutex_unlock(&t->mu);
    entry_free(n);
    return e;
}

/* lookup without a lock (single-threaded setup code) */
struct entry *intern_unlocked(struct table *t, const char *key)
{
    struct entry *n = entry_new(key);
    struct entry *e = table_find(t, key);
    if (e) {
        entry_free(n);
        return e;
    }
    table_insert(t, n);
    return n;
}

/* the new object is used on both paths */
int probe_both(struct table *t, const char *key)
{
    struct entry *probe = entry_new(key);
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_find(t, key);
    if (e)
        e->refs++;
    pthread_mutex_unlock(&t->mu);
    log_miss(probe);
    entry_free(probe);
    return e != NULL;
}

/* freed on the miss path, kept on a hit: not thrown away for a hit */
struct entry *replace_on_hit(struct table *t, const char *key)
{
    struct entry *n = entry_new(key);
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_find(t, key);
    if (!e) {
        pthread_mutex_unlock(&t->mu);
        entry_free(n);
        return NULL;
    }
    n->next = e->next;
    e->next = n;
    pthread_mutex_unlock(&t->mu);
    return n;
}

/* allocated after the lookup missed, under the lock */
struct entry *alloc_after_miss(struct table *t, const char *key)
{
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_find(t, key);
    if (!e) {
        e = entry_new(key);
        table_insert(t, e);
    }
    pthread_mutex_unlock(&t->mu);
    return e;
}

/* a key buffer that is freed on both paths (a temporary, not the entry) */
int count_key(struct table *t, const char *key)
{
    char *k = strdup(key);
    int n = 0;
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_find(t, k);
    if (e)
        n = e->refs;
    pthread_mutex_unlock(&t->mu);
    free(k);
    return n;
}

/* the lock is released before the lookup */
struct entry *lookup_after_unlock(struct table *t, const char *key)
{
    struct entry *n = entry_new(key);
    pthread_mutex_lock(&t->mu);
    n->refs = 1;
    pthread_mutex_unlock(&t->mu);
    struct entry *e = table_find(t, key);
    if (e) {
        entry_free(n);
        return e;
    }
    return n;
}

/* destroyed for a different reason: the test is not on the lookup */
struct entry *other_test(struct table *t, const char *key, int flags)
{
    struct entry *n = entry_new(key);
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_find(t, key);
    if (flags & 1) {
        entry_free(n);
        n = NULL;
    }
    if (!e && n)
        table_insert(t, n);
    pthread_mutex_unlock(&t->mu);
    return e ? e : n;
}

void table_replace(struct table *t, struct entry *old, struct entry *n);

/* the new object replaces the one found: the old one is freed, not the new */
struct entry *upsert(struct table *t, const char *key)
{
    struct entry *n = entry_new(key);
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_find(t, key);
    if (e) {
        table_replace(t, e, n);
        entry_free(e);
    } else {
        table_insert(t, n);
    }
    pthread_mutex_unlock(&t->mu);
    return n;
}

/* a get-or-create helper is the right form, not a lookup */
struct entry *table_get_or_create(struct table *t, const char *key);

struct entry *via_helper(struct table *t, const char *key)
{
    char *k = strdup(key);
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_get_or_create(t, k);
    if (e)
        free(k);
    pthread_mutex_unlock(&t->mu);
    return e;
}
