/* Look-alikes that copy no lock: initialisation, pointers, parts, memset. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct account {
    pthread_mutex_t mu;
    long balance;
};

struct account_data {
    long balance;
    int owner;
};

struct conn {
    pthread_mutex_t *mu;      /* a pointer to a shared lock: copying it is fine */
    int fd;
};

struct job {
    mtx_t mu;
    struct account_data data;
};

/* Initialisation from an initializer list or PTHREAD_MUTEX_INITIALIZER. */
void account_static_init(void)
{
    struct account a = { PTHREAD_MUTEX_INITIALIZER, 0 };
    pthread_mutex_lock(&a.mu);
    a.balance++;
    pthread_mutex_unlock(&a.mu);
}

/* Zero-initialising a fresh object before its lock is initialised. */
struct account *account_new(void)
{
    struct account *a = malloc(sizeof *a);
    if (!a) return NULL;
    *a = (struct account){ 0 };
    pthread_mutex_init(&a->mu, NULL);
    return a;
}

/* A struct with only a pointer to the lock. */
void conn_dup(struct conn *dst, const struct conn *src)
{
    *dst = *src;
}

struct conn conn_pass(struct conn c)
{
    return c;
}

/* Copying the data part only, under the lock. */
struct account_data job_data(struct job *j)
{
    mtx_lock(&j->mu);
    struct account_data d = j->data;
    mtx_unlock(&j->mu);
    return d;
}

void job_data_memcpy(struct account_data *out, struct job *j)
{
    mtx_lock(&j->mu);
    memcpy(out, &j->data, sizeof j->data);
    mtx_unlock(&j->mu);
}

/* memset and sizeof are not copies; returning a pointer is not either. */
void account_clear(struct account *a)
{
    memset(a, 0, sizeof *a);
}

size_t account_size(void)
{
    return sizeof(struct account) + sizeof(struct account *);
}

struct account *account_ptr(struct account *all, int i)
{
    return &all[i];
}

/* Copying the template's data, then giving the copy a lock of its own. */
struct account *account_clone(const struct account *tmpl)
{
    struct account *a = malloc(sizeof *a);
    if (!a) return NULL;
    *a = *tmpl;
    pthread_mutex_init(&a->mu, NULL);
    return a;
}

struct account *account_clone_memcpy(const struct account *tmpl)
{
    struct account *a = malloc(sizeof *a);
    if (!a) return NULL;
    memcpy(a, tmpl, sizeof *a);
    pthread_mutex_init(&a->mu, NULL);
    return a;
}

/* A factory returning a compound literal, and a caller taking its result. */
static struct account account_make(long b)
{
    return (struct account){ .mu = PTHREAD_MUTEX_INITIALIZER, .balance = b };
}

long account_fresh(void)
{
    struct account a = account_make(5);
    return a.balance;
}

/* Pointers passed around: the replacement. */
static long account_read(struct account *a)
{
    pthread_mutex_lock(&a->mu);
    long b = a->balance;
    pthread_mutex_unlock(&a->mu);
    return b;
}

long account_read_all(struct account *all, int n)
{
    long sum = 0;
    for (int i = 0; i < n; i++) sum += account_read(&all[i]);
    struct account *p = &all[0];
    struct account *q = p;
    return sum + (q != NULL);
}

#ifdef SOME_UNBUILT_OPTION
void unbuilt(struct account *a, struct account *b) { *a = *b; }
#endif

/* A new object cloned into a second one while it is still being built:
 * the source's lock is initialised only after the copy, so no live lock
 * is copied. */
struct flow {
    int key, rev_key;
    pthread_mutex_t mu;
};

struct flow *flow_new_pair(int key, struct flow **twin_out)
{
    struct flow *f = calloc(1, sizeof *f);
    struct flow *twin = calloc(1, sizeof *twin);
    if (!f || !twin) return NULL;
    f->key = key;
    memcpy(twin, f, sizeof *twin);
    twin->key = f->rev_key;
    pthread_mutex_init(&f->mu, NULL);
    *twin_out = twin;
    return f;
}
