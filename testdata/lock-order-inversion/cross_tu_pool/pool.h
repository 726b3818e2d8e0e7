/* A thread pool split over three files: the job queue (a_queue.c), the
 * workers (b_worker.c) and the pool statistics (c_stats.c). */
#ifndef POOL_H
#define POOL_H
#include <pthread.h>

struct job { void (*fn)(void *); void *arg; struct job *next; };

struct jobq {
    pthread_mutex_t mu;
    pthread_cond_t nonempty;
    struct job *head, *tail;
    int depth;
    int stopping;
};

/* a_queue.c: take struct jobq::mu */
void jobq_push(struct jobq *q, struct job *j);
int jobq_depth(struct jobq *q);
/* b_worker.c: no lock of its own, calls c_stats.c */
void worker_wake(struct jobq *q);
/* c_stats.c: takes g_stats_mu */
void stats_note_wake(void);
#endif
