/* Three more keyed tables behind one file-scope lock each, with the other
 * lock kinds and key shapes: a spinlock over an fd -> handler map (integer
 * keys, lookups through calls named get/put/del), a C11 mutex over a symbol
 * intern table (string keys, strcmp loops), a rwlock over a DNS cache. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct fdmap;
void *fdmap_get(struct fdmap *m, int fd);
int fdmap_put(struct fdmap *m, int fd, void *h);
void *fdmap_del(struct fdmap *m, int fd);

/* positive: spinlock, integer key, three functions */
static pthread_spinlock_t g_fd_spin; // expect: global-lock-hot-map
static struct fdmap *g_fds;

void fd_table_init(struct fdmap *m)
{
    pthread_spin_init(&g_fd_spin, PTHREAD_PROCESS_PRIVATE);
    g_fds = m;
}

void *fd_handler(int fd)
{
    void *h;
    pthread_spin_lock(&g_fd_spin);
    h = fdmap_get(g_fds, fd);
    pthread_spin_unlock(&g_fd_spin);
    return h;
}

int fd_watch(int fd, void *h)
{
    int rc;
    pthread_spin_lock(&g_fd_spin);
    rc = fdmap_put(g_fds, fd, h);
    pthread_spin_unlock(&g_fd_spin);
    return rc;
}

void *fd_unwatch(int fd)
{
    void *h;
    pthread_spin_lock(&g_fd_spin);
    h = fdmap_del(g_fds, fd);
    pthread_spin_unlock(&g_fd_spin);
    return h;
}

/* positive: C11 mutex, string keys compared in loops, three functions */
static mtx_t g_sym_mu; // expect: global-lock-hot-map
static char g_syms[512][24];
static int g_nsyms;

void sym_table_init(void)
{
    mtx_init(&g_sym_mu, mtx_plain);
}

int sym_find(const char *name)
{
    int id = -1;
    mtx_lock(&g_sym_mu);
    for (int i = 0; i < g_nsyms; i++)
        if (strcmp(g_syms[i], name) == 0) {
            id = i;
            break;
        }
    mtx_unlock(&g_sym_mu);
    return id;
}

int sym_intern(const char *name)
{
    int id = -1;
    mtx_lock(&g_sym_mu);
    for (int i = 0; i < g_nsyms; i++)
        if (strcmp(g_syms[i], name) == 0)
            id = i;
    if (id < 0 && g_nsyms < 512) {
        strncpy(g_syms[g_nsyms], name, 23);
        id = g_nsyms++;
    }
    mtx_unlock(&g_sym_mu);
    return id;
}

int sym_forget(const char *name)
{
    int rc = -1;
    mtx_lock(&g_sym_mu);
    for (int i = 0; i < g_nsyms; i++)
        if (strcmp(g_syms[i], name) == 0) {
            g_syms[i][0] = '\0';
            rc = 0;
        }
    mtx_unlock(&g_sym_mu);
    return rc;
}

/* positive: a rwlock is a global lock too (read-mostly, so not
 * rwlock-write-heavy): one table, three keyed functions */
struct dns_rec { char name[64]; unsigned addr; unsigned long ttl; };
static pthread_rwlock_t g_dns_rw = PTHREAD_RWLOCK_INITIALIZER; // expect: global-lock-hot-map
static struct dns_rec g_dns[256];

unsigned dns_lookup(const char *name, unsigned long now)
{
    unsigned addr = 0;
    pthread_rwlock_rdlock(&g_dns_rw);
    for (int i = 0; i < 256; i++) {
        if (g_dns[i].ttl > now && strcmp(g_dns[i].name, name) == 0) {
            addr = g_dns[i].addr;
            break;
        }
    }
    pthread_rwlock_unlock(&g_dns_rw);
    return addr;
}

void dns_put(const char *name, unsigned addr, unsigned long ttl)
{
    int slot = 0;
    pthread_rwlock_wrlock(&g_dns_rw);
    for (int i = 0; i < 256; i++) {
        if (strcmp(g_dns[i].name, name) == 0 || g_dns[i].ttl < g_dns[slot].ttl) {
            slot = i;
            if (g_dns[i].name[0] && strcmp(g_dns[i].name, name) == 0)
                break;
        }
    }
    strncpy(g_dns[slot].name, name, 63);
    g_dns[slot].addr = addr;
    g_dns[slot].ttl = ttl;
    pthread_rwlock_unlock(&g_dns_rw);
}

void dns_evict(const char *name)
{
    pthread_rwlock_wrlock(&g_dns_rw);
    for (int i = 0; i < 256; i++)
        if (strcmp(g_dns[i].name, name) == 0)
            g_dns[i].ttl = 0;
    pthread_rwlock_unlock(&g_dns_rw);
}

/* The parser threads intern every identifier they read (sym_find runs on
 * them: the symbol table is hot). */
static void *parser_thread(void *arg)
{
    return sym_find(arg) >= 0 ? arg : NULL;
}

void start_parsers(pthread_t *t, int n, char *first)
{
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, parser_thread, first);
}

/* The resolver threads answer every query from the cache (dns_lookup runs
 * on them). */
static void *resolver_thread(void *arg)
{
    return dns_lookup(arg, 0) ? arg : NULL;
}

void start_resolvers(pthread_t *t, int n, char *name)
{
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, resolver_thread, name);
}
