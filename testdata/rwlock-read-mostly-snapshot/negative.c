/* rwlock-read-mostly-snapshot: rwlocks with real read or write work. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* 1: the reader walks a list under the lock */
struct entry { struct entry *next; int key, val; };
static pthread_rwlock_t list_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct entry *entries;

int list_find(int key)
{
    int v = -1;
    pthread_rwlock_rdlock(&list_rw);
    for (struct entry *e = entries; e; e = e->next)
        if (e->key == key) v = e->val;
    pthread_rwlock_unlock(&list_rw);
    return v;
}

void list_replace(struct entry *head)
{
    pthread_rwlock_wrlock(&list_rw);
    entries = head;
    pthread_rwlock_unlock(&list_rw);
}

/* 2: the reader calls a function on the protected data */
struct map;
int map_get(const struct map *m, const char *k);
static pthread_rwlock_t map_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct map *names;

int name_lookup(const char *k)
{
    pthread_rwlock_rdlock(&map_rw);
    int v = map_get(names, k);
    pthread_rwlock_unlock(&map_rw);
    return v;
}

void names_swap(struct map *m)
{
    pthread_rwlock_wrlock(&map_rw);
    names = m;
    pthread_rwlock_unlock(&map_rw);
}

/* 3: the writer modifies the object in place, field by field */
struct settings { int level; int width; };
static pthread_rwlock_t set_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct settings *settings;

int settings_level(void)
{
    pthread_rwlock_rdlock(&set_rw);
    int l = settings->level;
    pthread_rwlock_unlock(&set_rw);
    return l;
}

void settings_update(int level, int width)
{
    pthread_rwlock_wrlock(&set_rw);
    settings->level = level;
    settings->width = width;
    pthread_rwlock_unlock(&set_rw);
}

/* 4: one rwlock guarding two independent objects */
struct peers { int n; };
struct keys { int n; };
static pthread_rwlock_t state_rw = PTHREAD_RWLOCK_INITIALIZER;   // expect: rwlock-write-heavy
static struct peers *peers;
static struct keys *keys;

int peer_count(void)
{
    pthread_rwlock_rdlock(&state_rw);
    int n = peers->n;
    pthread_rwlock_unlock(&state_rw);
    return n;
}

int key_count(void)
{
    pthread_rwlock_rdlock(&state_rw);
    int n = keys->n;
    pthread_rwlock_unlock(&state_rw);
    return n;
}

void peers_swap(struct peers *p)
{
    pthread_rwlock_wrlock(&state_rw);
    peers = p;
    pthread_rwlock_unlock(&state_rw);
}

void keys_swap(struct keys *k)
{
    pthread_rwlock_wrlock(&state_rw);
    keys = k;
    pthread_rwlock_unlock(&state_rw);
}

/* 5: a big struct copied under the lock (more than a few fields) */
struct profile { char name[64]; char home[128]; int uid; };
static pthread_rwlock_t prof_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct profile profile;

struct profile profile_get(void)
{
    pthread_rwlock_rdlock(&prof_rw);
    struct profile p = profile;
    pthread_rwlock_unlock(&prof_rw);
    return p;
}

void profile_set(const struct profile *p)
{
    pthread_rwlock_wrlock(&prof_rw);
    profile = *p;
    pthread_rwlock_unlock(&prof_rw);
}

/* 6: the writer frees the old object inside the write section */
struct rules { int n; };
static pthread_rwlock_t rules_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct rules *rules;

int rules_count(void)
{
    pthread_rwlock_rdlock(&rules_rw);
    int n = rules->n;
    pthread_rwlock_unlock(&rules_rw);
    return n;
}

void rules_swap(struct rules *r)
{
    pthread_rwlock_wrlock(&rules_rw);
    free(rules);
    rules = r;
    pthread_rwlock_unlock(&rules_rw);
}

/* 7: the reader writes shared memory under the read lock */
struct cache { int hits; int size; };
static pthread_rwlock_t cache_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct cache *cache;

int cache_size(void)
{
    pthread_rwlock_rdlock(&cache_rw);
    int s = cache->size;
    cache->hits++;
    pthread_rwlock_unlock(&cache_rw);
    return s;
}

void cache_swap(struct cache *c)
{
    pthread_rwlock_wrlock(&cache_rw);
    cache = c;
    pthread_rwlock_unlock(&cache_rw);
}

/* 8: a mutex, not a rwlock: there is no reader sharing to lose */
static pthread_mutex_t opt_mu = PTHREAD_MUTEX_INITIALIZER;
struct options { int v; };
static struct options *options;

int options_v(void)
{
    pthread_mutex_lock(&opt_mu);
    int v = options->v;
    pthread_mutex_unlock(&opt_mu);
    return v;
}

void options_swap(struct options *o)
{
    pthread_mutex_lock(&opt_mu);
    options = o;
    pthread_mutex_unlock(&opt_mu);
}

/* 9: readers only: nothing ever replaces the object under the lock */
struct version { int major; };
static pthread_rwlock_t ver_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct version *version;

int version_major(void)
{
    pthread_rwlock_rdlock(&ver_rw);
    int m = version->major;
    pthread_rwlock_unlock(&ver_rw);
    return m;
}

/* 10: the writer builds the new value from the old one in place (read-modify-write) */
static pthread_rwlock_t gen_rw = PTHREAD_RWLOCK_INITIALIZER;
static unsigned long generation;

unsigned long gen_get(void)
{
    pthread_rwlock_rdlock(&gen_rw);
    unsigned long g = generation; // expect: mutex-guarded-counter
    pthread_rwlock_unlock(&gen_rw);
    return g;
}

void gen_bump(void)
{
    pthread_rwlock_wrlock(&gen_rw);
    generation++;   // expect: mutex-guarded-counter
    pthread_rwlock_unlock(&gen_rw);
}
