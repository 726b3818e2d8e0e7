/* fanout-result-lock: look-alikes whose lock has a real job. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <threads.h>

#define NTHREADS 8

long compute(int i);
struct job { int idx; };

/* 1: the section also adds into a shared total */
static pthread_mutex_t tot_mu = PTHREAD_MUTEX_INITIALIZER;
static long partial[NTHREADS];
static long total;

static void *total_worker(void *p)
{
    struct job *j = p;
    long r = compute(j->idx);
    pthread_mutex_lock(&tot_mu);
    partial[j->idx] = r;
    total += r;
    pthread_mutex_unlock(&tot_mu);
    return NULL;
}

/* 2: appending at a shared cursor: results[n++] */
static pthread_mutex_t app_mu = PTHREAD_MUTEX_INITIALIZER;
static long appended[NTHREADS];
static int n_appended;

static void *append_worker(void *p)
{
    struct job *j = p;
    long r = compute(j->idx);
    pthread_mutex_lock(&app_mu);
    appended[n_appended++] = r;
    pthread_mutex_unlock(&app_mu);
    return NULL;
}

/* 3: first error wins: the lock is needed (sl_group does this) */
static pthread_mutex_t err_mu = PTHREAD_MUTEX_INITIALIZER;
static int first_err;
static long outs[NTHREADS];

static void *err_worker(void *p)
{
    struct job *j = p;
    long r = compute(j->idx);
    int e = r < 0 ? -1 : 0;
    pthread_mutex_lock(&err_mu);
    outs[j->idx] = r;
    if (!first_err) first_err = e;
    pthread_mutex_unlock(&err_mu);
    return NULL;
}

/* 4: the index is a shared cursor, not the thread's */
static pthread_mutex_t cur_mu = PTHREAD_MUTEX_INITIALIZER;
static long slots[NTHREADS];
static int next_slot;

static void *cursor_worker(void *p)
{
    (void)p;
    long r = compute(0);
    pthread_mutex_lock(&cur_mu);
    slots[next_slot] = r;
    pthread_mutex_unlock(&cur_mu);
    return NULL;
}

/* 5: the same lock also guards a shared queue in another thread function */
static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static long qres[NTHREADS];
static struct node { struct node *next; } *queue_head;

static void *q_worker(void *p)
{
    struct job *j = p;
    long r = compute(j->idx);
    pthread_mutex_lock(&q_mu);
    qres[j->idx] = r;
    pthread_mutex_unlock(&q_mu);
    return NULL;
}

static void *q_producer(void *p)
{
    struct node *n = p;
    pthread_mutex_lock(&q_mu);
    n->next = queue_head;
    queue_head = n;
    pthread_mutex_unlock(&q_mu);
    return NULL;
}

/* 6: not a thread body: a loop in the caller */
static pthread_mutex_t main_mu = PTHREAD_MUTEX_INITIALIZER;
static long main_res[NTHREADS];

void fill_serially(void)
{
    for (int i = 0; i < NTHREADS; i++) {
        pthread_mutex_lock(&main_mu);
        main_res[i] = compute(i);
        pthread_mutex_unlock(&main_mu);
    }
}

/* 7: a call under the lock: the section does more than store */
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static long logged[NTHREADS];

static void *log_worker(void *p)
{
    struct job *j = p;
    long r = compute(j->idx);
    pthread_mutex_lock(&log_mu);
    logged[j->idx] = r;
    printf("worker %d: %ld\n", j->idx, r);
    pthread_mutex_unlock(&log_mu);
    return NULL;
}

/* 8: a completion counter beside the slot (the joiner waits on it) */
static mtx_t done_mtx;
static cnd_t done_cnd;
static long done_res[NTHREADS];
static int n_done;

static int done_worker(void *p)
{
    struct job *j = p;
    long r = compute(j->idx);
    mtx_lock(&done_mtx);
    done_res[j->idx] = r;
    n_done++;
    cnd_signal(&done_cnd);
    mtx_unlock(&done_mtx);
    return 0;
}

/* 9: an atomic counter bumped in the section */
static pthread_mutex_t at_mu = PTHREAD_MUTEX_INITIALIZER;
static long at_res[NTHREADS];
static atomic_int finished;

static void *atomic_worker(void *p)
{
    struct job *j = p;
    long r = compute(j->idx);
    pthread_mutex_lock(&at_mu);
    at_res[j->idx] = r;
    atomic_fetch_add(&finished, 1);
    pthread_mutex_unlock(&at_mu);
    return NULL;
}

/* 10: the slot index is a loop counter of the thread, not its id */
static pthread_mutex_t loop_mu = PTHREAD_MUTEX_INITIALIZER;
static long grid[64];

static void *loop_worker(void *p)
{
    (void)p;
    for (int k = 0; k < 64; k++) {
        long r = compute(k);
        pthread_mutex_lock(&loop_mu);
        grid[k] = r;
        pthread_mutex_unlock(&loop_mu);
    }
    return NULL;
}

void start_all(struct job *jobs, struct node *n)
{
    pthread_t t[10];
    thrd_t c;
    pthread_create(&t[0], NULL, total_worker, &jobs[0]);
    pthread_create(&t[1], NULL, append_worker, &jobs[1]);
    pthread_create(&t[2], NULL, err_worker, &jobs[2]);
    pthread_create(&t[3], NULL, cursor_worker, NULL);
    pthread_create(&t[4], NULL, q_worker, &jobs[4]);
    pthread_create(&t[5], NULL, q_producer, n);
    pthread_create(&t[6], NULL, log_worker, &jobs[6]);
    pthread_create(&t[7], NULL, atomic_worker, &jobs[7]);
    pthread_create(&t[8], NULL, loop_worker, NULL);
    thrd_create(&c, done_worker, &jobs[3]);
    for (int i = 0; i < 9; i++) pthread_join(t[i], NULL);
    thrd_join(c, NULL);
}
