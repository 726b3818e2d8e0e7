/* cond-wait-not-in-loop - a condvar wait whose predicate is not re-tested. */
#include <string.h>
#include "rulekit.h"

/* Locals read by e (for "while (!done)" where done is refreshed in the body). */
static bool local_refreshed_from_shared(const struct sl_expr *e, const struct sl_stmt *loop)
{
    if (!e) return false;
    if (e->kind == SL_EX_REF && e->var && e->var->kind != SL_VAR_GLOBAL) {
        const struct sl_func *f = loop->func;
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *x = f->exprs[i];
            if (x->kind != SL_EX_ASSIGN || x->n_kids != 2) continue;
            if (x->kids[0]->kind != SL_EX_REF || x->kids[0]->var != e->var) continue;
            const struct sl_stmt *s = x->stmt;
            while (s && s != loop) s = s->parent;
            if (s && sl_expr_touches_shared(x->kids[1])) return true;
        }
        return false;
    }
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (local_refreshed_from_shared(e->kids[i], loop)) return true;
    return false;
}

static bool stmt_exits_loop(const struct sl_stmt *s)
{
    if (!s) return false;
    if (s->kind == SL_ST_BREAK || s->kind == SL_ST_RETURN || s->kind == SL_ST_GOTO ||
        s->kind == SL_ST_CONTINUE)
        return true;
    if (s->kind == SL_ST_BLOCK)
        for (uint32_t i = 0; i < s->n_kids; i++)
            if (stmt_exits_loop(s->kids[i])) return true;
    return false;
}

/* Is local v's address taken in its function (`pthread_create(&t, 0, fn,
 * &sa)`)?  Then another thread may write `sa.running`: a field of it is
 * shared state, though sa is a local. */
static bool address_escapes(const struct sl_var *v)
{
    const struct sl_func *f = v->func;
    for (uint32_t i = 0; f && i < f->n_exprs; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind == SL_EX_UNARY && x->op == SL_U_ADDROF && x->n_kids &&
            sl_expr_root_var(x->kids[0]) == v)
            return true;
    }
    return false;
}

/* Shared state, including fields of a local whose address escapes. */
static bool reads_shared(const struct sl_expr *e)
{
    if (!e) return false;
    if (sl_expr_touches_shared(e)) return true;
    if (e->kind == SL_EX_MEMBER && !e->is_arrow) {
        const struct sl_var *v = sl_expr_root_var(e);
        if (v && v->kind == SL_VAR_LOCAL && !v->is_static && address_escapes(v)) return true;
    }
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (reads_shared(e->kids[i])) return true;
    return false;
}

/* Does a test read shared state other than through a lock operation?  In
 * `if (pthread_cond_timedwait(&c, &m, &t) == 0) break;` the test is the
 * wait's status, not the predicate: the wait's arguments do not count. */
static bool tests_shared_state(const struct sl_flow *fl, const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_CALL && sl_call_lockop(fl, e) != SL_OP_NONE) return false;
    if (e->kind == SL_EX_CALL) return true;   /* a call may read anything */
    if (e->kind != SL_EX_BINARY && e->kind != SL_EX_UNARY && e->kind != SL_EX_ASSIGN &&
        e->kind != SL_EX_COND && e->kind != SL_EX_OTHER)
        return sl_expr_touches_shared(e);
    if (e->kind == SL_EX_UNARY && e->op == SL_U_DEREF) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (tests_shared_state(fl, e->kids[i])) return true;
    return false;
}

/* A loop re-tests a predicate if its condition reads shared state (or a
 * local refreshed from it), or a test in its body that reads shared state
 * guards a break/return/continue/goto.  A test of the wait's own status
 * is not a re-test: a retry loop that counts attempts and leaves on the
 * first wakeup runs on with the predicate never checked. */
static bool loop_retests(const struct sl_flow *fl, const struct sl_stmt *loop)
{
    if (loop->expr && (reads_shared(loop->expr) ||
                       local_refreshed_from_shared(loop->expr, loop)))
        return true;
    const struct sl_func *f = loop->func;
    for (uint32_t i = loop->index + 1; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        const struct sl_stmt *p = s->parent;
        while (p && p != loop) p = p->parent;
        if (!p) break;   /* pre-order: past the loop's subtree */
        if (s->kind != SL_ST_IF || !s->expr) continue;
        if (!tests_shared_state(fl, s->expr) && !local_refreshed_from_shared(s->expr, loop))
            continue;
        if (stmt_exits_loop(s->kids[0]) || stmt_exits_loop(s->kids[1])) return true;
    }
    return false;
}

/* `retry: if (!pred) { wait(); goto retry; }`: a loop built from a label
 * before the test and a goto after the wait. */
static const struct sl_stmt *goto_retry_loop(const struct sl_stmt *s)
{
    const struct sl_func *f = s->func;
    const struct sl_stmt *guard = sl_enclosing_shared_if(s);
    if (!guard) return NULL;
    for (uint32_t i = s->index + 1; i < f->n_stmts; i++) {
        const struct sl_stmt *g = f->stmts[i];
        if (g->kind != SL_ST_GOTO || !g->label) continue;
        for (uint32_t j = 0; j < guard->index; j++) {
            const struct sl_stmt *l = f->stmts[j];
            if (l->kind == SL_ST_LABEL && !strcmp(l->label, g->label)) return l;
        }
    }
    return NULL;
}

/* s lies in the other branch of an if that w is in (not executed after w). */
static bool in_other_branch(const struct sl_stmt *s, const struct sl_stmt *w)
{
    for (const struct sl_stmt *p = w->parent, *child = w; p; child = p, p = p->parent) {
        if (p->kind != SL_ST_IF) continue;
        const struct sl_stmt *other = p->kids[0] == child ? p->kids[1] : p->kids[0];
        if (other && sl_stmt_within(s, other)) return true;
    }
    return false;
}

/* The shared objects (fields and globals) an expression reads. */
struct objset {
    const void *v[16];           /* fields and globals read */
    unsigned n;
    const struct sl_var *base[8];  /* variables those fields hang off (q in q->len) */
    unsigned nb;
};
static bool objset_has_any(const struct objset *o, const struct sl_expr *e);
static const struct sl_stmt *find_guard(const struct sl_stmt *w);

/* Does an expression consume shared state (read or write it, or pass it to
 * a call)?  Lock operations do not count: unlocking is not consuming.  With
 * the guard's objects known, only touching those counts: bookkeeping such
 * as `sleepers--` after the wait is not using the predicate's state. */
static bool consumes_shared(const struct sl_flow *fl, const struct sl_expr *e,
                            const struct objset *guarded)
{
    if (!e) return false;
    if (e->kind == SL_EX_CALL) {
        if (sl_call_lockop(fl, e) != SL_OP_NONE) return false;
        for (uint32_t i = 0; i < e->n_kids; i++) {
            if (guarded) {
                /* passing the guarded object (or what it hangs off) to a
                 * call lets the callee use it */
                const struct sl_var *r = sl_expr_root_var(e->kids[i]);
                for (unsigned b = 0; r && b < guarded->nb; b++)
                    if (guarded->base[b] == r) return true;
                if (objset_has_any(guarded, e->kids[i])) return true;
            } else if (sl_expr_touches_shared(e->kids[i]) || (e->kids[i]->tflags & SL_TY_PTR)) {
                return true;
            }
        }
        return false;
    }
    if (guarded) return objset_has_any(guarded, e);
    if (e->kind == SL_EX_REF || e->kind == SL_EX_MEMBER || e->kind == SL_EX_UNARY ||
        e->kind == SL_EX_INDEX) {
        if (sl_expr_touches_shared(e)) return true;
    }
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (consumes_shared(fl, e->kids[i], NULL)) return true;
    return false;
}

static void collect_objects(const struct sl_expr *e, struct objset *o)
{
    if (!e) return;
    const void *key = NULL;
    if (e->kind == SL_EX_MEMBER && e->field) key = e->field;
    else if (e->kind == SL_EX_REF && e->var && e->var->kind == SL_VAR_GLOBAL &&
             !(e->parent && (e->parent->kind == SL_EX_MEMBER || e->parent->kind == SL_EX_INDEX) &&
               e->parent->n_kids && e->parent->kids[0] == e))
        key = e->var;   /* a whole global, not the base of q.len */
    if (key) {
        unsigned i;
        for (i = 0; i < o->n && o->v[i] != key; i++) {}
        if (i == o->n && o->n < 16) o->v[o->n++] = key;
    }
    if (e->kind == SL_EX_MEMBER) {
        const struct sl_var *b = sl_expr_root_var(e);
        unsigned i;
        for (i = 0; b && i < o->nb && o->base[i] != b; i++) {}
        if (b && i == o->nb && o->nb < 8) o->base[o->nb++] = b;
    }
    for (uint32_t i = 0; i < e->n_kids; i++) collect_objects(e->kids[i], o);
}

static bool objset_has_any(const struct objset *o, const struct sl_expr *e)
{
    struct objset t = {0};
    collect_objects(e, &t);
    for (unsigned i = 0; i < t.n; i++)
        for (unsigned j = 0; j < o->n; j++)
            if (t.v[i] == o->v[j]) return true;
    return false;
}

/* A test re-checks the guard if it reads every shared object the guard read. */
static bool covers(const struct sl_expr *test, const struct sl_expr *guard)
{
    if (!guard) return true;
    struct objset g = {0}, t = {0};
    collect_objects(guard, &g);
    collect_objects(test, &t);
    for (unsigned i = 0; i < g.n; i++) {
        unsigned j;
        for (j = 0; j < t.n && t.v[j] != g.v[i]; j++) {}
        if (j == t.n) return false;
    }
    return true;
}

/* `done = q->quit;` where the loop's condition reads done: a re-test. */
static bool refreshes_loop_local(const struct sl_expr *e, const struct sl_stmt *scope)
{
    if (!e || !scope || !scope->expr || e->kind != SL_EX_ASSIGN || e->n_kids != 2) return false;
    const struct sl_expr *lhs = e->kids[0];
    if (lhs->kind != SL_EX_REF || !lhs->var || lhs->var->kind == SL_VAR_GLOBAL) return false;
    const struct sl_func *f = scope->func;
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind != SL_EX_REF || x->var != lhs->var) continue;
        const struct sl_expr *r = x;
        while (r->parent) r = r->parent;
        if (r == scope->expr) return true;
    }
    return false;
}

/* After the wait in w, does control reach a re-test of the shared state
 * the guard tested (or the end of scope: the loop head, or the return to
 * a caller) before it consumes shared state?  scope == NULL: the whole
 * function. */
static bool retested_before_use(const struct sl_flow *fl, const struct sl_stmt *w,
                                const struct sl_stmt *scope)
{
    const struct sl_func *f = w->func;
    const struct sl_stmt *g = find_guard(w);
    const struct sl_expr *guard = g && (!scope || sl_stmt_within(g, scope)) ? g->expr : NULL;
    /* In `while (!s->value) { s->waiters++; wait(); s->waiters--; }` the
     * predicate is the loop's condition: bookkeeping on other state after
     * the wait is not using what was waited for. */
    if (!guard && scope && sl_stmt_is_loop(scope) && scope->expr &&
        reads_shared(scope->expr) && sl_stmt_within(w, scope))
        guard = scope->expr;
    struct objset gobj = {0};
    collect_objects(guard, &gobj);
    const struct objset *guarded = guard && gobj.n ? &gobj : NULL;
    const struct sl_stmt *skip = NULL;   /* a partial test: judge the path around it */
    for (uint32_t i = w->index + 1; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (scope && !sl_stmt_within(s, scope)) return true;
        if (sl_stmt_within(s, w) || in_other_branch(s, w)) continue;
        if (skip && sl_stmt_within(s, skip)) continue;
        switch (s->kind) {
        case SL_ST_BREAK: case SL_ST_CONTINUE: case SL_ST_GOTO:
            return true;
        case SL_ST_RETURN:
            return !consumes_shared(fl, s->expr, guarded);
        case SL_ST_IF: case SL_ST_WHILE: case SL_ST_DO: case SL_ST_FOR: case SL_ST_SWITCH:
            if (s->expr && sl_expr_touches_shared(s->expr) && covers(s->expr, guard))
                return true;   /* a re-test */
            if (s->expr && consumes_shared(fl, s->expr, guarded) && !sl_expr_touches_shared(s->expr))
                return false;
            skip = s;   /* conditional on local state or a partial test */
            break;
        case SL_ST_EXPR: case SL_ST_DECL:
            if (refreshes_loop_local(s->expr, scope)) return true;
            if (consumes_shared(fl, s->expr, guarded)) return false;
            break;
        default:
            break;
        }
    }
    return true;
}

/* The test that guards the wait: the innermost enclosing if on shared
 * state (`if (!ready) wait`), or an earlier if in the same block that
 * leaves when the predicate holds (`if (ready) continue; wait`). */
static const struct sl_stmt *find_guard(const struct sl_stmt *w)
{
    const struct sl_stmt *g = sl_enclosing_shared_if(w);
    if (g) return g;
    for (const struct sl_stmt *child = w, *p = w->parent; p; child = p, p = p->parent) {
        if (p->kind != SL_ST_BLOCK) break;
        uint32_t k = 0;
        while (k < p->n_kids && p->kids[k] != child) k++;
        while (k-- > 0) {
            const struct sl_stmt *prev = p->kids[k];
            if (prev && prev->kind == SL_ST_IF && prev->expr && sl_expr_touches_shared(prev->expr) &&
                stmt_exits_loop(prev->kids[0]))
                return prev;
        }
    }
    return NULL;
}

/* The guard sits inside the loop, so every iteration evaluates it again:
 * `while (1) { if (!ready(q)) wait(...); else ... }`. */
static bool guard_inside(const struct sl_stmt *loop, const struct sl_stmt *s)
{
    const struct sl_stmt *g = find_guard(s);
    return g && sl_stmt_within(g, loop);
}

static const struct sl_stmt *retesting_loop(const struct sl_flow *fl, const struct sl_stmt *s)
{
    for (const struct sl_stmt *p = s; p; p = p->parent)
        if (sl_stmt_is_loop(p) && (loop_retests(fl, p) || guard_inside(p, s)) &&
            retested_before_use(fl, s, p))
            return p;
    return s ? goto_retry_loop(s) : NULL;
}

/* A static function whose every caller sits in a re-testing loop, and that
 * returns to it without using what it waited for: the caller's service
 * loop re-checks the condition. */
static bool callers_retest(const struct sl_rule_ctx *cx, const struct sl_func *f,
                           const struct sl_stmt *w, int depth)
{
    const struct sl_flow *fl = cx->flow;
    uint32_t n_callers = sl_n_callers(cx->facts, f);
    if (!f->is_static || n_callers == 0 || depth > 3) return false;
    if (!retested_before_use(fl, w, NULL)) return false;
    for (uint32_t i = 0; i < n_callers; i++) {
        const struct sl_expr *c = sl_caller(cx->facts, f, i);
        if (c->stmt && retesting_loop(cx->flow, c->stmt)) continue;
        const struct sl_func *g = sl_expr_func(c);
        if (g && g != f && c->stmt && callers_retest(cx, g, c->stmt, depth + 1)) continue;
        return false;
    }
    return true;
}

static bool is_declared_wrapper(const struct sl_rule_options *o, const char *name)
{
    for (size_t i = 0; name && i < o->n_wrappers; i++)
        if (!strcmp(o->wrappers[i].name, name)) return true;
    return false;
}

static bool is_direct_wait(const struct sl_rule_ctx *cx, const struct sl_expr *c)
{
    if (!c->name) return true;   /* through a declared function-pointer field (ops->wait) */
    return is_declared_wrapper(cx->opts, c->name) || sl_builtin_lockop(c->name) != NULL;
}

static bool func_is_wait_wrapper(const struct sl_flow *fl, const struct sl_func *f)
{
    const struct sl_func_flow *ff = f ? sl_func_flow(fl, f) : NULL;
    return ff && ff->n_effects &&
           (ff->effects[0].op == SL_OP_WAIT || ff->effects[0].op == SL_OP_TIMEDWAIT);
}

/* `if (!ready) wait(...)`: the if whose then-branch is just the wait. */
static const struct sl_stmt *if_around_wait(const struct sl_expr *c)
{
    const struct sl_stmt *s = c->stmt;
    if (!s || s->kind != SL_ST_EXPR || s->expr != c) return NULL;
    const struct sl_stmt *p = s->parent;
    if (p && p->kind == SL_ST_BLOCK && p->n_kids == 1) { s = p; p = p->parent; }
    if (p && p->kind == SL_ST_IF && p->kids[0] == s && !p->kids[1]) return p;
    return NULL;
}

/* Does the code branch on the wait's status (`if (timedwait(...) == 0)
 * break;`, or `rc = timedwait(...); ... if (rc != ETIMEDOUT)`)?  Then it
 * takes a wakeup for the condition: the timed wait is not a plain sleep. */
static bool status_tested(const struct sl_expr *c)
{
    const struct sl_expr *top = c;
    while (top->parent && top->parent->kind != SL_EX_ASSIGN) top = top->parent;
    const struct sl_stmt *s = c->stmt;
    if (!top->parent && s && s->expr == top &&
        (s->kind == SL_ST_IF || s->kind == SL_ST_WHILE || s->kind == SL_ST_DO ||
         s->kind == SL_ST_FOR || s->kind == SL_ST_SWITCH))
        return true;
    /* rc = wait(...) or int rc = wait(...): rc tested by a later condition */
    const struct sl_var *rc = NULL;
    if (top->parent && top->parent->kind == SL_EX_ASSIGN && top->parent->n_kids == 2 &&
        top->parent->kids[1] == top && top->parent->kids[0]->kind == SL_EX_REF)
        rc = top->parent->kids[0]->var;
    else if (!top->parent && s && s->kind == SL_ST_DECL && s->expr == top)
        rc = s->var;
    if (!rc || rc->kind == SL_VAR_GLOBAL || !s) return false;
    const struct sl_func *f = s->func;
    for (uint32_t i = c->index + 1; i < f->n_exprs; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind != SL_EX_REF || x->var != rc) continue;
        const struct sl_expr *r = x;
        while (r->parent) r = r->parent;
        const struct sl_stmt *t = x->stmt;
        if (t && t->expr == r && t->kind != SL_ST_EXPR && t->kind != SL_ST_DECL &&
            t->kind != SL_ST_RETURN)
            return true;
    }
    return false;
}

static bool has_side_effect(const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_ASSIGN || e->kind == SL_EX_STMTEXPR) return true;
    if (e->kind == SL_EX_UNARY && (e->op == SL_U_POSTINC || e->op == SL_U_POSTDEC ||
                                   e->op == SL_U_PREINC || e->op == SL_U_PREDEC))
        return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (has_side_effect(e->kids[i])) return true;
    return false;
}

static bool loc_before(struct sl_loc a, struct sl_loc b)
{
    return a.file == b.file && (a.line < b.line || (a.line == b.line && a.col < b.col));
}

/* Is `if` -> `while` mechanically right for this if-guarded wait?  The
 * if's own condition must be the predicate (it reads shared state: the
 * guard the rule found is this if), re-evaluating it must change nothing
 * (no assignment, ++/--, statement expression), the wait must be untimed
 * (a timed wait past its deadline returns at once: a while around it spins
 * until the predicate holds), and `if`, its condition and the wait must be
 * written apart in the file, in that order (not one macro expansion, where
 * the keyword is not in the text at the if's place). */
static bool while_fix_safe(const struct sl_stmt *iff, const struct sl_stmt *guard,
                           const struct sl_expr *wait, enum sl_lockop op)
{
    return guard == iff && op == SL_OP_WAIT && iff->expr && !has_side_effect(iff->expr) &&
           loc_before(iff->loc, iff->expr->loc) && loc_before(iff->expr->loc, wait->loc) &&
           (iff->expr->loc.line > iff->loc.line || iff->loc.col + 2 < iff->expr->loc.col);
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        /* The definition of a declared --wrapper is the wait itself. */
        if (is_declared_wrapper(cx->opts, f->name)) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(fl, c);
            if (op->op != SL_OP_WAIT && op->op != SL_OP_TIMEDWAIT) continue;
            bool direct = is_direct_wait(cx, c);
            /* Inside a thin wait wrapper the wait is reported at its callers. */
            if (direct && func_is_wait_wrapper(fl, f)) continue;
            if (retesting_loop(cx->flow, c->stmt)) continue;
            if (callers_retest(cx, f, c->stmt, 0)) continue;
            const struct sl_stmt *guard = sl_enclosing_shared_if(c->stmt);
            /* A timed wait with no predicate at all is a sleep that a
             * signal may cut short: a spurious wakeup only shortens it. */
            if (op->op == SL_OP_TIMEDWAIT && !guard && !status_tested(c)) continue;
            const char *cv = op->cond ? op->cond->text : "the condition variable";
            const char *wname = c->name ? c->name :
                                c->callee ? sl_expr_text(cx->scratch, c->callee) : "the wait";
            struct sl_diag *d;
            if (direct)
                d = sl_report(cx, c->loc,
                    "'%s' on '%s' is not in a loop that re-checks its predicate: a spurious "
                    "or stolen wakeup lets the code run with the condition false",
                    wname, cv);
            else
                d = sl_report(cx, c->loc,
                    "'%s' waits on '%s' (it wraps a condition wait) but is not in a loop that "
                    "re-checks the predicate: a spurious or stolen wakeup lets the code run "
                    "with the condition false", wname, cv);
            if (!direct && c->func)
                sl_note(cx, d, c->func->loc, "'%s' waits without a loop of its own", c->func->name);
            const struct sl_lockset *held = sl_held_must(fl, c);
            const struct sl_held *h = op->lock ? sl_lockset_find(held, op->lock) : NULL;
            if (!h && op->lock) h = sl_lockset_find_class(held, op->lock->cls);
            if (h) sl_note_held(cx, d, h);
            const struct sl_stmt *iff = if_around_wait(c);
            if (iff) {
                sl_note(cx, d, iff->loc, "the predicate is tested once here; "
                        "'while' re-tests it after every wakeup");
                if (while_fix_safe(iff, guard, c, op->op)) {
                    struct sl_loc kw = iff->loc;
                    kw.end_line = kw.line;
                    kw.end_col = kw.col + 2;
                    sl_diag_set_fix(cx->out, d, "replace 'if' with 'while'",
                                    sl_range_of(m, kw), "while");
                }
            } else if (guard) {
                sl_note(cx, d, guard->loc, "the predicate is tested once here, before the wait");
            }
            sl_note_text(cx, d, "use: while (!predicate) %s(...); or sl_event "
                         "(<synclint/event.h>) for a one-shot signal",
                         direct ? wname : "pthread_cond_wait");
        }
    }
}

const struct sl_rule sl_rule_cond_wait_not_in_loop = {
    .id = "cond-wait-not-in-loop",
    .tier = 1,
    .precision = "high",   /* docs/precision.md */
    .summary = "condition wait not inside a loop that re-tests its predicate",
    .replacement = "while (!pred) pthread_cond_wait(...), or sl_event for a one-shot event",
    .what =
        "A pthread_cond_wait, pthread_cond_timedwait, cnd_wait or cnd_timedwait call (or a\n"
        "project wrapper around one) that is not inside a while/for/do loop re-testing the\n"
        "shared predicate. The classic shape is `if (!ready) pthread_cond_wait(&cv, &mu);`.\n"
        "Waits inside a loop whose condition, or a test guarding a break in its body, reads\n"
        "shared state are fine, and so are if-waits in a static function whose every caller\n"
        "is such a loop. A timed wait with no predicate test at all is a sleep and is not\n"
        "reported. A thin wrapper around the wait is analysed at its call sites.\n"
        "Being inside some loop is not enough: a `for` over items whose body does `if\n"
        "(!ready[i]) wait(...)` and moves on, a timed-wait retry loop that only counts\n"
        "attempts and leaves on the first wakeup, and code that branches on the wait's\n"
        "status (`if (rc != ETIMEDOUT) use(state)`, `ASSERT_EQ(ETIMEDOUT, timedwait(...))`)\n"
        "all take a wakeup for the condition. Bookkeeping on other fields around the wait in\n"
        "a predicate loop (`while (!s->value) { s->waiters++; wait(); s->waiters--; }`) is\n"
        "the correct form, and so is a predicate on a struct on the waiter's stack whose\n"
        "address went to the thread that sets it (the thread-start handshake).",
    .why =
        "POSIX allows spurious wakeups, and even without them another thread can run between\n"
        "the signal and this thread re-acquiring the mutex and consume what was signalled (a\n"
        "stolen wakeup). Code after an `if`-guarded wait then runs with the predicate false:\n"
        "it pops an empty queue or reads a result that is not there. The bug is rare under\n"
        "light load and common under heavy load, which is when it hurts most.",
    .before =
        "pthread_mutex_lock(&q->mu);\n"
        "if (q->len == 0)\n"
        "    pthread_cond_wait(&q->nonempty, &q->mu);\n"
        "item = q->items[--q->len];   /* may underflow */\n"
        "pthread_mutex_unlock(&q->mu);",
    .after =
        "pthread_mutex_lock(&q->mu);\n"
        "while (q->len == 0)\n"
        "    pthread_cond_wait(&q->nonempty, &q->mu);\n"
        "item = q->items[--q->len];\n"
        "pthread_mutex_unlock(&q->mu);\n"
        "\n"
        "/* one-shot \"it happened\" signals: */\n"
        "#include <synclint/event.h>\n"
        "sl_event_wait(&ready);      /* no predicate, no mutex, no lost wakeup */",
    .when_not =
        "When the wait is a sleep that a signal may cut short (a timed wait whose caller does\n"
        "not depend on any predicate), or when an enclosing loop in another translation unit\n"
        "re-checks the condition: suppress with a comment naming that loop.",
    .needs = SL_NEED_CALLGRAPH,
    .check = check,
};
