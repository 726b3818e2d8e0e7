/* Site weights: x4 inside a loop, x4 in a per-request/packet/message/event
 * function (name: handle, process, dispatch, on_, per_packet, recv,
 * lookup) or on a thread.  A rwlock is write-heavy when its weighted write
 * sites outweigh its weighted read sites and it has at least 2 write sites. */
#include <pthread.h>
#include <string.h>

struct peer { unsigned long last_seen; int up; unsigned rtt_us; };

/* positive: peer liveness is WRITTEN per message (two handlers, 4 + 4) and
 * only read from two admin paths (1 + 1): 8 > 2 */
static pthread_rwlock_t g_peer_rw = PTHREAD_RWLOCK_INITIALIZER; // expect: rwlock-write-heavy
static struct peer g_peers[32];

void handle_heartbeat(int slot, unsigned long now, unsigned rtt)
{
    pthread_rwlock_wrlock(&g_peer_rw);
    g_peers[slot & 31].last_seen = now;
    g_peers[slot & 31].rtt_us = rtt;
    g_peers[slot & 31].up = 1;
    pthread_rwlock_unlock(&g_peer_rw);
}

void handle_peer_down(int slot)
{
    pthread_rwlock_wrlock(&g_peer_rw);
    g_peers[slot & 31].up = 0;
    g_peers[slot & 31].rtt_us = 0;
    pthread_rwlock_unlock(&g_peer_rw);
}

int peers_alive(unsigned long now, unsigned long timeout)
{
    int n = 0;
    pthread_rwlock_rdlock(&g_peer_rw);
    for (int i = 0; i < 32; i++)
        if (g_peers[i].up && now - g_peers[i].last_seen < timeout)
            n++;
    pthread_rwlock_unlock(&g_peer_rw);
    return n;
}

void peers_copy(struct peer out[32])
{
    pthread_rwlock_rdlock(&g_peer_rw);
    memcpy(out, g_peers, sizeof g_peers);
    pthread_rwlock_unlock(&g_peer_rw);
}

struct acl_rule { unsigned net, mask; int allow; };
struct pkt { unsigned src; int verdict; };

/* negative: three write sites in admin code (1 + 1 + 1) but the read site
 * is inside the per-packet loop of process_batch (4 x 4 = 16): read-mostly */
static pthread_rwlock_t g_acl_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct acl_rule g_acl[128];
static int g_nacl;

static int acl_match(const struct acl_rule *r, int n, unsigned src)
{
    for (int i = 0; i < n; i++)
        if ((src & r[i].mask) == r[i].net)
            return r[i].allow;
    return 1;
}

void process_batch(struct pkt *pkts, int n)
{
    for (int i = 0; i < n; i++) {
        pthread_rwlock_rdlock(&g_acl_rw);
        pkts[i].verdict = acl_match(g_acl, g_nacl, pkts[i].src);
        pthread_rwlock_unlock(&g_acl_rw);
    }
}

void acl_reload(const struct acl_rule *rules, int n)
{
    pthread_rwlock_wrlock(&g_acl_rw);
    memcpy(g_acl, rules, (size_t)n * sizeof *rules);
    g_nacl = n;
    pthread_rwlock_unlock(&g_acl_rw);
}

int acl_append(struct acl_rule r)
{
    int rc = -1;
    pthread_rwlock_wrlock(&g_acl_rw);
    if (g_nacl < 128) {
        g_acl[g_nacl] = r;
        g_nacl++;
        rc = 0;
    }
    pthread_rwlock_unlock(&g_acl_rw);
    return rc;
}

void acl_flush(void)
{
    pthread_rwlock_wrlock(&g_acl_rw);
    memset(g_acl, 0, sizeof g_acl);
    g_nacl = 0;
    pthread_rwlock_unlock(&g_acl_rw);
}

/* negative: ONE write site (in a loop: 4) against two plain reads (1 + 1):
 * it outweighs them, but the rule needs at least 2 write sites */
static pthread_rwlock_t g_epoch_rw = PTHREAD_RWLOCK_INITIALIZER;
static unsigned long g_epoch, g_epoch_ns[8];

void epoch_advance_all(const unsigned long *ns, int n)
{
    for (int i = 0; i < n && i < 8; i++) {
        pthread_rwlock_wrlock(&g_epoch_rw);
        g_epoch++;
        g_epoch_ns[i] = ns[i];
        pthread_rwlock_unlock(&g_epoch_rw);
    }
}

unsigned long epoch_total_ns(void)
{
    unsigned long sum = 0;
    pthread_rwlock_rdlock(&g_epoch_rw);
    for (int i = 0; i < 8; i++)
        sum += g_epoch_ns[i];
    pthread_rwlock_unlock(&g_epoch_rw);
    return sum;
}

void epoch_read(unsigned long *epoch, unsigned long ns[8])
{
    pthread_rwlock_rdlock(&g_epoch_rw);
    *epoch = g_epoch;
    memcpy(ns, g_epoch_ns, sizeof g_epoch_ns);
    pthread_rwlock_unlock(&g_epoch_rw);
}
