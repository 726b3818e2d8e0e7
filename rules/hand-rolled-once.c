/* hand-rolled-once - lazy initialisation by double-checked locking on a plain
 * flag or pointer (a data race), or a lock taken on every call only to test
 * an `initialized` flag (a cost on every call). */
#include <stdlib.h>
#include <string.h>
#include "rulekit.h"

/* What an `if` tests: the object (a global/static or a field), whether the
 * test is "not yet" (`!X`, `X == NULL`), and whether the read is atomic. */
struct test {
    const struct sl_expr *obj;
    bool not_yet;
    bool atomic;
};

static const struct sl_expr *skip_expect(const struct sl_expr *e)
{
    while (e && e->kind == SL_EX_CALL && e->name && !strcmp(e->name, "__builtin_expect") &&
           e->n_kids == 2)
        e = e->kids[0];
    return e;
}

static bool is_zero(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_INT && e->has_value && e->ival == 0;
}

static bool is_nonzero_const(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_INT && e->has_value && e->ival != 0;
}

/* A shared object that can be an init flag or a lazily created pointer: a
 * global or static, a struct field, or a slot of an array of either. */
static bool is_flag_object(const struct sl_expr *x)
{
    if (!x || !(x->tflags & (SL_TY_INT | SL_TY_PTR)) || (x->tflags & SL_TY_FUNCPTR)) return false;
    if (x->kind == SL_EX_INDEX && x->n_kids == 2) x = x->kids[0];
    if (x->kind == SL_EX_REF) return x->var && (x->var->kind == SL_VAR_GLOBAL || x->var->is_static);
    return x->kind == SL_EX_MEMBER && x->field;
}

/* The variable or field an object is keyed by (an array slot: its array). */
static const void *object_key(const struct sl_expr *x)
{
    if (x && x->kind == SL_EX_INDEX && x->n_kids) x = x->kids[0];
    if (x && x->kind == SL_EX_REF) return x->var;
    if (x && x->kind == SL_EX_MEMBER) return x->field;
    return NULL;
}

/* The object of `atomic_load(&X)` / `__atomic_load_n(&X, ...)`, else x. */
static const struct sl_expr *through_atomic_load(const struct sl_expr *x, bool *atomic)
{
    if (x && x->kind == SL_EX_CALL && x->atomic == SL_AT_LOAD && x->n_kids) {
        const struct sl_expr *p = x->kids[0];
        if (p->kind == SL_EX_UNARY && p->op == SL_U_ADDROF && p->n_kids) p = p->kids[0];
        *atomic = true;
        return p;
    }
    return x;
}

/* The operand of a test: `!X`, `!!(!X)` (an unlikely() macro), `X == 0`,
 * `X != NULL`, `X`; *not_yet: the test is true while X is still zero. */
static const struct sl_expr *test_operand(const struct sl_expr *e, bool *not_yet)
{
    bool neg = false;
    e = skip_expect(e);
    while (e && e->kind == SL_EX_UNARY && e->op == SL_U_LNOT && e->n_kids == 1) {
        neg = !neg;
        e = skip_expect(e->kids[0]);
    }
    if (e && e->kind == SL_EX_BINARY && (e->op == SL_B_EQ || e->op == SL_B_NE) && e->n_kids == 2) {
        const struct sl_expr *x = is_zero(e->kids[1]) ? e->kids[0] :
                                  is_zero(e->kids[0]) ? e->kids[1] : NULL;
        if (e->op == SL_B_EQ) neg = !neg;
        e = x;
    }
    *not_yet = neg;
    return e;
}

/* The flag a value reads: X, atomic_load(&X) or __atomic_load_n(&X, ...). */
static struct test read_of(const struct sl_expr *v, bool not_yet)
{
    struct test t = {0};
    const struct sl_expr *x = through_atomic_load(v, &t.atomic);
    if (!is_flag_object(x)) return t;
    t.obj = x;
    t.not_yet = not_yet;
    if (x->tflags & SL_TY_ATOMIC) t.atomic = true;
    return t;
}

static struct test tested(const struct sl_expr *e)
{
    bool not_yet;
    const struct sl_expr *x = test_operand(e, &not_yet);
    return x ? read_of(x, not_yet) : (struct test){0};
}

/* As tested(), also through a local copy: `t = X; if (!t)` tests X. */
static struct test tested_via_local(const struct sl_facts *fx, const struct sl_expr *e,
                                    const struct sl_expr *want, struct sl_arena *a);

static bool same_object(struct sl_arena *a, const struct sl_expr *x, const struct sl_expr *y)
{
    if (!x || !y || x->kind != y->kind || !object_key(x) || object_key(x) != object_key(y))
        return false;
    return x->kind == SL_EX_REF || !strcmp(sl_expr_text(a, x), sl_expr_text(a, y));
}

/* Same object for the whole TU: the variable, or the field in any object. */
static bool same_key(const struct sl_expr *x, const struct sl_expr *y)
{
    return x && y && x->kind == y->kind && object_key(x) && object_key(x) == object_key(y);
}

static struct test tested_via_local(const struct sl_facts *fx, const struct sl_expr *e,
                                    const struct sl_expr *want, struct sl_arena *a)
{
    bool not_yet;
    const struct sl_expr *x = test_operand(e, &not_yet);
    if (!x || x->kind != SL_EX_REF || !x->var || x->var->kind == SL_VAR_GLOBAL || x->var->is_static)
        return x ? read_of(x, not_yet) : (struct test){0};
    const struct sl_var_defs *defs = sl_var_defs(fx, x->var);
    for (uint32_t i = 0; i < defs->n_values; i++) {
        struct test t = read_of(defs->values[i], not_yet);
        if (same_object(a, t.obj, want)) return t;
    }
    return (struct test){0};
}

/* The write of X inside the then-branch of the inner test (the init). */
/* The then-branch's expressions: f->exprs[r->lo .. r->hi). */
struct range { uint32_t lo, hi; };

static struct range branch_range(const uint32_t *lo, const uint32_t *hi, const struct sl_stmt *s)
{
    if (!s || lo[s->index] >= hi[s->index]) return (struct range){ 0, 0 };
    return (struct range){ lo[s->index], hi[s->index] };
}

static const struct sl_expr *init_write(struct sl_arena *a, const struct sl_stmt *inner,
                                        const struct sl_expr *x, struct range r)
{
    const struct sl_func *f = inner->func;
    if (!inner->kids[0]) return NULL;
    for (uint32_t i = r.lo; i < r.hi; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (e->kind != SL_EX_ASSIGN && !(e->kind == SL_EX_CALL && e->atomic)) continue;
        if (!e->stmt || !sl_stmt_within(e->stmt, inner->kids[0])) continue;
        if (!same_object(a, sl_expr_written_object(e), x)) continue;
        /* a flag is set to a constant (`inited = 1`); a status set to a
         * computed value (`status = refill()`) is not an init flag */
        if ((x->tflags & SL_TY_PTR) || (e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN &&
                                        e->n_kids == 2 && is_nonzero_const(e->kids[1])))
            return e;
        return NULL;
    }
    return NULL;
}

/* Besides setting the flag, the inner branch initialises something (a call
 * that is not a lock operation, or another store): without that, a double
 * check that only sets a flag is a racy flag, not lazy initialisation. */
static bool branch_initialises(const struct sl_flow *fl, const struct sl_stmt *inner,
                               const struct sl_expr *write, struct range r)
{
    if (write->tflags & SL_TY_PTR) return true;    /* `instance = create()` */
    const struct sl_func *f = inner->func;
    for (uint32_t i = r.lo; i < r.hi; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (e == write || !e->stmt || !sl_stmt_within(e->stmt, inner->kids[0])) continue;
        if (e->kind == SL_EX_CALL && sl_call_lockop(fl, e) == SL_OP_NONE) return true;
        if (sl_expr_written_object(e) && e->kind != SL_EX_CALL) return true;
    }
    return false;
}

/* The lock most recently taken in f that is held at the inner test. */
static const struct sl_held *lock_taken_here(const struct sl_flow *fl, const struct sl_stmt *inner)
{
    const struct sl_lockset *held = sl_held_must(fl, inner->expr);
    const struct sl_held *best = NULL;
    for (uint32_t i = 0; i < sl_lockset_size(held); i++) {
        const struct sl_held *h = &held->items[i];
        if (h->shared || !h->site || sl_expr_func(h->site) != inner->func) continue;
        if (!best || h->site->index > best->site->index) best = h;
    }
    return best;
}

static bool stmt_exits(const struct sl_stmt *s)
{
    if (!s) return false;
    if (s->kind == SL_ST_RETURN || s->kind == SL_ST_GOTO) return true;
    if (s->kind == SL_ST_BLOCK && s->n_kids) return stmt_exits(s->kids[s->n_kids - 1]);
    return false;
}

/* The test of X made before the lock is taken: `if (!X) { lock; if (!X) ...`
 * around it, or `if (X) return ...;` ahead of it. */
static const struct sl_stmt *outer_test(struct sl_arena *a, const struct sl_facts *fx,
                                        const struct sl_flow *fl, const struct sl_stmt *inner,
                                        const struct sl_held *h, struct test *out)
{
    const struct sl_func *f = inner->func;
    const struct sl_stmt *lock_stmt = h->site->stmt;
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *o = f->stmts[i];
        if (o == inner || o->kind != SL_ST_IF || !o->expr || o->index >= lock_stmt->index) continue;
        struct test t = tested_via_local(fx, o->expr, out->obj, a);
        if (!same_object(a, t.obj, out->obj)) continue;
        if (sl_lockset_find_class(sl_held_must(fl, o->expr), h->lock->cls)) continue;
        bool around = t.not_yet && sl_stmt_within(inner, o->kids[0]);
        bool ahead = !t.not_yet && !sl_stmt_within(inner, o) && stmt_exits(o->kids[0]);
        if (around || ahead) { *out = t; return o; }
    }
    return NULL;
}

/* A fence in f: the pre-C11 idiom of a double check with explicit barriers
 * (judged: not reported; the race on the read side is the platform's). */
static bool has_fence(const struct sl_func *f)
{
    static const char *const fences[] = {
        "atomic_thread_fence", "__atomic_thread_fence", "__sync_synchronize", "smp_mb",
        "smp_wmb", "smp_rmb", "MemoryBarrier", "_ReadWriteBarrier", NULL
    };
    static const char *const words[] = { "barrier", "fence", NULL };   /* sqlite3MemoryBarrier */
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const char *n = f->calls[i]->name;
        if (n && sl_name_has_word(n, words) && !strstr(n, "pthread_barrier")) return true;
        for (unsigned k = 0; n && fences[k]; k++)
            if (!strcmp(n, fences[k])) return true;
    }
    return false;
}

/* Initialisation in a setup function run once (main, an init function with
 * no caller in ordinary code) is not lazy initialisation. */
static bool runs_once(const struct sl_rule_ctx *cx, const struct sl_func *f)
{
    if (!strcmp(f->name, "main")) return true;
    if (!sl_is_setup_function(cx->facts, f)) return false;
    for (uint32_t i = 0; i < sl_n_callers(cx->facts, f); i++) {
        const struct sl_func *g = sl_expr_func(sl_caller(cx->facts, f, i));
        if (g && strcmp(g->name, "main") && !sl_is_setup_function(cx->facts, g)) return false;
    }
    return true;
}

/* X is zeroed somewhere in the TU (a teardown re-arms it): not a once. */
static bool flag_is_reset(const struct sl_model *m, const struct sl_expr *x)
{
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *e = f->exprs[i];
            if (!same_key(sl_expr_written_object(e), x)) continue;
            if (e->kind != SL_EX_ASSIGN || e->op != SL_B_ASSIGN || e->n_kids != 2 || is_zero(e->kids[1]))
                return true;   /* zeroed, stepped, or written by an atomic */
            if (!(x->tflags & SL_TY_PTR) && !is_nonzero_const(e->kids[1]))
                return true;   /* a state or status word, not an init flag */
        }
    }
    return false;
}

/* The position in block b of the statement that contains s.  A block's
 * statements are in pre-order, so their indices increase: a binary search,
 * not a walk (a function of 20,000 statements is one block). */
static uint32_t index_in_block(const struct sl_stmt *b, const struct sl_stmt *s, bool *found)
{
    *found = false;
    uint32_t lo = 0, hi = b->n_kids;     /* last kid whose index <= s->index */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        const struct sl_stmt *k = b->kids[mid];
        if (k && k->index <= s->index) lo = mid; else hi = mid;
    }
    for (uint32_t k = lo; k < b->n_kids && k <= lo + 1; k++)   /* NULL kids: look one on */
        if (b->kids[k] && sl_stmt_within(s, b->kids[k])) { *found = true; return k; }
    return 0;
}

static bool expr_has_call_or_shared_write(const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_CALL) return true;
    const struct sl_expr *w = sl_expr_written_object(e);
    if (w && sl_expr_touches_shared(w)) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (expr_has_call_or_shared_write(e->kids[i])) return true;
    return false;
}

/* `lock(L); if (!X) {...} unlock(L);`: the locked section is the test and
 * nothing else (copying X into a local is fine). */
static const struct sl_expr *section_is_only_the_test(const struct sl_flow *fl,
                                                      const struct sl_stmt *inner,
                                                      const struct sl_held *h)
{
    const struct sl_stmt *lock_stmt = h->site->stmt, *b = lock_stmt->parent;
    if (!b || b->kind != SL_ST_BLOCK || inner->parent != b || inner->kids[1]) return NULL;
    bool found;
    uint32_t li = index_in_block(b, lock_stmt, &found);
    for (uint32_t k = li + 1; found && k < b->n_kids; k++) {
        const struct sl_stmt *s = b->kids[k];
        if (s == inner) continue;
        if (s->kind == SL_ST_EXPR && s->expr && s->expr->kind == SL_EX_CALL &&
            sl_call_lockop(fl, s->expr) == SL_OP_UNLOCK &&
            sl_call_op(fl, s->expr)->lock && sl_call_op(fl, s->expr)->lock->cls == h->lock->cls)
            return s->expr;
        if ((s->kind != SL_ST_EXPR && s->kind != SL_ST_DECL && s->kind != SL_ST_NULL) ||
            expr_has_call_or_shared_write(s->expr))
            return NULL;   /* real work under the same lock */
    }
    return NULL;
}

/* Every caller of f tests X first (`if (!X) slow_init();`): not every call.
 * *plain: one such test that is a plain read without lock h (the first half
 * of a double check split across two functions), or NULL. */
static bool callers_test_first(struct sl_rule_ctx *cx, const struct sl_func *f,
                               const struct sl_expr *x, const struct sl_held *h,
                               const struct sl_stmt **plain)
{
    uint32_t n = sl_n_callers(cx->facts, f);
    *plain = NULL;
    for (uint32_t i = 0; i < n; i++) {
        const struct sl_expr *c = sl_caller(cx->facts, f, i);
        const struct sl_stmt *guard = NULL;
        for (const struct sl_stmt *s = c->stmt; s && !guard; s = s->parent)
            if (s->kind == SL_ST_IF && s->expr && same_key(tested(s->expr).obj, x)) guard = s;
        if (!guard) return false;
        struct test t = tested(guard->expr);
        if (!*plain && t.not_yet && !t.atomic && sl_stmt_within(c->stmt, guard->kids[0]) &&
            !sl_lockset_find_class(sl_held_must(cx->flow, guard->expr), h->lock->cls))
            *plain = guard;
    }
    return n > 0;
}

static void report_double_check(struct sl_rule_ctx *cx, const struct sl_stmt *outer,
                                const struct test *t, const struct sl_held *h,
                                const struct sl_expr *write)
{
    const char *xt = sl_expr_text(cx->scratch, t->obj);
    struct sl_diag *d = sl_report(cx, t->obj->loc,
        "'%s' is read without '%s' and then tested again under it (double-checked locking on "
        "a non-atomic %s): the unlocked read races with the write, and may see it before the "
        "data it publishes", xt, h->lock->text, (t->obj->tflags & SL_TY_PTR) ? "pointer" : "flag");
    sl_set_identity(cx, d, xt);
    sl_note(cx, d, outer->loc, "the unlocked test");
    sl_note_held(cx, d, h);
    sl_note(cx, d, write->loc, "'%s' is written here, under the lock", xt);
    sl_note_text(cx, d, "use: pthread_once / call_once, or sl_once_call(&once, init_fn, arg) "
                 "(<synclint/once.h>); or read it with an acquire load and write it with a "
                 "release store");
}

static void report_lock_every_call(struct sl_rule_ctx *cx, const struct sl_stmt *inner,
                                   const struct test *t, const struct sl_held *h,
                                   const struct sl_expr *write)
{
    const char *xt = sl_expr_text(cx->scratch, t->obj);
    struct sl_diag *d = sl_report(cx, h->site->loc,
        "'%s' is taken on every call only to test '%s', which is set once: every call pays a "
        "lock round trip (and contends with the others) long after initialisation",
        h->lock->text, xt);
    sl_set_identity(cx, d, xt);
    sl_note(cx, d, inner->loc, "once initialised, this test is all the lock protects");
    sl_note(cx, d, write->loc, "'%s' is set once, here", xt);
    sl_note_text(cx, d, "use: pthread_once / call_once, or sl_once_call(&once, init_fn, arg) "
                 "(<synclint/once.h>): one acquire load once initialised");
}

/* `bucket = s->buckets[i]; if (!bucket)` under the lock: the inner test
 * through a local re-read under the lock h. */
static struct test inner_via_local(const struct sl_rule_ctx *cx, const struct sl_stmt *inner,
                                   const struct sl_held *h)
{
    bool not_yet;
    const struct sl_expr *x = test_operand(inner->expr, &not_yet);
    if (!x || x->kind != SL_EX_REF || !x->var || x->var->kind == SL_VAR_GLOBAL || x->var->is_static)
        return (struct test){0};
    const struct sl_var_defs *defs = sl_var_defs(cx->facts, x->var);
    for (uint32_t i = 0; i < defs->n_values; i++) {
        const struct sl_expr *v = defs->values[i];
        struct test t = read_of(v, not_yet);
        if (t.obj && sl_expr_func(v) == inner->func && v->index < inner->expr->index &&
            sl_lockset_find_class(sl_held_must(cx->flow, v), h->lock->cls))
            return t;
    }
    return (struct test){0};
}

static void check_inner(struct sl_rule_ctx *cx, const struct sl_stmt *inner, struct range then)
{
    const struct sl_held *h = lock_taken_here(cx->flow, inner);
    if (!h || sl_stmt_within(h->site->stmt, inner)) return;
    struct test t = tested(inner->expr);
    if (!t.obj) t = inner_via_local(cx, inner, h);
    if (!t.obj || !t.not_yet) return;
    const struct sl_expr *write = init_write(cx->scratch, inner, t.obj, then);
    if (!write || !branch_initialises(cx->flow, inner, write, then)) return;
    if (runs_once(cx, inner->func)) return;
    struct test ot = t;
    const struct sl_stmt *outer = outer_test(cx->scratch, cx->facts, cx->flow, inner, h, &ot);
    if (outer) {
        if (!ot.atomic && !(ot.obj->tflags & SL_TY_ATOMIC) && !has_fence(inner->func))
            report_double_check(cx, outer, &ot, h, write);
        return;
    }
    const struct sl_stmt *caller_test;
    if (callers_test_first(cx, inner->func, t.obj, h, &caller_test)) {
        struct test ct = caller_test ? tested(caller_test->expr) : t;
        if (caller_test && !has_fence(inner->func) && !has_fence(caller_test->func))
            report_double_check(cx, caller_test, &ct, h, write);
        return;
    }
    if (!section_is_only_the_test(cx->flow, inner, h)) return;
    if (flag_is_reset(cx->model, t.obj)) return;
    report_lock_every_call(cx, inner, &t, h, write);
}

static bool is_unlock_of(const struct sl_flow *fl, const struct sl_stmt *s, const struct sl_held *h)
{
    if (!s || s->kind != SL_ST_EXPR || !s->expr || s->expr->kind != SL_EX_CALL) return false;
    const struct sl_call_op *op = sl_call_op(fl, s->expr);
    return op->op == SL_OP_UNLOCK && op->lock && op->lock->cls == h->lock->cls;
}

/* The inverted shape: `lock(L); if (inited) { unlock(L); return; }
 * init(); inited = 1; unlock(L);`.  The test comes right after the lock and
 * leaves with it released; the flag is set before the unlock that follows. */
static void check_early_unlock(struct sl_rule_ctx *cx, const struct sl_stmt *test)
{
    struct test t = tested(test->expr);
    if (!t.obj || t.not_yet || test->kids[1] || !stmt_exits(test->kids[0])) return;
    const struct sl_held *h = lock_taken_here(cx->flow, test);
    const struct sl_stmt *b = test->parent;
    if (!h || !b || b->kind != SL_ST_BLOCK || h->site->stmt->parent != b) return;
    bool found;
    uint32_t k = index_in_block(b, test, &found);
    if (!found || b->kids[k] != test) return;
    if (k == 0 || b->kids[k - 1] != h->site->stmt) return;  /* lock; test */
    const struct sl_expr *write = NULL;
    bool work = false;
    for (uint32_t j = k + 1; j < b->n_kids && !is_unlock_of(cx->flow, b->kids[j], h); j++) {
        const struct sl_stmt *s = b->kids[j];
        const struct sl_expr *w = s->kind == SL_ST_EXPR ? sl_expr_written_object(s->expr) : NULL;
        if (w && same_object(cx->scratch, w, t.obj) && s->expr->kind == SL_EX_ASSIGN &&
            s->expr->n_kids == 2 && ((w->tflags & SL_TY_PTR) || is_nonzero_const(s->expr->kids[1])))
            write = s->expr;
        else if (s->kind == SL_ST_RETURN)
            return;
        else
            work = true;
    }
    if (!write || !work || runs_once(cx, test->func)) return;
    struct test ot = t;
    if (outer_test(cx->scratch, cx->facts, cx->flow, test, h, &ot)) return;  /* not every call */
    const struct sl_stmt *caller_test;
    if (flag_is_reset(cx->model, t.obj) || callers_test_first(cx, test->func, t.obj, h, &caller_test))
        return;
    report_lock_every_call(cx, test, &t, h, write);
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file || !f->n_stmts) continue;
        uint32_t *lo = sl_xmalloc(2 * (size_t)f->n_stmts * sizeof *lo), *hi = lo + f->n_stmts;
        sl_expr_ranges(f, lo, hi);
        for (uint32_t i = 0; i < f->n_stmts; i++)
            if (f->stmts[i]->kind == SL_ST_IF && f->stmts[i]->expr) {
                check_inner(cx, f->stmts[i], branch_range(lo, hi, f->stmts[i]->kids[0]));
                check_early_unlock(cx, f->stmts[i]);
            }
        free(lo);
    }
}

const struct sl_rule sl_rule_hand_rolled_once = {
    .id = "hand-rolled-once",
    .tier = 2,
    .precision = "high",   /* 1 of 1 right on real code after the fixes; few samples */
    .summary = "lazy initialisation by double-checked locking on a plain flag, or a lock on "
               "every call only to test an init flag",
    .replacement = "pthread_once / call_once / sl_once_call (<synclint/once.h>)",
    .what =
        "Two shapes of lazy initialisation. (1) Double-checked locking on a non-atomic flag or\n"
        "pointer (a global, a static, a struct field, or an array slot): `if (!inited) { lock();\n"
        "if (!inited) { init(); inited = 1; } unlock(); }`, also with the first read copied into\n"
        "a local (`b = s->buckets[i]; if (!b) { lock; b = s->buckets[i]; if (!b) ...`) or made\n"
        "an early return (`if (instance) return instance; lock(); if (!instance) ...`).\n"
        "Reported at the unlocked read. (2) A lock taken only to test the flag: `lock(); if\n"
        "(!inited) { init(); inited = 1; } unlock();`, or `lock(); if (inited) { unlock();\n"
        "return; } init(); inited = 1; unlock();`, where the lock guards nothing else, the flag\n"
        "is never reset and its callers do not test it first. Reported at the lock.\n"
        "An init flag is set to a constant and its branch initialises something: a status word\n"
        "set from a computed value (OVS's nl_dump_next `status = refill()`) or a branch that\n"
        "only sets the flag (libevent's `too_late = 1` marker) is not lazy initialisation.\n"
        "A first read through atomic_load_explicit / __atomic_load_n, or of an _Atomic object,\n"
        "is a correct double check and is not reported. On real code (OVS, libevent, curl,\n"
        "libxml2, memcached, libuv, zstd) it found one double check, OVS's\n"
        "ovsthread_stats_bucket_get (a plain pointer slot published without a release); OVS's\n"
        "55 ovsthread_once users are correct onces and are silent.",
    .why =
        "(1) is a data race: the unlocked read is not ordered with the write under the lock,\n"
        "so on a weakly ordered CPU (ARM, POWER) a thread can see `instance` non-NULL or\n"
        "`inited` set before the stores init() made, and use half-built data; the compiler\n"
        "may also hoist or tear the read. (2) is correct but slow: every call, long after\n"
        "initialisation, takes and releases a lock and bounces its cache line between cores;\n"
        "under contention callers queue on a lock that protects nothing any more. A once\n"
        "costs one acquire load after the first call.",
    .before =
        "static struct table *table;\n"
        "static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;\n"
        "struct table *get_table(void)\n"
        "{\n"
        "    if (!table) {                        /* racy read */\n"
        "        pthread_mutex_lock(&table_mu);\n"
        "        if (!table)\n"
        "            table = table_build();\n"
        "        pthread_mutex_unlock(&table_mu);\n"
        "    }\n"
        "    return table;\n"
        "}",
    .after =
        "#include <synclint/once.h>\n"
        "static struct table *table;\n"
        "static sl_once table_once = SL_ONCE_INIT;\n"
        "static int build(void *arg) { (void)arg; table = table_build(); return table ? 0 : -ENOMEM; }\n"
        "struct table *get_table(void)\n"
        "{\n"
        "    return sl_once_call(&table_once, build, NULL) == 0 ? table : NULL;\n"
        "}\n"
        "/* or: static pthread_once_t o = PTHREAD_ONCE_INIT; pthread_once(&o, init); */",
    .when_not =
        "When the flag is re-armed (a teardown zeroes it and a later call initialises again):\n"
        "a once cannot be reset, so keep the lock, and for shape (1) make the first read an\n"
        "acquire load and the store a release. When explicit fences order the double check\n"
        "(the pre-C11 idiom; not reported). When the function runs once at start-up (main, an\n"
        "init function with no caller in ordinary code; not reported). OVS's ovsthread_once\n"
        "and similar project-own once objects are correct onces: their users are not reported.",
    .needs = SL_NEED_SETUP | SL_NEED_CALLGRAPH | SL_NEED_DEFUSE,
    .check = check,
};
