/* thread-leak: the correct look-alikes, which must stay silent. */
#include <pthread.h>
#include <stdlib.h>
#include <threads.h>

#define N_WORKERS 4

struct job { int fd; int stop; };
struct server { pthread_t accept_thread; pthread_t workers[N_WORKERS]; int n; };

void *reader(void *arg);
void *writer(void *arg);
int prepare(struct job *j);
int remember_thread(pthread_t t);
extern pthread_t g_monitor;

/* joined on the error path too */
int start_pair_ok(struct job *j)
{
    pthread_t rd, wr;
    if (pthread_create(&rd, NULL, reader, j) != 0)
        return -1;
    if (pthread_create(&wr, NULL, writer, j) != 0) {
        j->stop = 1;
        pthread_join(rd, NULL);
        return -1;
    }
    pthread_join(rd, NULL);
    pthread_join(wr, NULL);
    return 0;
}

/* the failure path of the creation itself: no thread exists */
int only_failure_returns(struct job *j)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, reader, j);
    if (rc)
        return rc;
    return pthread_join(t, NULL);
}

/* the handle goes into a struct: a long-lived thread */
int server_start(struct server *s)
{
    pthread_t t;
    if (pthread_create(&t, NULL, reader, s))
        return -1;
    s->accept_thread = t;
    return 0;
}

int server_start_direct(struct server *s)
{
    if (pthread_create(&s->accept_thread, NULL, reader, s))
        return -1;
    for (int i = 0; i < N_WORKERS; i++)
        if (pthread_create(&s->workers[i], NULL, writer, s))
            return -1;
    return 0;
}

/* into a global */
void monitor_start(void)
{
    pthread_create(&g_monitor, NULL, reader, NULL);
}

/* returned to the caller / written through an out-parameter */
pthread_t spawn(struct job *j)
{
    pthread_t t;
    pthread_create(&t, NULL, reader, j);
    return t;
}

int spawn_out(struct job *j, pthread_t *out)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, reader, j);
    if (rc == 0)
        *out = t;
    return rc;
}

/* handed to a function that keeps it */
int spawn_registered(struct job *j)
{
    pthread_t t;
    if (pthread_create(&t, NULL, reader, j))
        return -1;
    return remember_thread(t);
}

/* created detached through its attribute */
int spawn_detached(struct job *j)
{
    pthread_attr_t attr;
    pthread_t t;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &attr, reader, j);
    pthread_attr_destroy(&attr);
    if (rc)
        return -1;
    return prepare(j);
}

/* a start routine that detaches itself */
static void *self_detaching(void *arg)
{
    pthread_detach(pthread_self());
    return arg;
}

int spawn_self_detaching(struct job *j)
{
    pthread_t t;
    if (pthread_create(&t, NULL, self_detaching, j))
        return -1;
    return prepare(j);
}

/* detached right away */
int spawn_then_detach(struct job *j)
{
    pthread_t t;
    if (pthread_create(&t, NULL, reader, j) != 0)
        return -1;
    pthread_detach(t);
    return prepare(j);
}

/* joined by a same-file helper */
static void join_all(pthread_t *tids, int n)
{
    for (int i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
}

int run_pool_ok(struct job *j)
{
    pthread_t tids[N_WORKERS];
    int started = 0;
    for (int i = 0; i < N_WORKERS; i++) {
        if (pthread_create(&tids[i], NULL, reader, j) != 0)
            break;
        started++;
    }
    join_all(tids, started);
    return started == N_WORKERS ? 0 : -1;
}

/* goto cleanup that joins what was started */
int run_goto_ok(struct job *j)
{
    pthread_t tids[N_WORKERS];
    int n = 0, ret = -1;
    for (n = 0; n < N_WORKERS; n++)
        if (pthread_create(&tids[n], NULL, reader, j))
            goto out;
    if (prepare(j) < 0)
        goto out;
    ret = 0;
out:
    for (int i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
    return ret;
}

/* joined under a "started" flag */
int run_flag(struct job *j)
{
    pthread_t t;
    int started = 0, ret = -1;
    if (prepare(j) < 0)
        goto out;
    if (pthread_create(&t, NULL, reader, j) == 0)
        started = 1;
    ret = prepare(j);
out:
    if (started)
        pthread_join(t, NULL);
    return ret;
}

/* the failing creation stops the process */
void must_start(struct job *j)
{
    pthread_t t;
    if (pthread_create(&t, NULL, reader, j))
        abort();
    pthread_join(t, NULL);
}

/* C11: joined on every path; unwinding the started ones on failure */
int reader_c11(void *arg);
int run_c11_ok(struct job *j)
{
    thrd_t t[2];
    int i;
    for (i = 0; i < 2; i++)
        if (thrd_create(&t[i], reader_c11, j) != thrd_success) {
            while (i-- > 0)
                thrd_join(t[i], NULL);
            return -1;
        }
    for (i = 0; i < 2; i++)
        thrd_join(t[i], NULL);
    return 0;
}

/* main returning ends the process and its threads */
int main(void)
{
    pthread_t t;
    struct job j = { 0, 0 };
    if (pthread_create(&t, NULL, reader, &j))
        return 1;
    if (prepare(&j))
        return 1;
    pthread_join(t, NULL);
    return 0;
}
