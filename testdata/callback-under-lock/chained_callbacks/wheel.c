#include <pthread.h>

struct timer { void (*fire)(struct timer *t); void (*inner)(void *arg); void *arg; int shots; };
struct wheel { pthread_mutex_t mu; struct timer *slots[64]; unsigned now; };

void wheel_tick(struct wheel *w)
{
    pthread_mutex_lock(&w->mu);
    struct timer *t = w->slots[w->now % 64];
    w->slots[w->now % 64] = 0;
    w->now++;
    if (t)
        t->fire(t); // expect: callback-under-lock
    pthread_mutex_unlock(&w->mu);
}
