/* The connection table: one global lock.  Holding it, the idle sweep calls
 * into session.c, which takes struct session::mu: conns -> session::mu.
 * This file sorts before session.c, so this order is the earlier one. */
#include "net.h"

static pthread_mutex_t g_conns_mu = PTHREAD_MUTEX_INITIALIZER;
static struct session *g_conn_sess[64];
static int g_conn_open[64];

/* first occurrence of conns -> session::mu (cross-TU helper call) */
void conn_sweep(unsigned long now)
{
    pthread_mutex_lock(&g_conns_mu);
    for (int i = 0; i < 64; i++) {
        if (g_conn_open[i] && g_conn_sess[i])
            session_touch(g_conn_sess[i], now);
    }
    pthread_mutex_unlock(&g_conns_mu);
}

/* takes only g_conns_mu; the other direction is made by its caller */
void conn_forget(int conn_id)
{
    pthread_mutex_lock(&g_conns_mu);
    g_conn_open[conn_id & 63] = 0;
    g_conn_sess[conn_id & 63] = 0;
    pthread_mutex_unlock(&g_conns_mu);
}

int conn_count_open(void)
{
    int n = 0;
    pthread_mutex_lock(&g_conns_mu);
    for (int i = 0; i < 64; i++)
        n += g_conn_open[i] != 0;
    pthread_mutex_unlock(&g_conns_mu);
    return n;
}
