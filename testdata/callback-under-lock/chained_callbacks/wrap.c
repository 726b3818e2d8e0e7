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
