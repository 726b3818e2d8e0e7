/* per-call-lock-alloc - a lock initialised and destroyed within one call on
 * an object no other thread can reach: it guards nothing. */
#include <string.h>
#include "rulekit.h"

/* The local object a lock-init argument lives in: `&v`, `&v.mu`, `&p->mu`
 * or `p` with v a by-value local, p a local pointer to a fresh allocation;
 * NULL for parameters, globals and objects that came from elsewhere. */
static const struct sl_var *local_owner(const struct sl_func *f, const struct sl_expr *arg)
{
    const struct sl_var *v = sl_expr_root_var(arg);
    if (!v || v->kind != SL_VAR_LOCAL || v->is_static || v->is_thread_local) return NULL;
    if ((v->tflags & SL_TY_PTR) && !sl_local_is_fresh(f, v)) return NULL;
    return v;
}

/* The destroy call on the same lock in f, or NULL. */
static const struct sl_expr *destroy_of(const struct sl_flow *fl, const struct sl_func *f,
                                        const struct sl_lockref *lock)
{
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_call_op *op = sl_call_op(fl, f->calls[i]);
        if (op->op == SL_OP_DESTROY && op->lock == lock) return f->calls[i];
    }
    return NULL;
}

static bool is_lock_kind(enum sl_sync_kind k)
{
    return k == SL_SYNC_MUTEX || k == SL_SYNC_SPIN || k == SL_SYNC_RWLOCK || k == SL_SYNC_CNDMTX;
}

/* Does the call initialise a lock (not a condvar or semaphore)? */
static bool inits_lock(const struct sl_expr *c, const struct sl_call_op *op)
{
    static const char *const not_locks[] = { "cond", "cnd", "sem", "barrier", "attr", NULL };
    if (op->op != SL_OP_INIT || !op->lock || !c->name) return false;
    if (op->lock->kind != SL_SYNC_NONE) return is_lock_kind(op->lock->kind);
    /* a declared init wrapper on a project lock type (ovs_mutex_init) */
    return !sl_name_has_word(c->name, not_locks);
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(fl, c);
            if (!inits_lock(c, op) || c->n_kids < 1) continue;
            const struct sl_var *owner = local_owner(f, c->kids[0]);
            if (!owner) continue;
            const struct sl_expr *destroy = destroy_of(fl, f, op->lock);
            if (!destroy) continue;   /* destroyed elsewhere: a constructor */
            if (sl_local_escapes(fl, f, owner, NULL)) continue;
            const char *text = sl_expr_text(cx->scratch, c->kids[0]);
            if (text[0] == '&') text++;
            struct sl_diag *d = sl_report(cx, c->loc,
                "lock '%s' is initialised and destroyed within '%s' on '%s', which no other "
                "thread can reach: it guards nothing and costs an init, a destroy and every "
                "lock/unlock pair", text, f->name, owner->name);
            sl_set_identity(cx, d, text);
            sl_note(cx, d, owner->loc, "'%s' is local to this call and never escapes it",
                    owner->name);
            sl_note(cx, d, destroy->loc, "destroyed here, before the call returns");
            sl_note_text(cx, d, "drop the lock; if the object is meant to be shared, keep one "
                         "shared object per key instead of one per call");
        }
    }
}

const struct sl_rule sl_rule_per_call_lock_alloc = {
    .id = "per-call-lock-alloc",
    .tier = 2,
    .summary = "a mutex initialised and destroyed within one call on an object that never "
               "escapes to another thread",
    .replacement = "drop the lock, or keep the object shared per key",
    .what = "A pthread_mutex_init / mtx_init / pthread_rwlock_init / pthread_spin_init on a "
            "local object (a local variable, a field of a local struct, or a field of an "
            "object malloc'd in the same function) that the same function also destroys, "
            "while the object never escapes: its address is not stored into a global or into "
            "memory reachable from a parameter, not returned, not written through an "
            "out-parameter, not passed to pthread_create / thrd_create, and not passed to any "
            "function that may keep it (same-file callees are followed; unknown external "
            "ones count as keeping it).  No other thread can ever see the lock.",
    .why = "A lock no second thread can reach orders nothing.  It still costs an init and a "
           "destroy per call (for a malloc'd object also the allocation), and every "
           "lock/unlock pair on it is two atomic read-modify-writes, about 20-40 ns "
           "uncontended: pure overhead in a per-request path.  It also misleads readers into "
           "thinking the object is shared.",
    .before = "int sum_batch(const int *v, int n)\n"
              "{\n"
              "    struct acc a = { 0 };\n"
              "    pthread_mutex_init(&a.mu, NULL);\n"
              "    for (int i = 0; i < n; i++) {\n"
              "        pthread_mutex_lock(&a.mu);\n"
              "        a.total += v[i];\n"
              "        pthread_mutex_unlock(&a.mu);\n"
              "    }\n"
              "    pthread_mutex_destroy(&a.mu);\n"
              "    return a.total;\n"
              "}",
    .after = "int sum_batch(const int *v, int n)\n"
             "{\n"
             "    struct acc a = { 0 };      /* local to this call: no lock */\n"
             "    for (int i = 0; i < n; i++)\n"
             "        a.total += v[i];\n"
             "    return a.total;\n"
             "}",
    .when_not = "When the object really is shared during the call in a way the analysis "
                "cannot see (its address handed to another thread through an integer, an fd, "
                "or a callback registered by an external library function listed as "
                "read-only); when the code is a test of the lock itself.  Not flagged: "
                "objects published to another thread (stored into a global list, passed to "
                "pthread_create, returned), constructors that return the object with its lock "
                "initialised, destructors, and a lock initialised in one function and "
                "destroyed in another.",
    .needs = 0,
    .check = check,
};
