/* Two more global-lock tables: a per-IP rate limiter indexed by a hash of
 * the address (integer key, no named calls), and a connection-tracking
 * table keyed by a 5-tuple compared with memcmp. */
#include <pthread.h>
#include <string.h>

struct bucket { unsigned ip; unsigned tokens; unsigned long refill_at; int banned; };

/* positive: table[hash(key) % N] in three functions */
static pthread_mutex_t g_rl_mu = PTHREAD_MUTEX_INITIALIZER; // expect: global-lock-hot-map
static struct bucket g_rl[4096];

static unsigned ip_hash(unsigned ip) { return ip * 2654435761u; }

int rl_allow(unsigned ip, unsigned long now)
{
    int ok;
    pthread_mutex_lock(&g_rl_mu);
    struct bucket *b = &g_rl[ip_hash(ip) % 4096];
    if (b->ip != ip || now >= b->refill_at) {
        b->ip = ip;
        b->tokens = 10;
        b->refill_at = now + 1000;
    }
    ok = !b->banned && b->tokens > 0;
    b->tokens -= ok;
    pthread_mutex_unlock(&g_rl_mu);
    return ok;
}

void rl_ban(unsigned ip)
{
    pthread_mutex_lock(&g_rl_mu);
    g_rl[ip_hash(ip) % 4096].ip = ip;
    g_rl[ip_hash(ip) % 4096].banned = 1;
    pthread_mutex_unlock(&g_rl_mu);
}

void rl_forgive(unsigned ip)
{
    pthread_mutex_lock(&g_rl_mu);
    if (g_rl[ip_hash(ip) % 4096].ip == ip) {
        g_rl[ip_hash(ip) % 4096].banned = 0;
        g_rl[ip_hash(ip) % 4096].tokens = 10;
    }
    pthread_mutex_unlock(&g_rl_mu);
}

struct tuple { unsigned saddr, daddr; unsigned short sport, dport; unsigned char proto; };
struct ct_entry { struct tuple t; int state; unsigned long last; };

/* positive: memcmp key loops in three functions */
static pthread_mutex_t g_ct_mu = PTHREAD_MUTEX_INITIALIZER; // expect: global-lock-hot-map
static struct ct_entry g_ct[1024];
static int g_nct;

int ct_state(const struct tuple *t)
{
    int st = -1;
    pthread_mutex_lock(&g_ct_mu);
    for (int i = 0; i < g_nct; i++)
        if (memcmp(&g_ct[i].t, t, sizeof *t) == 0) {
            st = g_ct[i].state;
            break;
        }
    pthread_mutex_unlock(&g_ct_mu);
    return st;
}

int ct_track(const struct tuple *t, unsigned long now)
{
    int i;
    pthread_mutex_lock(&g_ct_mu);
    for (i = 0; i < g_nct; i++)
        if (memcmp(&g_ct[i].t, t, sizeof *t) == 0)
            break;
    if (i == g_nct && g_nct < 1024) {
        g_ct[i].t = *t;
        g_ct[i].state = 0;
        g_nct++;
    }
    if (i < g_nct)
        g_ct[i].last = now;
    pthread_mutex_unlock(&g_ct_mu);
    return i < 1024 ? 0 : -1;
}

void ct_close(const struct tuple *t)
{
    pthread_mutex_lock(&g_ct_mu);
    for (int i = 0; i < g_nct; i++)
        if (memcmp(&g_ct[i].t, t, sizeof *t) == 0) {
            g_ct[i] = g_ct[g_nct - 1];
            g_nct--;
            break;
        }
    pthread_mutex_unlock(&g_ct_mu);
}

/* The receive thread: every packet is rate-limited and tracked (what makes
 * both tables hot). */
static void *rx_thread(void *arg)
{
    const struct tuple *t = arg;
    return rl_allow(t->saddr, 0) && ct_track(t, 0) ? arg : NULL;
}

void start_rx(pthread_t *th, struct tuple *t)
{
    pthread_create(th, NULL, rx_thread, t);
}
