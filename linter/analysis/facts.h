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
};

struct sl_func_facts {
    const struct sl_expr *const *callers;   /* CALLGRAPH: calls of this function */
    uint32_t n_callers;
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
};

/* Compute the facts in needs over m and its lock-flow results.  Never fails. */
void sl_facts_compute(struct sl_facts *fx, const struct sl_model *m, const struct sl_flow *fl,
                      unsigned needs);
void sl_facts_free(struct sl_facts *fx);

/* The defined function whose body contains loc, or NULL (always available:
 * reports use it to name the enclosing function).  O(log functions). */
const struct sl_func *sl_facts_func_at(const struct sl_facts *fx, struct sl_loc loc);

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
static inline bool sl_is_setup_function(const struct sl_facts *fx, const struct sl_func *f)
{
    return sl_facts_func(fx, f, SL_NEED_SETUP)->setup;
}

#endif
