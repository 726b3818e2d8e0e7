/* Admin side.  g_fwd_rw is written at three sites here (1 each) and read in
 * the per-packet loop of dataplane.c (16): read-mostly, no finding.  The
 * flow table lock g_flows_rw is read here three times (1 each). */
#include <string.h>
#include "dp.h"

int ager_should_run(void);

/* negative: config reload writes */
void fwd_reload(const struct fwd_cfg *c)
{
    pthread_rwlock_wrlock(&g_fwd_rw);
    g_fwd = *c;
    pthread_rwlock_unlock(&g_fwd_rw);
}

void fwd_set_mtu(unsigned mtu)
{
    pthread_rwlock_wrlock(&g_fwd_rw);
    g_fwd.mtu = mtu;
    if (g_fwd.mtu < 68)
        g_fwd.mtu = 68;
    pthread_rwlock_unlock(&g_fwd_rw);
}

void fwd_set_mode(int mode, const unsigned char mac[6])
{
    pthread_rwlock_wrlock(&g_fwd_rw);
    g_fwd.mode = mode;
    memcpy(g_fwd.mac, mac, 6);
    pthread_rwlock_unlock(&g_fwd_rw);
}

/* reads of the flow table (1 + 1 + 1) */
void flows_copy(struct flow out[256])
{
    pthread_rwlock_rdlock(&g_flows_rw);
    memcpy(out, g_flows, sizeof g_flows);
    pthread_rwlock_unlock(&g_flows_rw);
}

unsigned long flows_total_pkts(void)
{
    unsigned long sum = 0;
    pthread_rwlock_rdlock(&g_flows_rw);
    for (int i = 0; i < 256; i++)
        sum += g_flows[i].pkts;
    pthread_rwlock_unlock(&g_flows_rw);
    return sum;
}

int flows_active(unsigned long since)
{
    int n = 0;
    pthread_rwlock_rdlock(&g_flows_rw);
    for (int i = 0; i < 256; i++)
        n += g_flows[i].last >= since;
    pthread_rwlock_unlock(&g_flows_rw);
    return n;
}

/* one write site of the flow table (1) */
void flows_flush(void)
{
    pthread_rwlock_wrlock(&g_flows_rw);
    memset(g_flows, 0, sizeof g_flows);
    pthread_rwlock_unlock(&g_flows_rw);
}

/* the ager thread is started here, from another file than its body */
int admin_start(pthread_t *ager)
{
    return pthread_create(ager, NULL, ager_thread, NULL);
}
