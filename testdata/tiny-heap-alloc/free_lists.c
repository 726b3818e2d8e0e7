/* Small objects recycled through a free list under a lock, beside free
 * lists that are fine. */
#include <pthread.h>
#include <stdlib.h>
#include <threads.h>

struct msg { struct msg *next; int type; int len; };
struct cmsg { struct cmsg *next; long v; };
struct page { struct page *next; char data[4096]; };

static pthread_mutex_t msg_mu = PTHREAD_MUTEX_INITIALIZER;
static struct msg *msg_free;
static mtx_t cmsg_mu;
static struct cmsg *cmsg_free;
static pthread_mutex_t page_mu = PTHREAD_MUTEX_INITIALIZER;
static struct page *page_free;
static struct msg *solo_free;   /* single-threaded: no lock */

struct msg *msg_get(void)
{
    pthread_mutex_lock(&msg_mu);
    struct msg *m = msg_free;
    if (m)
        msg_free = m->next;
    pthread_mutex_unlock(&msg_mu);
    if (!m)
        m = malloc(sizeof *m);
    return m;
}

void msg_put(struct msg *m)
{
    pthread_mutex_lock(&msg_mu);
    m->next = msg_free;
    msg_free = m; // expect: tiny-heap-alloc
    pthread_mutex_unlock(&msg_mu);
}

struct cmsg *cmsg_get(void)
{
    struct cmsg *c;
    mtx_lock(&cmsg_mu);
    c = cmsg_free;
    if (c != NULL)
        cmsg_free = c->next;
    mtx_unlock(&cmsg_mu);
    return c ? c : calloc(1, sizeof(struct cmsg));
}

void cmsg_put(struct cmsg *c)
{
    mtx_lock(&cmsg_mu);
    c->next = cmsg_free;
    cmsg_free = c; // expect: tiny-heap-alloc
    mtx_unlock(&cmsg_mu);
}

/* big objects: recycling pages is worth a lock */
struct page *page_get(void)
{
    pthread_mutex_lock(&page_mu);
    struct page *p = page_free;
    if (p)
        page_free = p->next;
    pthread_mutex_unlock(&page_mu);
    if (!p)
        p = malloc(sizeof *p);
    return p;
}

void page_put(struct page *p)
{
    pthread_mutex_lock(&page_mu);
    p->next = page_free;
    page_free = p;
    pthread_mutex_unlock(&page_mu);
}

/* no lock: a single-threaded cache */
struct msg *solo_get(void)
{
    struct msg *m = solo_free;
    if (m)
        solo_free = m->next;
    return m;
}

void solo_put(struct msg *m)
{
    m->next = solo_free;
    solo_free = m;
}
