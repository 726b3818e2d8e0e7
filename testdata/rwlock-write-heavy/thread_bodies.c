/* Sites in thread bodies weigh x4 (a function passed to pthread_create, or
 * called only from one) and x4 again inside a loop.  Raw site counts would
 * get all three locks below wrong. */
#include <pthread.h>
#include <string.h>

/* positive: 2 write sites vs 2 read sites by count, but one write is in
 * the sampler thread's loop (16) + hist_reset (1) against 1 + 1 */
static pthread_rwlock_t g_hist_rw = PTHREAD_RWLOCK_INITIALIZER; // expect: rwlock-write-heavy
static unsigned long g_hist[64];
static unsigned long g_hist_total;

unsigned sample_latency_us(void);
int sampler_should_run(void);

static void *latency_sampler(void *arg)
{
    (void)arg;
    while (sampler_should_run()) {
        unsigned us = sample_latency_us();
        pthread_rwlock_wrlock(&g_hist_rw);
        g_hist[us < 64 ? us : 63]++;
        g_hist_total++;
        pthread_rwlock_unlock(&g_hist_rw);
    }
    return NULL;
}

void hist_reset(void)
{
    pthread_rwlock_wrlock(&g_hist_rw);
    memset(g_hist, 0, sizeof g_hist);
    g_hist_total = 0;
    pthread_rwlock_unlock(&g_hist_rw);
}

unsigned hist_percentile(unsigned pct)
{
    unsigned long want, acc = 0;
    unsigned i;
    pthread_rwlock_rdlock(&g_hist_rw);
    want = g_hist_total * pct / 100;
    for (i = 0; i < 63 && acc < want; i++)
        acc += g_hist[i];
    pthread_rwlock_unlock(&g_hist_rw);
    return i;
}

void hist_copy(unsigned long out[64], unsigned long *total)
{
    pthread_rwlock_rdlock(&g_hist_rw);
    memcpy(out, g_hist, sizeof g_hist);
    *total = g_hist_total;
    pthread_rwlock_unlock(&g_hist_rw);
}

/* positive: the write site of load_sample_step is on the sampler thread
 * (its only caller is the thread body): 4, + load_reset 1 = 5, against three
 * admin reads 1 + 1 + 1 = 3 (by count: 2 writes < 3 reads) */
static pthread_rwlock_t g_load_rw = PTHREAD_RWLOCK_INITIALIZER; // expect: rwlock-write-heavy
static double g_load_avg[3];
static unsigned long g_load_samples;

double sample_runnable(void);

static void load_sample_step(void)
{
    double r = sample_runnable();
    pthread_rwlock_wrlock(&g_load_rw);
    g_load_avg[0] = g_load_avg[0] * 0.9 + r * 0.1;
    g_load_avg[1] = g_load_avg[1] * 0.98 + r * 0.02;
    g_load_avg[2] = g_load_avg[2] * 0.995 + r * 0.005;
    g_load_samples++;
    pthread_rwlock_unlock(&g_load_rw);
}

static void *load_sampler(void *arg)
{
    (void)arg;
    while (sampler_should_run())
        load_sample_step();
    return NULL;
}

void load_reset(void)
{
    pthread_rwlock_wrlock(&g_load_rw);
    memset(g_load_avg, 0, sizeof g_load_avg);
    g_load_samples = 0;
    pthread_rwlock_unlock(&g_load_rw);
}

void load_get(double out[3])
{
    pthread_rwlock_rdlock(&g_load_rw);
    memcpy(out, g_load_avg, sizeof g_load_avg);
    pthread_rwlock_unlock(&g_load_rw);
}

double load_short(unsigned long *samples)
{
    double v;
    pthread_rwlock_rdlock(&g_load_rw);
    v = g_load_avg[0];
    *samples = g_load_samples;
    pthread_rwlock_unlock(&g_load_rw);
    return v;
}

int load_is_high(double limit)
{
    int high;
    pthread_rwlock_rdlock(&g_load_rw);
    high = g_load_avg[0] > limit || g_load_avg[1] > limit;
    high = high && g_load_samples > 10;
    pthread_rwlock_unlock(&g_load_rw);
    return high;
}

/* negative: four admin write sites (4) against one read site in the
 * classifier thread's loop (16): read-mostly, although 4 writes > 1 read by
 * count */
struct rule { char pattern[32]; int action; };
static pthread_rwlock_t g_rules_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct rule g_rules[32];
static int g_nrules;

int next_item(char *buf, size_t len);
int match_rules(const struct rule *r, int n, const char *item);
void act(int action, const char *item);

static void *classifier(void *arg)
{
    char item[128];
    (void)arg;
    while (next_item(item, sizeof item) > 0) {
        int a;
        pthread_rwlock_rdlock(&g_rules_rw);
        a = match_rules(g_rules, g_nrules, item);
        pthread_rwlock_unlock(&g_rules_rw);
        act(a, item);
    }
    return NULL;
}

void rules_replace(const struct rule *r, int n)
{
    pthread_rwlock_wrlock(&g_rules_rw);
    memcpy(g_rules, r, (size_t)n * sizeof *r);
    g_nrules = n;
    pthread_rwlock_unlock(&g_rules_rw);
}

void rules_push(const struct rule *r)
{
    pthread_rwlock_wrlock(&g_rules_rw);
    if (g_nrules < 32)
        g_rules[g_nrules++] = *r;
    pthread_rwlock_unlock(&g_rules_rw);
}

void rules_pop(void)
{
    pthread_rwlock_wrlock(&g_rules_rw);
    if (g_nrules > 0)
        g_nrules--;
    pthread_rwlock_unlock(&g_rules_rw);
}

void rules_clear(void)
{
    pthread_rwlock_wrlock(&g_rules_rw);
    memset(g_rules, 0, sizeof g_rules);
    g_nrules = 0;
    pthread_rwlock_unlock(&g_rules_rw);
}

int start_samplers(pthread_t th[3])
{
    if (pthread_create(&th[0], NULL, latency_sampler, NULL) != 0)
        return -1;
    if (pthread_create(&th[1], NULL, load_sampler, NULL) != 0)
        return -1;
    return pthread_create(&th[2], NULL, classifier, NULL);
}
