/* lock-not-released negatives: functions that leave a lock held, or release
 * one, on purpose; trylock failure paths; waits; helpers. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <threads.h>

struct node {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int key, ready;
    struct node *next;
};

static pthread_mutex_t list_mu = PTHREAD_MUTEX_INITIALIZER;
static struct node *list_head;

/* an acquire wrapper: every path returns holding it */
void list_lock(void)
{
    pthread_mutex_lock(&list_mu);
}

/* a lookup that returns the node locked, or NULL with nothing held */
struct node *node_find_locked(int key)
{
    pthread_mutex_lock(&list_mu);
    for (struct node *n = list_head; n; n = n->next) {
        if (n->key == key) {
            pthread_mutex_lock(&n->mu);
            pthread_mutex_unlock(&list_mu);
            return n;
        }
    }
    pthread_mutex_unlock(&list_mu);
    return NULL;
}

/* try-style: true with the lock held, false without */
bool node_try_claim(struct node *n)
{
    pthread_mutex_lock(&n->mu);
    if (n->ready)
        return true;
    pthread_mutex_unlock(&n->mu);
    return false;
}

/* trylock failure returns without the lock */
int node_poke(struct node *n)
{
    if (pthread_mutex_trylock(&n->mu) != 0)
        return -1;
    n->ready = 1;
    pthread_mutex_unlock(&n->mu);
    return 0;
}

int node_poke2(struct node *n)
{
    if (pthread_mutex_trylock(&n->mu))
        return -EBUSY;
    n->ready++;
    pthread_mutex_unlock(&n->mu);
    return 0;
}

int node_poke3(struct node *n)
{
    if (!pthread_mutex_trylock(&n->mu)) {
        n->ready++;
        pthread_mutex_unlock(&n->mu);
        return 0;
    }
    return -EBUSY;
}

static mtx_t cfg_mu;
static int cfg_gen, cfg_last;

int cfg_try_bump(void)
{
    if (mtx_trylock(&cfg_mu) == thrd_success) {
        cfg_last = cfg_gen;
        cfg_gen = cfg_last + 1;
        mtx_unlock(&cfg_mu);
        return 0;
    }
    return -1;
}

/* a wait inside the section re-acquires the mutex */
int node_wait_ready(struct node *n, int limit)
{
    pthread_mutex_lock(&n->mu);
    while (!n->ready) {
        if (limit-- == 0) {
            pthread_mutex_unlock(&n->mu);
            return -ETIMEDOUT;
        }
        pthread_cond_wait(&n->cv, &n->mu);
    }
    n->ready = 0;
    pthread_mutex_unlock(&n->mu);
    return 0;
}

/* released through a helper of this file */
static void node_put_locked(struct node *n)
{
    n->ready = 0;
    pthread_mutex_unlock(&n->mu);
}

int node_reset(struct node *n, int force)
{
    pthread_mutex_lock(&n->mu);
    if (!force) {
        node_put_locked(n);
        return 0;
    }
    n->key = 0;
    pthread_mutex_unlock(&n->mu);
    return 1;
}

/* every path unlocks in the one cleanup label */
int node_update(struct node *n, int key)
{
    int rc = 0;
    pthread_mutex_lock(&n->mu);
    if (key < 0) {
        rc = -EINVAL;
        goto out_unlock;
    }
    if (n->key == key)
        goto out_unlock;
    n->key = key;
out_unlock:
    pthread_mutex_unlock(&n->mu);
    return rc;
}

/* a lock around a switch whose cases each leave through the unlock */
int node_kind(struct node *n)
{
    int k;
    pthread_mutex_lock(&n->mu);
    switch (n->key) {
    case 0:
        k = 1;
        break;
    default:
        k = 2;
        break;
    }
    pthread_mutex_unlock(&n->mu);
    return k;
}
