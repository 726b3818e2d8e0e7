/* Correct look-alikes: nested locks always in one order, locks released
 * before the next is taken, and mutexes passed by pointer (classes local to
 * each function, unknown aliasing: no finding). */
#include <pthread.h>

static pthread_mutex_t g_sched_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_timer_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_runq_len, g_runq_ticks;
static long g_timer_next, g_timer_armed;

/* negative: sched -> timer here ... */
void sched_tick(long now)
{
    pthread_mutex_lock(&g_sched_mu);
    g_runq_ticks++;
    pthread_mutex_lock(&g_timer_mu);
    if (g_timer_next <= now)
        g_timer_armed = 0;
    pthread_mutex_unlock(&g_timer_mu);
    g_runq_len--;
    pthread_mutex_unlock(&g_sched_mu);
}

/* negative: ... and sched -> timer here too: the same order everywhere */
void sched_arm(long when)
{
    pthread_mutex_lock(&g_sched_mu);
    g_runq_len++;
    pthread_mutex_lock(&g_timer_mu);
    g_timer_next = when;
    g_timer_armed = 1;
    pthread_mutex_unlock(&g_timer_mu);
    pthread_mutex_unlock(&g_sched_mu);
}

/* negative: timer first, but released before sched is taken: no nesting */
void timer_fire(long now)
{
    long armed;
    pthread_mutex_lock(&g_timer_mu);
    armed = g_timer_armed && g_timer_next <= now;
    g_timer_armed = 0;
    pthread_mutex_unlock(&g_timer_mu);
    if (!armed)
        return;
    pthread_mutex_lock(&g_sched_mu);
    g_runq_len++;
    g_runq_ticks = 0;
    pthread_mutex_unlock(&g_sched_mu);
}

/* negative: plain mutex pointers (not struct fields): the class of `outer`
 * and `inner` is per function, so the two functions below do not form a
 * pair even though they look reversed */
void locked_copy(pthread_mutex_t *outer, pthread_mutex_t *inner, int *dst, const int *src)
{
    pthread_mutex_lock(outer);
    pthread_mutex_lock(inner);
    *dst = *src;
    dst[1] = src[1];
    pthread_mutex_unlock(inner);
    pthread_mutex_unlock(outer);
}

void locked_swap(pthread_mutex_t *a, pthread_mutex_t *b, int *x, int *y)
{
    pthread_mutex_lock(b);
    pthread_mutex_lock(a);
    int t = *x;
    *x = *y;
    *y = t;
    pthread_mutex_unlock(a);
    pthread_mutex_unlock(b);
}
