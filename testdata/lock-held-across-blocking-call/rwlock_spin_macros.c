/* rwlocks, spinlocks and lock macros; serialisers under a lock. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LOCKED(mu, stmt) do { pthread_mutex_lock(mu); stmt; pthread_mutex_unlock(mu); } while (0)

struct config { pthread_rwlock_t rw; char name[64]; int port; };
static pthread_spinlock_t stats_spin;
static unsigned long stats_bytes;
static pthread_mutex_t dump_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static int reg_count;
static char reg_report[8192];

/* positive: a reader holds the rwlock across a write() */
void config_print_bad(struct config *c, int fd)
{
    char line[96];
    pthread_rwlock_rdlock(&c->rw);
    int n = snprintf(line, sizeof line, "%s:%d\n", c->name, c->port);
    write(fd, line, (size_t)n); // expect: lock-held-across-blocking-call
    pthread_rwlock_unlock(&c->rw);
}

/* negative: format under the read lock, write after */
void config_print(struct config *c, int fd)
{
    char line[96];
    pthread_rwlock_rdlock(&c->rw);
    int n = snprintf(line, sizeof line, "%s:%d\n", c->name, c->port);
    pthread_rwlock_unlock(&c->rw);
    write(fd, line, (size_t)n);
}

/* positive: a spinlock held across fwrite */
void stats_emit_bad(FILE *out, const void *rec, size_t len)
{
    pthread_spin_lock(&stats_spin);
    stats_bytes += len;
    fwrite(rec, 1, len, out); // expect: lock-held-across-blocking-call
    pthread_spin_unlock(&stats_spin);
}

void stats_add(size_t len)
{
    pthread_spin_lock(&stats_spin);
    stats_bytes += len;
    pthread_spin_unlock(&stats_spin);
}

/* negative: the macro's section only bumps state */
void reg_bump(void)
{
    LOCKED(&reg_mu, reg_count++);
}

/* positive: the macro's section calls puts */
void reg_announce_bad(void)
{
    LOCKED(&reg_mu, puts("registered")); // expect: lock-held-across-blocking-call
}

/* positive: snprintf into an 8 KiB report under the lock is a serialiser */
void reg_report_bad(void)
{
    pthread_mutex_lock(&reg_mu);
    snprintf(reg_report, sizeof reg_report, "count=%d\n", reg_count); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&reg_mu);
}

/* negative: a dump lock that only ever guards output */
void dump_line(const char *s)
{
    pthread_mutex_lock(&dump_mu);
    fputs(s, stdout);
    pthread_mutex_unlock(&dump_mu);
}
