/* condvar-one-shot - a condvar + flag pair that is a one-shot event: the flag
 * is only ever set (to a constant true, under the mutex, then signalled) and
 * waited on with `while (!flag) wait(&cv, &mu);`. */
#include <string.h>
#include "pmap.h"
#include "rulekit.h"

/* The flag of one candidate: a global/static variable or a struct field
 * (keyed by the field, so `s->started` in every function is one flag). */
struct flag {
    const void *key;
    const struct sl_expr *expr;      /* as the wait loop tests it */
};

static const struct sl_expr *skip_expect(const struct sl_expr *e)
{
    while (e && e->kind == SL_EX_CALL && e->name && !strcmp(e->name, "__builtin_expect") &&
           e->n_kids == 2)
        e = e->kids[0];
    return e;
}

static bool is_int_const(const struct sl_expr *e, bool nonzero)
{
    e = skip_expect(e);
    return e && e->kind == SL_EX_INT && e->has_value && (nonzero ? e->ival != 0 : e->ival == 0);
}

/* The key of a flag object: a global or static variable, or a field. */
static const void *flag_key(const struct sl_expr *x)
{
    if (!x || (x->tflags & (SL_TY_PTR | SL_TY_FLOAT | SL_TY_RECORD | SL_TY_ARRAY)) ||
        !(x->tflags & SL_TY_INT))
        return NULL;
    if (x->kind == SL_EX_REF && x->var && (x->var->kind == SL_VAR_GLOBAL || x->var->is_static))
        return x->var;
    if (x->kind == SL_EX_MEMBER && x->field) return x->field;
    return NULL;
}

/* `!X`, `X == 0`, `0 == X` (also `X == false`): the flag X, else NULL. */
static const struct sl_expr *negated_flag_test(const struct sl_expr *e)
{
    e = skip_expect(e);
    if (!e) return NULL;
    if (e->kind == SL_EX_UNARY && e->op == SL_U_LNOT && e->n_kids == 1)
        return flag_key(e->kids[0]) ? e->kids[0] : NULL;
    if (e->kind == SL_EX_BINARY && e->op == SL_B_EQ && e->n_kids == 2) {
        if (is_int_const(e->kids[1], false) && flag_key(e->kids[0])) return e->kids[0];
        if (is_int_const(e->kids[0], false) && flag_key(e->kids[1])) return e->kids[1];
    }
    return NULL;
}

/* The wait is the whole statement (`wait(...)`, `rc = wait(...)`, a cast). */
static bool stmt_is_just(const struct sl_stmt *s, const struct sl_expr *c)
{
    if (!s || (s->kind != SL_ST_EXPR && s->kind != SL_ST_DECL) || !s->expr) return false;
    const struct sl_expr *e = s->expr;
    if (e == c) return true;
    return e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN && e->n_kids == 2 && e->kids[1] == c &&
           e->kids[0]->kind == SL_EX_REF && e->kids[0]->var &&
           e->kids[0]->var->kind != SL_VAR_GLOBAL && !e->kids[0]->var->is_static;
}

/* `while (!flag) wait(&cv, &mu);` (or the body a block of just the wait, or
 * `for (; !flag;)`): the flag the loop waits for, else key NULL. */
/* `X` or `X != 0`: the flag X, else NULL. */
static const struct sl_expr *positive_flag_test(const struct sl_expr *e)
{
    e = skip_expect(e);
    if (e && e->kind == SL_EX_BINARY && e->op == SL_B_NE && e->n_kids == 2) {
        if (is_int_const(e->kids[1], false) && flag_key(e->kids[0])) return e->kids[0];
        if (is_int_const(e->kids[0], false) && flag_key(e->kids[1])) return e->kids[1];
        return NULL;
    }
    return flag_key(e) ? e : NULL;
}

static bool is_break(const struct sl_stmt *s)
{
    if (s && s->kind == SL_ST_BLOCK && s->n_kids == 1) s = s->kids[0];
    return s && s->kind == SL_ST_BREAK;
}

/* `for (;;) { if (flag) break; wait(&cv, &mu); }` (also while (1)). */
static struct flag forever_loop_flag(const struct sl_stmt *s)
{
    struct flag fl = {0};
    const struct sl_stmt *b = s->parent, *loop = b ? b->parent : NULL;
    if (!b || b->kind != SL_ST_BLOCK || b->n_kids != 2 || b->kids[1] != s || !loop) return fl;
    bool forever = (loop->kind == SL_ST_FOR && !loop->expr && !loop->inc && loop->kids[1] == b) ||
                   (loop->kind == SL_ST_WHILE && is_int_const(loop->expr, true) && loop->kids[0] == b);
    const struct sl_stmt *test = b->kids[0];
    if (!forever || !test || test->kind != SL_ST_IF || test->kids[1] || !is_break(test->kids[0]))
        return fl;
    const struct sl_expr *x = positive_flag_test(test->expr);
    if (x) { fl.key = flag_key(x); fl.expr = x; }
    return fl;
}

static struct flag wait_loop_flag(const struct sl_expr *c)
{
    struct flag fl = {0};
    const struct sl_stmt *s = c->stmt;
    if (!stmt_is_just(s, c)) return fl;
    fl = forever_loop_flag(s);
    if (fl.key) return fl;
    const struct sl_stmt *body = s, *loop = s->parent;
    if (loop && loop->kind == SL_ST_BLOCK && loop->n_kids == 1) { body = loop; loop = loop->parent; }
    if (!loop || !loop->expr) return fl;
    if (loop->kind == SL_ST_WHILE && loop->kids[0] == body) {}
    else if (loop->kind == SL_ST_FOR && loop->n_kids > 1 && loop->kids[1] == body && !loop->inc) {}
    else return fl;
    const struct sl_expr *x = negated_flag_test(loop->expr);
    if (x) { fl.key = flag_key(x); fl.expr = x; }
    return fl;
}

static bool is_wait(enum sl_lockop op) { return op == SL_OP_WAIT || op == SL_OP_TIMEDWAIT; }
static bool is_signal(enum sl_lockop op) { return op == SL_OP_SIGNAL || op == SL_OP_BROADCAST; }

/* The lock function a call is, built in or declared (--wrapper), or NULL. */
static const struct sl_wrapper *lock_function(const struct sl_rule_ctx *cx, const struct sl_expr *c)
{
    if (!c->name) return NULL;
    for (size_t i = 0; i < cx->opts->n_wrappers; i++)
        if (!strcmp(cx->opts->wrappers[i].name, c->name)) return &cx->opts->wrappers[i];
    return sl_builtin_lockop(c->name);
}

/* The struct field a lock function's argument names (which 0: the lock or
 * condvar, 1: a wait's mutex): `&p->cv` and `&local.cv` are both the field
 * cv, so a handshake through a struct on the waiter's stack pairs up. */
static const struct sl_field *arg_field(const struct sl_rule_ctx *cx, const struct sl_expr *c,
                                        int which)
{
    const struct sl_wrapper *w = lock_function(cx, c);
    if (!w || w->global) return NULL;
    int ai = w->arg[which] >= 0 ? w->arg[which] : which == 0 ? 0 : -1;
    const struct sl_expr *a = ai >= 0 ? sl_call_arg(c, (uint32_t)ai) : NULL;
    if (a && a->kind == SL_EX_UNARY && a->op == SL_U_ADDROF && a->n_kids) a = a->kids[0];
    return a && a->kind == SL_EX_MEMBER ? a->field : NULL;
}

/* A condvar or mutex: its lock class, and its field when it is one. */
struct sync_obj {
    const char *cls;
    const struct sl_field *field;
};

static bool same_sync(const struct sync_obj *o, const char *cls, const struct sl_field *field)
{
    return cls == o->cls || (o->field && field == o->field);
}

/* Is call c (a signal, broadcast or wait) on condvar cv? */
static bool on_condvar(const struct sl_rule_ctx *cx, const struct sl_expr *c,
                       const struct sync_obj *cv)
{
    const struct sl_call_op *op = sl_call_op(cx->flow, c);
    const struct sl_lockref *r = is_signal(op->op) ? op->lock : op->cond;
    return r && same_sync(cv, r->cls, arg_field(cx, c, 0));
}

/* A thin wait wrapper's own wait is judged at the wrapper's callers. */
static bool in_wait_wrapper(const struct sl_flow *fl, const struct sl_func *f)
{
    const struct sl_func_flow *ff = sl_func_flow(fl, f);
    return ff->n_effects && is_wait(ff->effects[0].op);
}

/* The TU indexed once, so that each candidate wait costs what touches its
 * own condvar and flag, not the whole file: waits and signals by condvar
 * class and by condvar field, writes (and address-takings) by flag. */
struct elist { const struct sl_expr **v; uint32_t n, cap; };
struct cv_index { struct sl_pmap by_cls, by_field, writes; };

static void elist_push(struct sl_arena *a, struct sl_pmap *m, const void *key,
                       const struct sl_expr *e)
{
    void **slot = sl_pmap_slot(m, SL_PKEY(key), 0);
    struct elist *l = *slot;
    if (!l) *slot = l = sl_arena_alloc(a, sizeof *l);
    if (l->n == l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 4;
        l->v = sl_arena_grow(a, l->v, l->n, nc, sizeof *l->v);
        l->cap = nc;
    }
    l->v[l->n++] = e;
}

static const struct elist *elist_get(const struct sl_pmap *m, const void *key)
{
    return key ? sl_pmap_get(m, SL_PKEY(key), 0) : NULL;
}

/* The object a written or address-taken expression names: a variable or field. */
static const void *object_named(const struct sl_expr *x)
{
    if (!x) return NULL;
    if (x->kind == SL_EX_REF) return x->var;
    if (x->kind == SL_EX_MEMBER) return x->field;
    return NULL;
}

static void build_index(struct sl_rule_ctx *cx, struct cv_index *ix)
{
    const struct sl_model *m = cx->model;
    sl_pmap_init(&ix->by_cls, cx->scratch);
    sl_pmap_init(&ix->by_field, cx->scratch);
    sl_pmap_init(&ix->writes, cx->scratch);
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(cx->flow, c);
            const struct sl_lockref *r = is_signal(op->op) ? op->lock : is_wait(op->op) ? op->cond : NULL;
            if (!r) continue;
            elist_push(cx->scratch, &ix->by_cls, r->cls, c);
            const struct sl_field *fld = arg_field(cx, c, 0);
            if (fld) elist_push(cx->scratch, &ix->by_field, fld, c);
        }
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *x = f->exprs[i];
            const void *key = x->kind == SL_EX_UNARY && x->op == SL_U_ADDROF && x->n_kids
                                  ? object_named(x->kids[0])
                                  : object_named(sl_expr_written_object(x));
            if (key) elist_push(cx->scratch, &ix->writes, key, x);
        }
    }
}

/* Calls i of the condvar's lists: by class, then by field (a call in both
 * is visited twice; every use below tolerates that). */
#define FOR_CV_CALLS(ix, cv, c, body) do { \
        const struct elist *l_[2] = { elist_get(&(ix)->by_cls, (cv)->cls), \
                                      elist_get(&(ix)->by_field, (cv)->field) }; \
        for (int k_ = 0; k_ < 2; k_++) \
            for (uint32_t i_ = 0; l_[k_] && i_ < l_[k_]->n; i_++) { \
                const struct sl_expr *c = l_[k_]->v[i_]; \
                body \
            } \
    } while (0)

/* Every wait on condvar class cv in this TU waits for the same flag. */
static bool condvar_waits_only_for(const struct sl_rule_ctx *cx, const struct cv_index *ix,
                                   const struct sync_obj *cv, const void *key)
{
    bool ok = true;
    FOR_CV_CALLS(ix, cv, c, {
        const struct sl_call_op *op = sl_call_op(cx->flow, c);
        const struct sl_func *f = c->stmt ? c->stmt->func : NULL;
        if (!ok || !is_wait(op->op) || !f || !on_condvar(cx, c, cv)) continue;
        if (in_wait_wrapper(cx->flow, f) && c->func == NULL) continue;
        if (wait_loop_flag(c).key != key) ok = false;
    });
    return ok;
}

/* Is the mutex (NULL: unknown, any lock) held at e: taken in e's function
 * (matched by class or field) or held by every caller on entry? */
static bool held_at(const struct sl_rule_ctx *cx, const struct sl_expr *e,
                    const struct sync_obj *mu)
{
    const struct sl_lockset *held = sl_held_must(cx->flow, e);
    const char *cls[16];
    uint32_t n = sl_facts_held_classes(cx->facts, e, cls, 16);
    if (!mu) return n > 0;
    for (uint32_t i = 0; i < sl_lockset_size(held); i++) {
        const struct sl_held *h = &held->items[i];
        if (same_sync(mu, h->lock->cls, h->site ? arg_field(cx, h->site, 0) : NULL)) return true;
    }
    for (uint32_t i = 0; i < n; i++)
        if (cls[i] == mu->cls) return true;
    return false;
}

struct one_shot {
    const struct sl_expr *set;       /* first `flag = 1` under the mutex */
    const struct sl_expr *signal;    /* the signal / broadcast after it */
};

/* The first signal of class cv after expression `after`, in its function. */
static const struct sl_expr *signal_after(const struct sl_rule_ctx *cx, const struct cv_index *ix,
                                          const struct sync_obj *cv, const struct sl_expr *after)
{
    const struct sl_func *f = after->stmt ? after->stmt->func : NULL;
    const struct sl_expr *best = NULL;
    FOR_CV_CALLS(ix, cv, c, {
        const struct sl_call_op *op = sl_call_op(cx->flow, c);
        if (c->stmt && c->stmt->func == f && is_signal(op->op) && on_condvar(cx, c, cv) &&
            c->index > after->index && (!best || c->index < best->index))
            best = c;
    });
    return best;
}

/* Every write of the flag anywhere in the TU is `flag = <constant true>`
 * under the mutex, followed by a signal of the condvar in the same
 * function, except zeroing in a setup function (initialisation, not a
 * reset); every signal of the condvar follows such a set in its function.
 * Fills *os. */
static bool flag_only_set_then_signalled(const struct sl_rule_ctx *cx, const struct cv_index *ix,
                                         const void *key, const struct sync_obj *cv,
                                         const struct sync_obj *mu, struct one_shot *os)
{
    *os = (struct one_shot){0};
    struct sl_pmap first_set;        /* function -> its first set of the flag */
    sl_pmap_init(&first_set, cx->scratch);
    const struct elist *w = elist_get(&ix->writes, key);
    for (uint32_t i = 0; w && i < w->n; i++) {
        const struct sl_expr *x = w->v[i];
        const struct sl_func *f = x->stmt ? x->stmt->func : NULL;
        if (!f) return false;
        if (x->kind == SL_EX_UNARY && x->op == SL_U_ADDROF)
            return false;   /* written through a pointer we cannot follow */
        bool plain = x->kind == SL_EX_ASSIGN && x->op == SL_B_ASSIGN && x->n_kids == 2;
        if (plain && is_int_const(x->kids[1], false) && sl_is_setup_function(cx->facts, f))
            continue;       /* initialisation */
        if (!plain || !is_int_const(x->kids[1], true)) return false;  /* reset, counter, computed */
        if (!held_at(cx, x, mu)) return false;
        const struct sl_expr *sig = signal_after(cx, ix, cv, x);
        if (!sig) return false;
        void **slot = sl_pmap_slot(&first_set, SL_PKEY(f), 0);
        if (!*slot || ((const struct sl_expr *)*slot)->index > x->index) *slot = (void *)x;
        if (!os->set) { os->set = x; os->signal = sig; }
    }
    bool ok = os->set != NULL;
    FOR_CV_CALLS(ix, cv, c, {
        const struct sl_call_op *op = sl_call_op(cx->flow, c);
        if (!ok || !is_signal(op->op) || !on_condvar(cx, c, cv)) continue;
        const struct sl_func *f = c->stmt ? c->stmt->func : NULL;
        const struct sl_expr *fs = f ? sl_pmap_get(&first_set, SL_PKEY(f), 0) : NULL;
        if (!fs || c->index < fs->index) ok = false;   /* signals something else */
    });
    return ok;
}

/* Verdicts by (condvar, flag, mutex): a class stands for every instance of
 * a field, so a file with thousands of waits on `node->cv` for
 * `node->ready` decides once. */
struct verdict {
    const struct sl_field *cv_field;
    const char *mu_cls;
    const struct sl_field *mu_field;
    bool has_mu, ok;
    struct one_shot os;
    struct verdict *next;
};

static const struct verdict *decide(struct sl_rule_ctx *cx, const struct cv_index *ix,
                                    struct sl_pmap *memo, const struct sync_obj *cv,
                                    const void *key, const struct sync_obj *mu)
{
    void **slot = sl_pmap_slot(memo, SL_PKEY(cv->cls), SL_PKEY(key));
    for (struct verdict *v = *slot; v; v = v->next)
        if (v->cv_field == cv->field && v->has_mu == (mu != NULL) &&
            (!mu || (v->mu_cls == mu->cls && v->mu_field == mu->field)))
            return v;
    struct verdict *v = sl_arena_alloc(cx->scratch, sizeof *v);
    v->cv_field = cv->field;
    v->has_mu = mu != NULL;
    v->mu_cls = mu ? mu->cls : NULL;
    v->mu_field = mu ? mu->field : NULL;
    v->ok = condvar_waits_only_for(cx, ix, cv, key) &&
            flag_only_set_then_signalled(cx, ix, key, cv, mu, &v->os);
    v->next = *slot;
    *slot = v;
    return v;
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    struct cv_index ix;
    struct sl_pmap memo;
    bool indexed = false;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(fl, c);
            if (!is_wait(op->op) || !op->cond) continue;
            if (in_wait_wrapper(fl, f) && c->func == NULL) continue;
            struct flag flag = wait_loop_flag(c);
            if (!flag.key) continue;
            /* a global condvar is that one object; one reached through a
             * pointer or a local struct is matched by its field too */
            struct sync_obj cv = { op->cond->cls,
                                   op->cond->scope == SL_LOCK_GLOBAL ? NULL : arg_field(cx, c, 0) };
            struct sync_obj mu = { op->lock ? op->lock->cls : NULL, arg_field(cx, c, 1) };
            if (!indexed) {
                build_index(cx, &ix);
                sl_pmap_init(&memo, cx->scratch);
                indexed = true;
            }
            const struct verdict *v = decide(cx, &ix, &memo, &cv, flag.key, op->lock ? &mu : NULL);
            if (!v->ok) continue;
            const struct one_shot os = v->os;
            const char *ftext = sl_expr_text(cx->scratch, flag.expr);
            struct sl_diag *d = sl_report(cx, c->loc,
                "'%s' waits on '%s' for '%s', a flag that is only ever set and never reset: a "
                "one-shot event built from a condvar costs a mutex round trip on every check, "
                "even long after it is set; sl_event does it with one atomic load",
                c->name ? c->name : "the wait", op->cond->text, ftext);
            sl_set_identity(cx, d, cv.cls);
            sl_note(cx, d, os.set->loc, "'%s' is set here, under the mutex, and never reset",
                    sl_expr_text(cx->scratch, os.set->kids[0]));
            const struct sl_call_op *sig = sl_call_op(fl, os.signal);
            sl_note(cx, d, os.signal->loc, "and '%s' is %s here", sig->lock->text,
                    sig->op == SL_OP_BROADCAST ? "broadcast" : "signalled");
            sl_note_text(cx, d, "use: sl_event (<synclint/event.h>): sl_event_set(&ev) in the "
                         "setter, sl_event_wait(&ev) in the waiter, sl_event_is_set(&ev) to poll");
        }
    }
}

const struct sl_rule sl_rule_condvar_one_shot = {
    .id = "condvar-one-shot",
    .tier = 2,
    .summary = "a condvar + flag pair used as a one-shot event (set once, never reset)",
    .replacement = "sl_event (<synclint/event.h>): sl_event_set / sl_event_wait / sl_event_is_set",
    .what =
        "A wait loop `while (!flag) pthread_cond_wait(&cv, &mu);` or `for (;;) { if (flag) break;\n"
        "pthread_cond_wait(&cv, &mu); }` (or cnd_wait, a timed wait,\n"
        "a declared or same-TU wait wrapper) where, in the whole translation unit, the flag (a\n"
        "global or static, or a struct field: `s->started` is one flag in every function) is\n"
        "only ever written as `flag = <constant true>` under the mutex and followed by a\n"
        "signal or broadcast of the condvar (zeroing it in an init/setup function is its\n"
        "initialisation, not a reset), the condvar is waited on for that flag only, and every\n"
        "signal of it follows such a set. That is a one-shot event: ready, started, done,\n"
        "shutdown. It is reported at the wait, the place that pays on every check and the\n"
        "line that changes to sl_event_wait; notes point at the set and the signal. A condvar\n"
        "or mutex is matched by lock class or by struct field, so a creator waiting on\n"
        "`args.started` pairs with the thread setting `a->started` (the thread-start\n"
        "handshake). Real code (OVS, libevent, curl, memcached, libuv, zstd's POSIX build)\n"
        "gave no finding: their condvars wait for queues, counters (memcached's\n"
        "init_count) or several fields, and OVS uses seq/latch; the one true one-shot seen,\n"
        "zstd's Windows thread-start handshake, is outside what was compiled.",
    .why =
        "Every check of the event takes and releases the mutex, also the thousands of checks\n"
        "long after it was set, and every waiter that wakes re-acquires the mutex in turn\n"
        "(a thundering herd through one lock on broadcast). The pattern needs three objects\n"
        "kept in step, and its classic slips (an `if` instead of the `while`, a signal where\n"
        "a broadcast was needed, the flag set outside the mutex) lose wakeups. sl_event is one\n"
        "word: a set event is seen with one acquire load, set makes no system call when\n"
        "nobody sleeps, and every waiter wakes.",
    .before =
        "pthread_mutex_lock(&s->mu);\n"
        "while (!s->started)\n"
        "    pthread_cond_wait(&s->cv, &s->mu);\n"
        "pthread_mutex_unlock(&s->mu);\n"
        "...\n"
        "pthread_mutex_lock(&s->mu);      /* the worker, once */\n"
        "s->started = true;\n"
        "pthread_cond_broadcast(&s->cv);\n"
        "pthread_mutex_unlock(&s->mu);",
    .after =
        "#include <synclint/event.h>\n"
        "sl_event started;              /* SL_EVENT_INIT or sl_event_init(&s->started) */\n"
        "sl_event_wait(&s->started);    /* waiter: one acquire load once set */\n"
        "...\n"
        "sl_event_set(&s->started);     /* the worker: wakes every waiter */",
    .when_not =
        "When the flag is reset in another translation unit (the rule sees one file: a\n"
        "global flag may be re-armed elsewhere), when the mutex also protects other state the\n"
        "waiter reads right after the wait and must see consistently with the flag (keep the\n"
        "lock for that state; the event still replaces the condvar), or when the wait must\n"
        "also give up the mutex of a larger critical section. Not reported: flags that are\n"
        "reset (a reusable gate), counters, predicates over several fields or a queue length,\n"
        "flags set to a computed value, condvars also used for other predicates.",
    .needs = SL_NEED_SETUP | SL_NEED_ACCESS,
    .check = check,
};
