/* group.h - fan out tasks on threads, wait for all, get the first error
 * (Go's errgroup, in C).
 *
 * Interface:
 *   sl_group                             caller-owned; init ... wait ... destroy
 *     sl_group_init(g, parent, limit) -> 0 | -errno
 *                                       parent: ctx to derive from, or NULL
 *                                       limit: max tasks running at once, 0 none
 *     sl_group_go(g, fn, arg)     -> 0 | -EINVAL | -ENOMEM | -EAGAIN
 *                                       queue fn(arg, ctx); never blocks on limit
 *     sl_group_wait(g)            -> 0 | the first non-zero task return
 *     sl_group_ctx(g)             -> sl_ctx *   cancelled on first error / wait
 *     sl_group_destroy(g)                waits if not yet waited, frees
 *
 *   typedef int (*sl_group_fn)(void *arg, sl_ctx *ctx);   0 = success
 *
 * Replaces: a pthread_create per task plus a join loop with a shared
 * `int first_err` and a `volatile int stop` (sync-lint's thread-per-task
 * shape).  Threads are created lazily and reused for later tasks, so a task
 * costs a queue push and pop, not a thread creation; the first failing
 * task cancels the group's context so its siblings can stop early.
 *
 * Semantics: each task runs exactly once on a group worker thread.  With
 *   limit == 0 every queued task starts without waiting for another task
 *   to finish (a new thread is created when no worker is idle), so tasks may
 *   wait for each other.  With limit > 0 at most `limit` tasks run at once
 *   and the rest queue in FIFO order (a queued task costs one small
 *   allocation; go() does not block).  Tasks may call sl_group_go on their
 *   own group.  The first task to return non-zero (by convention -errno)
 *   has its value kept and cancels sl_group_ctx(g) with -ECANCELED; later
 *   errors are dropped.  Tasks already queued still run after a cancel (as
 *   in Go): check sl_ctx_err(ctx) at their start if they should not.
 *   sl_group_wait waits for every task, joins the worker threads, cancels
 *   the context (like Go's Wait), and returns the first error; it may be
 *   called again and returns the same value.
 *
 * Ownership: the caller owns g and every arg; the group owns its threads
 *   and the context (valid until destroy).  Call destroy once, after every
 *   other call returned.
 * Blocking: go() never waits for a task (it may create a thread); wait
 *   blocks until all tasks finish; destroy blocks like wait.  Never call
 *   wait or destroy from inside a task of the same group (deadlock).
 * Memory order: everything a task wrote happens before sl_group_wait
 *   returns; everything written before sl_group_go happens before the task
 *   starts.
 * Errors: go returns -EINVAL after wait, -ENOMEM when the task node cannot
 *   be allocated, and -EAGAIN (pthread_create's error) when no thread could
 *   be created to run it (in limited mode the task stays queued if a
 *   worker exists, and go returns 0); init returns -EINVAL for a NULL g and
 *   pthread errors as -errno.
 */
#ifndef SYNCLINT_GROUP_H
#define SYNCLINT_GROUP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "synclint/ctx.h"

typedef int (*sl_group_fn)(void *arg, sl_ctx *ctx);

struct sl_group_task;

typedef struct sl_group {
    sl_ctx ctx;
    pthread_mutex_t lock;           /* guards everything below but the atomics */
    pthread_cond_t work;            /* workers sleep here for tasks */
    pthread_cond_t all_done;        /* wait sleeps here for pending == 0 */
    struct sl_group_task *head, *tail, *free_tasks;
    unsigned qlen;                  /* queued, not started */
    _Atomic unsigned queued;        /* qlen, for workers spinning unlocked */
    _Atomic bool stopping;          /* shutdown, for workers spinning unlocked */
    unsigned limit, nworkers, idle, sleepers, pending;
    pthread_t *threads;
    unsigned cap_threads;
    int first_err;
    bool waiting, waited;
} sl_group;

int sl_group_init(sl_group *g, sl_ctx *parent, unsigned limit);
int sl_group_go(sl_group *g, sl_group_fn fn, void *arg);
int sl_group_wait(sl_group *g);
void sl_group_destroy(sl_group *g);

static inline sl_ctx *sl_group_ctx(sl_group *g)
{
    return &g->ctx;
}

#endif
