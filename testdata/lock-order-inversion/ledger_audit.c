/* A bank ledger with an audit trail: two global locks taken in opposite
 * orders (a finding), and transfers that lock two accounts of one struct
 * type (one lock class twice: out of scope, not a finding). */
#include <pthread.h>
#include <string.h>

struct account {
    pthread_mutex_t mu;
    long balance;
    unsigned long version;
};

static pthread_mutex_t g_ledger_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_audit_mu = PTHREAD_MUTEX_INITIALIZER;
static long g_ledger_total;
static unsigned long g_ledger_ops;
static char g_audit_ring[64][32];
static unsigned g_audit_head;

/* first occurrence of the order ledger -> audit (earlier in the file) */
void ledger_post(long amount, const char *memo)
{
    pthread_mutex_lock(&g_ledger_mu);
    g_ledger_total += amount;
    g_ledger_ops++;
    pthread_mutex_lock(&g_audit_mu);
    strncpy(g_audit_ring[g_audit_head % 64], memo, 31);
    g_audit_head++;
    pthread_mutex_unlock(&g_audit_mu);
    pthread_mutex_unlock(&g_ledger_mu);
}

/* positive: audit -> ledger, the opposite order; it comes later in the file,
 * so the pair's one finding is at this inner acquisition */
void audit_reconcile(long *total_out, unsigned *head_out)
{
    pthread_mutex_lock(&g_audit_mu);
    *head_out = g_audit_head;
    memset(g_audit_ring, 0, sizeof g_audit_ring);
    pthread_mutex_lock(&g_ledger_mu); // expect: lock-order-inversion
    *total_out = g_ledger_total;
    g_ledger_ops = 0;
    pthread_mutex_unlock(&g_ledger_mu);
    pthread_mutex_unlock(&g_audit_mu);
}

/* negative: both locks are struct account::mu - one class taken twice
 * (the two-instance ordering problem is out of scope for this rule) */
int account_transfer(struct account *from, struct account *to, long amount)
{
    int rc = -1;
    pthread_mutex_lock(&from->mu);
    pthread_mutex_lock(&to->mu);
    if (from->balance >= amount) {
        from->balance -= amount;
        to->balance += amount;
        from->version++;
        to->version++;
        rc = 0;
    }
    pthread_mutex_unlock(&to->mu);
    pthread_mutex_unlock(&from->mu);
    return rc;
}

/* negative: the "reverse" transfer through differently named variables is
 * still S::mu inside S::mu, the same class */
int account_refund(struct account *dst, struct account *src, long amount)
{
    int rc = -1;
    pthread_mutex_lock(&dst->mu);
    pthread_mutex_lock(&src->mu);
    if (src->balance >= amount) {
        src->balance -= amount;
        dst->balance += amount;
        src->version++;
        dst->version++;
        rc = 0;
    }
    pthread_mutex_unlock(&src->mu);
    pthread_mutex_unlock(&dst->mu);
    return rc;
}
