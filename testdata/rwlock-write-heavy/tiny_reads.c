/* Read sections that are all tiny (no call inside, at most one statement):
 * the rwlock costs more than the copy it protects.  One finding per rwlock,
 * at its declaration; a struct field rwlock at the field. */
#include <pthread.h>
#include <string.h>

struct limits { unsigned rate, burst, conns; };

/* positive: two read sections, each one struct copy */
static pthread_rwlock_t g_limits_rw = PTHREAD_RWLOCK_INITIALIZER; // expect: rwlock-write-heavy
static struct limits g_limits;
static unsigned long g_limits_gen;

void limits_get(struct limits *out)
{
    pthread_rwlock_rdlock(&g_limits_rw);
    *out = g_limits;
    pthread_rwlock_unlock(&g_limits_rw);
}

unsigned limits_rate(void)
{
    unsigned r;
    pthread_rwlock_rdlock(&g_limits_rw);
    r = g_limits.rate;
    pthread_rwlock_unlock(&g_limits_rw);
    return r;
}

void limits_set(const struct limits *l)
{
    pthread_rwlock_wrlock(&g_limits_rw);
    g_limits = *l;
    g_limits_gen++;
    pthread_rwlock_unlock(&g_limits_rw);
}

struct route_entry { unsigned prefix, mask, gw; };

struct route_cache {
    pthread_rwlock_t rw; // expect: rwlock-write-heavy
    struct route_entry *entries;
    int nentries;
    unsigned default_gw;
    unsigned long version;
};

/* positive (with the field above): three one-statement read sections */
unsigned long rc_version(struct route_cache *c)
{
    unsigned long v;
    pthread_rwlock_rdlock(&c->rw);
    v = c->version;
    pthread_rwlock_unlock(&c->rw);
    return v;
}

unsigned rc_default_gw(struct route_cache *c)
{
    unsigned gw;
    pthread_rwlock_rdlock(&c->rw);
    gw = c->default_gw;
    pthread_rwlock_unlock(&c->rw);
    return gw;
}

int rc_size(struct route_cache *c)
{
    int n;
    pthread_rwlock_rdlock(&c->rw);
    n = c->nentries;
    pthread_rwlock_unlock(&c->rw);
    return n;
}

void rc_rebuild(struct route_cache *c, struct route_entry *e, int n, unsigned gw)
{
    pthread_rwlock_wrlock(&c->rw);
    c->entries = e;
    c->nentries = n;
    c->default_gw = gw;
    c->version++;
    pthread_rwlock_unlock(&c->rw);
}

/* negative: tiny, but only ONE read section (the rule needs two) */
static pthread_rwlock_t g_motd_rw = PTHREAD_RWLOCK_INITIALIZER;
static const char *g_motd;
static unsigned long g_motd_gen;

const char *motd_current(void)
{
    const char *m;
    pthread_rwlock_rdlock(&g_motd_rw);
    m = g_motd;
    pthread_rwlock_unlock(&g_motd_rw);
    return m;
}

void motd_set(const char *m)
{
    pthread_rwlock_wrlock(&g_motd_rw);
    g_motd = m;
    g_motd_gen++;
    pthread_rwlock_unlock(&g_motd_rw);
}

/* negative: two tiny read sections, but a third one does real work (a loop
 * with a call), so the read sections are not ALL tiny; reads 3 > writes 1 */
struct dir_entry { char name[32]; unsigned inode; };
struct dir_cache {
    pthread_rwlock_t rw;
    struct dir_entry ents[64];
    int n;
    unsigned long mtime;
};

int dc_count(struct dir_cache *d)
{
    int n;
    pthread_rwlock_rdlock(&d->rw);
    n = d->n;
    pthread_rwlock_unlock(&d->rw);
    return n;
}

unsigned long dc_mtime(struct dir_cache *d)
{
    unsigned long t;
    pthread_rwlock_rdlock(&d->rw);
    t = d->mtime;
    pthread_rwlock_unlock(&d->rw);
    return t;
}

unsigned dc_find(struct dir_cache *d, const char *name)
{
    unsigned ino = 0;
    pthread_rwlock_rdlock(&d->rw);
    for (int i = 0; i < d->n; i++) {
        if (strcmp(d->ents[i].name, name) == 0) {
            ino = d->ents[i].inode;
            break;
        }
    }
    pthread_rwlock_unlock(&d->rw);
    return ino;
}

void dc_refill(struct dir_cache *d, const struct dir_entry *e, int n, unsigned long mtime)
{
    pthread_rwlock_wrlock(&d->rw);
    memcpy(d->ents, e, (size_t)n * sizeof *e);
    d->n = n;
    d->mtime = mtime;
    pthread_rwlock_unlock(&d->rw);
}
