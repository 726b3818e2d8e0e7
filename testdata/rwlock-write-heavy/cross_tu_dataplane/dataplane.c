/* Fast path.  g_flows_rw: its write site in ager_step runs on the ager
 * thread (ager_step's only caller is ager_thread, which admin.c passes to
 * pthread_create): 4, + flows_flush in admin.c: 1 = 5 > 3 reads in admin.c.
 * By count it is 2 writes < 3 reads; without the thread in admin.c it is
 * 2 < 3 too. */
#include "dp.h"

pthread_rwlock_t g_fwd_rw = PTHREAD_RWLOCK_INITIALIZER;
struct fwd_cfg g_fwd = { 1500, 0, { 0 } };

pthread_rwlock_t g_flows_rw = PTHREAD_RWLOCK_INITIALIZER; // expect: rwlock-write-heavy
struct flow g_flows[256];

unsigned long now_ticks(void);
int ager_should_run(void);
void tx(const struct frame *f, unsigned mtu, int mode);

/* negative side of g_fwd_rw: a real read section in the per-packet loop */
void forward_per_packet(struct frame *f, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned mtu;
        int mode;
        pthread_rwlock_rdlock(&g_fwd_rw);
        mtu = g_fwd.mtu;
        mode = f[i].len > mtu ? -1 : g_fwd.mode;
        pthread_rwlock_unlock(&g_fwd_rw);
        if (mode >= 0)
            tx(&f[i], mtu, mode);
    }
}

static void ager_step(unsigned long now)
{
    pthread_rwlock_wrlock(&g_flows_rw);
    for (int i = 0; i < 256; i++)
        if (now - g_flows[i].last > 3000)
            g_flows[i].pkts = 0;
    pthread_rwlock_unlock(&g_flows_rw);
}

void *ager_thread(void *arg)
{
    (void)arg;
    while (ager_should_run())
        ager_step(now_ticks());
    return 0;
}
