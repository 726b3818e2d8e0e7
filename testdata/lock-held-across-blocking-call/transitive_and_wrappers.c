/* Blocking work reached through helpers, locks taken through wrappers, and
 * a goto-cleanup function. */
// sync-lint-args: --wrapper=cache_lock:lock:@cache_mu --wrapper=cache_unlock:unlock:@cache_mu
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
void cache_lock(void);
void cache_unlock(void);

struct store { pthread_mutex_t mu; int fd; char buf[256]; size_t len; int dirty; };

static void store_lock(struct store *s) { pthread_mutex_lock(&s->mu); }
static void store_unlock(struct store *s) { pthread_mutex_unlock(&s->mu); }

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int store_flush_locked(struct store *s)
{
    int rc = write_all(s->fd, s->buf, s->len);
    if (rc == 0)
        rc = fsync(s->fd);
    s->len = 0;
    return rc;
}

/* positive: a helper two calls deep writes and syncs */
int store_commit_bad(struct store *s)
{
    store_lock(s);
    s->dirty = 0;
    int rc = store_flush_locked(s); // expect: lock-held-across-blocking-call
    store_unlock(s);
    return rc;
}

/* negative: swap the buffer out under the lock, write it after */
int store_commit(struct store *s)
{
    char out[256];
    size_t n;
    store_lock(s);
    n = s->len;
    for (size_t i = 0; i < n; i++)
        out[i] = s->buf[i];
    s->len = 0;
    s->dirty = 0;
    store_unlock(s);
    return write_all(s->fd, out, n);
}

static int cache_entries;

/* positive: declared wrapper with a global lock, then fopen */
int cache_load_bad(const char *path)
{
    cache_lock();
    FILE *f = fopen(path, "r"); // expect: lock-held-across-blocking-call
    if (f) {
        cache_entries++;
        fclose(f); // expect: lock-held-across-blocking-call
    }
    cache_unlock();
    return 0;
}

/* negative: the cache lock does no I/O here */
void cache_bump(void)
{
    cache_lock();
    cache_entries++;
    cache_unlock();
}

/* positive: goto cleanup - the sleep is between lock and out_unlock */
int store_retry_bad(struct store *s, int tries)
{
    int rc = -1;
    store_lock(s);
    for (int i = 0; i < tries; i++) {
        if (s->len < sizeof s->buf) {
            rc = 0;
            goto out_unlock;
        }
        sleep(1); // expect: lock-held-across-blocking-call
    }
out_unlock:
    store_unlock(s);
    return rc;
}
