/* unbounded-thread-spawn: loops whose count comes from input. */
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <threads.h>
#include <unistd.h>

struct config { int n_workers; const char *listen; };
struct conn { int fd; };

void *work(void *arg);
int work_c11(void *arg);
void *serve_conn(void *arg);
int config_get_int(const char *key, int dflt);

static int nthreads = 4;

/* the classic: atoi(argv[1]) threads */
int run_from_argv(char **argv)
{
    int n = atoi(argv[1]);
    pthread_t *t = calloc((size_t)n, sizeof *t);
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL); // expect: unbounded-thread-spawn
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    free(t);
    return 0;
}

/* a global set from a command-line option */
void parse_opts(const char *optarg)
{
    nthreads = atoi(optarg);
}

void start_global(pthread_t *t)
{
    for (int i = 0; i < nthreads; i++)
        pthread_create(&t[i], NULL, work, NULL); // expect: unbounded-thread-spawn
}

/* a count read with sscanf */
int run_sscanf(const char *arg, pthread_t *t)
{
    int n = 0;
    if (sscanf(arg, "%d", &n) != 1)
        return -1;
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, work, NULL)) // expect: unbounded-thread-spawn
            return -1;
    return 0;
}

/* a count received from the network, through a helper's parameter */
static void spawn_n(pthread_t *t, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL); // expect: unbounded-thread-spawn
}

void on_request(int fd, pthread_t *t)
{
    unsigned req;
    if (read(fd, &req, sizeof req) != sizeof req)
        return;
    spawn_n(t, ntohl(req));
}

/* a setting from the configuration */
void start_workers(const struct config *cfg, pthread_t *t)
{
    for (int i = 0; i < cfg->n_workers; i++)
        pthread_create(&t[i], NULL, work, NULL); // expect: unbounded-thread-spawn
}

/* a config getter */
void start_from_config(thrd_t *t)
{
    int n = config_get_int("workers", 4);
    while (n-- > 0)
        thrd_create(&t[n], work_c11, NULL); // expect: unbounded-thread-spawn
}

/* a thread per accepted connection, no limit */
void accept_loop(int lfd)
{
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            continue;
        struct conn *c = malloc(sizeof *c);
        c->fd = fd;
        pthread_t t;
        pthread_create(&t, NULL, serve_conn, c); // expect: unbounded-thread-spawn
        pthread_detach(t);
    }
}

/* a thread per line of a file */
void per_line(FILE *f)
{
    char line[256];
    while (fgets(line, sizeof line, f)) {
        pthread_t t;
        pthread_create(&t, NULL, work, line); // expect: unbounded-thread-spawn
        pthread_detach(t);
    }
}

/* main's argc: one thread per argument */
int main(int argc, char **argv)
{
    pthread_t t[64];
    for (int i = 1; i < argc; i++)
        pthread_create(&t[i], NULL, work, argv[i]); // expect: unbounded-thread-spawn
    for (int i = 1; i < argc; i++)
        pthread_join(t[i], NULL);
    return 0;
}

/* through a same-file helper that creates the worker, the count a
 * command-line option parsed into a global */
static int n_worker_threads = 4;

static void create_worker(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&t, &attr, fn, arg);
}

void set_threads_option(const char *v)
{
    n_worker_threads = (int)strtol(v, NULL, 10);
}

void workers_init(void)
{
    for (int i = 0; i < n_worker_threads; i++)
        create_worker(work, NULL); // expect: unbounded-thread-spawn
}
