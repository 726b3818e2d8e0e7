/* More weights: a struct-field rwlock written in a receive loop (positive),
 * a global read in per-request functions named lookup / on_ (negative), and
 * an exact tie (negative: writes must OUTWEIGH reads). */
#include <pthread.h>
#include <string.h>

struct msg { int chan; unsigned seq; unsigned len; };

struct chan_state {
    pthread_rwlock_t rw; // expect: rwlock-write-heavy
    unsigned last_seq[16];
    unsigned long bytes[16];
};

int next_msg(struct msg *m);

/* writes: in the receive loop (recv x loop = 16) and per message (4) */
void recv_loop(struct chan_state *cs)
{
    struct msg m;
    while (next_msg(&m) > 0) {
        pthread_rwlock_wrlock(&cs->rw);
        cs->last_seq[m.chan & 15] = m.seq;
        cs->bytes[m.chan & 15] += m.len;
        pthread_rwlock_unlock(&cs->rw);
    }
}

void dispatch_reset(struct chan_state *cs, int chan)
{
    pthread_rwlock_wrlock(&cs->rw);
    cs->last_seq[chan & 15] = 0;
    cs->bytes[chan & 15] = 0;
    pthread_rwlock_unlock(&cs->rw);
}

/* reads: admin only (1 + 1) */
void chan_copy(struct chan_state *cs, unsigned seq[16], unsigned long bytes[16])
{
    pthread_rwlock_rdlock(&cs->rw);
    memcpy(seq, cs->last_seq, sizeof cs->last_seq);
    memcpy(bytes, cs->bytes, sizeof cs->bytes);
    pthread_rwlock_unlock(&cs->rw);
}

unsigned long chan_total(struct chan_state *cs)
{
    unsigned long t = 0;
    pthread_rwlock_rdlock(&cs->rw);
    for (int i = 0; i < 16; i++)
        t += cs->bytes[i];
    pthread_rwlock_unlock(&cs->rw);
    return t;
}

/* negative: three admin writes (3) against two per-request reads (4 + 4) */
struct alias { char from[32], to[32]; };
static pthread_rwlock_t g_alias_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct alias g_alias[64];
static int g_nalias;

const char *alias_lookup(const char *name, char *out, size_t len)
{
    const char *r = name;
    pthread_rwlock_rdlock(&g_alias_rw);
    for (int i = 0; i < g_nalias; i++)
        if (strcmp(g_alias[i].from, name) == 0) {
            strncpy(out, g_alias[i].to, len - 1);
            r = out;
            break;
        }
    pthread_rwlock_unlock(&g_alias_rw);
    return r;
}

int on_query(const char *name)
{
    int hits = 0;
    pthread_rwlock_rdlock(&g_alias_rw);
    for (int i = 0; i < g_nalias; i++)
        hits += strcmp(g_alias[i].to, name) == 0;
    pthread_rwlock_unlock(&g_alias_rw);
    return hits;
}

void alias_load(const struct alias *a, int n)
{
    pthread_rwlock_wrlock(&g_alias_rw);
    memcpy(g_alias, a, (size_t)n * sizeof *a);
    g_nalias = n;
    pthread_rwlock_unlock(&g_alias_rw);
}

void alias_truncate(int n)
{
    pthread_rwlock_wrlock(&g_alias_rw);
    if (n < g_nalias)
        g_nalias = n;
    pthread_rwlock_unlock(&g_alias_rw);
}

void alias_wipe(void)
{
    pthread_rwlock_wrlock(&g_alias_rw);
    memset(g_alias, 0, sizeof g_alias);
    g_nalias = 0;
    pthread_rwlock_unlock(&g_alias_rw);
}

/* negative: a tie, 2 writes (1 + 1) and 2 real reads (1 + 1) */
struct quota { pthread_rwlock_t rw; unsigned long used[8], limit[8]; };

void quota_set(struct quota *q, int i, unsigned long limit)
{
    pthread_rwlock_wrlock(&q->rw);
    q->limit[i & 7] = limit;
    q->used[i & 7] = 0;
    pthread_rwlock_unlock(&q->rw);
}

void quota_charge_all(struct quota *q, unsigned long n)
{
    pthread_rwlock_wrlock(&q->rw);
    for (int i = 0; i < 8; i++)
        q->used[i] += n;
    pthread_rwlock_unlock(&q->rw);
}

int quota_over(struct quota *q)
{
    int over = 0;
    pthread_rwlock_rdlock(&q->rw);
    for (int i = 0; i < 8; i++)
        over += q->used[i] > q->limit[i];
    pthread_rwlock_unlock(&q->rw);
    return over;
}

void quota_copy(struct quota *q, unsigned long used[8], unsigned long limit[8])
{
    pthread_rwlock_rdlock(&q->rw);
    memcpy(used, q->used, sizeof q->used);
    memcpy(limit, q->limit, sizeof q->limit);
    pthread_rwlock_unlock(&q->rw);
}
