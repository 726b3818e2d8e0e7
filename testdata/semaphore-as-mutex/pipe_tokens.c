/* The pipe / eventfd token as a lock, and pipes used to signal. */
#include <stdint.h>
#include <unistd.h>

static int lock_pipe[2];
static int table[32];
static int wake_pipe[2];
static int evfd;
static long evstate;

void table_lock_init(void)
{
    char t = 'x';
    if (pipe(lock_pipe) == 0)
        (void)!write(lock_pipe[1], &t, 1);
}

void table_set(int k, int v)
{
    char t;
    if (read(lock_pipe[0], &t, 1) != 1) // expect: semaphore-as-mutex
        return;
    table[k & 31] = v;
    (void)!write(lock_pipe[1], &t, 1);
}

void ev_update(long d)
{
    uint64_t tok;
    (void)!read(evfd, &tok, sizeof tok); // expect: semaphore-as-mutex
    evstate += d;
    (void)!write(evfd, &tok, sizeof tok);
}

/* negative: the self-pipe trick: a signal handler or thread writes, the
 * event loop reads - signalling, not a lock */
void wake_loop(void)
{
    char c = 1;
    (void)!write(wake_pipe[1], &c, 1);
}

void drain_wakeups(void)
{
    char c;
    (void)!read(wake_pipe[0], &c, 1);
}
