/* install_example.c - a user program built against the installed libsynclint
 * through pkg-config (driven by the runtime.install ctest; not a unit test). */
#include <stdio.h>

#include <synclint/counter.h>
#include <synclint/ctx.h>
#include <synclint/event.h>
#include <synclint/group.h>
#include <synclint/once.h>

static sl_counter hits = SL_COUNTER_INIT;
static sl_event started = SL_EVENT_INIT;

static int task(void *arg, sl_ctx *ctx)
{
    sl_event_wait(&started);
    sl_counter_inc(&hits);
    return 0;
}

static int init(void *arg)
{
    *(int *)arg = 42;
    return 0;
}

int main(void)
{
    static sl_once once = SL_ONCE_INIT;
    int v = 0;
    sl_group g;
    if (sl_once_call(&once, init, &v) != 0 || v != 42) return 1;
    if (sl_group_init(&g, NULL, 2) != 0) return 1;
    for (int i = 0; i < 10; i++) sl_group_go(&g, task, NULL);
    sl_event_set(&started);
    int err = sl_group_wait(&g);
    sl_group_destroy(&g);
    if (err != 0 || sl_counter_load(&hits) != 10) return 1;
    printf("ok\n");
    return 0;
}
