/* What a function does only on its first call (a lazily initialised
 * default object) is not a cost of every call; a perror reporting a failed
 * call before a later check aborts is a diagnostic, not a blocking call. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct loop { int fd; int n; };
static struct loop default_loop_struct;
static struct loop *default_loop_ptr;

static int loop_init(struct loop *l)
{
    char buf[16];
    l->fd = open("/proc/version", O_RDONLY);
    return l->fd < 0 || read(l->fd, buf, sizeof buf) <= 0;
}

struct loop *default_loop(void)
{
    if (default_loop_ptr != NULL)
        return default_loop_ptr;
    if (loop_init(&default_loop_struct))
        return NULL;
    default_loop_ptr = &default_loop_struct;
    return default_loop_ptr;
}

static int submit(int fd, int n)
{
    int rc = (int)write(fd, "x", 1);
    if (rc < 0)
        perror("submit");   /* cannot happen */
    if (rc != n)
        abort();
    return rc;
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int pending;

void enqueue(void)
{
    pthread_mutex_lock(&mu);
    struct loop *l = default_loop();
    pending += l ? l->n : 0;
    pthread_mutex_unlock(&mu);
}

/* not lazy: a counter reset to 0, so the flush runs again and again */
static int since_flush;

static void maybe_flush(int fd)
{
    if (since_flush > 10) {
        if (write(fd, "f", 1) < 0)
            return;
        since_flush = 0;
    }
    since_flush++;
}

void tick(int fd)
{
    pthread_mutex_lock(&mu);
    pending++;
    maybe_flush(fd); // expect: lock-held-across-blocking-call
    submit(fd, 1); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&mu);
}
