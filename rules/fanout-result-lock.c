/* fanout-result-lock - a thread body that takes a shared lock only to store
 * its result into its own slot of a results array. */
#include <string.h>
#include "rulekit.h"

/* What one critical section of a thread body does. */
struct section {
    const struct sl_expr *lock;        /* the acquiring call */
    const struct sl_expr *slot_store;  /* first store into a per-thread slot */
    bool other;                        /* anything else: a shared write, a call, an atomic */
};

static bool is_exclusive_acquire(enum sl_lockop op)
{
    return op == SL_OP_LOCK || op == SL_OP_WRLOCK;
}

/* Is e the lock call itself, or inside the arguments of a lock operation
 * (the unlock that ends the section)? */
/* A local of this function (not static): the thread's own scratch. */
static bool is_private_local(const struct sl_var *v)
{
    return v && v->kind != SL_VAR_GLOBAL && !v->is_static;
}

/* The index expression of a store into `base[idx]`, `base[idx].f` or
 * `ctx->out[idx]`, when the indexed array is shared; else NULL. */
static const struct sl_expr *slot_index(const struct sl_expr *lv)
{
    while (lv && lv->kind == SL_EX_MEMBER && !lv->is_arrow && lv->n_kids) lv = lv->kids[0];
    if (!lv || lv->kind != SL_EX_INDEX || lv->n_kids != 2) return NULL;
    const struct sl_var *root = sl_expr_root_var(lv->kids[0]);
    if (root && root->kind == SL_VAR_LOCAL && !root->is_static &&
        !(lv->kids[0]->tflags & SL_TY_PTR) && !sl_expr_touches_shared(lv->kids[0]))
        return NULL;                    /* a local array of this function */
    return lv->kids[1];
}

/* Is the store into lv a store into this thread's own slot? */
static bool per_thread_slot(const struct sl_rule_ctx *cx, const struct sl_func *f,
                            const struct sl_expr *lv)
{
    const struct sl_expr *idx = slot_index(lv);
    return idx && sl_is_thread_id(cx->facts, f, idx);
}

/* memcpy(&results[id], &r, sizeof r): a slot store by call. */
static bool is_copy_into_slot(const struct sl_rule_ctx *cx, const struct sl_func *f,
                              const struct sl_expr *c)
{
    if (!c->name || c->n_kids < 1 || (strcmp(c->name, "memcpy") && strcmp(c->name, "memmove") &&
                                      strcmp(c->name, "__builtin_memcpy")))
        return false;
    const struct sl_expr *dst = c->kids[0];
    if (dst->kind == SL_EX_UNARY && dst->op == SL_U_ADDROF && dst->n_kids) dst = dst->kids[0];
    return per_thread_slot(cx, f, dst);
}

/* Classify what the section started by `lock` does. */
static struct section classify(const struct sl_rule_ctx *cx, const struct sl_func *f,
                               const struct sl_expr *lock)
{
    struct section s = { .lock = lock };
    for (uint32_t i = 0; i < f->n_exprs && !s.other; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (!sl_held_by_site(cx->flow, e, lock) || sl_in_lock_op(cx->flow, e)) continue;
        if (e->kind == SL_EX_CALL) {
            if (is_copy_into_slot(cx, f, e)) {
                if (!s.slot_store) s.slot_store = e;
                continue;
            }
            s.other = true;             /* a call may touch anything; atomics are shared */
            continue;
        }
        const struct sl_expr *lv = sl_expr_written_object(e);
        if (!lv) continue;
        if (lv->kind == SL_EX_REF && is_private_local(lv->var)) continue;
        if (per_thread_slot(cx, f, lv)) {
            if (!s.slot_store) s.slot_store = e;
        } else {
            s.other = true;             /* total += x, results[n++], if (!err) err = e */
        }
    }
    return s;
}

/* Does a thread body take the lock class elsewhere for other work?  Then
 * the lock has a job besides the slots and the finding would be wrong. */
static bool lock_has_other_work(const struct sl_rule_ctx *cx, const char *cls)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *g = m->funcs[fi];
        if (!sl_runs_on_thread(cx->facts, g)) continue;
        for (uint32_t i = 0; i < g->n_calls; i++) {
            const struct sl_call_op *op = sl_call_op(cx->flow, g->calls[i]);
            if (!sl_lockop_acquires(op->op) || !op->lock || op->lock->cls != cls) continue;
            struct section s = classify(cx, g, g->calls[i]);
            if (s.other || !s.slot_store) return true;
        }
    }
    return false;
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file || !sl_runs_on_thread(cx->facts, f)) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(cx->flow, c);
            if (!is_exclusive_acquire(op->op) || !op->lock ||
                (op->lock->scope != SL_LOCK_GLOBAL && op->lock->scope != SL_LOCK_FIELD))
                continue;
            struct section s = classify(cx, f, c);
            if (s.other || !s.slot_store || lock_has_other_work(cx, op->lock->cls)) continue;
            const struct sl_expr *lv = s.slot_store->kind == SL_EX_CALL ? s.slot_store->kids[0]
                                                                       : sl_expr_written_object(s.slot_store);
            const char *slot = sl_expr_text(cx->scratch, lv);
            struct sl_diag *d = sl_report(cx, c->loc,
                "'%s' is taken only to store into '%s', a slot no other thread writes: the lock "
                "serialises the threads and bounces its cache line for nothing",
                op->lock->text, slot);
            sl_set_identity(cx, d, op->lock->cls);
            sl_note(cx, d, s.slot_store->loc, "the only store under the lock: the index is this "
                    "thread's own");
            sl_note_text(cx, d, "use: store into the slot without the lock (pad the slots to a "
                         "cache line, SL_ALIGNED_LINE, against false sharing); pthread_join "
                         "orders the stores before the reader; for first-error and "
                         "cancellation, sl_group (<synclint/group.h>)");
        }
    }
}

const struct sl_rule sl_rule_fanout_result_lock = {
    .id = "fanout-result-lock",
    .tier = 2,
    .summary = "a thread body that takes a shared lock only to store into its own results[i] slot",
    .replacement = "disjoint slots without a lock; sl_group for first-error + cancellation",
    .what =
        "A function a thread runs (a pthread_create / thrd_create target, or a function only\n"
        "such code calls) takes a global or shared lock whose critical section does nothing\n"
        "but store into an element of a shared array indexed by a per-thread value: the\n"
        "thread's id or index from its start argument (results[arg->idx], ctx->out[i],\n"
        "res[id].val, a memcpy into &results[id]). Not reported when the section also\n"
        "updates anything shared (total += x, a counter, results[n++] with a shared\n"
        "cursor, the first-error `if (!err) err = e;`), calls a function, or when a thread\n"
        "takes the same lock elsewhere for other work.",
    .why =
        "Each thread writes a different slot, so there is nothing to exclude: the lock\n"
        "only makes the threads queue on one cache line at the end of their work, and the\n"
        "reader already waits for them with pthread_join, which orders their stores before\n"
        "it reads. Dropping the lock removes the serialisation; padding the slots to a\n"
        "cache line removes the remaining false sharing.",
    .before =
        "static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;\n"
        "static long results[NTHREADS];\n"
        "static void *worker(void *p) {\n"
        "    struct job *j = p;\n"
        "    long r = compute(j);\n"
        "    pthread_mutex_lock(&mu);\n"
        "    results[j->idx] = r;\n"
        "    pthread_mutex_unlock(&mu);\n"
        "    return NULL;\n"
        "}",
    .after =
        "struct slot { SL_ALIGNED_LINE long value; };   /* <synclint/pad.h> */\n"
        "static struct slot results[NTHREADS];\n"
        "static void *worker(void *p) {\n"
        "    struct job *j = p;\n"
        "    results[j->idx].value = compute(j);        /* own slot: no lock */\n"
        "    return NULL;\n"
        "}\n"
        "/* first error + cancel: sl_group_go(&g, task, arg); err = sl_group_wait(&g); */",
    .when_not =
        "When another thread reads the slots while the workers still run (a progress\n"
        "monitor polling results[] under the same lock) the lock orders those reads; make\n"
        "the slots atomic instead of dropping it silently. When the index is not really\n"
        "per thread (two threads can get the same idx), the lock is what keeps the slot\n"
        "consistent. A first-error pattern (`if (!err) err = e;`) needs the lock or an\n"
        "atomic compare-exchange: sl_group does it for you.",
    .needs = SL_NEED_THREADS | SL_NEED_PER_THREAD,
    .check = check,
};
