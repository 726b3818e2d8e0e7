/* A web server's session cache: one file-scope mutex over a hash table keyed
 * by session id, taken by find, insert and remove (a finding, at the lock),
 * next to a file-scope lock over a FIFO of expired sessions (not keyed). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKET 1024

struct sess {
    char id[33];
    unsigned uid;
    unsigned long expires;
    struct sess *next;
};

/* positive: keyed table behind one global lock in three functions */
static pthread_mutex_t g_sess_mu = PTHREAD_MUTEX_INITIALIZER; // expect: global-lock-hot-map
static struct sess *g_buckets[NBUCKET];
static unsigned g_nsess;

static unsigned hash_str(const char *s)
{
    unsigned h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

int sess_find(const char *id, unsigned *uid);

/* The request threads: every request resolves its session (sess_find runs
 * on them, which is what makes this table hot). */
static void *request_thread(void *arg)
{
    unsigned uid;
    return sess_find(arg, &uid) ? arg : NULL;
}

void start_request_threads(pthread_t *t, int n, char *first_id)
{
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, request_thread, first_id);
}

int sess_find(const char *id, unsigned *uid)
{
    int found = 0;
    pthread_mutex_lock(&g_sess_mu);
    for (struct sess *s = g_buckets[hash_str(id) % NBUCKET]; s; s = s->next) {
        if (strcmp(s->id, id) == 0) {
            *uid = s->uid;
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&g_sess_mu);
    return found;
}

void sess_insert(struct sess *s)
{
    pthread_mutex_lock(&g_sess_mu);
    struct sess **head = &g_buckets[hash_str(s->id) % NBUCKET];
    s->next = *head;
    *head = s;
    g_nsess++;
    pthread_mutex_unlock(&g_sess_mu);
}

struct sess *sess_remove(const char *id)
{
    struct sess *hit = NULL;
    pthread_mutex_lock(&g_sess_mu);
    for (struct sess **pp = &g_buckets[hash_str(id) % NBUCKET]; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->id, id) == 0) {
            hit = *pp;
            *pp = hit->next;
            g_nsess--;
            break;
        }
    }
    pthread_mutex_unlock(&g_sess_mu);
    return hit;
}

/* negative: a file-scope lock over a FIFO of dead sessions: pushed, popped
 * and measured in three functions, but nothing is looked up by key */
static pthread_mutex_t g_reap_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sess *g_reap_head, *g_reap_tail;
static unsigned g_reap_len;

void reap_push(struct sess *s)
{
    pthread_mutex_lock(&g_reap_mu);
    s->next = NULL;
    if (g_reap_tail)
        g_reap_tail->next = s;
    else
        g_reap_head = s;
    g_reap_tail = s;
    g_reap_len++;
    pthread_mutex_unlock(&g_reap_mu);
}

struct sess *reap_pop(void)
{
    struct sess *s;
    pthread_mutex_lock(&g_reap_mu);
    s = g_reap_head;
    if (s) {
        g_reap_head = s->next;
        if (!g_reap_head)
            g_reap_tail = NULL;
        g_reap_len--;
    }
    pthread_mutex_unlock(&g_reap_mu);
    return s;
}

unsigned reap_backlog(int *empty)
{
    unsigned n;
    pthread_mutex_lock(&g_reap_mu);
    n = g_reap_len;
    *empty = g_reap_head == NULL;
    pthread_mutex_unlock(&g_reap_mu);
    return n;
}
