/* Correct look-alikes: a keyed table used under its global lock in only two
 * functions, a buffer pool whose get/put take no key, a striped (per-bucket)
 * lock array, a struct-field lock, and an append-only event log. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct kv { char key[32]; int val; int used; };

/* negative: keyed in two functions (get, set); clear / count / copy walk
 * the whole table without a key */
static pthread_mutex_t g_opts_mu = PTHREAD_MUTEX_INITIALIZER;
static struct kv g_opts[32];

int opt_get(const char *key, int *val)
{
    int rc = -1;
    pthread_mutex_lock(&g_opts_mu);
    for (int i = 0; i < 32; i++)
        if (g_opts[i].used && strcmp(g_opts[i].key, key) == 0) {
            *val = g_opts[i].val;
            rc = 0;
            break;
        }
    pthread_mutex_unlock(&g_opts_mu);
    return rc;
}

int opt_set(const char *key, int val)
{
    int free_slot = -1;
    pthread_mutex_lock(&g_opts_mu);
    for (int i = 0; i < 32; i++) {
        if (g_opts[i].used && strcmp(g_opts[i].key, key) == 0) {
            free_slot = i;
            break;
        }
        if (!g_opts[i].used && free_slot < 0)
            free_slot = i;
    }
    if (free_slot >= 0) {
        strncpy(g_opts[free_slot].key, key, 31);
        g_opts[free_slot].val = val;
        g_opts[free_slot].used = 1;
    }
    pthread_mutex_unlock(&g_opts_mu);
    return free_slot >= 0 ? 0 : -1;
}

void opt_clear(void)
{
    pthread_mutex_lock(&g_opts_mu);
    memset(g_opts, 0, sizeof g_opts);
    pthread_mutex_unlock(&g_opts_mu);
}

int opt_count(void)
{
    int n = 0;
    pthread_mutex_lock(&g_opts_mu);
    for (int i = 0; i < 32; i++)
        n += g_opts[i].used;
    pthread_mutex_unlock(&g_opts_mu);
    return n;
}

void opt_copy(struct kv out[32])
{
    pthread_mutex_lock(&g_opts_mu);
    memcpy(out, g_opts, sizeof g_opts);
    pthread_mutex_unlock(&g_opts_mu);
}

/* negative: a free list of buffers; "get"/"put"/"add" calls take no key */
struct buf { struct buf *next; char data[2048]; };
static pthread_mutex_t g_bufs_mu = PTHREAD_MUTEX_INITIALIZER;
static struct buf *g_free_bufs;
static int g_nfree;

static struct buf *freelist_get(struct buf **head)
{
    struct buf *b = *head;
    if (b)
        *head = b->next;
    return b;
}

static void freelist_put(struct buf **head, struct buf *b)
{
    b->next = *head;
    *head = b;
}

struct buf *buf_take(void)
{
    struct buf *b;
    pthread_mutex_lock(&g_bufs_mu);
    b = freelist_get(&g_free_bufs);
    g_nfree -= b != NULL;
    pthread_mutex_unlock(&g_bufs_mu);
    return b ? b : malloc(sizeof *b);
}

void buf_give(struct buf *b)
{
    pthread_mutex_lock(&g_bufs_mu);
    freelist_put(&g_free_bufs, b);
    g_nfree++;
    pthread_mutex_unlock(&g_bufs_mu);
}

void buf_add_many(struct buf **bs, int n)
{
    pthread_mutex_lock(&g_bufs_mu);
    for (int i = 0; i < n; i++)
        freelist_put(&g_free_bufs, bs[i]);
    g_nfree += n;
    pthread_mutex_unlock(&g_bufs_mu);
}

/* negative: already striped - one lock per bucket, indexed by the hash */
#define NSTRIPE 64
struct node { unsigned key; void *val; struct node *next; };
static pthread_mutex_t g_stripe_mu[NSTRIPE];
static struct node *g_stripe[NSTRIPE];

static unsigned hash_u32(unsigned k) { return (k * 2654435761u) >> 26; }

void stripes_init(void)
{
    for (int i = 0; i < NSTRIPE; i++)
        pthread_mutex_init(&g_stripe_mu[i], NULL);
}

void *striped_find(unsigned key)
{
    unsigned b = hash_u32(key) % NSTRIPE;
    void *v = NULL;
    pthread_mutex_lock(&g_stripe_mu[b]);
    for (struct node *n = g_stripe[b]; n; n = n->next)
        if (n->key == key) {
            v = n->val;
            break;
        }
    pthread_mutex_unlock(&g_stripe_mu[b]);
    return v;
}

void striped_insert(struct node *n)
{
    unsigned b = hash_u32(n->key) % NSTRIPE;
    pthread_mutex_lock(&g_stripe_mu[b]);
    n->next = g_stripe[b];
    g_stripe[b] = n;
    pthread_mutex_unlock(&g_stripe_mu[b]);
}

struct node *striped_remove(unsigned key)
{
    unsigned b = hash_u32(key) % NSTRIPE;
    struct node *hit = NULL;
    pthread_mutex_lock(&g_stripe_mu[b]);
    for (struct node **pp = &g_stripe[b]; *pp; pp = &(*pp)->next)
        if ((*pp)->key == key) {
            hit = *pp;
            *pp = hit->next;
            break;
        }
    pthread_mutex_unlock(&g_stripe_mu[b]);
    return hit;
}

/* negative: the lock is a struct field (one per map object), not file scope */
struct intmap { pthread_mutex_t mu; struct node *slots[256]; };

void *intmap_get(struct intmap *m, unsigned key)
{
    void *v = NULL;
    pthread_mutex_lock(&m->mu);
    for (struct node *n = m->slots[hash_u32(key) & 255]; n; n = n->next)
        if (n->key == key)
            v = n->val;
    pthread_mutex_unlock(&m->mu);
    return v;
}

void intmap_put(struct intmap *m, struct node *n)
{
    pthread_mutex_lock(&m->mu);
    n->next = m->slots[hash_u32(n->key) & 255];
    m->slots[hash_u32(n->key) & 255] = n;
    pthread_mutex_unlock(&m->mu);
}

struct node *intmap_del(struct intmap *m, unsigned key)
{
    struct node *hit = NULL;
    pthread_mutex_lock(&m->mu);
    for (struct node **pp = &m->slots[hash_u32(key) & 255]; *pp; pp = &(*pp)->next)
        if ((*pp)->key == key) {
            hit = *pp;
            *pp = hit->next;
            break;
        }
    pthread_mutex_unlock(&m->mu);
    return hit;
}

/* negative: an append-only event log: append, drain, size - no key */
struct event { int kind; unsigned long ts; };
static pthread_mutex_t g_log_mu = PTHREAD_MUTEX_INITIALIZER;
static struct event g_log[1024];
static unsigned g_log_len;

void log_append(int kind, unsigned long ts)
{
    pthread_mutex_lock(&g_log_mu);
    if (g_log_len < 1024) {
        g_log[g_log_len].kind = kind;
        g_log[g_log_len].ts = ts;
        g_log_len++;
    }
    pthread_mutex_unlock(&g_log_mu);
}

unsigned log_drain(struct event *out, unsigned max)
{
    unsigned n;
    pthread_mutex_lock(&g_log_mu);
    n = g_log_len < max ? g_log_len : max;
    memcpy(out, g_log, n * sizeof *out);
    g_log_len = 0;
    pthread_mutex_unlock(&g_log_mu);
    return n;
}

unsigned log_pending(unsigned long *oldest)
{
    unsigned n;
    pthread_mutex_lock(&g_log_mu);
    n = g_log_len;
    *oldest = n ? g_log[0].ts : 0;
    pthread_mutex_unlock(&g_log_mu);
    return n;
}

/* negative: a registry of output drivers keyed by name behind one global
 * lock in three functions - but every one of them is set-up or
 * administration (register, unregister, show): a cold table, nothing to
 * shard */
struct driver;
struct driver *drv_map_find(const char *name);
void drv_map_insert(const char *name, struct driver *d);
void drv_map_erase(const char *name);
void drv_map_print(void);
static pthread_mutex_t g_drivers_mu = PTHREAD_MUTEX_INITIALIZER;

void driver_register(const char *name, struct driver *d)
{
    pthread_mutex_lock(&g_drivers_mu);
    if (!drv_map_find(name))
        drv_map_insert(name, d);
    pthread_mutex_unlock(&g_drivers_mu);
}

void driver_unregister(const char *name)
{
    pthread_mutex_lock(&g_drivers_mu);
    drv_map_erase(name);
    pthread_mutex_unlock(&g_drivers_mu);
}

void drivers_show(const char *name)
{
    pthread_mutex_lock(&g_drivers_mu);
    if (drv_map_find(name))
        drv_map_print();
    pthread_mutex_unlock(&g_drivers_mu);
}
