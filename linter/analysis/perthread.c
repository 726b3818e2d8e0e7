/* perthread.c - values that identify the running thread (a thread, worker
 * or CPU id, or the thread's own record): the PER_THREAD fact of facts.h.
 * Built on DEFUSE (values stored into locals) and THREADS (thread entries
 * and their callees), so each question reads a local's few definitions
 * rather than rescanning its function. */
#include "facts.h"

#include <string.h>

/* Names that say "which thread": enough on their own for atomic slots. */
static const char *const id_words[] = {
    "tid", "wid", "self", "me", "cpu", "cpuid", "core", "worker", "thread", "thr", "rank",
    "lcore", NULL
};
/* Generic names (also table positions): only when the writer runs on a thread. */
static const char *const weak_id_words[] = { "id", "idx", "slot", NULL };

/* Calls that step a counter and return a ticket (atomic_count_inc). */
static const char *const step_words[] = { "inc", "next", "add", "fetch", "ticket", NULL };


/* Calls that return the calling thread's own data. */
static bool is_tsd_call(const char *n)
{
    return n && (!strcmp(n, "pthread_getspecific") || !strcmp(n, "tss_get"));
}

/* Calls that return the id of the running CPU or thread. */
static bool is_id_call(const char *n)
{
    static const char *const calls[] = {
        "sched_getcpu", "omp_get_thread_num", "smp_processor_id", "rte_lcore_id",
        "ovsthread_id_self", "gettid", NULL
    };
    if (!n) return false;
    for (size_t i = 0; calls[i]; i++)
        if (!strcmp(n, calls[i])) return true;
    return false;
}


/* The single value stored in local v (its initialiser or one plain
 * assignment), or NULL if it is assigned more than once or updated. */
const struct sl_expr *sl_local_single_value(const struct sl_facts *fx, const struct sl_var *v)
{
    if (!v || (v->kind != SL_VAR_LOCAL && v->kind != SL_VAR_PARAM) || v->is_static) return NULL;
    const struct sl_var_defs *d = sl_var_defs(fx, v);
    return !d->stepped && d->n_values == 1 ? d->values[0] : NULL;
}

static bool is_thread_id(const struct sl_facts *fx, const struct sl_func *f, const struct sl_expr *e, int depth);

/* Does e step a counter (a ticket or a rotating position, not an id)? */
static bool has_step(const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_UNARY && e->op >= SL_U_POSTINC && e->op <= SL_U_PREDEC) return true;
    if (e->kind == SL_EX_ASSIGN) return true;
    if (e->kind == SL_EX_CALL && (e->atomic == SL_AT_RMW || sl_name_has_word(e->name, step_words)))
        return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (has_step(e->kids[i])) return true;
    return false;
}

/* Every value stored in local v is free of counter steps. */
static bool local_never_stepped(const struct sl_facts *fx, const struct sl_var *v)
{
    const struct sl_var_defs *d = sl_var_defs(fx, v);
    for (uint32_t i = 0; i < d->n_values; i++)
        if (has_step(d->values[i])) return false;
    return true;
}

/* Local v is stepped with ++ or += somewhere: a loop counter, not an id. */
static bool local_is_counter(const struct sl_facts *fx, const struct sl_var *v)
{
    return sl_var_defs(fx, v)->stepped;
}

static bool var_is_per_thread(const struct sl_facts *fx, const struct sl_func *f, const struct sl_var *v, int depth,
                              bool *thread_arg);

/* Does every call of f in this TU pass, for parameter v, something derived
 * from the calling thread's own argument (`bump(w)`, `bump(w->id)` in a
 * thread body whose argument is w)?  Then v is per-thread too. */
static bool param_from_thread_arg(const struct sl_facts *fx, const struct sl_func *f, const struct sl_var *v, int depth,
                                  bool *thread_arg)
{
    uint32_t n_callers = sl_n_callers(fx, f);
    if (!n_callers || v->param_index < 0 || depth > 4) return false;
    for (uint32_t i = 0; i < n_callers; i++) {
        const struct sl_expr *c = sl_caller(fx, f, i);
        if ((uint32_t)v->param_index >= c->n_kids) return false;
        const struct sl_func *g = c->stmt ? c->stmt->func : NULL;
        const struct sl_var *r = sl_expr_root_var(c->kids[v->param_index]);
        bool targ = false;
        if (!g || !r || r->kind == SL_VAR_GLOBAL || r->is_static ||
            !var_is_per_thread(fx, g, r, depth + 1, &targ) || !targ)
            return false;
    }
    *thread_arg = true;
    return true;
}

/* Is the value of local/param v per-thread?  thread_arg: v is (derived
 * from) the argument of a thread body, so all its fields are per-thread.
 * A local counts when every value stored in it is per-thread or a constant
 * (`int cpu = sched_getcpu(); if (cpu < 0) cpu = 0;`). */
static bool var_is_per_thread(const struct sl_facts *fx, const struct sl_func *f, const struct sl_var *v, int depth,
                              bool *thread_arg)
{
    if (!v || depth > 4) return false;
    if (v->is_thread_local) return true;
    if (v->kind == SL_VAR_GLOBAL || v->is_static) return false;
    if (v->kind == SL_VAR_PARAM) {
        if (sl_is_thread_entry(fx, f) && v->param_index == 0) { *thread_arg = true; return true; }
        return param_from_thread_arg(fx, f, v, depth, thread_arg);
    }
    if (local_is_counter(fx, v) || !local_never_stepped(fx, v)) return false;
    const struct sl_expr *single = sl_local_single_value(fx, v);
    if (single && single->kind == SL_EX_REF && single->var && single->var->kind == SL_VAR_PARAM)
        return var_is_per_thread(fx, f, single->var, depth + 1, thread_arg);
    bool any = false;
    const struct sl_var_defs *d = sl_var_defs(fx, v);
    for (uint32_t i = 0; i < d->n_values; i++) {
        if (d->values[i]->kind == SL_EX_INT) continue;
        if (!is_thread_id(fx, f, d->values[i], depth + 1)) return false;
        any = true;
    }
    return any;
}

/* Does local v have a stored value the analysis can see (an initialiser, a
 * plain assignment other than a constant, or its address handed out,
 * `recv(&msg)`)?  Then where it comes from decides, not its name:
 * `uintptr_t id = (uintptr_t)item - 1;` names an item, not a thread. */
static bool local_value_known(const struct sl_facts *fx, const struct sl_var *v)
{
    const struct sl_var_defs *d = sl_var_defs(fx, v);
    if (d->address_taken) return true;
    for (uint32_t i = 0; i < d->n_values; i++)
        if (d->values[i]->kind != SL_EX_INT) return true;
    return false;
}

/* Does e compute a thread, worker or CPU id?  Read from the thread's
 * argument, a thread-local, a call that returns the CPU / thread number, or
 * arithmetic on one of those; or, where its source is out of sight (a
 * parameter, a member, a local filled through a pointer), named like one
 * and not a loop counter. */
static bool is_thread_id(const struct sl_facts *fx, const struct sl_func *f, const struct sl_expr *e, int depth)
{
    if (!e || depth > 6) return false;
    bool targ = false;
    switch (e->kind) {
    case SL_EX_REF:
        if (!e->var) return false;
        if (var_is_per_thread(fx, f, e->var, depth, &targ)) return true;
        if (e->var->kind == SL_VAR_GLOBAL || e->var->is_static) return false;
        if (e->var->kind == SL_VAR_LOCAL && local_value_known(fx, e->var)) return false;
        if (!sl_name_has_word(e->var->name, id_words) &&
            !(sl_name_has_word(e->var->name, weak_id_words) && sl_runs_on_thread(fx, f)))
            return false;
        return e->var->kind == SL_VAR_PARAM ||
               (!local_is_counter(fx, e->var) && local_never_stepped(fx, e->var));
    case SL_EX_MEMBER:
    case SL_EX_UNARY: {
        if (e->kind == SL_EX_UNARY && e->op != SL_U_DEREF) return false;
        const struct sl_var *root = sl_expr_root_var(e);
        if (root && root->kind != SL_VAR_GLOBAL && var_is_per_thread(fx, f, root, depth, &targ) &&
            targ)
            return true;         /* w->anything or *(int *)arg, from the thread argument */
        if (root && root->is_thread_local) return true;
        if (root && root->kind == SL_VAR_LOCAL && local_value_known(fx, root)) {
            /* the thread's own record, from thread-specific data */
            const struct sl_expr *init = sl_local_single_value(fx, root);   /* casts are transparent */
            if (init && init->kind == SL_EX_CALL && is_tsd_call(init->name)) return true;
            /* else a record from elsewhere (a popped job): only a member
             * or a record named for the thread says "thread" */
            return e->kind == SL_EX_MEMBER &&
                   (sl_name_has_word(e->name, id_words) ||
                    (sl_name_has_word(e->name, weak_id_words) && sl_name_has_word(root->name, id_words)));
        }
        /* A generic member name ("id", "slot") on a parameter counts only
         * through its callers (above) or when the parameter is named for
         * the thread (`self->idx`): `w->id` of a watcher handed to a helper
         * is the watcher's id, not the thread's. */
        bool weak_ok = sl_runs_on_thread(fx, f) &&
                       (!root || root->kind != SL_VAR_PARAM || sl_name_has_word(root->name, id_words));
        return e->kind == SL_EX_MEMBER &&
               (sl_name_has_word(e->name, id_words) || (sl_name_has_word(e->name, weak_id_words) && weak_ok));
    }
    case SL_EX_CALL:
        return is_id_call(e->name);
    case SL_EX_BINARY:
        if (e->op == SL_B_REM || e->op == SL_B_AND || e->op == SL_B_ADD ||
            e->op == SL_B_SUB || e->op == SL_B_MUL || e->op == SL_B_SHR)
            for (uint32_t i = 0; i < e->n_kids; i++)
                if (is_thread_id(fx, f, e->kids[i], depth + 1)) return true;
        return false;
    default:
        return false;
    }
}


bool sl_is_thread_id(const struct sl_facts *fx, const struct sl_func *f, const struct sl_expr *e)
{
    if (!(fx->computed & SL_NEED_PER_THREAD)) sl_facts_func(fx, NULL, SL_NEED_PER_THREAD);
    return is_thread_id(fx, f, e, 0);
}

bool sl_var_is_per_thread(const struct sl_facts *fx, const struct sl_func *f, const struct sl_var *v,
                          bool *thread_arg)
{
    if (!(fx->computed & SL_NEED_PER_THREAD)) sl_facts_func(fx, NULL, SL_NEED_PER_THREAD);
    *thread_arg = false;
    return var_is_per_thread(fx, f, v, 0, thread_arg);
}
