/* Orders made through helpers: holding A, call a function that (through any
 * depth) takes B.  The edge sits at the call made while A is held.  Each
 * order is represented by its FIRST occurrence; the pair's one finding goes
 * to the later of the two. */
#include <pthread.h>
#include <string.h>

struct watch_ev { int kind; char name[32]; };

static pthread_mutex_t g_reg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_evq_mu = PTHREAD_MUTEX_INITIALIZER;
static char g_reg_names[16][32];
static int g_reg_count;
static struct watch_ev g_evq[64];
static unsigned g_evq_head, g_evq_tail;

/* takes the event-queue lock (depth 3 of the chain) */
static void evq_push(int kind, const char *name)
{
    pthread_mutex_lock(&g_evq_mu);
    g_evq[g_evq_tail % 64].kind = kind;
    strncpy(g_evq[g_evq_tail % 64].name, name, 31);
    g_evq_tail++;
    pthread_mutex_unlock(&g_evq_mu);
}

/* depth 2: no lock of its own */
static void notify_watchers(int kind, const char *name)
{
    if (name[0] != '.')
        evq_push(kind, name);
}

/* depth 1 */
static void registry_changed(int kind, const char *name)
{
    notify_watchers(kind, name);
}

/* first occurrence of reg -> evq: the call of registry_changed below */
int reg_add(const char *name)
{
    int rc = -1;
    pthread_mutex_lock(&g_reg_mu);
    if (g_reg_count < 16) {
        strncpy(g_reg_names[g_reg_count], name, 31);
        g_reg_count++;
        registry_changed(1, name);
        rc = 0;
    }
    pthread_mutex_unlock(&g_reg_mu);
    return rc;
}

/* positive: evq -> reg by direct nesting; first occurrence of this order and
 * later in the file than reg_add's, so the pair is reported here */
void evq_drain_checked(void)
{
    pthread_mutex_lock(&g_evq_mu);
    while (g_evq_head != g_evq_tail) {
        struct watch_ev *ev = &g_evq[g_evq_head % 64];
        pthread_mutex_lock(&g_reg_mu); // expect: lock-order-inversion
        if (ev->kind == 1 && g_reg_count == 0)
            ev->kind = 0;
        pthread_mutex_unlock(&g_reg_mu);
        g_evq_head++;
    }
    pthread_mutex_unlock(&g_evq_mu);
}

/* negative line: reg -> evq again, but not its first occurrence, and the
 * pair already has its one finding */
void reg_clear(void)
{
    pthread_mutex_lock(&g_reg_mu);
    memset(g_reg_names, 0, sizeof g_reg_names);
    g_reg_count = 0;
    registry_changed(2, "*");
    pthread_mutex_unlock(&g_reg_mu);
}

/* A write-ahead log and a page cache. */
static pthread_mutex_t g_pages_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_wal_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long g_wal_lsn, g_wal_bytes;
static unsigned long g_page_lsn[128];
static int g_page_dirty[128];

/* first occurrence of wal -> pages (direct) */
void wal_checkpoint(void)
{
    pthread_mutex_lock(&g_wal_mu);
    pthread_mutex_lock(&g_pages_mu);
    for (int i = 0; i < 128; i++)
        if (g_page_lsn[i] <= g_wal_lsn)
            g_page_dirty[i] = 0;
    pthread_mutex_unlock(&g_pages_mu);
    g_wal_bytes = 0;
    pthread_mutex_unlock(&g_wal_mu);
}

static unsigned long wal_reserve(unsigned long len)
{
    pthread_mutex_lock(&g_wal_mu);
    unsigned long lsn = ++g_wal_lsn;
    g_wal_bytes += len;
    pthread_mutex_unlock(&g_wal_mu);
    return lsn;
}

static void page_mark_dirty(int pg, unsigned long len)
{
    g_page_lsn[pg] = wal_reserve(len);
    g_page_dirty[pg] = 1;
}

/* positive: pages -> wal through a helper chain; later than wal_checkpoint,
 * so the finding is at the helper call made while g_pages_mu is held */
void page_write(int pg, unsigned long len)
{
    pthread_mutex_lock(&g_pages_mu);
    page_mark_dirty(pg & 127, len); // expect: lock-order-inversion
    pthread_mutex_unlock(&g_pages_mu);
}
