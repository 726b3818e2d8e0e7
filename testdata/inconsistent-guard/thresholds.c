/* Listener configuration globals behind g_cfg_mu, with the site counts
 * chosen at the rule's thresholds (at least 3 guarded sites, and guarded at
 * least 75% of all counted sites).  Every access is one plain expression. */
#include <pthread.h>

struct cfg_view { int port, backlog, timeout, retries; };

static pthread_mutex_t g_cfg_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_cfg_port;      /* 3 guarded, 1 unguarded: 75%, one finding   */
static int g_cfg_backlog;   /* 2 guarded, 1 unguarded: too few, no finding */
static int g_cfg_timeout;   /* 3 guarded, 2 unguarded: 60%, no finding     */
static int g_cfg_retries;   /* 6 guarded, 2 unguarded: 75%, two findings   */

void cfg_set_listen(int port, int backlog)
{
    pthread_mutex_lock(&g_cfg_mu);
    g_cfg_port = port;
    g_cfg_backlog = backlog;
    g_cfg_retries = 3;
    pthread_mutex_unlock(&g_cfg_mu);
}

void cfg_set_timeouts(int timeout, int retries)
{
    pthread_mutex_lock(&g_cfg_mu);
    g_cfg_timeout = timeout;
    g_cfg_retries = retries;
    pthread_mutex_unlock(&g_cfg_mu);
}

void cfg_read(struct cfg_view *v)
{
    pthread_mutex_lock(&g_cfg_mu);
    v->port = g_cfg_port;
    v->backlog = g_cfg_backlog;
    v->timeout = g_cfg_timeout;
    v->retries = g_cfg_retries;
    pthread_mutex_unlock(&g_cfg_mu);
}

void cfg_rebind(int port, int timeout)
{
    pthread_mutex_lock(&g_cfg_mu);
    g_cfg_port = port;
    g_cfg_timeout = timeout;
    pthread_mutex_unlock(&g_cfg_mu);
}

int cfg_retry_budget(int attempt)
{
    int left;
    pthread_mutex_lock(&g_cfg_mu);
    left = g_cfg_retries;
    pthread_mutex_unlock(&g_cfg_mu);
    return left - attempt;
}

void cfg_no_retries(int *old)
{
    pthread_mutex_lock(&g_cfg_mu);
    *old = g_cfg_retries;
    g_cfg_retries = 0;
    pthread_mutex_unlock(&g_cfg_mu);
}

/* positive: port is guarded at 3 of 4 sites */
int cfg_port_racy(void)
{
    return g_cfg_port; // expect: inconsistent-guard
}

/* negative: backlog has only 2 guarded sites: too little evidence */
int cfg_backlog_racy(void)
{
    return g_cfg_backlog;
}

/* negative: timeout is guarded at only 3 of 5 sites (60%): no clear guard */
int cfg_timeout_hint(void)
{
    return g_cfg_timeout;
}

int cfg_timeout_ms(void)
{
    return g_cfg_timeout * 1000;
}

/* positive (two sites): retries is guarded at 6 of 8 sites */
int cfg_should_retry(int attempt)
{
    return attempt < g_cfg_retries; // expect: inconsistent-guard
}

void cfg_disable_retries(void)
{
    g_cfg_retries = -1; // expect: inconsistent-guard
}
