#include <threads.h>

typedef void (*bus_cb)(void *arg, int ev);
struct sub { bus_cb cb; void *arg; struct sub *next; };
struct bus { mtx_t mu; struct sub *subs; };

void bus_subscribe(struct bus *b, struct sub *s, bus_cb cb, void *arg);
void bus_publish(struct bus *b, int ev);
