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

static bool is_lock_kind(enum sl_sync_kind k)
{
    return k == SL_SYNC_MUTEX || k == SL_SYNC_SPIN || k == SL_SYNC_RWLOCK || k == SL_SYNC_CNDMTX;
}

static bool has_any(const char *n, const char *const *parts)
{
    for (; *parts; parts++)
        if (strstr(n, *parts)) return true;
    return false;
}

/* Does the call initialise (want = SL_OP_INIT) or destroy a lock (not a
 * condvar or semaphore)?  Built-in ones by lock-flow's classification,
 * project wrappers by name (ovs_mutex_init, ovs_rwlock_destroy). */
static bool lock_lifecycle(const struct sl_flow *fl, const struct sl_expr *c, enum sl_lockop want)
{
    static const char *const inits[] = { "mutex_init", "rwlock_init", "spin_init", "mtx_init", NULL };
    static const char *const destroys[] = { "mutex_destroy", "rwlock_destroy", "spin_destroy",
                                            "mtx_destroy", NULL };
    if (c->n_kids < 1 || !c->name) return false;
    const struct sl_call_op *op = sl_call_op(fl, c);
    if (op->op == want && op->lock && op->lock->kind != SL_SYNC_NONE)
        return is_lock_kind(op->lock->kind);
    return has_any(c->name, want == SL_OP_INIT ? inits : destroys) && !strstr(c->name, "attr");
}

/* The lock a lifecycle call acts on, as text ("j.mu", "a->mu", "m"). */
static const char *lock_text(struct sl_arena *a, const struct sl_expr *c)
{
    const char *t = sl_expr_text(a, c->kids[0]);
    return t[0] == '&' ? t + 1 : t;
}

/* The destroy call on the same lock in f, or NULL. */
static const struct sl_expr *destroy_of(struct sl_rule_ctx *cx, const struct sl_func *f,
                                        const char *lock)
{
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        if (lock_lifecycle(cx->flow, c, SL_OP_DESTROY) && !strcmp(lock_text(cx->scratch, c), lock))
            return c;
    }
    return NULL;
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
            if (!lock_lifecycle(fl, c, SL_OP_INIT)) continue;
            const struct sl_var *owner = local_owner(f, c->kids[0]);
            if (!owner) continue;
            const char *text = lock_text(cx->scratch, c);
            const struct sl_expr *destroy = destroy_of(cx, f, text);
            if (!destroy) continue;   /* destroyed elsewhere: a constructor */
            if (sl_local_escapes(fl, f, owner, NULL)) continue;
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
