/* A decorator: the stored function itself calls out through another
 * pointer, so what finally runs is not known either. */
struct timer { void (*fire)(struct timer *t); void (*inner)(void *arg); void *arg; int shots; };

static void fire_counted(struct timer *t)
{
    t->shots++;
    t->inner(t->arg);
}

void timer_wrap(struct timer *t, void (*inner)(void *), void *arg)
{
    t->fire = fire_counted;
    t->inner = inner;
    t->arg = arg;
}

/* the only inner callback the program installs syncs a file */
#include <unistd.h>

static void sync_file(void *arg)
{
    fsync(*(int *)arg);
}

void timer_sync_later(struct timer *t, int *fd)
{
    timer_wrap(t, sync_file, fd);
}
