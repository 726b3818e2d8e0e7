/* A shared append buffer.  Atomic accesses are not counted (neither the
 * _Atomic refcount nor an __atomic_load_n of a plain field); a static helper
 * called only with the lock held is not counted; a static helper called
 * both with and without the lock is, and its access is a finding. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct buffer {
    pthread_mutex_t mu;
    char *data;
    size_t len, cap;
    int state;            /* 0 open, 1 sealed */
    _Atomic int refs;
};

/* negative: every caller holds b->mu, so these accesses are not counted */
static int buf_grow_locked(struct buffer *b, size_t need)
{
    char *p = realloc(b->data, need * 2);
    if (!p)
        return -1;
    b->data = p;
    b->cap = need * 2;
    return 0;
}

/* helper with one locked and one unlocked caller: its access counts as
 * unguarded */
static void buf_reset_len(struct buffer *b)
{
    b->len = 0; // expect: inconsistent-guard
}

int buf_append(struct buffer *b, const void *src, size_t n)
{
    int rc = -1;
    pthread_mutex_lock(&b->mu);
    if (b->state == 0) {
        if (b->len + n <= b->cap || buf_grow_locked(b, b->len + n) == 0) {
            memcpy(b->data + b->len, src, n);
            b->len += n;
            rc = 0;
        }
    }
    atomic_fetch_add(&b->refs, 1);
    pthread_mutex_unlock(&b->mu);
    return rc;
}

size_t buf_space(struct buffer *b)
{
    size_t s;
    pthread_mutex_lock(&b->mu);
    s = b->cap - b->len;
    pthread_mutex_unlock(&b->mu);
    return s;
}

int buf_reserve(struct buffer *b, size_t n)
{
    int rc = 0;
    pthread_mutex_lock(&b->mu);
    if (n > b->cap)
        rc = buf_grow_locked(b, n);
    pthread_mutex_unlock(&b->mu);
    return rc;
}

void buf_shrink(struct buffer *b)
{
    pthread_mutex_lock(&b->mu);
    if (b->len < b->cap / 4) {
        char *p = realloc(b->data, b->len + 1);
        if (p) {
            b->data = p;
            b->cap = b->len + 1;
        }
    }
    pthread_mutex_unlock(&b->mu);
}

size_t buf_copy_out(struct buffer *b, char *out, size_t max)
{
    size_t n;
    pthread_mutex_lock(&b->mu);
    n = b->len < max ? b->len : max;
    memcpy(out, b->data, n);
    pthread_mutex_unlock(&b->mu);
    return n;
}

void buf_seal(struct buffer *b)
{
    pthread_mutex_lock(&b->mu);
    __atomic_store_n(&b->state, 1, __ATOMIC_RELEASE);
    b->cap = b->len;
    pthread_mutex_unlock(&b->mu);
}

void buf_reopen(struct buffer *b)
{
    pthread_mutex_lock(&b->mu);
    b->state = 0;
    buf_reset_len(b);
    atomic_fetch_add(&b->refs, 1);
    pthread_mutex_unlock(&b->mu);
}

int buf_truncate(struct buffer *b, size_t n)
{
    int rc = -1;
    pthread_mutex_lock(&b->mu);
    if (b->state == 0 && n <= b->len) {
        b->len = n;
        rc = 0;
    }
    pthread_mutex_unlock(&b->mu);
    return rc;
}

/* positive: discarding resets the length without the lock (through the
 * helper above) */
void buf_discard(struct buffer *b)
{
    buf_reset_len(b);
}

/* negative: atomic reads of the plain state field and of the _Atomic refs */
int buf_is_sealed(struct buffer *b)
{
    return __atomic_load_n(&b->state, __ATOMIC_ACQUIRE) == 1;
}

int buf_refs(struct buffer *b)
{
    return atomic_load(&b->refs);
}

/* positive: a plain unlocked read of state (the atomic ones above do not
 * count either way: 3 locked, 1 unguarded here) */
int buf_is_open_racy(struct buffer *b)
{
    return b->state == 0; // expect: inconsistent-guard
}
