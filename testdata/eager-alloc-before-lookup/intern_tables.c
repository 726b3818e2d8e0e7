/* Objects built before a locked lookup and thrown away on a hit. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct entry { struct entry *next; char *key; int refs; };
struct table { pthread_mutex_t mu; struct entry *buckets[64]; };
struct ctable { mtx_t mu; struct entry *head; };

static pthread_mutex_t names_mu = PTHREAD_MUTEX_INITIALIZER;
static struct table names;

struct entry *table_find(struct table *t, const char *key);
void table_insert(struct table *t, struct entry *e);
struct entry *entry_new(const char *key);
void entry_free(struct entry *e);
char *name_lookup(const char *key);
void name_add(char *s);
void *xmalloc(size_t n);

struct entry *intern(struct table *t, const char *key)
{
    struct entry *n = entry_new(key); // expect: eager-alloc-before-lookup
    pthread_mutex_lock(&t->mu);
    struct entry *e = table_find(t, key);
    if (e) {
        pthread_mutex_unlock(&t->mu);
        entry_free(n);
        return e;
    }
    table_insert(t, n);
    pthread_mutex_unlock(&t->mu);
    return n;
}

/* malloc'd node, lookup in the condition */
struct entry *intern_malloc(struct table *t, const char *key)
{
    struct entry *n = malloc(sizeof *n); // expect: eager-alloc-before-lookup
    struct entry *e;
    if (!n)
        return NULL;
    n->refs = 1;
    pthread_mutex_lock(&t->mu);
    if ((e = table_find(t, key)) != NULL) {
        e->refs++;
        pthread_mutex_unlock(&t->mu);
        free(n);
        return e;
    }
    table_insert(t, n);
    pthread_mutex_unlock(&t->mu);
    return n;
}

/* strdup'd key, a global lock, the miss branch first */
const char *intern_name(const char *key)
{
    char *copy = strdup(key); // expect: eager-alloc-before-lookup
    const char *r;
    pthread_mutex_lock(&names_mu);
    char *old = name_lookup(key);
    if (old == NULL) {
        name_add(copy);
        r = copy;
    } else {
        free(copy);
        r = old;
    }
    pthread_mutex_unlock(&names_mu);
    return r;
}

/* xmalloc wrapper, C11 mtx, negated test with the hit in the else branch */
struct entry *ctable_get_or_add(struct ctable *t, const char *key)
{
    struct entry *n = xmalloc(sizeof *n); // expect: eager-alloc-before-lookup
    mtx_lock(&t->mu);
    struct entry *e = t->head;
    struct entry *hit = NULL;
    for (; e; e = e->next)
        if (!strcmp(e->key, key))
            break;
    hit = table_find(&names, key);
    if (!hit) {
        n->next = t->head;
        t->head = n;
        hit = n;
    } else {
        free(n);
    }
    mtx_unlock(&t->mu);
    return hit;
}

/* allocated under the lock, before the lookup: worse, everyone waits */
struct entry *intern_under_lock(struct table *t, const char *key)
{
    pthread_mutex_lock(&t->mu);
    struct entry *n = calloc(1, sizeof *n); // expect: eager-alloc-before-lookup
    struct entry *e = table_find(t, key);
    if (e != NULL) {
        free(n);
        n = e;
    } else {
        table_insert(t, n);
    }
    pthread_mutex_unlock(&t->mu);
    return n;
}
