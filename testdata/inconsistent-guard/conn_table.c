/* A server's connection table: every field is taken under t->mu, except in
 * the racy size/generation getters (findings) and in the constructor and
 * destructor (set-up/teardown: not counted). */
#include <pthread.h>
#include <stdlib.h>

struct conn { int fd; unsigned long bytes; };

struct conn_table {
    pthread_mutex_t mu;
    struct conn *conns[64];
    int n;
    unsigned long generation;
};

/* negative: constructor (name word "new", calls pthread_mutex_init) */
struct conn_table *conn_table_new(void)
{
    struct conn_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_mutex_init(&t->mu, NULL);
    t->n = 0;
    t->generation = 1;
    return t;
}

/* guarded sites of n and generation */
int conn_table_add(struct conn_table *t, struct conn *c)
{
    int rc = -1;
    pthread_mutex_lock(&t->mu);
    if (t->n < 64) {
        t->conns[t->n] = c;
        t->n++;
        t->generation++;
        rc = 0;
    }
    pthread_mutex_unlock(&t->mu);
    return rc;
}

struct conn *conn_table_remove(struct conn_table *t, int fd)
{
    struct conn *found = NULL;
    pthread_mutex_lock(&t->mu);
    for (int i = 0; i < t->n; i++) {
        if (t->conns[i]->fd == fd) {
            found = t->conns[i];
            t->conns[i] = t->conns[t->n - 1];
            t->n--;
            t->generation++;
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    return found;
}

unsigned long conn_table_snapshot(struct conn_table *t, int fds[64], int *nfds)
{
    unsigned long gen;
    pthread_mutex_lock(&t->mu);
    for (int i = 0; i < t->n; i++)
        fds[i] = t->conns[i]->fd;
    *nfds = t->n;
    gen = t->generation;
    pthread_mutex_unlock(&t->mu);
    return gen;
}

void conn_table_clear(struct conn_table *t)
{
    pthread_mutex_lock(&t->mu);
    t->n = 0;
    t->generation++;
    pthread_mutex_unlock(&t->mu);
}

/* positive: the classic racy "just a read" getter */
int conn_table_size(struct conn_table *t)
{
    return t->n; // expect: inconsistent-guard
}

/* positive: a poller compares the generation without the lock */
int conn_table_changed(struct conn_table *t, unsigned long seen)
{
    return t->generation != seen; // expect: inconsistent-guard
}

/* negative: destructor (name word "free", calls pthread_mutex_destroy) */
void conn_table_free(struct conn_table *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->conns[i]);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
