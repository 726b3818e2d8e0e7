/* Local locks passed to same-file helpers that only use them, goto cleanup,
 * and wrappers. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job { pthread_mutex_t mu; int done; char name[32]; };

#define JOB_LOCK(j) pthread_mutex_lock(&(j)->mu)
#define JOB_UNLOCK(j) pthread_mutex_unlock(&(j)->mu)

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

static void job_step(struct job *j)
{
    JOB_LOCK(j);
    j->done++; // expect: mutex-guarded-counter
    JOB_UNLOCK(j);
}

static int job_name_len(const struct job *j)
{
    return (int)strlen(j->name);
}

int run_job(const char *name)
{
    struct job j;
    int rc = -1;
    pthread_mutex_init(&j.mu, NULL); // expect: per-call-lock-alloc
    snprintf(j.name, sizeof j.name, "%s", name);
    if (job_name_len(&j) == 0)
        goto out_destroy;
    job_step(&j);
    job_step(&j);
    printf("%s: %d\n", j.name, j.done);
    rc = 0;
out_destroy:
    pthread_mutex_destroy(&j.mu);
    return rc;
}

int run_heap_job(void)
{
    struct job *j = xmalloc(sizeof *j);
    struct job *alias = j;
    pthread_mutex_init(&j->mu, NULL); // expect: per-call-lock-alloc
    j->done = 0;
    job_step(alias);
    int d = j->done;
    pthread_mutex_destroy(&j->mu);
    free(j);
    return d;
}

/* the lock pointer itself is a malloc'd mutex */
int heap_mutex(void)
{
    pthread_mutex_t *m = malloc(sizeof *m); // expect: tiny-heap-alloc
    if (!m)
        return -1;
    pthread_mutex_init(m, NULL); // expect: per-call-lock-alloc
    pthread_mutex_lock(m);
    pthread_mutex_unlock(m);
    pthread_mutex_destroy(m);
    free(m);
    return 0;
}
