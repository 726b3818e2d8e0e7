/* rwlock-read-mostly-snapshot: readers load one object, writers swap it. */
#include <pthread.h>
#include <stdlib.h>

/* 1: the config reload: a global pointer */
struct config { int timeout; int retries; char name[32]; };
static pthread_rwlock_t cfg_lock = PTHREAD_RWLOCK_INITIALIZER;   // expect: rwlock-write-heavy
static struct config *cfg;

int cfg_timeout(void)
{
    pthread_rwlock_rdlock(&cfg_lock);   // expect: rwlock-read-mostly-snapshot
    int t = cfg->timeout;
    pthread_rwlock_unlock(&cfg_lock);
    return t;
}

int cfg_retries(void)
{
    pthread_rwlock_rdlock(&cfg_lock);
    int r = cfg ? cfg->retries : 3;
    pthread_rwlock_unlock(&cfg_lock);
    return r;
}

void cfg_reload(struct config *next)
{
    pthread_rwlock_wrlock(&cfg_lock);
    struct config *old = cfg;
    cfg = next;
    pthread_rwlock_unlock(&cfg_lock);
    free(old);
}

/* 2: a pointer field; the reader uses the pointer after unlocking (the
 * dangerous shape: the writer frees the old table) */
struct routes { int n; int hops[16]; };
struct router { pthread_rwlock_t rw; struct routes *table; };

int router_hops(struct router *r, int dst)
{
    pthread_rwlock_rdlock(&r->rw);   // expect: rwlock-read-mostly-snapshot
    struct routes *t = r->table;
    pthread_rwlock_unlock(&r->rw);
    return dst < t->n ? t->hops[dst] : -1;
}

void router_replace(struct router *r, struct routes *next)
{
    struct routes *old;
    pthread_rwlock_wrlock(&r->rw);
    old = r->table;
    r->table = next;
    pthread_rwlock_unlock(&r->rw);
    free(old);
}

/* 3: a small struct copied by value both ways */
struct limits { long soft, hard; int flags; };
static pthread_rwlock_t lim_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct limits lim;

struct limits limits_get(void)
{
    pthread_rwlock_rdlock(&lim_rw);   // expect: rwlock-read-mostly-snapshot
    struct limits l = lim;
    pthread_rwlock_unlock(&lim_rw);
    return l;
}

void limits_set(struct limits l)
{
    pthread_rwlock_wrlock(&lim_rw);
    lim = l;
    pthread_rwlock_unlock(&lim_rw);
}

/* 4: scalar members of a small global read, the whole struct replaced */
struct mode { int level; int verbose; };
static pthread_rwlock_t mode_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct mode cur_mode;

int mode_noisy(void)
{
    pthread_rwlock_rdlock(&mode_rw);   // expect: rwlock-read-mostly-snapshot
    int lvl = cur_mode.level;
    int v = cur_mode.verbose;
    pthread_rwlock_unlock(&mode_rw);
    return lvl > 2 || v;
}

void mode_set(struct mode m)
{
    pthread_rwlock_wrlock(&mode_rw);
    cur_mode = m;
    pthread_rwlock_unlock(&mode_rw);
}

/* 5: lock macros, and a reader with an out-parameter */
static pthread_rwlock_t feat_rw = PTHREAD_RWLOCK_INITIALIZER;
#define FEAT_RDLOCK() pthread_rwlock_rdlock(&feat_rw)
#define FEAT_WRLOCK() pthread_rwlock_wrlock(&feat_rw)
#define FEAT_UNLOCK() pthread_rwlock_unlock(&feat_rw)
struct features { unsigned bits; };
static const struct features *features;

void features_get(unsigned *out)
{
    FEAT_RDLOCK();   // expect: rwlock-read-mostly-snapshot
    *out = features->bits;
    FEAT_UNLOCK();
}

void features_swap(const struct features *next)
{
    FEAT_WRLOCK();
    features = next;
    FEAT_UNLOCK();
}

/* 6: try-read-lock with a fallback */
static pthread_rwlock_t pol_rw = PTHREAD_RWLOCK_INITIALIZER;
struct policy { int allow; };
static struct policy *policy;

int policy_allows(void)
{
    if (pthread_rwlock_tryrdlock(&pol_rw) != 0)   // expect: rwlock-read-mostly-snapshot
        return 0;
    int a = policy->allow;
    pthread_rwlock_unlock(&pol_rw);
    return a;
}

void policy_set(struct policy *p)
{
    pthread_rwlock_wrlock(&pol_rw);
    policy = p;
    pthread_rwlock_unlock(&pol_rw);
}

/* 7: the writer has a goto cleanup path around the swap */
static pthread_rwlock_t acl_rw = PTHREAD_RWLOCK_INITIALIZER;
struct acl { int n; };
static struct acl *acl;
struct acl *acl_parse(const char *text);

int acl_size(void)
{
    pthread_rwlock_rdlock(&acl_rw);   // expect: rwlock-read-mostly-snapshot
    int n = acl->n;
    pthread_rwlock_unlock(&acl_rw);
    return n;
}

int acl_reload(const char *text)
{
    struct acl *next = acl_parse(text), *old;
    if (!next) goto fail;
    pthread_rwlock_wrlock(&acl_rw);
    old = acl;
    acl = next;
    pthread_rwlock_unlock(&acl_rw);
    free(old);
    return 0;
fail:
    return -1;
}

/* 8: #ifdef'd tracing that is compiled out of the read section */
static pthread_rwlock_t dns_rw = PTHREAD_RWLOCK_INITIALIZER;
struct resolver { int ttl; };
static struct resolver *resolver;

int dns_ttl(void)
{
    pthread_rwlock_rdlock(&dns_rw);   // expect: rwlock-read-mostly-snapshot
#ifdef DNS_TRACE
    trace("ttl");
#endif
    int ttl = resolver->ttl;
    pthread_rwlock_unlock(&dns_rw);
    return ttl;
}

void dns_swap(struct resolver *r)
{
    pthread_rwlock_wrlock(&dns_rw);
    resolver = r;
    pthread_rwlock_unlock(&dns_rw);
}
