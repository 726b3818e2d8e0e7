/* lockflow.h - which locks are held where: lock identities, lock sets, and
 * the per-function data-flow pass over the frozen model.
 *
 * sl_lockflow_run() classifies every call (built-in lock functions,
 * declared --wrapper functions, also when called through a function-pointer
 * field (evthread_lock_fns_.lock(mode, l), ops->acquire(m)), and same-TU
 * functions whose summary says they lock, unlock or wait on an argument;
 * condvars bound to a mutex by a declared `bind` call make a wait with no
 * mutex argument release that mutex), then walks each function's
 * statement tree computing the locks held before every expression (on all
 * paths: must; on some path: may) and at every exit.  Functions are
 * processed callees first so wrappers of wrappers compose.  Conditional
 * locking is tracked: per path it keeps a few facts "guard g is true/false"
 * from the branches taken, and a lock taken on the paths where g holds and
 * not on the others is held (must, with sl_held.guard set) until a branch
 * on the same g drops it where g does not hold (see sl_held).  The model is
 * only read: results live in an sl_flow, in tables keyed by sl_expr.id and
 * sl_func.index, allocated in the flow's own arena.
 */
#ifndef SL_LOCKFLOW_H
#define SL_LOCKFLOW_H

#include <stdbool.h>
#include "model.h"

/* A lock, identified by its normalised lvalue.  cls is the lock class:
 * the same for `&s->mu` in every function on struct S's field mu
 * ("struct S::mu"), the global's name for a global, "fn::name" for a
 * local or parameter.  text is what the code wrote, for messages.
 * Lockrefs are interned per model: equal (cls, text) => same pointer, and
 * equal classes => same cls pointer. */
/* Where a lock lives, which says whether its class means the same lock in
 * another function or file. */
enum sl_lock_scope {
    SL_LOCK_UNKNOWN,
    SL_LOCK_GLOBAL,                  /* a global or static object (or inside one) */
    SL_LOCK_FIELD,                   /* a struct field: the class is "struct S::mu" */
    SL_LOCK_LOCAL,                   /* rooted at a local or parameter: per function */
};

struct sl_lockref {
    const char *cls;
    const char *text;
    enum sl_sync_kind kind;          /* mutex, rwlock, spin, sem... if known */
    enum sl_lock_scope scope;
    bool file_static;                /* GLOBAL: a static of this file (class not project-wide) */
    bool decl_is_definition;         /* GLOBAL: decl is the definition in this TU */
    const struct sl_loc *decl;       /* where the lock object is declared, if known */
};

/* A held lock.  guard != NULL: conditional locking (`if (g) lock(l); ...
 * if (g) unlock(l);`): the lock is held on exactly the paths on which the
 * guard expression g (a variable or field path not written since) tests
 * guard_true (true: non-zero), and on no other path.  Such a lock is in the
 * must set: on the paths where it is not held there is no lock at all, so
 * there is nothing to report there; rules that read must-held locks see it
 * as held between the two guarded blocks. */
struct sl_held {
    const struct sl_lockref *lock;
    const struct sl_expr *site;      /* the call that acquired it */
    bool shared;                     /* rdlock */
    bool guard_true;                 /* guard != NULL: held iff guard tests this */
    const struct sl_expr *guard;     /* NULL: held unconditionally */
};

struct sl_lockset {
    uint32_t n;
    struct sl_held items[];
};

/* What a call does to a lock, as lock-flow classified it. */
struct sl_call_op {
    enum sl_lockop op;               /* SL_OP_NONE: not a lock operation */
    const struct sl_lockref *lock;   /* the lock operated on (WAIT, BIND: the mutex;
                                        a WAIT with no mutex argument: the mutex
                                        bound to its condvar, NULL if none) */
    const struct sl_lockref *cond;   /* WAIT, BIND: the condition variable */
};

/* A lock summary of a same-TU function: what a call to it does to locks,
 * in terms of its parameters. */
struct sl_func_effect {
    enum sl_lockop op;         /* LOCK/RDLOCK/WRLOCK/UNLOCK/WAIT... */
    int param;                 /* parameter the lock is reached from, -1: global */
    const struct sl_expr *lock_expr;  /* inside the callee: the lock argument */
    int cond_param;            /* WAIT: condvar parameter */
    const struct sl_expr *cond_expr;
};

/* A way out of a function with the locks held there.  at == NULL: falling
 * off the end of the body. */
struct sl_flow_exit {
    const struct sl_stmt *at;
    const struct sl_lockset *must, *may;
};

enum sl_flow_event_kind { SL_EV_DOUBLE_LOCK, SL_EV_UNLOCK_NOT_HELD };
struct sl_flow_event {
    enum sl_flow_event_kind kind;
    const struct sl_expr *call;
    const struct sl_lockref *lock;
    const struct sl_expr *prev_site; /* DOUBLE_LOCK: where it was first taken */
};

/* Lock-flow results of one function. */
struct sl_func_flow {
    const struct sl_func_effect *effects;   /* its summary, as a callee */
    uint32_t n_effects;
    const struct sl_flow_exit *exits;       /* every way out: returns and the end */
    uint32_t n_exits;
    const struct sl_flow_event *events;     /* double locks, unlocks of locks not held */
    uint32_t n_events;
};

/* What lock-flow is told; never stored in the model. */
struct sl_lockflow_config {
    const struct sl_wrapper *wrappers;      /* user-declared lock wrappers */
    size_t n_wrappers;
};

struct sl_intern;

/* The results over one model.  Read-only once sl_lockflow_run returns;
 * everything is owned by arena and freed with sl_flow_free. */
struct sl_flow {
    struct sl_arena arena;
    const struct sl_model *model;
    const struct sl_lockset **must, **may;  /* [sl_expr.id]: held before it runs */
    struct sl_call_op *ops;                 /* [sl_expr.id]: set for CALLs only */
    struct sl_func_flow *fns;               /* [sl_func.index] */
    struct sl_intern *intern;               /* lockref / class interning */
    /* Wrappers declared in the configuration that matched a call here. */
    bool *wrapper_used;                     /* [config wrapper index] */
};

/* Run lock-flow over m (frozen) into fl.  cfg and its wrappers must outlive
 * fl only for the duration of the call.  Never fails (allocation failure
 * ends the process, as everywhere). */
void sl_lockflow_run(struct sl_flow *fl, const struct sl_model *m,
                     const struct sl_lockflow_config *cfg);
void sl_flow_free(struct sl_flow *fl);

/* Locks held just before e runs, on every path (must) or some path (may).
 * NULL: none. */
static inline const struct sl_lockset *sl_held_must(const struct sl_flow *fl, const struct sl_expr *e)
{
    return fl->must[e->id];
}
static inline const struct sl_lockset *sl_held_may(const struct sl_flow *fl, const struct sl_expr *e)
{
    return fl->may[e->id];
}
/* The lock operation of a call (all fields zero for other expressions). */
static inline const struct sl_call_op *sl_call_op(const struct sl_flow *fl, const struct sl_expr *e)
{
    return &fl->ops[e->id];
}
static inline enum sl_lockop sl_call_lockop(const struct sl_flow *fl, const struct sl_expr *e)
{
    return fl->ops[e->id].op;
}
static inline const struct sl_func_flow *sl_func_flow(const struct sl_flow *fl, const struct sl_func *f)
{
    return &fl->fns[f->index];
}

static inline uint32_t sl_lockset_size(const struct sl_lockset *s) { return s ? s->n : 0; }
const struct sl_held *sl_lockset_find(const struct sl_lockset *s, const struct sl_lockref *l);
const struct sl_held *sl_lockset_find_class(const struct sl_lockset *s, const char *cls);

/* The lock a pointer-valued expression designates (the argument of
 * pthread_mutex_lock): the interned lockref when lock-flow met that lock,
 * else one allocated in scratch whose class equals no interned class.
 * Never NULL. */
const struct sl_lockref *sl_lockref_lookup(const struct sl_flow *fl, const struct sl_expr *ptr,
                                           struct sl_arena *scratch);

#endif
