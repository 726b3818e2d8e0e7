/* A retry policy whose backoff sleeps. */
#include <unistd.h>

struct job { void (*backoff)(unsigned attempt); int (*step)(void *); void *ctx; int state; };

static void sleep_backoff(unsigned attempt)
{
    usleep(1000u << (attempt & 7));
}

static int noop_step(void *ctx)
{
    return ctx != 0;
}

void job_init(struct job *j, void *ctx)
{
    j->backoff = sleep_backoff;
    j->step = noop_step;
    j->ctx = ctx;
    j->state = 0;
}
