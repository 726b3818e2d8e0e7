/* unbounded-thread-spawn: bounded loops, which must stay silent. */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <threads.h>
#include <unistd.h>

#define N_WORKERS 8
#define MAX_THREADS 64
#define MAX_CONNS 128
#define MIN(a, b) ((a) < (b) ? (a) : (b))

void *work(void *arg);
int work_c11(void *arg);
void *serve_conn(void *arg);

struct pool { pthread_t threads[N_WORKERS]; int n; };

static atomic_int active_conns;
static sem_t slots;

void start_const(pthread_t *t)
{
    for (int i = 0; i < N_WORKERS; i++)
        pthread_create(&t[i], NULL, work, NULL);
}

void start_array(struct pool *p)
{
    for (size_t i = 0; i < sizeof p->threads / sizeof p->threads[0]; i++)
        pthread_create(&p->threads[i], NULL, work, p);
}

void start_per_cpu(pthread_t *t)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    for (long i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL);
}

void start_nprocs(thrd_t *t)
{
    int n = get_nprocs();
    for (int i = 0; i < n; i++)
        thrd_create(&t[i], work_c11, NULL);
}

/* clamped with an if */
int run_clamped(char **argv, pthread_t *t)
{
    int n = atoi(argv[1]);
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL);
    return 0;
}

/* clamped with MIN */
int run_min(const char *arg, pthread_t *t)
{
    int n = MIN(atoi(arg), MAX_THREADS);
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL);
    return 0;
}

/* validated: too big is an error */
int run_validated(const char *arg, pthread_t *t)
{
    long n = strtol(arg, NULL, 10);
    if (n < 1 || n > MAX_THREADS)
        return -1;
    for (long i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL);
    return 0;
}

/* a thread per connection under a connection limit */
void accept_limited(int lfd)
{
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            continue;
        if (atomic_load(&active_conns) >= MAX_CONNS) {
            close(fd);
            continue;
        }
        atomic_fetch_add(&active_conns, 1);
        pthread_t t;
        pthread_create(&t, NULL, serve_conn, (void *)(long)fd);
        pthread_detach(t);
    }
}

/* a slot semaphore taken before each creation */
void accept_slots(int lfd)
{
    for (;;) {
        sem_wait(&slots);
        int fd = accept(lfd, NULL, NULL);
        pthread_t t;
        pthread_create(&t, NULL, serve_conn, (void *)(long)fd);
        pthread_detach(t);
    }
}

/* a count from the caller, who passes a constant */
static void spawn(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL);
}

void start_two(pthread_t *t)
{
    spawn(t, 2);
}

/* the loop stops at the array's size as well */
int run_capped_cond(char **argv, pthread_t *t)
{
    int n = atoi(argv[1]);
    for (int i = 0; i < n && i < MAX_THREADS; i++)
        pthread_create(&t[i], NULL, work, NULL);
    return 0;
}

/* retrying one creation is not a thread per iteration */
int start_with_retry(pthread_t *t)
{
    int tries = 0;
    while (pthread_create(t, NULL, work, NULL) != 0 && tries < 3)
        tries++;
    return 0;
}

/* a helper that creates, called a constant number of times */
static void create_worker(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    pthread_create(&t, NULL, fn, arg);
    pthread_detach(t);
}

void workers_init(void)
{
    for (int i = 0; i < N_WORKERS; i++)
        create_worker(work, NULL);
}

/* the option is range-checked where it is parsed */
static int n_io_threads = 2;

int set_io_threads(const char *v)
{
    int n = atoi(v);
    if (n <= 0 || n > MAX_THREADS)
        return -1;
    n_io_threads = n;
    return 0;
}

void io_init(void)
{
    for (int i = 0; i < n_io_threads; i++)
        create_worker(work, NULL);
}

/* a task record's count is not a setting: where it comes from is unknown */
struct split_args { int n_parts; void *data; };

void split_work(struct split_args *args, pthread_t *t)
{
    for (int i = 0; i < args->n_parts; i++)
        pthread_create(&t[i], NULL, work, args->data);
}
