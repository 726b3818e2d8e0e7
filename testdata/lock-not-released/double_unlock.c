/* lock-not-released: the double-lock and unlock-not-held variants. */
#include <pthread.h>
#include <threads.h>

struct conn {
    pthread_mutex_t mu;
    int state;
    struct conn *next;
};

static void conn_lock(struct conn *c)
{
    pthread_mutex_lock(&c->mu);
}

static void conn_unlock(struct conn *c)
{
    pthread_mutex_unlock(&c->mu);
}

void conn_close(struct conn *c)
{
    conn_lock(c);
    if (c->state == 2)
        pthread_mutex_lock(&c->mu); // expect: lock-not-released
    c->state = 0;
    conn_unlock(c);
}

static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static int table_gen;

void table_bump(void)
{
    pthread_mutex_lock(&table_mu);
    table_gen++;
    pthread_mutex_lock(&table_mu); // expect: lock-not-released
    pthread_mutex_unlock(&table_mu);
}

/* unlocked twice on the error path */
int conn_send(struct conn *c, int v)
{
    pthread_mutex_lock(&c->mu);
    c->state = v;
    pthread_mutex_unlock(&c->mu);
    if (v < 0) {
        pthread_mutex_unlock(&c->mu); // expect: lock-not-released
        return -1;
    }
    return 0;
}

static mtx_t log_mu;
static int log_lines, log_last;

void log_line(int n)
{
    mtx_lock(&log_mu);
    log_lines += n;
    log_last = n;
    mtx_unlock(&log_mu);
    if (n > 100)
        mtx_unlock(&log_mu); // expect: lock-not-released
}

/* negative: two objects of one class, each taken once */
void conn_swap(struct conn *a, struct conn *b)
{
    pthread_mutex_lock(&a->mu);
    pthread_mutex_lock(&b->mu);
    int t = a->state;
    a->state = b->state;
    b->state = t;
    pthread_mutex_unlock(&b->mu);
    pthread_mutex_unlock(&a->mu);
}

/* negative: hand-over-hand down a list, the same spelling names the next node */
void conn_walk(struct conn *c)
{
    pthread_mutex_lock(&c->mu);
    while (c->next) {
        struct conn *n = c->next;
        pthread_mutex_lock(&n->mu);
        pthread_mutex_unlock(&c->mu);
        c = n;
        c->state++;
    }
    pthread_mutex_unlock(&c->mu);
}

/* negative: releases its caller's lock around a callback, takes it back */
void conn_notify(struct conn *c, void (*cb)(int))
{
    int s = c->state;
    pthread_mutex_unlock(&c->mu);
    cb(s);
    pthread_mutex_lock(&c->mu);
}

/* negative: an unlock wrapper releases what its caller holds */
void conn_release(struct conn *c)
{
    c->state = 0;
    pthread_mutex_unlock(&c->mu);
}

/* negative: a static helper whose only caller holds the lock */
static void conn_finish_locked(struct conn *c)
{
    c->state = 3;
    pthread_mutex_unlock(&c->mu);
}

void conn_finish(struct conn *c)
{
    pthread_mutex_lock(&c->mu);
    conn_finish_locked(c);
}

