/* Every lock API forms classes: C11 mtx_t and pthread rwlocks (a reader
 * holding a rwlock can deadlock against a mutex taken the other way round
 * once a writer is queued). */
#include <pthread.h>
#include <threads.h>

static mtx_t g_jobs_mu;
static mtx_t g_workers_mu;
static int g_jobs_pending, g_jobs_done;
static int g_workers_idle, g_workers_total;

/* setup: no nesting */
void sched_init(void)
{
    mtx_init(&g_jobs_mu, mtx_plain);
    mtx_init(&g_workers_mu, mtx_plain);
}

/* first occurrence of jobs -> workers */
int sched_assign(void)
{
    int ok = 0;
    mtx_lock(&g_jobs_mu);
    if (g_jobs_pending > 0) {
        mtx_lock(&g_workers_mu);
        if (g_workers_idle > 0) {
            g_workers_idle--;
            g_jobs_pending--;
            ok = 1;
        }
        mtx_unlock(&g_workers_mu);
    }
    mtx_unlock(&g_jobs_mu);
    return ok;
}

/* positive: workers -> jobs with C11 mutexes */
void worker_done(void)
{
    mtx_lock(&g_workers_mu);
    g_workers_idle++;
    if (g_workers_idle > g_workers_total)
        g_workers_idle = g_workers_total;
    mtx_lock(&g_jobs_mu); // expect: lock-order-inversion
    g_jobs_done++;
    g_jobs_pending -= g_jobs_pending > 0;
    mtx_unlock(&g_jobs_mu);
    mtx_unlock(&g_workers_mu);
}

struct route { unsigned prefix, mask; int ifindex; };

static pthread_rwlock_t g_routes_rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t g_ifaces_mu = PTHREAD_MUTEX_INITIALIZER;
static struct route g_routes[64];
static int g_nroutes;
static int g_iface_up[16];
static int g_iface_routes[16];

/* first occurrence of routes -> ifaces (a reader of the route table takes
 * the interface lock) */
int route_resolve(unsigned addr)
{
    int ifx = -1;
    pthread_rwlock_rdlock(&g_routes_rw);
    for (int i = 0; i < g_nroutes; i++) {
        if ((addr & g_routes[i].mask) != g_routes[i].prefix)
            continue;
        pthread_mutex_lock(&g_ifaces_mu);
        if (g_iface_up[g_routes[i].ifindex & 15])
            ifx = g_routes[i].ifindex;
        pthread_mutex_unlock(&g_ifaces_mu);
        break;
    }
    pthread_rwlock_unlock(&g_routes_rw);
    return ifx;
}

/* positive: ifaces -> routes (write lock), the opposite order */
void iface_down(int ifx)
{
    pthread_mutex_lock(&g_ifaces_mu);
    g_iface_up[ifx & 15] = 0;
    pthread_rwlock_wrlock(&g_routes_rw); // expect: lock-order-inversion
    for (int i = 0; i < g_nroutes; i++)
        if (g_routes[i].ifindex == ifx)
            g_routes[i].mask = 0xffffffffu;
    g_iface_routes[ifx & 15] = 0;
    pthread_rwlock_unlock(&g_routes_rw);
    pthread_mutex_unlock(&g_ifaces_mu);
}
