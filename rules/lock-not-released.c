/* lock-not-released - a way out of a function that keeps a lock other ways
 * out release; a lock taken twice on one path; an unlock of a lock the
 * function already released. */
#include <string.h>
#include "rulekit.h"

static const char REPLACEMENT[] =
    "unlock on every path: one cleanup label (`goto out_unlock;`) that every exit goes through";

/* ---------------------------------------------------------------------
 * The exit variant.
 * ------------------------------------------------------------------- */

static struct sl_loc exit_loc(const struct sl_func *f, const struct sl_flow_exit *x)
{
    return x->at ? x->at->loc : f->end;
}

static const struct sl_expr *exit_value(const struct sl_flow_exit *x)
{
    return x->at && x->at->kind == SL_ST_RETURN ? x->at->expr : NULL;
}

static bool is_const(const struct sl_expr *e)
{
    return e && ((e->kind == SL_EX_INT && e->has_value) ||
                 (e->kind == SL_EX_UNARY && e->op == SL_U_MINUS));
}

/* A value that says "failed, nothing held": NULL, 0 / false, a negative
 * constant or -ERRNO. */
static bool is_failure_value(const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_UNARY && e->op == SL_U_MINUS) return true;
    return e->kind == SL_EX_INT && e->has_value && e->ival <= 0;
}

/* A value that says "succeeded, and you hold it": a non-zero, non-negative
 * constant (true, 1), 0 when the failures are negative, or a pointer that
 * is not a constant (the object looked up). */
static bool is_success_value(const struct sl_expr *e, bool failures_negative)
{
    if (!e) return false;
    if (e->kind == SL_EX_INT && e->has_value)
        return e->ival > 0 || (e->ival == 0 && failures_negative);
    return !is_const(e) && (e->tflags & SL_TY_PTR);
}

/* Does the function tell its caller by its return value whether the lock is
 * held (a lookup that returns the object locked, or NULL unlocked; a
 * try-style function returning true locked, false unlocked)?  Then the
 * exits that keep it are the contract, not a leak. */
static bool returns_lock_state(const struct sl_func_flow *ff, const struct sl_lockref *l)
{
    bool any_keep = false, any_release = false, failures_negative = true;
    for (uint32_t i = 0; i < ff->n_exits; i++) {
        const struct sl_flow_exit *x = &ff->exits[i];
        if (sl_lockset_find(x->must, l)) continue;
        if (sl_lockset_find(x->may, l)) return false;
        const struct sl_expr *v = exit_value(x);
        if (!is_failure_value(v)) return false;
        if (!(v->kind == SL_EX_UNARY || v->ival < 0)) failures_negative = false;
        any_release = true;
    }
    for (uint32_t i = 0; i < ff->n_exits; i++) {
        const struct sl_flow_exit *x = &ff->exits[i];
        if (!sl_lockset_find(x->must, l)) continue;
        if (!is_success_value(exit_value(x), failures_negative)) return false;
        any_keep = true;
    }
    return any_keep && any_release;
}

static bool call_releases(const struct sl_flow *fl, const struct sl_expr *c,
                          const struct sl_lockref *l)
{
    const struct sl_call_op *op = sl_call_op(fl, c);
    return op->op == SL_OP_UNLOCK && op->lock && op->lock->cls == l->cls;
}

/* The last unlock of l before loc in f (source order), or NULL. */
static const struct sl_expr *unlock_before(const struct sl_flow *fl, const struct sl_func *f,
                                           const struct sl_lockref *l, struct sl_loc loc)
{
    const struct sl_expr *best = NULL;
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        if (c->loc.file != loc.file || c->loc.line > loc.line) break;
        if (call_releases(fl, c, l)) best = c;
    }
    return best;
}

/* An exit on which l is held on no path and that an unlock of l precedes
 * (it was released, not merely never taken there), or NULL. */
static const struct sl_flow_exit *releasing_exit(const struct sl_flow *fl, const struct sl_func *f,
                                                 const struct sl_lockref *l)
{
    const struct sl_func_flow *ff = sl_func_flow(fl, f);
    for (uint32_t i = 0; i < ff->n_exits; i++)
        if (!sl_lockset_find(ff->exits[i].may, l) && unlock_before(fl, f, l, exit_loc(f, &ff->exits[i])))
            return &ff->exits[i];
    return NULL;
}

/* Does f release l before taking it (the caller's lock, dropped around
 * some work and taken back)?  Then holding it at an exit is the contract. */
static bool callers_lock(const struct sl_func_flow *ff, const struct sl_lockref *l)
{
    for (uint32_t i = 0; i < ff->n_events; i++)
        if (ff->events[i].kind == SL_EV_UNLOCK_NOT_HELD && ff->events[i].lock->cls == l->cls)
            return true;
    return false;
}

static bool releases_somewhere(const struct sl_flow *fl, const struct sl_func *f,
                               const struct sl_lockref *l)
{
    for (uint32_t i = 0; i < f->n_calls; i++)
        if (call_releases(fl, f->calls[i], l)) return true;
    return false;
}

static const char *exit_word(const struct sl_flow_exit *x)
{
    if (!x->at) return "end of function";
    return x->at->kind == SL_ST_RETURN ? "return" : "computed goto";
}

/* Is e inside (an argument of) a call that releases l? */
static bool inside_release(const struct sl_flow *fl, const struct sl_expr *e,
                           const struct sl_lockref *l)
{
    for (; e; e = e->parent)
        if (e->kind == SL_EX_CALL && call_releases(fl, e, l)) return true;
    return false;
}

/* A goto or break that leaves with l held: the held set just before the
 * last expression ahead of it in the function (best effort: lock-flow
 * keeps held sets per expression, not per jump), or NULL. */
static const struct sl_stmt *jump_holding(const struct sl_flow *fl, const struct sl_func *f,
                                          const struct sl_lockref *l)
{
    uint32_t e = 0;
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (s->kind != SL_ST_GOTO && s->kind != SL_ST_BREAK) continue;
        const struct sl_expr *prev = NULL;
        for (; e < f->n_exprs && f->exprs[e]->stmt && f->exprs[e]->stmt->index < s->index; e++)
            prev = f->exprs[e];
        if (!prev && e) prev = f->exprs[e - 1];
        if (prev && sl_lockset_find(sl_held_must(fl, prev), l) && !inside_release(fl, prev, l) &&
            !(prev->kind == SL_EX_CALL && call_releases(fl, prev, l)))
            return s;
    }
    return NULL;
}

/* h reaches exit x held (on every path into x when all_paths, else on some);
 * rel: an exit that does not hold it, or NULL (then x itself is reached
 * unlocked on another path). */
static void report_exit(struct sl_rule_ctx *cx, const struct sl_func *f,
                        const struct sl_flow_exit *x, const struct sl_held *h, bool all_paths,
                        const struct sl_flow_exit *rel)
{
    struct sl_loc at = exit_loc(f, x);
    struct sl_diag *d;
    if (all_paths)
        d = sl_report(cx, at, "%s with '%s' still held, while other paths out of '%s' release "
                      "it: the next thread to lock it blocks forever",
                      exit_word(x), h->lock->text, f->name);
    else
        d = sl_report(cx, at, "%s reached with '%s' still held on some paths into it and "
                      "released on others: the next thread to lock it blocks forever",
                      exit_word(x), h->lock->text);
    sl_set_identity(cx, d, h->lock->cls);
    sl_note_held(cx, d, h);
    const struct sl_stmt *jump = all_paths ? NULL : jump_holding(cx->flow, f, h->lock);
    if (jump)
        sl_note(cx, d, jump->loc, "this %s leaves with '%s' held, past its unlock",
                jump->kind == SL_ST_GOTO ? "goto" : "break", h->lock->text);
    /* the guard, when it is not just the lock pointer tested for NULL */
    if (all_paths && h->guard && strcmp(sl_expr_text(cx->scratch, h->guard), h->lock->text))
        sl_note(cx, d, h->guard->loc, "held on the paths where '%s' is %s",
                sl_expr_text(cx->scratch, h->guard), h->guard_true ? "true" : "false");
    const struct sl_expr *u = unlock_before(cx->flow, f, h->lock, rel ? exit_loc(f, rel) : at);
    if (rel && u)
        sl_note(cx, d, exit_loc(f, rel), "'%s' is released on the path through line %u",
                h->lock->text, u->loc.line);
    else if (u)
        sl_note(cx, d, u->loc, "'%s' is released here on the other paths into line %u",
                h->lock->text, at.line);
    sl_note_text(cx, d, "use: %s", REPLACEMENT);
}

static bool lock_root_reassigned(const struct sl_func *f, const struct sl_expr *call);

/* Is the lock taken at site named through a local whose scope ends before
 * exit x (`struct conn *n = c->next; lock(&n->mu); ... c = n;`)?  Then the
 * code releases it under another name this analysis does not follow. */
static bool lock_name_out_of_scope(const struct sl_func *f, const struct sl_expr *site,
                                   const struct sl_flow_exit *x)
{
    for (uint32_t a = 0; site && a < site->n_kids; a++) {
        const struct sl_var *v = sl_expr_root_var(site->kids[a]);
        if (!v || v->kind != SL_VAR_LOCAL || v->is_static) continue;
        for (uint32_t i = 0; i < f->n_stmts; i++) {
            const struct sl_stmt *d = f->stmts[i];
            if (d->kind != SL_ST_DECL || d->var != v) continue;
            const struct sl_stmt *scope = d->parent;
            if (x->at ? !sl_stmt_within(x->at, scope) : scope != f->body) return true;
            break;
        }
    }
    return false;
}

static void check_exits(struct sl_rule_ctx *cx, const struct sl_func *f)
{
    const struct sl_flow *fl = cx->flow;
    const struct sl_func_flow *ff = sl_func_flow(fl, f);
    /* an acquire wrapper by contract leaves it held on purpose */
    if (f->acquires_annotation) return;
    const struct sl_lockref *some_paths_reported[8];
    uint32_t n_reported = 0;
    for (uint32_t i = 0; i < ff->n_exits; i++) {
        const struct sl_flow_exit *x = &ff->exits[i];
        for (uint32_t k = 0; k < sl_lockset_size(x->may); k++) {
            const struct sl_held *h = &x->may->items[k];
            const struct sl_held *must = sl_lockset_find(x->must, h->lock);
            if (lock_name_out_of_scope(f, h->site, x) || lock_root_reassigned(f, h->site) ||
                callers_lock(ff, h->lock))
                continue;
            const struct sl_flow_exit *rel = releasing_exit(fl, f, h->lock);
            if (must && (rel || !must->guard)) {
                /* held on every path here (where it was taken at all): a
                 * leak only if another exit releases it */
                if (rel && !returns_lock_state(ff, h->lock)) report_exit(cx, f, x, must, true, rel);
                continue;
            }
            /* held on some paths into x only (untracked, or under a guard
             * that tells them apart).  A trylock whose result was not
             * followed is may-held without being taken; a lock this
             * function never unlocks is not "released on other paths"
             * (a conditional acquire wrapper). */
            enum sl_lockop op = h->site ? sl_call_lockop(fl, h->site) : SL_OP_NONE;
            if (sl_lockop_is_try(op) || !releases_somewhere(fl, f, h->lock)) continue;
            /* one report per lock: every exit after the join says the same */
            bool seen = false;
            for (uint32_t r = 0; r < n_reported && !seen; r++)
                seen = some_paths_reported[r] == h->lock;
            if (seen) continue;
            if (n_reported < 8) some_paths_reported[n_reported++] = h->lock;
            report_exit(cx, f, x, must ? must : h, false, rel);
        }
    }
}

/* ---------------------------------------------------------------------
 * The double-lock and unlock-not-held variants (lock-flow events).
 * ------------------------------------------------------------------- */

static bool name_is(const char *n, const char *w)
{
    return n && strstr(n, w);
}

/* A mutex type argument that may be recursive: PTHREAD_MUTEX_RECURSIVE and
 * mtx_recursive are 1 (glibc, musl; enum constants reach the model as
 * their values), or a value not known here. */
static bool maybe_recursive_type(const struct sl_expr *e)
{
    return e && !(e->kind == SL_EX_INT && e->has_value && !(e->ival & 1));
}

/* Does the file set up a recursive mutex anywhere (pthread_mutexattr_settype
 * to RECURSIVE, mtx_init with mtx_recursive, a function named like
 * ovs_mutex_init_recursive)?  Then taking a lock twice may be the design;
 * the type is a run-time attribute this analysis cannot tie to one lock. */
static bool file_has_recursive_mutex(const struct sl_model *m)
{
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const char *n = c->name;
            if (!n) continue;
            if (name_is(n, "recursive") || name_is(n, "RECURSIVE")) return true;
            if ((!strcmp(n, "pthread_mutexattr_settype") || !strcmp(n, "mtx_init")) &&
                maybe_recursive_type(sl_call_arg(c, 1)))
                return true;
        }
    }
    return false;
}

/* Is a variable the lock call's argument hangs off assigned in f?  Then the
 * same spelling may name another object on the second call (a walk over a
 * list: lock(&n->mu); ... n = n->next; lock(&n->mu)). */
static bool lock_root_reassigned(const struct sl_func *f, const struct sl_expr *call)
{
    for (uint32_t a = 0; call && a < call->n_kids; a++) {
        const struct sl_var *v = sl_expr_root_var(call->kids[a]);
        if (!v || v->kind == SL_VAR_GLOBAL) continue;
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *x = f->exprs[i];
            if (x->kind == SL_EX_ASSIGN && x->n_kids && x->kids[0]->kind == SL_EX_REF &&
                x->kids[0]->var == v)
                return true;
        }
    }
    return false;
}

static void report_double_lock(struct sl_rule_ctx *cx, const struct sl_func *f,
                               const struct sl_flow_event *ev)
{
    struct sl_diag *d = sl_report(cx, ev->call->loc,
        "'%s' is locked again on a path where '%s' already holds it: a non-recursive "
        "lock deadlocks on itself here", ev->lock->text, f->name);
    sl_set_identity(cx, d, ev->lock->cls);
    if (ev->prev_site) sl_note(cx, d, ev->prev_site->loc, "'%s' first acquired here", ev->lock->text);
    sl_note_text(cx, d, "use: release it before taking it again, or take it once in the caller");
}

/* The last call in f before `call` that acquires l (same object), or NULL. */
static const struct sl_expr *own_acquire_before(const struct sl_flow *fl, const struct sl_func *f,
                                                const struct sl_expr *call,
                                                const struct sl_lockref *l)
{
    const struct sl_expr *best = NULL;
    for (uint32_t i = 0; i < f->n_calls && f->calls[i] != call; i++) {
        const struct sl_call_op *op = sl_call_op(fl, f->calls[i]);
        if (op->lock == l && (sl_lockop_acquires(op->op))) best = f->calls[i];
    }
    return best;
}

static bool entry_lock(const struct sl_facts *fx, const struct sl_func *f, const char *cls)
{
    const struct sl_func_facts *ff = sl_facts_func(fx, f, SL_NEED_ACCESS);
    for (uint32_t i = 0; i < ff->n_entry_locks; i++)
        if (ff->entry_locks[i] == cls) return true;
    return false;
}

/* Does callee (a same-TU function lock-flow summarised as releasing its
 * caller's lock) release it on some paths only: after an early return, or
 * under a test other than the lock pointer's own NULL test (curl's
 * `if (!thrdpool_unlink(p, TRUE)) unlock(&p->lock);`, where unlink
 * releases only when it frees)?  The caller's second unlock is then the
 * other half, not a double unlock. */
static bool releases_conditionally(const struct sl_flow *fl, const struct sl_func *callee,
                                   struct sl_arena *a)
{
    if (!callee || !callee->body) return false;
    for (uint32_t i = 0; i < callee->n_calls; i++) {
        const struct sl_expr *c = callee->calls[i];
        const struct sl_call_op *op = sl_call_op(fl, c);
        if (op->op != SL_OP_UNLOCK) continue;
        for (uint32_t k = 0; k < callee->n_stmts && callee->stmts[k] != c->stmt; k++)
            if (callee->stmts[k]->kind == SL_ST_RETURN) return true;
        for (const struct sl_stmt *s = c->stmt->parent; s; s = s->parent) {
            if (s->kind == SL_ST_DO) continue;   /* the do { } while (0) of a macro */
            if (s->kind == SL_ST_IF && s->expr && op->lock &&
                !strcmp(sl_expr_text(a, s->expr), op->lock->text))
                continue;
            if (s->kind == SL_ST_IF || sl_stmt_is_loop(s) || s->kind == SL_ST_SWITCH) return true;
        }
    }
    return false;
}

static void check_unlock_not_held(struct sl_rule_ctx *cx, const struct sl_func *f,
                                  const struct sl_flow_event *ev)
{
    /* releasing the caller's lock by contract: annotated, named so, or
     * called with it held by every caller here */
    static const char *const unlock_words[] = { "unlock", "release", "exit", "leave", "put", NULL };
    if (f->requires_annotation || sl_name_has_word(f->name, unlock_words) ||
        entry_lock(cx->facts, f, ev->lock->cls))
        return;
    /* only the function's own lock: taken here before, and released since */
    const struct sl_expr *acq = own_acquire_before(cx->flow, f, ev->call, ev->lock);
    if (!acq) return;
    const struct sl_expr *prev = NULL;
    for (uint32_t i = 0; i < f->n_calls && f->calls[i] != ev->call; i++)
        if (f->calls[i]->id > acq->id && call_releases(cx->flow, f->calls[i], ev->lock))
            prev = f->calls[i];
    if (!prev || releases_conditionally(cx->flow, prev->func, cx->scratch)) return;
    struct sl_diag *d = sl_report(cx, ev->call->loc,
        "'%s' is unlocked here on a path where it is no longer held: unlocking a mutex "
        "the thread does not own is undefined behaviour and may release another "
        "thread's critical section", ev->lock->text);
    sl_set_identity(cx, d, ev->lock->cls);
    sl_note(cx, d, prev->loc, "'%s' already released here", ev->lock->text);
    sl_note(cx, d, acq->loc, "'%s' acquired here", ev->lock->text);
    sl_note_text(cx, d, "use: %s", REPLACEMENT);
}

static void check_events(struct sl_rule_ctx *cx, const struct sl_func *f, bool recursive_file)
{
    const struct sl_func_flow *ff = sl_func_flow(cx->flow, f);
    for (uint32_t i = 0; i < ff->n_events; i++) {
        const struct sl_flow_event *ev = &ff->events[i];
        if (recursive_file) continue;   /* taken twice and released twice, by design */
        if (ev->kind == SL_EV_DOUBLE_LOCK) {
            if (!lock_root_reassigned(f, ev->call)) report_double_lock(cx, f, ev);
        } else {
            check_unlock_not_held(cx, f, ev);
        }
    }
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    bool recursive_file = file_has_recursive_mutex(m);
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file || !f->body || f->no_analysis_annotation) continue;
        check_exits(cx, f);
        check_events(cx, f, recursive_file);
    }
}

const struct sl_rule sl_rule_lock_not_released = {
    .id = "lock-not-released",
    .tier = 3,
    /* 3 of 3 findings right on Open vSwitch, libevent and curl (all three
     * in libevent: two `goto out` past the unlock in evdns.c, an early
     * return in event_base_once); a small sample */
    .precision = "high",
    .summary = "a return, goto or function end that keeps a lock other paths release; "
               "a lock taken twice on one path; an unlock of a lock already released",
    .replacement = REPLACEMENT,
    .what =
        "Three shapes of one mistake, all found by lock-flow on the paths through one "
        "function:\n"
        "- a way out (a return, a computed goto, or the end of the function) with a lock "
        "still held, while another way out of the same function releases it: the early "
        "error return that forgot the unlock; or a way out reached held on some paths and "
        "released on others: the `goto out` or `break` that jumps past the unlock (reported "
        "once per lock, with the jump);\n"
        "- double-lock: the same lock object (the same expression, not merely the same "
        "class: `&a->mu` then `&b->mu` are two locks) taken a second time on a path that "
        "already holds it;\n"
        "- unlock-not-held: an unlock of a lock the function took itself and already "
        "released on every path reaching it.",
    .why =
        "Correctness. A mutex left locked by an error path blocks the next thread that "
        "takes it, forever; the hang shows up far from the cause and only when the error "
        "happens. Locking a default (non-recursive) pthread or C11 mutex twice deadlocks "
        "the thread on itself; unlocking one the thread does not hold is undefined "
        "behaviour (an error-checking mutex returns EPERM, a normal one may release "
        "another thread's critical section).",
    .before =
        "int put(struct q *q, int v)\n"
        "{\n"
        "    pthread_mutex_lock(&q->mu);\n"
        "    if (q->n == q->cap)\n"
        "        return -ENOSPC;          /* q->mu still held */\n"
        "    q->v[q->n++] = v;\n"
        "    pthread_mutex_unlock(&q->mu);\n"
        "    return 0;\n"
        "}",
    .after =
        "int put(struct q *q, int v)\n"
        "{\n"
        "    int rc = 0;\n"
        "    pthread_mutex_lock(&q->mu);\n"
        "    if (q->n == q->cap) {\n"
        "        rc = -ENOSPC;\n"
        "        goto out_unlock;\n"
        "    }\n"
        "    q->v[q->n++] = v;\n"
        "out_unlock:\n"
        "    pthread_mutex_unlock(&q->mu);\n"
        "    return rc;\n"
        "}",
    .when_not =
        "Functions that return with the lock held on purpose are not flagged: acquire "
        "wrappers (every path returns holding it, or annotated __acquires / OVS_ACQUIRES / "
        "ACQUIRE()), lookups and try-style functions whose return value tells the caller "
        "whether it holds the lock (the object returned locked, NULL or false or a negative "
        "error returned unlocked), failed trylocks, locking under a flag tested twice "
        "(`if (need) lock(); ... if (need) unlock();`), unlocks in a cleanup label every "
        "path reaches, locks released through a helper of the same file, and "
        "pthread_cond_wait inside the section. Unlocks of a lock the caller holds (functions "
        "annotated OVS_REQUIRES / __releases, named like an unlock wrapper, or whose "
        "callers here all hold the lock) are by contract. A double lock is not reported in "
        "a file that sets up a recursive mutex, nor when the lock's base pointer is "
        "reassigned in between (a walk over a list). A lock released by a function of "
        "another file that this file cannot see looks held: suppress that exit, or "
        "declare the helper with --wrapper=NAME:unlock.",
    .needs = SL_NEED_ACCESS,
    .check = check,
};
