/* facts.h - shared facts about one translation unit, computed once after
 * lock-flow and only when an enabled rule needs them.
 *
 * A rule declares what it reads in sl_rule.needs (as staticcheck's
 * Requires:); the engine computes the union for the enabled rules before
 * any rule runs, so rules see the facts const.  Reading a fact nobody
 * declared is an internal bug: the accessor aborts naming the fact.
 *
 * Facts (SL_NEED_*):
 *   CALLGRAPH  the calls in this TU that reach each defined function
 *   THREADS    thread entry functions (pthread_create / thrd_create
 *              targets) and the functions that run only on threads they
 *              start (called, within depth 4, only from such code)
 *   SETUP      init/setup/teardown functions: the one definition every
 *              rule uses (a lock init/destroy call, or a name with a word
 *              like init, create, new, alloc, setup, destroy, free, fini)
 *   DEFUSE     for every local variable, the expressions stored into it
 *              (initialiser, plain assignments) and whether it is stepped
 *              (++, +=) or has its address taken
 *   PER_THREAD values that identify the running thread: a thread, worker or
 *              CPU id (from the thread's argument, a thread-local, sched_getcpu
 *              and the like, arithmetic on one), or the thread's own record
 *   ACCESS     every access to a struct field or a global/static object
 *              (not to lock objects), read or write, atomic or not, with the
 *              locks every caller holds on entry to its function (for static
 *              functions whose callers all hold a lock); implies CALLGRAPH
 */
#ifndef SL_FACTS_H
#define SL_FACTS_H

#include <stdbool.h>
#include <stdint.h>
#include "lockflow.h"
#include "model.h"

enum sl_need {
    SL_NEED_CALLGRAPH = 1u << 0,
    SL_NEED_THREADS   = 1u << 1,   /* implies CALLGRAPH */
    SL_NEED_SETUP     = 1u << 2,
    SL_NEED_DEFUSE    = 1u << 3,
    SL_NEED_ACCESS    = 1u << 4,   /* implies CALLGRAPH */
    SL_NEED_PER_THREAD = 1u << 5,  /* implies THREADS, DEFUSE (perthread.c) */
};

/* DEFUSE: what is stored into one local variable. */
struct sl_var_defs {
    const struct sl_expr *const *values;    /* initialiser and rhs of plain '=' */
    uint32_t n_values;
    bool stepped;                           /* ++, --, +=, ... */
    bool address_taken;                     /* &v somewhere */
};

/* ACCESS: one access to shared memory. */
struct sl_access {
    const struct sl_expr *e;                /* MEMBER, REF or INDEX expression */
    const struct sl_func *func;
    const struct sl_field *field;           /* the field accessed, or NULL */
    const struct sl_var *var;               /* the global/static, or NULL */
    bool write;                             /* assigned, stepped, atomically stored */
    bool atomic;                            /* _Atomic object or atomic builtin */
};

struct sl_func_facts {
    const struct sl_expr *const *callers;   /* CALLGRAPH: calls of this function */
    uint32_t n_callers;
    /* ACCESS: lock classes held by every caller of this static function. */
    const char *const *entry_locks;
    uint32_t n_entry_locks;
    bool thread_entry;                      /* THREADS */
    bool on_thread;                         /* THREADS: entry, or called only from thread code */
    bool setup;                             /* SETUP */
};

struct sl_facts {
    struct sl_arena arena;
    const struct sl_model *model;
    const struct sl_flow *flow;
    unsigned computed;                      /* SL_NEED_* bits */
    struct sl_func_facts *fns;              /* [sl_func.index] */
    const struct sl_func **by_place;        /* defined functions by (file, line); always */
    struct sl_var_defs *defs;               /* DEFUSE: [sl_var.index] */
    struct sl_access *accesses;             /* ACCESS: in function, then source order */
    uint32_t n_accesses;
};

/* Compute the facts in needs over m and its lock-flow results.  Never fails. */
void sl_facts_compute(struct sl_facts *fx, const struct sl_model *m, const struct sl_flow *fl,
                      unsigned needs);
void sl_facts_free(struct sl_facts *fx);

/* The function a pthread_create / thrd_create call starts (declared or
 * defined here), or NULL. */
const struct sl_func *sl_thread_start_target(const struct sl_expr *call);

/* The defined function whose body contains loc, or NULL (always available:
 * reports use it to name the enclosing function).  O(log functions). */
const struct sl_func *sl_facts_func_at(const struct sl_facts *fx, struct sl_loc loc);

/* PER_THREAD: does e (in f) compute a value naming the running thread? */
bool sl_is_thread_id(const struct sl_facts *fx, const struct sl_func *f, const struct sl_expr *e);
/* PER_THREAD: is the value of v (a local or parameter of f) per-thread?
 * *thread_arg: it is (derived from) the argument the thread was started with. */
bool sl_var_is_per_thread(const struct sl_facts *fx, const struct sl_func *f, const struct sl_var *v,
                          bool *thread_arg);
/* DEFUSE: the one value stored into local v, or NULL. */
const struct sl_expr *sl_local_single_value(const struct sl_facts *fx, const struct sl_var *v);

/* ACCESS: the lock classes held at expression e: its must-held set and the
 * entry locks of its function, sorted by pointer, deduplicated; at most max. */
uint32_t sl_facts_held_classes(const struct sl_facts *fx, const struct sl_expr *e,
                               const char **out, uint32_t max);

/* The facts of a defined function; aborts if need was not computed. */
const struct sl_func_facts *sl_facts_func(const struct sl_facts *fx, const struct sl_func *f,
                                          enum sl_need need);

static inline uint32_t sl_n_callers(const struct sl_facts *fx, const struct sl_func *f)
{
    return sl_facts_func(fx, f, SL_NEED_CALLGRAPH)->n_callers;
}
static inline const struct sl_expr *sl_caller(const struct sl_facts *fx, const struct sl_func *f,
                                              uint32_t i)
{
    return sl_facts_func(fx, f, SL_NEED_CALLGRAPH)->callers[i];
}
static inline bool sl_is_thread_entry(const struct sl_facts *fx, const struct sl_func *f)
{
    return sl_facts_func(fx, f, SL_NEED_THREADS)->thread_entry;
}
static inline bool sl_runs_on_thread(const struct sl_facts *fx, const struct sl_func *f)
{
    return sl_facts_func(fx, f, SL_NEED_THREADS)->on_thread;
}
static inline const struct sl_var_defs *sl_var_defs(const struct sl_facts *fx,
                                                    const struct sl_var *v)
{
    if (!(fx->computed & SL_NEED_DEFUSE)) sl_facts_func(fx, NULL, SL_NEED_DEFUSE);
    return &fx->defs[v->index];
}
static inline bool sl_is_setup_function(const struct sl_facts *fx, const struct sl_func *f)
{
    return sl_facts_func(fx, f, SL_NEED_SETUP)->setup;
}

#endif
