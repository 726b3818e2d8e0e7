/* An event bus: subscribers register a callback and its argument; publish
 * runs them with the bus lock held (C11 threads). */
#include <threads.h>
#include "bus.h"

void bus_subscribe(struct bus *b, struct sub *s, bus_cb cb, void *arg)
{
    mtx_lock(&b->mu);
    s->cb = cb;
    s->arg = arg;
    s->next = b->subs;
    b->subs = s;
    mtx_unlock(&b->mu);
}

void bus_publish(struct bus *b, int ev)
{
    mtx_lock(&b->mu);
    for (struct sub *s = b->subs; s; s = s->next)
        s->cb(s->arg, ev); // expect: callback-under-lock
    mtx_unlock(&b->mu);
}

/* the replacement: copy the callbacks under the lock, call them after */
void bus_publish_copied(struct bus *b, int ev)
{
    struct sub todo[16];
    int n = 0;
    mtx_lock(&b->mu);
    for (struct sub *s = b->subs; s && n < 16; s = s->next) todo[n++] = *s;
    mtx_unlock(&b->mu);
    for (int i = 0; i < n; i++) todo[i].cb(todo[i].arg, ev);
}
