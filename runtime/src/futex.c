/* futex.c - the futex(2) wrapper, or its portable mutex+condvar fallback. */
#include "futex.h"

#include <errno.h>
#include <limits.h>
#include <time.h>

#if defined(SL_HAVE_FUTEX) && !defined(SL_PORTABLE_FUTEX)

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

int sl_futex_wait(_Atomic uint32_t *addr, uint32_t expected, int64_t deadline_ns)
{
    struct timespec ts, *tp = NULL;
    if (deadline_ns >= 0) {
        ts.tv_sec = (time_t)(deadline_ns / 1000000000);
        ts.tv_nsec = (long)(deadline_ns % 1000000000);
        tp = &ts;
    }
    /* WAIT_BITSET takes an absolute CLOCK_MONOTONIC timeout. */
    long r = syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG,
                     expected, tp, NULL, FUTEX_BITSET_MATCH_ANY);
    if (r == 0) return 0;
    if (errno == ETIMEDOUT) return -ETIMEDOUT;
    if (errno == EINTR) return -EINTR;
    return -EAGAIN;   /* the word had already changed */
}

int sl_futex_wake(_Atomic uint32_t *addr, int n)
{
    long r = syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n, NULL, NULL, 0);
    return r < 0 ? 0 : (int)r;   /* how many it woke */
}

int sl_futex_wake_all(_Atomic uint32_t *addr)
{
    return sl_futex_wake(addr, INT_MAX);
}

#else  /* portable fallback */

#include <pthread.h>
#include <stdint.h>

#include "synclint/pad.h"

#define NBUCKETS 64

/* Each bucket on its own line: unrelated words must not contend. */
static struct bucket {
    SL_ALIGNED_LINE pthread_mutex_t lock;
    pthread_cond_t cond;
} buckets[NBUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void buckets_init(void)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    for (int i = 0; i < NBUCKETS; i++) {
        pthread_mutex_init(&buckets[i].lock, NULL);
        pthread_cond_init(&buckets[i].cond, &ca);
    }
    pthread_condattr_destroy(&ca);
}

static struct bucket *bucket_of(_Atomic uint32_t *addr)
{
    pthread_once(&buckets_once, buckets_init);
    uintptr_t h = (uintptr_t)addr;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return &buckets[(h >> 32) % NBUCKETS];
}

int sl_futex_wait(_Atomic uint32_t *addr, uint32_t expected, int64_t deadline_ns)
{
    struct bucket *b = bucket_of(addr);
    int ret = 0;
    pthread_mutex_lock(&b->lock);
    /* Checked under the bucket lock, which wake takes after the word changed:
     * no wakeup between this check and the sleep can be lost. */
    if (atomic_load_explicit(addr, memory_order_acquire) != expected) {
        ret = -EAGAIN;
    } else if (deadline_ns < 0) {
        pthread_cond_wait(&b->cond, &b->lock);
    } else {
        struct timespec ts = { (time_t)(deadline_ns / 1000000000), (long)(deadline_ns % 1000000000) };
        if (pthread_cond_timedwait(&b->cond, &b->lock, &ts) == ETIMEDOUT) ret = -ETIMEDOUT;
    }
    pthread_mutex_unlock(&b->lock);
    return ret;
}

int sl_futex_wake(_Atomic uint32_t *addr, int n)
{
    /* Buckets are shared between addresses: wake everyone, they re-check. */
    (void)n;
    return sl_futex_wake_all(addr);
}

int sl_futex_wake_all(_Atomic uint32_t *addr)
{
    struct bucket *b = bucket_of(addr);
    pthread_mutex_lock(&b->lock);
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
    return -1;   /* how many is unknown (SL_FUTEX_WAKE_COUNTS is 0) */
}

#endif
