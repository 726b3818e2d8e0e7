/* A session registry: sessions are guarded by the registry lock
 * (struct registry::mu).  Set-up and teardown functions (by name word or by
 * calling pthread_mutex_init/destroy) and a freshly calloc'ed session that
 * is not yet published are not counted.  Once published, it is. */
#include <pthread.h>
#include <stdlib.h>

enum { ST_NEW, ST_OPEN, ST_CLOSING, ST_DEAD, ST_FROZEN };

struct session {
    int fd;
    int state;
    unsigned long expires;
    struct session *next;
};

struct registry {
    pthread_mutex_t mu;
    struct session *head;
    int live;
};

/* negative: calls pthread_mutex_init (and its name is not a set-up word) */
void registry_open(struct registry *r)
{
    pthread_mutex_init(&r->mu, NULL);
    r->head = NULL;
    r->live = 0;
}

/* accepting: the calloc'ed session is filled in before it is published
 * (not counted); the write after the unlock races with the expiry sweep */
struct session *session_accept(struct registry *r, int fd, unsigned long now)
{
    struct session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->fd = fd;
    s->state = ST_NEW;
    s->expires = now + 30;
    pthread_mutex_lock(&r->mu);
    s->next = r->head;
    r->head = s;
    r->live++;
    pthread_mutex_unlock(&r->mu);
    s->expires = now + 60; // expect: inconsistent-guard
    return s;
}

void session_expire(struct registry *r, unsigned long now)
{
    pthread_mutex_lock(&r->mu);
    for (struct session *s = r->head; s; s = s->next)
        if (s->expires < now)
            s->state = ST_DEAD;
    pthread_mutex_unlock(&r->mu);
}

void session_touch(struct registry *r, struct session *s, unsigned long now)
{
    pthread_mutex_lock(&r->mu);
    if (s->state == ST_OPEN)
        s->expires = now + 30;
    pthread_mutex_unlock(&r->mu);
}

void session_close(struct registry *r, struct session *s)
{
    pthread_mutex_lock(&r->mu);
    s->state = ST_CLOSING;
    s->expires = 0;
    r->live--;
    pthread_mutex_unlock(&r->mu);
}

int session_count_open(struct registry *r, unsigned long now)
{
    int n = 0;
    pthread_mutex_lock(&r->mu);
    for (struct session *s = r->head; s; s = s->next)
        if (s->state == ST_OPEN && s->expires >= now)
            n++;
    pthread_mutex_unlock(&r->mu);
    return n;
}

void session_activate(struct registry *r, struct session *s)
{
    pthread_mutex_lock(&r->mu);
    if (s->state == ST_NEW)
        s->state = ST_OPEN;
    pthread_mutex_unlock(&r->mu);
}

/* positive: "freeze" is not the word "free": this is no teardown */
void session_freeze(struct session *s)
{
    s->state = ST_FROZEN; // expect: inconsistent-guard
}

/* negative: name word "teardown" */
void session_teardown(struct session *s)
{
    s->state = ST_DEAD;
    s->expires = 0;
}

/* negative: name word "cleanup": walks and frees the list unlocked */
void registry_cleanup(struct registry *r)
{
    struct session *s = r->head;
    while (s) {
        struct session *next = s->next;
        s->state = ST_DEAD;
        free(s);
        s = next;
    }
    r->head = NULL;
    r->live = 0;
}

/* negative: camelCase set-up word "Setup" */
void registrySetupDefaults(struct registry *r)
{
    r->head = NULL;
    r->live = 0;
}
