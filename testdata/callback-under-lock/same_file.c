/* Registration and the call in one file: a logger sink that writes, a
 * counter hook that is trivial, and a hook table with one entry left NULL. */
#include <pthread.h>
#include <stdio.h>

struct hooks {
    void (*on_event)(void *ctx, int ev);
    void (*on_close)(void *ctx);
    void *ctx;
};

struct source {
    pthread_mutex_t mu;
    struct hooks hooks;
    int events;
    FILE *out;
};

static void print_event(void *ctx, int ev)
{
    struct source *s = ctx;
    fputs(ev ? "event\n" : "idle\n", s->out);
}

void source_attach_printer(struct source *s)
{
    s->hooks.on_event = print_event;
    s->hooks.ctx = s;
}

void source_emit(struct source *s, int ev)
{
    pthread_mutex_lock(&s->mu);
    s->events = s->events + ev;
    s->hooks.on_event(s->hooks.ctx, ev); // expect: callback-under-lock
    pthread_mutex_unlock(&s->mu);
}

/* on_close: nothing in the program ever stores a function into it */
void source_close(struct source *s)
{
    pthread_mutex_lock(&s->mu);
    if (s->hooks.on_close)
        s->hooks.on_close(s->hooks.ctx);
    s->events = 0;
    pthread_mutex_unlock(&s->mu);
}

/* a local function pointer chosen from two known, trivial functions */
static int add_one(int x) { return x + 1; }
static int twice(int x) { return x * 2; }

int source_step(struct source *s, int fast)
{
    int (*step)(int) = fast ? twice : add_one;
    pthread_mutex_lock(&s->mu);
    s->events = step(s->events);
    int n = s->events;
    pthread_mutex_unlock(&s->mu);
    return n;
}
