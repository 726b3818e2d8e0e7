/* Locks on objects that live and die inside one call. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct acc { pthread_mutex_t mu; long total; int n; };
struct scratch { mtx_t lock; char buf[64]; size_t len; };
struct table { pthread_rwlock_t rw; int slots[16]; };

long sum_batch(const int *v, int n)
{
    struct acc a = { .total = 0 };
    pthread_mutex_init(&a.mu, NULL); // expect: per-call-lock-alloc
    for (int i = 0; i < n; i++) {
        pthread_mutex_lock(&a.mu);
        a.total += v[i];
        a.n++;
        pthread_mutex_unlock(&a.mu);
    }
    pthread_mutex_destroy(&a.mu);
    return a.total;
}

/* a heap object, malloc'd and freed here */
int count_words(const char *s)
{
    struct acc *a = malloc(sizeof *a); // expect: tiny-heap-alloc
    if (!a)
        return -1;
    pthread_mutex_init(&a->mu, NULL); // expect: per-call-lock-alloc
    a->n = 0;
    for (; *s; s++) {
        pthread_mutex_lock(&a->mu);
        if (*s == ' ')
            a->n++;
        pthread_mutex_unlock(&a->mu);
    }
    int n = a->n;
    pthread_mutex_destroy(&a->mu);
    free(a);
    return n;
}

/* C11 threads: mtx_t in a local struct */
size_t render(const char *name)
{
    struct scratch sc;
    mtx_init(&sc.lock, mtx_plain); // expect: per-call-lock-alloc
    mtx_lock(&sc.lock);
    sc.len = strlen(name);
    memcpy(sc.buf, name, sc.len < 63 ? sc.len : 63);
    mtx_unlock(&sc.lock);
    mtx_destroy(&sc.lock);
    return sc.len;
}

/* a bare local mutex */
int bare_local(int x)
{
    pthread_mutex_t mu;
    pthread_mutex_init(&mu, NULL); // expect: per-call-lock-alloc
    pthread_mutex_lock(&mu);
    x *= 2;
    pthread_mutex_unlock(&mu);
    pthread_mutex_destroy(&mu);
    return x;
}

/* rwlock, calloc'd */
int table_probe(int k)
{
    struct table *t = calloc(1, sizeof *t);
    if (t == NULL)
        return -1;
    pthread_rwlock_init(&t->rw, NULL); // expect: per-call-lock-alloc
    pthread_rwlock_wrlock(&t->rw);
    t->slots[k & 15] = k;
    pthread_rwlock_unlock(&t->rw);
    int r = t->slots[k & 15];
    pthread_rwlock_destroy(&t->rw);
    free(t);
    return r;
}

/* spin lock on a local */
int spin_local(int x)
{
    pthread_spinlock_t sl;
    pthread_spin_init(&sl, PTHREAD_PROCESS_PRIVATE); // expect: per-call-lock-alloc
    pthread_spin_lock(&sl);
    x++;
    pthread_spin_unlock(&sl);
    pthread_spin_destroy(&sl);
    return x;
}
