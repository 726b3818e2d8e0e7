/* callback-under-lock - a call through a function pointer made while a lock is held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pmap.h"
#include "rulekit.h"
#include "strmap.h"

#define RULE_ID "callback-under-lock"
#define MAX_CHAIN 4        /* same-file calls shown from a target to what it does */
#define MAX_HOPS 4         /* calls between files followed from a target */
#define MAX_ALIAS 6        /* slots copied into slots, followed this deep */

/* How a function pointer slot is named project-wide (one string per slot):
 *   "struct S::fn"       a field of any object of type S (sl_summary_object_key)
 *   "hook", "a.c#hook"   a global (a file's static qualified by the file)
 *   "param f#2"          parameter 2 of f (static f: "param a.c#f#2")
 *   "local a.c#f::cb"    a local variable of f
 * A store says what went into a slot: a function by name, another slot
 * (`s->cb = cb` with cb a parameter: whatever the callers pass), or
 * something unknown (a call's result, memory read through void *).
 *
 * Facts this rule exports for its check_project (args are strings):
 *   "store"  [slot, kind ("fn" | "slot" | "unknown"), value, file, line, col]
 *   "unsafe" [reason ("blocks" | "locks"), detail], chain: the same-file
 *            calls from the function to the call that shows it
 *   "calls-through" [slot or "", callee text, param, values]: a call through a
 *            pointer the function makes (judged by the pointer's own targets)
 *   "cased", "reach" [callee, param, values]: see export_case_reach
 * param and values (both "unsafe" and "calls-through" have them too): the
 * call runs only when parameter param holds one of values ("-1": always);
 * see case_condition.
 *   "call"   [slot or "", callee text, lock text, lock class], chain: the
 *            indirect call, the acquisition of the held lock */

/* Calls that block or sleep: a callback making one under the caller's
 * lock stalls every thread that needs it. */
static const char *const blocking_names[] = {
    "accept", "clock_nanosleep", "connect", "epoll_wait", "fclose", "fdatasync", "fflush",
    "fgets", "fopen", "fprintf", "fputs", "fread", "fsync", "fwrite", "getaddrinfo", "ioctl",
    "nanosleep", "open", "poll", "popen", "pread", "printf", "pthread_join", "puts", "pwrite",
    "read", "readv", "recv", "recvfrom", "recvmsg", "select", "send", "sendmsg", "sendto",
    "sleep", "syslog", "system", "thrd_join", "thrd_sleep", "usleep", "vfprintf", "vsyslog",
    "waitpid", "write", "writev",
};

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_blocking_name(const char *name)
{
    if (!name) return false;
    return bsearch(&name, blocking_names, sizeof blocking_names / sizeof blocking_names[0],
                   sizeof blocking_names[0], cmp_name) != NULL;
}

/* Calls not followed: functions that end the process (what they print on
 * the way out does not stall anyone) and logging, whose I/O and lock under
 * another lock are the diagnostics case of lock-held-across-blocking-call. */
static bool is_not_followed(const char *name)
{
    static const char *const exits[] = {
        "_Exit", "__assert_fail", "_exit", "abort", "err", "errx", "exit", "quick_exit",
    };
    static const char *const words[] = {
        "abort", "fatal", "panic", "die", "assert", "log", "vlog", "syslog", "warn", "warning",
        "error", "debug", "trace", "notice", "info", "verbose", "printf", NULL,
    };
    if (!name) return false;
    if (bsearch(&name, exits, sizeof exits / sizeof exits[0], sizeof exits[0], cmp_name))
        return true;
    return sl_name_has_word(name, words);
}

/* ---- slots (per TU) ---- */

struct tu {
    struct sl_rule_ctx *cx;
    struct sl_pmap locals_done;   /* locals whose stores were exported */
};

static const struct sl_expr *strip_deref(const struct sl_expr *e)
{
    while (e && e->kind == SL_EX_UNARY && (e->op == SL_U_DEREF || e->op == SL_U_ADDROF) &&
           e->n_kids == 1)
        e = e->kids[0];
    return e;
}

static const char *file_of_func(const struct sl_model *m, const struct sl_func *f)
{
    return sl_loc_file(m, f->loc);
}

/* "param f#i", or for a static function "param file#f#i". */
static const char *param_key(struct tu *t, const char *fname, const struct sl_func *f,
                             int i)
{
    char buf[512];
    if (f && f->is_static)
        snprintf(buf, sizeof buf, "param %s#%s#%d", file_of_func(t->cx->model, f), fname, i);
    else
        snprintf(buf, sizeof buf, "param %s#%d", fname, i);
    return sl_arena_strdup(t->cx->scratch, buf);
}

static const char *local_key(struct tu *t, const struct sl_var *v)
{
    char buf[512];
    snprintf(buf, sizeof buf, "local %s#%s::%s", file_of_func(t->cx->model, v->func), v->func->name,
             v->name);
    return sl_arena_strdup(t->cx->scratch, buf);
}

static void export_locals_stores(struct tu *t, const struct sl_var *v, const char *key);

/* The slot a function-pointer lvalue names, or NULL when it names none this
 * rule can follow (memory behind a cast, a call's result). */
static const char *slot_key(struct tu *t, const struct sl_expr *e)
{
    e = strip_deref(e);
    if (!e) return NULL;
    switch (e->kind) {
    case SL_EX_MEMBER:
        return e->field ? sl_summary_object_key(t->cx->scratch, t->cx->model->main_file, e->field, NULL)
                        : NULL;
    case SL_EX_INDEX:       /* an array of function pointers: one slot */
        return e->n_kids ? slot_key(t, e->kids[0]) : NULL;
    case SL_EX_REF:
        if (!e->var) return NULL;
        if (e->var->kind == SL_VAR_GLOBAL)
            return sl_summary_object_key(t->cx->scratch, t->cx->model->main_file, NULL, e->var);
        if (e->var->kind == SL_VAR_PARAM && e->var->func)
            return param_key(t, e->var->func->name, e->var->func, e->var->param_index);
        if (e->var->kind == SL_VAR_LOCAL && e->var->func && !e->var->is_static) {
            const struct sl_var_defs *d = sl_var_defs(t->cx->facts, e->var);
            if (d->address_taken) return NULL;
            const char *key = local_key(t, e->var);
            export_locals_stores(t, e->var, key);
            return key;
        }
        return NULL;
    default:
        return NULL;
    }
}

/* The function a value designates (`foo`, `&foo`), or NULL. */
static const char *function_named(const struct sl_expr *e)
{
    e = strip_deref(e);
    if (e && e->kind == SL_EX_REF && !e->var && e->func) return e->func->name;
    return NULL;
}

static bool is_null_value(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_INT && e->has_value && e->ival == 0;
}

static void export_store(struct tu *t, const struct sl_func *carrier, const char *slot,
                         const char *kind, const char *value, struct sl_loc at)
{
    if (!carrier || !slot) return;
    char line[16], col[16];
    snprintf(line, sizeof line, "%u", at.line);
    snprintf(col, sizeof col, "%u", at.col);
    const char *args[] = { slot, kind, value ? value : "", sl_loc_file(t->cx->model, at), line, col };
    sl_export_fact_args(t->cx, carrier, "store", NULL, 0, args, 6);
}

/* What value v stores into slot (a conditional stores both arms). */
static void export_value(struct tu *t, const struct sl_func *carrier, const char *slot,
                         const struct sl_expr *v, int depth)
{
    if (!v || !slot || is_null_value(v)) return;
    if (v->kind == SL_EX_COND && v->n_kids == 3 && depth < 4) {
        export_value(t, carrier, slot, v->kids[1], depth + 1);
        export_value(t, carrier, slot, v->kids[2], depth + 1);
        return;
    }
    const char *fn = function_named(v);
    if (fn) {
        export_store(t, carrier, slot, "fn", fn, v->loc);
        return;
    }
    const char *from = slot_key(t, v);
    if (from && strcmp(from, slot)) export_store(t, carrier, slot, "slot", from, v->loc);
    else if (!from) export_store(t, carrier, slot, "unknown", sl_expr_text(t->cx->scratch, v), v->loc);
}

/* A local function pointer called later: what its definitions store. */
static void export_locals_stores(struct tu *t, const struct sl_var *v, const char *key)
{
    void **done = sl_pmap_slot(&t->locals_done, SL_PKEY(v), 0);
    if (*done) return;
    *done = (void *)1;
    const struct sl_var_defs *d = sl_var_defs(t->cx->facts, v);
    for (uint32_t i = 0; i < d->n_values; i++)
        export_value(t, v->func, key, d->values[i], 0);
}

static const struct sl_func *first_main_function(const struct sl_model *m)
{
    for (uint32_t i = 0; i < m->n_funcs; i++)
        if (m->funcs[i]->in_main_file) return m->funcs[i];
    return NULL;
}

/* Every store into a function-pointer slot this TU makes: assignments,
 * function arguments (into the callee's parameter), initialisers. */
static void export_stores(struct tu *t)
{
    const struct sl_model *m = t->cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *e = f->exprs[i];
            if (e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN && e->n_kids == 2) {
                const struct sl_expr *lhs = e->kids[0];
                if (!(lhs->tflags & SL_TY_FUNCPTR) && !function_named(e->kids[1])) continue;
                if (lhs->kind == SL_EX_REF && lhs->var && lhs->var->kind == SL_VAR_LOCAL) continue;
                export_value(t, f, slot_key(t, lhs), e->kids[1], 0);
            } else if (e->kind == SL_EX_CALL && !e->indirect && e->name) {
                for (uint32_t a = 0; a < e->n_kids; a++) {
                    const struct sl_expr *v = e->kids[a];
                    if (!(v->tflags & SL_TY_FUNCPTR) && !function_named(v)) continue;
                    const struct sl_func *callee = e->func && e->func->body ? e->func : NULL;
                    export_value(t, f, param_key(t, e->name, callee, (int)a), v, 0);
                }
            }
        }
    }
    const struct sl_func *tu_carrier = first_main_function(m);
    for (uint32_t i = 0; i < m->n_fn_stores; i++) {
        const struct sl_fn_store *st = &m->fn_stores[i];
        const struct sl_func *carrier = sl_facts_func_at(t->cx->facts, st->loc);
        const char *slot = sl_summary_object_key(t->cx->scratch, m->main_file, st->field, st->var);
        export_store(t, carrier ? carrier : tu_carrier, slot, "fn", st->func, st->loc);
    }
}

/* ---- what a function does (per TU) ---- */

struct why {
    const char *reason, *detail;
    const struct sl_expr *chain[MAX_CHAIN];
    uint32_t n;
};

struct unsafe_memo {
    struct sl_rule_ctx *cx;
    int8_t *state;             /* per function: 0 unknown, 1 in progress, 2 unsafe, 3 safe */
    struct why *why;
};

/* Does call c itself block, take a lock or call out through a pointer? */
static bool call_is_unsafe(struct sl_rule_ctx *cx, const struct sl_expr *c, struct why *w)
{
    if (is_not_followed(c->name)) return false;
    enum sl_lockop op = sl_call_lockop(cx->flow, c);
    const struct sl_call_op *co = sl_call_op(cx->flow, c);
    if (sl_lockop_acquires(op) || op == SL_OP_WAIT || op == SL_OP_TIMEDWAIT ||
        op == SL_OP_SEM_WAIT || op == SL_OP_SEM_TIMEDWAIT) {
        w->reason = "locks";
        w->detail = co->lock ? co->lock->text : (c->name ? c->name : "a lock");
        return true;
    }
    if (op != SL_OP_NONE || c->indirect) return false;   /* indirect: "calls-through" */
    if (is_blocking_name(c->name)) {
        w->reason = "blocks";
        w->detail = c->name;
        return true;
    }
    return false;
}

static bool func_unsafe(struct unsafe_memo *um, const struct sl_func *f)
{
    if (!f || !f->body || f->index >= um->cx->model->n_funcs || is_not_followed(f->name))
        return false;
    int8_t *st = &um->state[f->index];
    if (*st) return *st == 2;
    *st = 1;
    struct why *w = &um->why[f->index];
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        struct why sub = {0};
        if (call_is_unsafe(um->cx, c, &sub)) {
            w->reason = sub.reason;
            w->detail = sub.detail;
            w->chain[0] = c;
            w->n = 1;
            *st = 2;
            return true;
        }
        if (c->func && sl_call_lockop(um->cx->flow, c) == SL_OP_NONE && func_unsafe(um, c->func)) {
            const struct why *cw = &um->why[c->func->index];
            w->reason = cw->reason;
            w->detail = cw->detail;
            w->chain[0] = c;
            w->n = 1;
            for (uint32_t k = 0; k < cw->n && w->n < MAX_CHAIN; k++) w->chain[w->n++] = cw->chain[k];
            *st = 2;
            return true;
        }
    }
    *st = 3;
    return false;
}

static void condition_args(struct sl_rule_ctx *cx, const struct sl_expr *c, const char **p,
                           const char **vals);

/* Every call through a pointer a function makes itself (check_project
 * judges it by the pointer's own targets). */
static void export_calls_through(struct tu *t)
{
    const struct sl_model *m = t->cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (is_not_followed(f->name)) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            if (!c->indirect || !c->callee || sl_call_lockop(t->cx->flow, c) != SL_OP_NONE) continue;
            const char *slot = slot_key(t, c->callee);
            const char *p, *vals;
            condition_args(t->cx, c, &p, &vals);
            /* arguments that pass a parameter on ("i=j;"): an operation code
             * forwarded to the next layer (ops->ctrl(under, op, data)) */
            char fwd[128] = "";
            for (uint32_t a = 0; a < c->n_kids; a++) {
                const struct sl_expr *k = c->kids[a];
                size_t l = strlen(fwd);
                if (k->kind == SL_EX_REF && k->var && k->var->kind == SL_VAR_PARAM &&
                    l + 24 < sizeof fwd)
                    snprintf(fwd + l, sizeof fwd - l, "%u=%d;", a, k->var->param_index);
            }
            const char *args[] = { slot ? slot : "", sl_expr_text(t->cx->scratch, c->callee), p,
                                   vals, fwd };
            sl_export_fact_args(t->cx, f, "calls-through", &c, 1, args, 5);
        }
    }
}

#define MAX_CASES 8

/* The operation codes under which call c runs, when it sits in a case of a
 * `switch` on a parameter of its function (ops->ctrl(bev, OP, data) with
 * `switch (op) { case SET_FD: ... }`): *param and the case values, counting
 * the cases that fall through into it.  False: c runs whatever the codes
 * (not in such a switch, or reached from `default:`). */
static bool case_condition(const struct sl_expr *c, int *param, int64_t *vals, uint32_t *n_vals)
{
    const struct sl_stmt *s = c->stmt;
    while (s && s->parent) {
        const struct sl_stmt *blk = s->parent;
        const struct sl_stmt *sw = blk->parent;
        if (blk->kind == SL_ST_BLOCK && sw && sw->kind == SL_ST_SWITCH && sw->kids &&
            sw->kids[0] == blk) {
            const struct sl_expr *x = sw->expr;
            if (!x || x->kind != SL_EX_REF || !x->var || x->var->kind != SL_VAR_PARAM) return false;
            uint32_t at = 0;
            while (at < blk->n_kids && blk->kids[at] != s) at++;
            *n_vals = 0;
            for (uint32_t k = at + 1; k-- > 0;) {
                const struct sl_stmt *lab = blk->kids[k];
                if (k < at && (lab->kind == SL_ST_BREAK || lab->kind == SL_ST_RETURN ||
                               lab->kind == SL_ST_GOTO || lab->kind == SL_ST_CONTINUE))
                    break;
                /* case A: case B: stmt nests the labels */
                for (; lab && (lab->kind == SL_ST_CASE || lab->kind == SL_ST_DEFAULT);
                     lab = lab->n_kids ? lab->kids[0] : NULL) {
                    if (lab->kind == SL_ST_DEFAULT) return false;
                    if (!lab->expr || !lab->expr->has_value || *n_vals == MAX_CASES) return false;
                    vals[(*n_vals)++] = lab->expr->ival;
                }
            }
            *param = x->var->param_index;
            return *n_vals > 0;
        }
        s = blk;
    }
    return false;
}

/* "p" and "v1,v2" for a fact's condition; "-1" and "" for none. */
static void condition_args(struct sl_rule_ctx *cx, const struct sl_expr *c, const char **p,
                           const char **vals)
{
    int param = -1;
    int64_t v[MAX_CASES];
    uint32_t n = 0;
    char pb[16], vb[MAX_CASES * 24] = "";
    if (!case_condition(c, &param, v, &n)) param = -1;
    snprintf(pb, sizeof pb, "%d", param);
    for (uint32_t i = 0; param >= 0 && i < n; i++) {
        size_t l = strlen(vb);
        snprintf(vb + l, sizeof vb - l, "%s%lld", i ? "," : "", (long long)v[i]);
    }
    *p = sl_arena_strdup(cx->scratch, pb);
    *vals = sl_arena_strdup(cx->scratch, vb);
}

/* What each function does under its callers' locks: an "unsafe" fact per
 * operation-code case that blocks or locks (until one that does so
 * whatever the codes). */
static void export_unsafe_functions(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    struct unsafe_memo um = { cx, sl_arena_alloc(cx->scratch, m->n_funcs + 1),
                              sl_arena_alloc(cx->scratch, (m->n_funcs + 1) * sizeof(struct why)) };
    memset(um.state, 0, m->n_funcs + 1);
    memset(um.why, 0, (m->n_funcs + 1) * sizeof(struct why));
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!func_unsafe(&um, f)) continue;
        uint32_t n_facts = 0;
        for (uint32_t i = 0; i < f->n_calls && n_facts < MAX_CASES; i++) {
            const struct sl_expr *c = f->calls[i];
            struct why w = {0};
            if (!call_is_unsafe(cx, c, &w)) {
                if (!c->func || sl_call_lockop(cx->flow, c) != SL_OP_NONE || !func_unsafe(&um, c->func))
                    continue;
                const struct why *cw = &um.why[c->func->index];
                w.reason = cw->reason;
                w.detail = cw->detail;
                for (uint32_t k = 0; k < cw->n && k + 1 < MAX_CHAIN; k++) w.chain[1 + k] = cw->chain[k];
                w.n = cw->n + 1 < MAX_CHAIN ? cw->n + 1 : MAX_CHAIN;
            } else {
                w.n = 1;
            }
            w.chain[0] = c;
            const char *p, *vals;
            condition_args(cx, c, &p, &vals);
            const char *args[] = { w.reason, w.detail ? w.detail : "", p, vals };
            sl_export_fact_args(cx, f, "unsafe", w.chain, w.n, args, 4);
            n_facts++;
            if (!strcmp(p, "-1")) break;
        }
    }
}

#define MAX_REACH 32

/* The functions of other files a call reaches through same-file callees. */
static void reach_from(struct sl_rule_ctx *cx, const struct sl_expr *c, struct sl_pmap *seen,
                       const char **names, uint32_t *n, int depth)
{
    if (*n >= MAX_REACH || depth > MAX_HOPS || !c->name || is_not_followed(c->name) ||
        sl_call_lockop(cx->flow, c) != SL_OP_NONE)
        return;
    void **slot = sl_pmap_slot(seen, SL_PKEY(c->func ? (const void *)c->func : (const void *)c), 0);
    if (*slot) return;
    *slot = (void *)1;
    if (!c->func || !c->func->body) {
        names[(*n)++] = c->name;
        return;
    }
    for (uint32_t i = 0; i < c->func->n_calls; i++)
        reach_from(cx, c->func->calls[i], seen, names, n, depth + 1);
}

/* A function that switches on an operation-code parameter says, per call
 * it makes, which functions of other files the call reaches under which
 * codes ("reach" [callee, param, values]): check_project then follows only
 * the cases a constant code at the call selects. */
static void export_case_reach(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        bool cased = false;
        int param;
        int64_t vals[MAX_CASES];
        uint32_t nv;
        for (uint32_t i = 0; i < f->n_calls && !cased; i++)
            cased = case_condition(f->calls[i], &param, vals, &nv);
        if (!cased) continue;
        sl_export_fact_args(cx, f, "cased", NULL, 0, NULL, 0);
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const char *names[MAX_REACH];
            uint32_t n = 0;
            struct sl_pmap seen;
            sl_pmap_init(&seen, cx->scratch);
            reach_from(cx, c, &seen, names, &n, 0);
            if (!n) continue;
            const char *p, *v;
            condition_args(cx, c, &p, &v);
            for (uint32_t k = 0; k < n; k++) {
                const char *args[] = { names[k], p, v };
                sl_export_fact_args(cx, f, "reach", &c, 1, args, 3);
            }
        }
    }
}

/* ---- indirect calls under a lock (per TU) ---- */

static void export_indirect_calls(struct tu *t)
{
    const struct sl_model *m = t->cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            /* lock-API tables (evthread_lock_fns_.lock) are lock operations */
            if (!c->indirect || !c->callee || sl_call_lockop(t->cx->flow, c) != SL_OP_NONE) continue;
            const struct sl_lockset *held = sl_held_must(t->cx->flow, c);
            if (!sl_lockset_size(held)) continue;
            const struct sl_held *hd = &held->items[0];
            const char *slot = slot_key(t, c->callee);
            const struct sl_expr *chain[2] = { c, hd->site };
            /* constant arguments "i=v;": which operation-code cases run */
            char consts[256] = "";
            for (uint32_t a = 0; a < c->n_kids; a++) {
                const struct sl_expr *k = c->kids[a];
                size_t l = strlen(consts);
                if (k->kind == SL_EX_INT && k->has_value && l + 32 < sizeof consts)
                    snprintf(consts + l, sizeof consts - l, "%u=%lld;", a, (long long)k->ival);
            }
            const char *args[] = { slot ? slot : "", sl_expr_text(t->cx->scratch, c->callee),
                                   hd->lock->text,
                                   sl_summary_lock_class(t->cx->scratch, m->main_file, hd->lock),
                                   consts };
            sl_export_fact_args(t->cx, f, "call", chain, hd->site ? 2 : 1, args, 5);
        }
    }
}

static void check(struct sl_rule_ctx *cx)
{
    if (!cx->exports) return;   /* the findings come from check_project */
    struct tu t = { .cx = cx };
    sl_pmap_init(&t.locals_done, cx->scratch);
    export_indirect_calls(&t);
    export_stores(&t);
    export_calls_through(&t);
    export_unsafe_functions(cx);
    export_case_reach(cx);
}

/* ---- the whole program ---- */

struct store {
    const char *kind, *value;
    uint32_t tu;               /* where a function name resolves */
    struct sl_site at;
};

struct slot {
    struct store *v;
    uint32_t n, cap;
};

struct verdict;
struct fnlist { const struct sl_pfn **v; uint32_t n, cap; };

struct world {
    struct sl_project_ctx *cx;
    const struct sl_project *p;
    struct sl_strmap *slot_ids;     /* slot key -> index into slots */
    struct slot *slots;
    uint32_t n_slots, cap_slots;
    int8_t *fn_state;               /* [project fn]: 0 unknown, 1 in progress, 2 unsafe, 3 safe */
    struct verdict *verdicts;       /* [project fn]: why, when unsafe */
    int8_t *rest_state;             /* the same, leaving out the function's own facts */
    struct verdict *rest_verdicts;
    struct fnlist *callees;         /* [project fn]: same-file callees */
};

static uint32_t parse_u32(const char *s)
{
    return (uint32_t)strtoul(s ? s : "0", NULL, 10);
}

static struct slot *slot_get(struct world *w, const char *key, bool create)
{
    uint32_t id;
    if (sl_strmap_get(w->slot_ids, key, &id)) return &w->slots[id];
    if (!create) return NULL;
    if (w->n_slots == w->cap_slots) {
        uint32_t nc = w->cap_slots ? w->cap_slots * 2 : 64;
        w->slots = sl_arena_grow(w->cx->scratch, w->slots, w->n_slots, nc, sizeof *w->slots);
        w->cap_slots = nc;
    }
    memset(&w->slots[w->n_slots], 0, sizeof w->slots[0]);
    sl_strmap_put(w->slot_ids, key, w->n_slots);
    return &w->slots[w->n_slots++];
}

static void collect_stores(struct world *w)
{
    const struct sl_project *p = w->p;
    for (uint32_t i = 0; i < p->n_fns; i++) {
        const struct sl_pfn *fn = &p->fns[i];
        for (uint32_t k = 0; k < fn->n_facts; k++) {
            const struct sl_sum_fact *fa = &fn->facts[k];
            if (strcmp(fa->rule, RULE_ID) || strcmp(fa->what, "store") || fa->n_args < 6) continue;
            struct slot *s = slot_get(w, fa->args[0], true);
            if (s->n == s->cap) {
                uint32_t nc = s->cap ? s->cap * 2 : 4;
                s->v = sl_arena_grow(w->cx->scratch, s->v, s->n, nc, sizeof *s->v);
                s->cap = nc;
            }
            struct sl_site at = { fa->args[3], parse_u32(fa->args[4]), parse_u32(fa->args[5]), NULL };
            s->v[s->n++] = (struct store){ fa->args[1], fa->args[2], fn->tu, at };
        }
    }
}

/* What the targets of a slot are: functions, and whether some value is
 * not known (unknown points at why). */
struct targets {
    const struct store **fns;
    uint32_t n, cap;
    const struct store *unknown;
    bool no_store;             /* nothing in the project stores into the slot */
    const char *no_store_slot;
};

static void add_target(struct world *w, struct targets *t, const struct store *st)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (!strcmp(t->fns[i]->value, st->value) && t->fns[i]->tu == st->tu) return;
    if (t->n == t->cap) {
        uint32_t nc = t->cap ? t->cap * 2 : 8;
        t->fns = sl_arena_grow(w->cx->scratch, t->fns, t->n, nc, sizeof *t->fns);
        t->cap = nc;
    }
    t->fns[t->n++] = st;
}

static void slot_targets(struct world *w, const char *key, struct targets *t, int depth,
                         const char **seen, int n_seen)
{
    for (int i = 0; i < n_seen; i++)
        if (!strcmp(seen[i], key)) return;
    const struct slot *s = slot_get(w, key, false);
    if (!s || !s->n) {
        if (!t->no_store) { t->no_store = true; t->no_store_slot = key; }
        return;
    }
    seen[n_seen++] = key;
    for (uint32_t i = 0; i < s->n; i++) {
        const struct store *st = &s->v[i];
        if (!strcmp(st->kind, "fn")) add_target(w, t, st);
        else if (!strcmp(st->kind, "slot") && depth < MAX_ALIAS)
            slot_targets(w, st->value, t, depth + 1, seen, n_seen);
        else if (!t->unknown) t->unknown = st;
    }
}

/* Why a function may not run under a lock: the function that shows it
 * (fact: its "unsafe" fact, for the chain of calls) and what it does. */
struct verdict {
    const struct sl_pfn *where;
    const struct sl_sum_fact *fact;
    const char *what;          /* "takes 'l'", "calls 'write'", "calls out through ..." */
};

static const char *what_of(struct world *w, const char *reason, const char *detail)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s '%s'", !strcmp(reason, "locks") ? "takes" : "calls", detail);
    return sl_arena_strdup(w->cx->scratch, buf);
}

static bool fn_unsafe(struct world *w, const struct sl_pfn *fn, int depth, struct verdict *v,
                      const char *consts, bool rest);

/* Does the operation-code condition of a fact (args at, at + 1) rule it
 * out for a call whose constant arguments are consts ("i=v;...")? */
static bool ruled_out_at(const struct sl_sum_fact *fa, uint32_t at, const char *consts)
{
    if (!consts || !*consts || fa->n_args < at + 2) return false;
    int p = atoi(fa->args[at]);
    const char *values = fa->args[at + 1];
    if (p < 0) return false;
    char key[16];
    snprintf(key, sizeof key, "%d=", p);
    size_t kl = strlen(key);
    for (const char *c = consts; c && *c; c = strchr(c, ';'), c = c ? c + 1 : NULL) {
        if (strncmp(c, key, kl)) continue;
        long long val = strtoll(c + kl, NULL, 10);
        for (const char *x = values; *x;) {
            char *end;
            if (strtoll(x, &end, 10) == val) return false;
            if (*end != ',') break;
            x = end + 1;
        }
        return true;
    }
    return false;
}

static bool ruled_out(const struct sl_sum_fact *fa, const char *consts)
{
    return ruled_out_at(fa, 2, consts);
}

/* A call through a pointer inside a target: unsafe when its own targets are
 * unknown or one of them is unsafe; a pointer nothing stores into is safe. */
/* The constant arguments of an inner call that forwards parameters of a
 * call with constant arguments consts (fwd: "i=j;" argument i is param j). */
static const char *forwarded_consts(struct world *w, const char *fwd, const char *consts)
{
    char out[256] = "";
    if (!fwd || !consts || !*consts) return NULL;
    for (const char *f = fwd; f && *f; f = strchr(f, ';'), f = f ? f + 1 : NULL) {
        unsigned i;
        int j;
        if (sscanf(f, "%u=%d", &i, &j) != 2) break;
        char key[16];
        snprintf(key, sizeof key, "%d=", j);
        size_t kl = strlen(key);
        for (const char *c = consts; c && *c; c = strchr(c, ';'), c = c ? c + 1 : NULL)
            if (!strncmp(c, key, kl)) {
                size_t l = strlen(out);
                if (l + 32 < sizeof out)
                    snprintf(out + l, sizeof out - l, "%u=%lld;", i, strtoll(c + kl, NULL, 10));
                break;
            }
    }
    return *out ? sl_arena_strdup(w->cx->scratch, out) : NULL;
}

static bool calls_through_unsafe(struct world *w, const struct sl_sum_fact *fa, int depth,
                                 struct verdict *v, const char *consts)
{
    const char *inner = forwarded_consts(w, fa->n_args > 4 ? fa->args[4] : NULL, consts);
    const char *slot = fa->args[0], *callee = fa->args[1];
    char buf[768];
    struct targets t = {0};
    const char *seen[MAX_ALIAS + 2];
    if (*slot) slot_targets(w, slot, &t, 0, seen, 0);
    if (!*slot || t.unknown) {
        snprintf(buf, sizeof buf, "calls out through '%s' (unknown code)", callee);
        *v = (struct verdict){ NULL, NULL, sl_arena_strdup(w->cx->scratch, buf) };
        return true;
    }
    for (uint32_t i = 0; i < t.n; i++) {
        const struct sl_pfn *g = sl_project_resolve(w->p, t.fns[i]->tu, t.fns[i]->value);
        struct verdict sub = {0};
        if (!g || !fn_unsafe(w, g, depth + 1, &sub, inner, false)) continue;
        snprintf(buf, sizeof buf, "calls out through '%s', which may be '%s', which %s", callee,
                 g->name, sub.what);
        *v = (struct verdict){ sub.where, sub.fact, sl_arena_strdup(w->cx->scratch, buf) };
        return true;
    }
    return false;
}

/* Does fn block, take a lock, or call out through a pointer to code that
 * may, itself or through what it calls (same-file callees and functions
 * of other files, MAX_HOPS deep)?  consts: the constant arguments of the
 * call being judged (its operation code), NULL below it.  rest: leave out
 * fn's own "unsafe" facts (a same-file caller's facts already hold them). */
static bool fn_unsafe(struct world *w, const struct sl_pfn *fn, int depth, struct verdict *v,
                      const char *consts, bool rest)
{
    uint32_t idx = (uint32_t)(fn - w->p->fns);
    bool memo = !consts || !*consts;
    int8_t *state = rest ? w->rest_state : w->fn_state;
    struct verdict *verdicts = rest ? w->rest_verdicts : w->verdicts;
    if (is_not_followed(fn->name)) return false;
    if (memo && (state[idx] == 1 || state[idx] == 3)) return false;
    if (memo && state[idx] == 2) {
        *v = verdicts[idx];
        return true;
    }
    bool bad = false;
    for (uint32_t k = 0; !rest && !bad && k < fn->n_facts; k++) {
        const struct sl_sum_fact *fa = &fn->facts[k];
        if (strcmp(fa->rule, RULE_ID) || strcmp(fa->what, "unsafe") || fa->n_args < 2 ||
            ruled_out(fa, consts))
            continue;
        *v = (struct verdict){ fn, fa, what_of(w, fa->args[0], fa->args[1]) };
        bad = true;
    }
    if (!bad && depth >= MAX_HOPS) return false;
    int8_t saved = state[idx];
    state[idx] = 1;
    for (uint32_t k = 0; !bad && k < fn->n_facts; k++) {
        const struct sl_sum_fact *c = &fn->facts[k];
        if (!strcmp(c->rule, RULE_ID) && !strcmp(c->what, "calls-through") && c->n_args >= 2 &&
            !ruled_out(c, consts))
            bad = calls_through_unsafe(w, c, depth, v, consts);
    }
    /* an operation-code switch called with a constant code: only what the
     * selected cases reach */
    if (!memo && sl_pfn_fact(fn, RULE_ID, "cased")) {
        for (uint32_t k = 0; !bad && k < fn->n_facts; k++) {
            const struct sl_sum_fact *r = &fn->facts[k];
            if (strcmp(r->rule, RULE_ID) || strcmp(r->what, "reach") || r->n_args < 3 ||
                ruled_out_at(r, 1, consts))
                continue;
            const struct sl_pfn *g = sl_project_resolve(w->p, fn->tu, r->args[0]);
            if (g && g != fn) bad = fn_unsafe(w, g, depth + 1, v, NULL, false);
        }
        state[idx] = saved;
        return bad;
    }
    for (uint32_t k = 0; !bad && k < w->callees[idx].n; k++)
        bad = fn_unsafe(w, w->callees[idx].v[k], depth + 1, v, NULL, true);
    for (uint32_t k = 0; !bad && k < fn->n_ext_calls; k++) {
        if (is_not_followed(fn->ext_calls[k].callee)) continue;
        const struct sl_pfn *g = sl_project_resolve(w->p, fn->tu, fn->ext_calls[k].callee);
        if (g && g != fn) bad = fn_unsafe(w, g, depth + 1, v, NULL, false);
    }
    if (!memo) state[idx] = saved;
    else state[idx] = bad ? 2 : depth >= MAX_HOPS - 1 ? 0 : 3;
    if (bad && memo) verdicts[idx] = *v;
    return bad;
}

/* Same-file call edges, from the callers the summary lists. */
static void collect_callees(struct world *w)
{
    const struct sl_project *p = w->p;
    w->callees = sl_arena_alloc(w->cx->scratch, (p->n_fns + 1) * sizeof *w->callees);
    memset(w->callees, 0, (p->n_fns + 1) * sizeof *w->callees);
    for (uint32_t i = 0; i < p->n_fns; i++) {
        const struct sl_pfn *g = &p->fns[i];
        for (uint32_t k = 0; k < g->n_callers; k++) {
            const struct sl_pfn *f = sl_project_resolve(p, g->tu, g->callers[k]);
            if (!f || f == g) continue;
            struct fnlist *l = &w->callees[f - p->fns];
            if (l->n == l->cap) {
                uint32_t nc = l->cap ? l->cap * 2 : 4;
                l->v = sl_arena_grow(w->cx->scratch, l->v, l->n, nc, sizeof *l->v);
                l->cap = nc;
            }
            l->v[l->n++] = g;
        }
    }
}

static void note_replacement(struct sl_project_ctx *cx, struct sl_diag *d)
{
    sl_pnote_text(cx, d, "copy the callback and its argument under the lock, unlock, then call "
                  "it (decision-tree case 14)");
}

static void check_call(struct world *w, const struct sl_sum_fact *fa)
{
    struct sl_project_ctx *cx = w->cx;
    const char *slot = fa->args[0], *callee = fa->args[1], *lock = fa->args[2];
    const struct sl_site *at = &fa->chain[0].at;
    const struct sl_site *lock_at = fa->n_chain > 1 ? &fa->chain[1].at : NULL;
    struct targets t = {0};
    const char *seen[MAX_ALIAS + 2];
    if (*slot) slot_targets(w, slot, &t, 0, seen, 0);
    /* Nothing stored anywhere (a NULL hook, an API nobody in the run
     * calls): no call can happen here, nothing is reported. */
    if (*slot && !t.unknown && !t.n) return;
    if (!*slot || t.unknown) {
        const char *why = !*slot ? "it is not read from a field, a global or a parameter"
                                 : "a value stored into it is not a known function";
        struct sl_diag *d = sl_preport(cx, at,
            "call through function pointer '%s' while '%s' is held: its target is unknown code "
            "(%s) that may block, take other locks or re-enter this module", callee, lock, why);
        sl_pset_identity(cx, d, fa->args[3]);
        if (lock_at) sl_pnote(cx, d, lock_at, "'%s' acquired here", lock);
        if (t.unknown) sl_pnote(cx, d, &t.unknown->at, "'%s' stored into it here", t.unknown->value);
        note_replacement(cx, d);
        return;
    }
    for (uint32_t i = 0; i < t.n; i++) {
        const struct store *st = t.fns[i];
        const struct sl_pfn *fn = sl_project_resolve(w->p, st->tu, st->value);
        struct verdict v = {0};
        const char *consts = fa->n_args > 4 ? fa->args[4] : NULL;
        bool bad = fn ? fn_unsafe(w, fn, 0, &v, consts, false) : is_blocking_name(st->value);
        if (!bad) continue;
        if (!fn) v.what = what_of(w, "blocks", st->value);
        struct sl_diag *d = sl_preport(cx, at,
            "call through function pointer '%s' while '%s' is held: it may be '%s', which %s; "
            "a callback run under a lock can stall every thread that needs it or deadlock by "
            "taking locks in another order", callee, lock, st->value, v.what);
        sl_pset_identity(cx, d, fa->args[3]);
        if (lock_at) sl_pnote(cx, d, lock_at, "'%s' acquired here", lock);
        sl_pnote(cx, d, &st->at, "'%s' stored into '%s' here", st->value, callee);
        if (fn && v.where && v.where != fn)
            sl_pnote(cx, d, &fn->at, "'%s' reaches '%s'", fn->name, v.where->name);
        for (uint32_t k = 0; v.fact && k < v.fact->n_chain; k++) {
            const struct sl_sum_chain_step *cs = &v.fact->chain[k];
            const char *in = cs->at.func ? cs->at.func : "?";
            if (k + 1 < v.fact->n_chain)
                sl_pnote(cx, d, &cs->at, "'%s' calls '%s' here", in, cs->callee ? cs->callee : "?");
            else
                sl_pnote(cx, d, &cs->at, "'%s' %s here", in,
                         what_of(w, v.fact->args[0], v.fact->args[1]));
        }
        note_replacement(cx, d);
        return;
    }
}

static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    struct world w = { .cx = cx, .p = p, .slot_ids = sl_strmap_new(cx->scratch) };
    w.fn_state = sl_arena_alloc(cx->scratch, p->n_fns + 1);
    memset(w.fn_state, 0, p->n_fns + 1);
    w.verdicts = sl_arena_alloc(cx->scratch, (p->n_fns + 1) * sizeof *w.verdicts);
    w.rest_state = sl_arena_alloc(cx->scratch, p->n_fns + 1);
    memset(w.rest_state, 0, p->n_fns + 1);
    w.rest_verdicts = sl_arena_alloc(cx->scratch, (p->n_fns + 1) * sizeof *w.rest_verdicts);
    collect_stores(&w);
    collect_callees(&w);
    for (uint32_t i = 0; i < p->n_fns; i++) {
        const struct sl_pfn *fn = &p->fns[i];
        for (uint32_t k = 0; k < fn->n_facts; k++) {
            const struct sl_sum_fact *fa = &fn->facts[k];
            if (strcmp(fa->rule, RULE_ID) || strcmp(fa->what, "call") || fa->n_args < 4 ||
                !fa->n_chain)
                continue;
            check_call(&w, fa);
        }
    }
}

const struct sl_rule sl_rule_callback_under_lock = {
    .id = "callback-under-lock",
    .tier = 3,
    /* OVS 13, libevent 19 of 20 checked, curl 2: all 34 checked true; 3 harmless
     * (a recursive lock re-taken, a fresh object's lock), so "high"
     * (docs/precision.md) */
    .precision = "high",
    .summary = "call through a function pointer while a lock is held, to code that may block, "
               "lock or call out",
    .replacement = "copy the callback and its argument under the lock, unlock, then call it",
    .what =
        "A call through a function pointer (cb(arg), obj->ops->fn(x), handlers[i](ev)) made\n"
        "while a lock is held on every path to it. The rule collects, across every file of\n"
        "the run, what is stored into the pointer: assignments, initialisers of ops tables\n"
        "and handler arrays (.fn = foo, [TYPE] = foo, positional), function arguments that\n"
        "a registration function stores (s->cb = cb: whatever its callers pass), and locals\n"
        "copied from such slots. When every stored function is known, the call is reported\n"
        "only if one of them blocks (I/O, sleep, join), takes a lock, or calls out through a\n"
        "pointer whose own targets do, directly or through the functions it calls (in its\n"
        "file and up to four files on); the notes name that function and what it does. When\n"
        "a value stored into the pointer is not a known function (dlsym, a cast from void *,\n"
        "a public setter's argument), the callee is unknown code and the call is reported.\n"
        "Not reported: calls lock-flow classifies as lock operations (lock tables declared\n"
        "with --wrapper, such as evthread_lock_fns_.lock); pointers whose every known target\n"
        "is trivial (comparators, hash functions, accessors of an ops table); pointers into\n"
        "which nothing in the run stores a function (a hook left NULL, an API whose callers\n"
        "are not linted with it: lint the program with its users to judge those); targets\n"
        "whose lock or I/O is only on the way to abort()/exit() or inside logging helpers\n"
        "(the diagnostics case of lock-held-across-blocking-call).\n"
        "A target that switches on an operation-code parameter (ctrl(obj, op, data)) is\n"
        "judged by the cases a constant code at the call selects, also when it forwards the\n"
        "code to the next layer; other arguments are not looked at.",
    .why =
        "The callee is code the lock's owner does not control: it may block (I/O, a sleep,\n"
        "waiting for another thread), so every thread that needs the lock waits for it; it\n"
        "may take other locks, creating lock-order inversions that deadlock; and it may call\n"
        "back into the module and take the same lock (a self-deadlock with a non-recursive\n"
        "mutex) or change the structure being iterated.",
    .before =
        "pthread_mutex_lock(&bus->mu);\n"
        "for (struct sub *s = bus->subs; s; s = s->next)\n"
        "    s->cb(s->arg, ev);               /* unknown code under bus->mu */\n"
        "pthread_mutex_unlock(&bus->mu);",
    .after =
        "pthread_mutex_lock(&bus->mu);\n"
        "size_t n = 0;\n"
        "for (struct sub *s = bus->subs; s && n < MAX; s = s->next)\n"
        "    todo[n++] = (struct call){ s->cb, s->arg };   /* copy under the lock */\n"
        "pthread_mutex_unlock(&bus->mu);\n"
        "for (size_t i = 0; i < n; i++) todo[i].cb(todo[i].arg, ev);",
    .when_not =
        "When the callback contract says it runs under the lock and must not block or lock\n"
        "(documented and enforced for every implementation), or the lock exists precisely to\n"
        "serialise the callbacks (a logging hook called under the log lock). Keep the lock\n"
        "if the callback must see the state frozen; then document the contract. A lock\n"
        "order the project documents (an object lock taken inside a registry lock by every\n"
        "implementation) is a design decision: suppress with the reason. Only whole programs\n"
        "can be judged: linted alone, a library shows callbacks set through its setters as\n"
        "unknown code and those only its users pass not at all.",
    .needs = SL_NEED_DEFUSE,
    .check = check,
    .check_project = check_project,
};
