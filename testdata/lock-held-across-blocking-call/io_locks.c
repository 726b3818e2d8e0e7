/* Locks whose job is to serialise output are not findings: every section of
 * the lock writes, or the lock is named for it.  A condition wait holding a
 * second lock is. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;

/* negative: logging lock */
void log_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&log_mutex);
    vfprintf(log_file, fmt, ap);
    fflush(log_file);
    pthread_mutex_unlock(&log_mutex);
    va_end(ap);
}

struct framer { pthread_mutex_t wmu; FILE *out; };

/* negative: every section of f->wmu writes a frame: an output lock */
void frame_write(struct framer *f, const char *hdr, const char *body)
{
    pthread_mutex_lock(&f->wmu);
    fputs(hdr, f->out);
    fputs(body, f->out);
    pthread_mutex_unlock(&f->wmu);
}

void frame_flush(struct framer *f)
{
    pthread_mutex_lock(&f->wmu);
    fflush(f->out);
    pthread_mutex_unlock(&f->wmu);
}

struct pipeline {
    pthread_mutex_t outer, mu;
    pthread_cond_t cv;
    int ready;
    int stage;
};

/* negative: the wait releases the only lock held */
void pipeline_wait(struct pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->ready)
        pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

/* positive: waiting while the outer lock stays held */
void pipeline_wait_nested_bad(struct pipeline *p)
{
    pthread_mutex_lock(&p->outer);
    p->stage++;
    pthread_mutex_lock(&p->mu);
    while (!p->ready)
        pthread_cond_wait(&p->cv, &p->mu); // expect: lock-held-across-blocking-call
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_unlock(&p->outer);
}

void pipeline_advance(struct pipeline *p)
{
    pthread_mutex_lock(&p->outer);
    p->stage++;
    pthread_mutex_unlock(&p->outer);
}

/* negative: trylock failed branch sleeps without the lock */
int pipeline_try(struct pipeline *p)
{
    if (pthread_mutex_trylock(&p->outer) != 0) {
        printf("busy, stage unknown\n");
        return -1;
    }
    p->stage++;
    pthread_mutex_unlock(&p->outer);
    return 0;
}

/* positive: trylock succeeded branch prints */
int pipeline_try_bad(struct pipeline *p)
{
    if (pthread_mutex_trylock(&p->outer) == 0) {
        printf("stage %d\n", p->stage); // expect: lock-held-across-blocking-call
        pthread_mutex_unlock(&p->outer);
        return 0;
    }
    return -1;
}
