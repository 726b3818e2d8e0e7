#include <pthread.h>

struct sink { void (*emit)(struct sink *, const char *, unsigned long); int fd; };
struct out { pthread_mutex_t mu; struct sink *sink; char line[128]; unsigned long len; int flushes; };

void out_flush(struct out *o)
{
    char copy[128];
    unsigned long n;
    pthread_mutex_lock(&o->mu);
    n = o->len;
    for (unsigned long i = 0; i < n; i++) copy[i] = o->line[i];
    o->len = 0;
    pthread_mutex_unlock(&o->mu);
    o->sink->emit(o->sink, copy, n);
}

/* conditional locking: the call comes after the guarded unlock */
void out_flush_maybe_locked(struct out *o, int locked)
{
    if (locked)
        pthread_mutex_lock(&o->mu);
    o->flushes = o->flushes + 2;
    if (locked)
        pthread_mutex_unlock(&o->mu);
    o->sink->emit(o->sink, o->line, o->len);
}
