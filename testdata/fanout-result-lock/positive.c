/* fanout-result-lock: thread bodies that lock only to fill their own slot. */
#include <pthread.h>
#include <string.h>
#include <threads.h>

#define NTHREADS 8

long compute(int i);

/* 1: the textbook shape, a global mutex and results[j->idx] */
static pthread_mutex_t res_mu = PTHREAD_MUTEX_INITIALIZER;
static long results[NTHREADS];
struct job { int idx; long input; };

static void *worker(void *p)
{
    struct job *j = p;
    long r = compute(j->idx);
    pthread_mutex_lock(&res_mu);   // expect: fanout-result-lock
    results[j->idx] = r;
    pthread_mutex_unlock(&res_mu);
    return NULL;
}

void run_workers(struct job *jobs)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) pthread_create(&t[i], NULL, worker, &jobs[i]);
    for (int i = 0; i < NTHREADS; i++) pthread_join(t[i], NULL);
}

/* 2: a context struct with a pointer to the shared lock and the output array */
struct fan_ctx {
    pthread_mutex_t *mu;
    double *out;
    int idx;
};

static void *fan_body(void *arg)
{
    struct fan_ctx *c = arg;
    double v = (double)compute(c->idx) * 0.5;
    pthread_mutex_lock(c->mu);   // expect: fanout-result-lock
    c->out[c->idx] = v;
    pthread_mutex_unlock(c->mu);
    return NULL;
}

void fan_out(struct fan_ctx *ctxs, int n)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, fan_body, &ctxs[i]);
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
}

/* 3: C11 threads, a struct slot filled field by field */
struct result { long val; int err; };
static struct result res[NTHREADS];
static mtx_t res_mtx;
struct targ { int idx; };

static int c11_body(void *p)
{
    struct targ *arg = p;
    long v = compute(arg->idx);
    int e = v < 0;
    mtx_lock(&res_mtx);   // expect: fanout-result-lock
    res[arg->idx].val = v;
    res[arg->idx].err = e;
    mtx_unlock(&res_mtx);
    return 0;
}

void c11_run(struct targ *a)
{
    thrd_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) thrd_create(&t[i], c11_body, &a[i]);
    for (int i = 0; i < NTHREADS; i++) thrd_join(t[i], NULL);
}

/* 4: a memcpy into the thread's own slot */
struct stat_row { long a, b, c; };
static struct stat_row rows[NTHREADS];
static pthread_mutex_t rows_mu = PTHREAD_MUTEX_INITIALIZER;

static void *row_worker(void *p)
{
    struct job *j = p;
    struct stat_row r = { compute(1), compute(2), compute(3) };
    pthread_mutex_lock(&rows_mu);   // expect: fanout-result-lock
    memcpy(&rows[j->idx], &r, sizeof r);
    pthread_mutex_unlock(&rows_mu);
    return NULL;
}

void rows_run(struct job *jobs)
{
    pthread_t t;
    pthread_create(&t, NULL, row_worker, &jobs[0]);
    pthread_join(t, NULL);
}

/* 5: lock macros, and the index copied into a local first */
static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
#define LOCK() pthread_mutex_lock(&big_lock)
#define UNLOCK() pthread_mutex_unlock(&big_lock)
static int codes[NTHREADS];
struct wk { int tid; };

static void *macro_worker(void *p)
{
    struct wk *w = p;
    int tid = w->tid;
    int code = (int)compute(tid);
    LOCK();   // expect: fanout-result-lock
    codes[tid] = code;
    UNLOCK();
    return NULL;
}

void macro_run(struct wk *w)
{
    pthread_t t;
    pthread_create(&t, NULL, macro_worker, w);
    pthread_join(t, NULL);
}

/* 6: a helper only the thread body calls, handed the thread's own job */
static pthread_mutex_t pub_mu = PTHREAD_MUTEX_INITIALIZER;
static long published[NTHREADS];   // expect: false-sharing-atomics

static void publish(struct job *j, long v)
{
    pthread_mutex_lock(&pub_mu);   // expect: fanout-result-lock
    published[j->idx] = v;
    pthread_mutex_unlock(&pub_mu);
}

static void *pub_worker(void *p)
{
    struct job *j = p;
    publish(j, compute(j->idx));
    return NULL;
}

void pub_run(struct job *j)
{
    pthread_t t;
    pthread_create(&t, NULL, pub_worker, j);
    pthread_join(t, NULL);
}

/* 7: goto cleanup: the error path stores too, each under the lock alone */
static pthread_mutex_t st_mu = PTHREAD_MUTEX_INITIALIZER;
static int status[NTHREADS];

static void *goto_worker(void *p)
{
    struct job *j = p;
    int rc = 0;
    if (compute(j->idx) < 0) {
        rc = -1;
        goto out;
    }
    rc = 1;
out:
    pthread_mutex_lock(&st_mu);   // expect: fanout-result-lock
    status[j->idx] = rc;
    pthread_mutex_unlock(&st_mu);
    return NULL;
}

void goto_run(struct job *j)
{
    pthread_t t;
    pthread_create(&t, NULL, goto_worker, j);
    pthread_join(t, NULL);
}

/* 8: a rwlock taken for writing, and #ifdef'd bookkeeping that is off */
static pthread_rwlock_t tab_rw = PTHREAD_RWLOCK_INITIALIZER;
static long table[NTHREADS];
#ifdef TRACK_DONE
static int done_count;
#endif

static void *rw_worker(void *p)
{
    struct job *j = p;
    long v = compute(j->idx);
    pthread_rwlock_wrlock(&tab_rw);   // expect: fanout-result-lock
    table[j->idx] = v;
#ifdef TRACK_DONE
    done_count++;
#endif
    pthread_rwlock_unlock(&tab_rw);
    return NULL;
}

void rw_run(struct job *j)
{
    pthread_t t;
    pthread_create(&t, NULL, rw_worker, j);
    pthread_join(t, NULL);
}

/* 9: the slot array reached through the shared context, the index from the thread's record */
struct shared_out { pthread_mutex_t lock; long sums[NTHREADS]; };
struct sum_arg { struct shared_out *so; int worker_id; };

static void *sum_worker(void *p)
{
    struct sum_arg *a = p;
    long s = 0;
    for (int i = 0; i < 100; i++) s += compute(i + a->worker_id);
    pthread_mutex_lock(&a->so->lock);   // expect: fanout-result-lock
    a->so->sums[a->worker_id] = s;
    pthread_mutex_unlock(&a->so->lock);
    return NULL;
}

void sum_run(struct sum_arg *a)
{
    pthread_t t;
    pthread_create(&t, NULL, sum_worker, a);
    pthread_join(t, NULL);
}
