/* thread-leak - a thread started into a local handle that some path leaves
 * neither joined nor detached. */
#include <string.h>
#include "rulekit.h"

#define MAX_EXITS_NOTED 3
#define HELPER_DEPTH 2

/* ---- what a use of the handle variable does ---- */

enum use { USE_NEUTRAL, USE_CREATE, USE_RELEASE, USE_ESCAPE };

/* Path states: a set of "thread not running / running unjoined" facts. */
enum { ST_DEAD = 1, ST_LIVE = 2 };

static bool name_is(const struct sl_expr *c, const char *n)
{
    return c && c->kind == SL_EX_CALL && c->name && !strcmp(c->name, n);
}

static const struct sl_expr *strip_addr(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_UNARY && e->op == SL_U_ADDROF && e->n_kids ? e->kids[0] : e;
}

static bool is_zero(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_INT && e->has_value && e->ival == 0;
}

/* A call that ends a thread's claim on its handle: join or detach (also a
 * project wrapper named so: xpthread_join, ovs_thread_detach). */
static bool is_release_name(const char *n)
{
    static const char *const words[] = { "join", "detach", NULL };
    return n && (!strcmp(n, "pthread_join") || !strcmp(n, "pthread_detach") ||
                 !strcmp(n, "thrd_join") || !strcmp(n, "thrd_detach") ||
                 !strcmp(n, "pthread_timedjoin_np") || !strcmp(n, "pthread_tryjoin_np") ||
                 sl_name_has_word(n, words));
}

/* Calls that read a handle without keeping it: they neither release nor
 * store it. */
static bool is_neutral_name(const char *n)
{
    static const char *const tab[] = {
        "pthread_kill", "pthread_cancel", "pthread_equal", "pthread_setname_np",
        "pthread_getname_np", "pthread_setaffinity_np", "pthread_getaffinity_np",
        "pthread_setschedparam", "pthread_getschedparam", "pthread_getcpuclockid",
        "pthread_sigqueue", "pthread_getattr_np", "thrd_equal", "free", "memset",
        "printf", "fprintf", NULL
    };
    for (size_t i = 0; n && tab[i]; i++)
        if (!strcmp(n, tab[i])) return true;
    return false;
}

/* A function named for reading a handle's properties or logging it
 * (thread_setname, set_affinity, log_thread_id): it does not keep it. */
static bool names_handle_reader(const char *n)
{
    static const char *const words[] = { "name", "setname", "affinity", "prio", "priority",
                                         "sched", "print", "log", "debug", "trace", NULL };
    return n && sl_name_has_word(n, words);
}

/* Calls after which the function does not return (the process ends). */
static bool is_noreturn_name(const char *n)
{
    static const char *const tab[] = { "exit", "_exit", "_Exit", "abort", "quick_exit",
                                       "err", "errx", "pthread_exit", "thrd_exit",
                                       "__assert_fail", NULL };
    static const char *const words[] = { "fatal", "die", "panic", "abort", NULL };
    for (size_t i = 0; n && tab[i]; i++)
        if (!strcmp(n, tab[i])) return true;
    return n && sl_name_has_word(n, words);
}

/* Does a handle-typed value (not a pointer, array or struct holding
 * handles) come out of this lvalue? */
static bool chain_sync_thread(const struct sl_expr *e)
{
    for (;;) {
        if (e->kind == SL_EX_MEMBER) return e->field && e->field->sync == SL_SYNC_THREAD;
        if (e->kind == SL_EX_REF) return e->var && e->var->sync == SL_SYNC_THREAD;
        if (e->kind == SL_EX_INDEX && e->n_kids) { e = e->kids[0]; continue; }
        if (e->kind == SL_EX_UNARY && e->op == SL_U_DEREF && e->n_kids) { e = e->kids[0]; continue; }
        return false;
    }
}

static bool record_holds_thread(const struct sl_record *r)
{
    for (uint32_t i = 0; r && i < r->n_fields; i++)
        if (r->fields[i]->sync == SL_SYNC_THREAD) return true;
    return false;
}

static bool is_handle(const struct sl_expr *e)
{
    return !(e->tflags & (SL_TY_PTR | SL_TY_ARRAY | SL_TY_RECORD)) && chain_sync_thread(e);
}

/* The expression carries a thread handle: is one, or is an array, pointer
 * or struct holding some. */
static bool carries_handle(const struct sl_expr *e)
{
    if (is_handle(e)) return true;
    if (!(e->tflags & (SL_TY_PTR | SL_TY_ARRAY | SL_TY_RECORD))) return false;
    if (e->kind == SL_EX_REF && e->var)
        return e->var->sync == SL_SYNC_THREAD || record_holds_thread(e->var->record);
    if (e->kind == SL_EX_MEMBER && e->field)
        return e->field->sync == SL_SYNC_THREAD || record_holds_thread(e->field->type_record);
    if (e->kind == SL_EX_INDEX && e->n_kids) return carries_handle(e->kids[0]);
    if (e->kind == SL_EX_BINARY && (e->op == SL_B_ADD || e->op == SL_B_SUB) && e->n_kids)
        return carries_handle(e->kids[0]);   /* tids + i */
    return false;
}

/* The largest lvalue built on r: c.workers[i].tid from the REF c. */
static const struct sl_expr *lvalue_top(const struct sl_expr *r)
{
    const struct sl_expr *t = r;
    while (t->parent && (t->parent->kind == SL_EX_MEMBER || t->parent->kind == SL_EX_INDEX) &&
           t->parent->kids[0] == t)
        t = t->parent;
    /* tids + i, an address as good as &tids[i] */
    while (t->parent && t->parent->kind == SL_EX_BINARY &&
           (t->parent->op == SL_B_ADD || t->parent->op == SL_B_SUB) && (t->tflags & (SL_TY_PTR | SL_TY_ARRAY)))
        t = t->parent;
    return t;
}

static int arg_index(const struct sl_expr *call, const struct sl_expr *a)
{
    for (uint32_t i = 0; i < call->n_kids; i++)
        if (call->kids[i] == a) return (int)i;
    return -1;
}

/* The argument position where a creation call takes the handle's address:
 * 0 for pthread_create / thrd_create and wrappers (xpthread_create(&t, ...)). */
static bool is_handle_slot(const struct sl_expr *call, int ai)
{
    return sl_is_thread_create_call(call) && ai == 0;
}

static bool helper_releases_param(const struct sl_func *g, int pi, int depth);

/* A same-TU function g releases the handle(s) its parameter pi holds:
 * pthread_join(p, ...), pthread_join(p[i], ...), pthread_join(p->tid, ...),
 * or it hands the parameter on to a helper that does. */
static bool helper_releases_param(const struct sl_func *g, int pi, int depth)
{
    if (!g || !g->body || depth > HELPER_DEPTH || pi < 0 || (uint32_t)pi >= g->n_params) return false;
    const struct sl_var *p = g->params[pi];
    for (uint32_t i = 0; i < g->n_calls; i++) {
        const struct sl_expr *c = g->calls[i];
        for (uint32_t k = 0; k < c->n_kids; k++) {
            if (sl_expr_root_var(strip_addr(c->kids[k])) != p) continue;
            if (is_release_name(c->name) && k == 0) return true;
            if (c->func && helper_releases_param(c->func, (int)k, depth + 1)) return true;
        }
    }
    return false;
}

/* What the use of a handle variable at REF r does; *call: the creating or
 * releasing call. */
static enum use classify_use(const struct sl_expr *r, const struct sl_expr **call)
{
    const struct sl_expr *top = lvalue_top(r);
    if (!carries_handle(top)) return USE_NEUTRAL;   /* w.id = i, &w.arg ... */
    const struct sl_expr *p = top->parent;
    const struct sl_expr *val = top;
    bool by_addr = false;
    if (p && p->kind == SL_EX_UNARY && p->op == SL_U_ADDROF) {
        by_addr = true;
        val = p;
        p = p->parent;
    } else if (top->tflags & (SL_TY_PTR | SL_TY_ARRAY)) {
        by_addr = true;   /* an array or pointer decays to the handles' address */
    }
    if (!p) {
        const struct sl_stmt *s = top->stmt;
        if (s && s->kind == SL_ST_RETURN) return USE_ESCAPE;
        if (s && s->kind == SL_ST_DECL && s->expr == val) return USE_ESCAPE;  /* T x = handle */
        return USE_NEUTRAL;
    }
    if (p->kind == SL_EX_CALL) {
        int ai = arg_index(p, val);
        *call = p;
        if (ai < 0) return USE_NEUTRAL;                      /* the callee itself */
        if (by_addr && is_handle_slot(p, ai)) return USE_CREATE;
        if (sl_is_thread_create_call(p)) return USE_NEUTRAL;  /* the thread's argument */
        if (is_release_name(p->name) && ai == 0) return USE_RELEASE;
        if (p->func && p->func->body)
            return helper_releases_param(p->func, ai, 0) ? USE_RELEASE : by_addr ? USE_ESCAPE : USE_NEUTRAL;
        if (is_neutral_name(p->name) || (!by_addr && names_handle_reader(p->name))) return USE_NEUTRAL;
        return USE_ESCAPE;                                   /* handed to code we cannot see */
    }
    if (p->kind == SL_EX_ASSIGN && p->n_kids == 2) {
        if (p->kids[0] == val) {
            if (p->op == SL_B_ASSIGN && sl_is_thread_create_call(p->kids[1])) {
                *call = p->kids[1];   /* t = ovs_thread_create(...) */
                return USE_CREATE;
            }
            return USE_NEUTRAL;                              /* overwritten */
        }
        return USE_ESCAPE;                                   /* copied somewhere */
    }
    if (p->kind == SL_EX_INITLIST || p->kind == SL_EX_COND) return USE_ESCAPE;
    if (top->stmt && top->stmt->kind == SL_ST_RETURN) {
        for (const struct sl_expr *q = p; q; q = q->parent)
            if (!q->parent && top->stmt->expr == q && q->kind != SL_EX_BINARY) return USE_ESCAPE;
    }
    return USE_NEUTRAL;                                      /* compared, printed ... */
}

/* The handle variables this rule follows: locals (not static) that are a
 * handle, an array of them, a struct holding one, or a pointer to memory
 * this function allocated for them. */
static bool is_tracked_var(const struct sl_facts *fx, const struct sl_var *v)
{
    if (v->kind != SL_VAR_LOCAL || v->is_static) return false;
    if (v->sync != SL_SYNC_THREAD && !record_holds_thread(v->record)) return false;
    if (!(v->tflags & SL_TY_PTR)) return true;
    const struct sl_var_defs *d = sl_var_defs(fx, v);
    static const char *const alloc[] = { "malloc", "calloc", "xmalloc", "xcalloc", "alloc",
                                         "realloc", "xrealloc", "zalloc", "xzalloc", NULL };
    if (d->address_taken || !d->n_values) return false;
    for (uint32_t i = 0; i < d->n_values; i++) {
        const struct sl_expr *e = d->values[i];
        if (e->kind != SL_EX_CALL || !e->name || !sl_name_has_word(e->name, alloc)) return false;
    }
    return true;
}

/* ---- creation calls: detached ones, and their failure paths ---- */

/* The start routine detaches itself: pthread_detach(pthread_self()). */
static bool detaches_itself(const struct sl_func *t)
{
    for (uint32_t i = 0; t && i < t->n_calls; i++) {
        const struct sl_expr *c = t->calls[i];
        if ((name_is(c, "pthread_detach") || name_is(c, "thrd_detach")) && c->n_kids &&
            (name_is(c->kids[0], "pthread_self") || name_is(c->kids[0], "thrd_current")))
            return true;
    }
    return false;
}

/* pthread_create(&t, &attr, ...) with attr set PTHREAD_CREATE_DETACHED, or
 * an attribute object we cannot see (a parameter, a global set elsewhere). */
static bool attr_detached(const struct sl_model *m, const struct sl_expr *create)
{
    if (!name_is(create, "pthread_create") || create->n_kids < 2 || is_zero(create->kids[1]))
        return false;
    const struct sl_var *a = sl_expr_root_var(strip_addr(create->kids[1]));
    if (!a || a->kind != SL_VAR_LOCAL) return true;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            if (name_is(c, "pthread_attr_setdetachstate") && c->n_kids == 2 &&
                sl_expr_root_var(strip_addr(c->kids[0])) == a && !is_zero(c->kids[1]))
                return true;
        }
    }
    return false;
}

/* The creation never leaves a thread to join: created detached, or one
 * that detaches itself. */
static bool created_detached(const struct sl_model *m, const struct sl_expr *c)
{
    return attr_detached(m, c) || detaches_itself(sl_thread_start_target(c));
}

/* ---- the path walk ---- */

struct label_state { const char *label; uint8_t st; };

struct walk {
    const struct sl_func *f;
    const struct sl_var *v;
    struct sl_arena *a;
    uint8_t *own;                    /* [stmt index]: OWN_* of its own expressions */
    uint8_t *deep;                   /* [stmt index]: OWN_* over its subtree */
    uint8_t *call_use;               /* [expr index]: USE_CREATE / USE_RELEASE of a call */
    bool scalar;                     /* one handle, not an array of them */
    struct label_state *labels;
    uint32_t n_labels;
    uint8_t brk, cont, sw_in;        /* of the innermost loop / switch */
    bool counts;                     /* exits leak (not main) */
    /* the last creation whose status is still to be tested */
    const struct sl_expr *status_call;
    const struct sl_var *status_var;
    uint8_t status_before;
    const struct sl_stmt *exits[MAX_EXITS_NOTED];
    uint32_t n_exits;
    const struct sl_expr *create;    /* first creation reaching a leak */
};

enum { OWN_CREATE = 1, OWN_RELEASE = 2, OWN_NORETURN = 4 };

static uint8_t *label_slot(struct walk *w, const char *l)
{
    for (uint32_t i = 0; i < w->n_labels; i++)
        if (!strcmp(w->labels[i].label, l)) return &w->labels[i].st;
    w->labels = sl_arena_grow(w->a, w->labels, w->n_labels, w->n_labels + 1, sizeof *w->labels);
    w->labels[w->n_labels] = (struct label_state){ l, 0 };
    return &w->labels[w->n_labels++].st;
}

static void leak_at(struct walk *w, const struct sl_stmt *exit_stmt, uint8_t st)
{
    if (!(st & ST_LIVE) || !w->counts) return;
    for (uint32_t i = 0; i < w->n_exits; i++)
        if (w->exits[i] == exit_stmt) return;
    if (w->n_exits < MAX_EXITS_NOTED) w->exits[w->n_exits++] = exit_stmt;
}

/* Is e the creation's status: the call itself, (rc = call), or the variable
 * it was stored in? */
static bool is_status(const struct walk *w, const struct sl_expr *e)
{
    while (e->kind == SL_EX_ASSIGN && e->n_kids == 2) e = e->kids[1];
    if (w->status_call && e == w->status_call) return true;
    return w->status_var && e->kind == SL_EX_REF && e->var == w->status_var;
}

static bool mentions_status(const struct walk *w, const struct sl_expr *e)
{
    if (is_status(w, e)) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (mentions_status(w, e->kids[i])) return true;
    return false;
}

/* The states on the true and false branches of cond, given the state
 * before the creation (fail) and after it (ok).  Non-zero status is
 * failure: no thread was started. */
static void split_on_status(const struct walk *w, const struct sl_expr *e, uint8_t fail, uint8_t ok,
                            uint8_t *t, uint8_t *f)
{
    if (is_status(w, e)) { *t = fail; *f = ok; return; }
    if (e->kind == SL_EX_UNARY && e->op == SL_U_LNOT && e->n_kids) {
        split_on_status(w, e->kids[0], fail, ok, f, t);
        return;
    }
    if (e->kind == SL_EX_BINARY && e->n_kids == 2) {
        const struct sl_expr *x = e->kids[0], *y = e->kids[1];
        if (e->op == SL_B_LAND || e->op == SL_B_LOR) {
            bool in_x = mentions_status(w, x);
            const struct sl_expr *s = in_x ? x : y;
            uint8_t st, sf;
            split_on_status(w, s, fail, ok, &st, &sf);
            /* the other operand short-circuits: before the creation if it
             * comes first, after it otherwise */
            uint8_t other = in_x ? (st | sf) : fail;
            if (e->op == SL_B_LAND) { *t = st; *f = sf | other; }
            else { *t = st | other; *f = sf; }
            return;
        }
        bool sx = is_status(w, x), sy = is_status(w, y);
        const struct sl_expr *k = sx ? y : sy ? x : NULL;
        if (k && is_zero(k)) {
            int op = e->op;
            if (sy) op = op == SL_B_LT ? SL_B_GT : op == SL_B_GT ? SL_B_LT :
                         op == SL_B_LE ? SL_B_GE : op == SL_B_GE ? SL_B_LE : op;
            switch (op) {
            case SL_B_NE: case SL_B_LT: case SL_B_GT: *t = fail; *f = ok; return;
            case SL_B_EQ: case SL_B_GE: *t = ok; *f = fail; return;
            default: break;
            }
        }
    }
    *t = *f = fail | ok;
}

static uint8_t walk(struct walk *w, const struct sl_stmt *s, uint8_t in);

/* The state after a statement's own expressions ran. */
static uint8_t own_effects(struct walk *w, const struct sl_stmt *s, uint8_t in)
{
    uint8_t o = w->own[s->index];
    if (!o || !in) return in;
    if (o & OWN_NORETURN) return 0;          /* exit(), abort(): the process ends */
    uint8_t st = in;
    if (o & OWN_RELEASE) st = ST_DEAD;
    if (!(o & OWN_CREATE)) return st;
    for (uint32_t i = 0; i < w->f->n_calls; i++) {
        const struct sl_expr *c = w->f->calls[i];
        if (c->stmt != s || w->call_use[c->index] != USE_CREATE) continue;
        if (!w->create) w->create = c;
        /* a second thread into a handle still holding an unjoined one */
        if ((in & ST_LIVE) && w->scalar) leak_at(w, s, ST_LIVE);
        /* remember where the creation's status goes, for the next test */
        w->status_call = c;
        w->status_var = NULL;
        w->status_before = in;
        const struct sl_expr *p = c->parent;
        if (p && p->kind == SL_EX_ASSIGN && p->kids[1] == c && p->kids[0]->kind == SL_EX_REF &&
            !p->parent)
            w->status_var = p->kids[0]->var;
        else if (!p && s->kind == SL_ST_DECL && s->expr == c)
            w->status_var = s->var;
    }
    return ST_LIVE;
}

static uint8_t walk_if(struct walk *w, const struct sl_stmt *s, uint8_t in)
{
    uint8_t t = in, f = in;
    bool creates = w->own[s->index] & OWN_CREATE;
    uint8_t after = own_effects(w, s, in);
    if ((w->status_call || w->status_var) && mentions_status(w, s->expr))
        split_on_status(w, s->expr, w->status_before & (in ? 0xff : 0), creates ? after : in, &t, &f);
    else
        t = f = after;
    if (!in) t = f = 0;
    uint8_t ot = walk(w, s->kids[0], t);
    uint8_t of = s->kids[1] ? walk(w, s->kids[1], f) : f;
    /* `if (started) pthread_join(t, NULL);`: the branch that releases is
     * taken exactly when there is something to release */
    bool rt = w->deep[s->kids[0]->index] & OWN_RELEASE;
    bool rf = s->kids[1] && (w->deep[s->kids[1]->index] & OWN_RELEASE);
    if (rt && !rf) return ot | (of & ST_DEAD);
    if (rf && !rt) return of | (ot & ST_DEAD);
    return ot | of;
}

static bool is_forever(const struct sl_expr *cond)
{
    return !cond || (cond->kind == SL_EX_INT && cond->has_value && cond->ival != 0);
}

static bool is_never(const struct sl_expr *cond)
{
    return cond && cond->kind == SL_EX_INT && cond->has_value && cond->ival == 0;
}

static uint8_t walk_loop(struct walk *w, const struct sl_stmt *s, uint8_t in)
{
    uint8_t sb = w->brk, sc = w->cont;
    const struct sl_stmt *body = s->kind == SL_ST_FOR ? s->kids[1] : s->kids[0];
    if (s->kind == SL_ST_FOR && s->kids[0]) in = walk(w, s->kids[0], in);
    w->brk = 0;
    uint8_t head = own_effects(w, s, in), out_body = 0;
    if (s->kind == SL_ST_DO && is_never(s->expr)) {
        /* do { ... } while (0): a macro's statement, run once */
        w->cont = 0;
        uint8_t out = walk(w, body, head);
        out |= w->brk | w->cont;
        w->brk = sb;
        w->cont = sc;
        return out;
    }
    for (int pass = 0; pass < 2; pass++) {
        w->cont = 0;
        out_body = body ? walk(w, body, head) : head;
        head = own_effects(w, s, in | out_body | w->cont);
    }
    uint8_t out = w->brk;
    /* a join loop over the handles releases all of them: the zero-trip
     * path is the one where there was nothing to join */
    bool releases = body && (w->deep[body->index] & OWN_RELEASE);
    if (!(s->kind != SL_ST_DO && is_forever(s->expr)))
        out |= releases ? (out_body | w->cont) : head;
    w->brk = sb;
    w->cont = sc;
    return out;
}

static bool switch_has_default(const struct sl_func *f, const struct sl_stmt *sw)
{
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *d = f->stmts[i];
        if (d->kind != SL_ST_DEFAULT) continue;
        const struct sl_stmt *p = d->parent;
        while (p && p->kind != SL_ST_SWITCH) p = p->parent;
        if (p == sw) return true;
    }
    return false;
}

static uint8_t walk(struct walk *w, const struct sl_stmt *s, uint8_t in)
{
    if (!s) return in;
    switch (s->kind) {
    case SL_ST_BLOCK:
    case SL_ST_OTHER:
        for (uint32_t i = 0; i < s->n_kids; i++) in = walk(w, s->kids[i], in);
        return in;
    case SL_ST_IF:
        return walk_if(w, s, in);
    case SL_ST_WHILE: case SL_ST_DO: case SL_ST_FOR:
        return walk_loop(w, s, in);
    case SL_ST_SWITCH: {
        uint8_t sb = w->brk, ssw = w->sw_in;
        uint8_t at = own_effects(w, s, in);
        w->brk = 0;
        w->sw_in = at;
        uint8_t out = walk(w, s->kids[0], 0);
        out |= w->brk | (switch_has_default(w->f, s) ? 0 : at);
        w->brk = sb;
        w->sw_in = ssw;
        return out;
    }
    case SL_ST_CASE: case SL_ST_DEFAULT:
        return s->n_kids ? walk(w, s->kids[0], in | w->sw_in) : in | w->sw_in;
    case SL_ST_LABEL:
        in |= *label_slot(w, s->label);
        return s->n_kids ? walk(w, s->kids[0], in) : in;
    case SL_ST_GOTO:
        if (s->label) *label_slot(w, s->label) |= in;
        return 0;
    case SL_ST_BREAK:
        w->brk |= in;
        return 0;
    case SL_ST_CONTINUE:
        w->cont |= in;
        return 0;
    case SL_ST_RETURN:
        leak_at(w, s, own_effects(w, s, in));
        return 0;
    default:
        return own_effects(w, s, in);
    }
}

/* ---- per handle variable ---- */

static void mark(struct walk *w, const struct sl_stmt *s, uint8_t bit)
{
    w->own[s->index] |= bit;
    if (bit == OWN_NORETURN) return;
    for (; s; s = s->parent) w->deep[s->index] |= bit;
}

/* Classify every use of v in f into w; false when the handle escapes (or
 * nothing creates a joinable thread into it). */
static bool collect_uses(struct sl_rule_ctx *cx, struct walk *w)
{
    const struct sl_func *f = w->f;
    bool created = false;
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *r = f->exprs[i];
        if (r->kind != SL_EX_REF || r->var != w->v) continue;
        const struct sl_expr *c = NULL;
        enum use u = classify_use(r, &c);
        if (u == USE_ESCAPE) return false;
        if (u == USE_NEUTRAL || !c || !c->stmt) continue;
        if (u == USE_CREATE) {
            if (created_detached(cx->model, c)) return false;
            created = true;
        }
        w->call_use[c->index] = (uint8_t)u;
        mark(w, c->stmt, u == USE_CREATE ? OWN_CREATE : OWN_RELEASE);
    }
    for (uint32_t i = 0; i < f->n_calls; i++)
        if (is_noreturn_name(f->calls[i]->name) && f->calls[i]->stmt)
            mark(w, f->calls[i]->stmt, OWN_NORETURN);
    return created;
}

static const char *exit_text(const struct sl_stmt *s)
{
    if (!s) return "falls off the end";
    if (s->kind == SL_ST_RETURN) return "returns here";
    return "starts another thread into the same handle here";
}

static void report_leak(struct sl_rule_ctx *cx, struct walk *w)
{
    const struct sl_expr *c = w->create;
    struct sl_diag *d = sl_report(cx, c->loc,
        "thread started by '%s' into local '%s' is neither joined nor detached on every path "
        "out of '%s': its stack and thread record stay allocated until the process exits, and "
        "it may outlive the data it was given",
        c->name, w->v->name, w->f->name);
    for (uint32_t i = 0; i < w->n_exits; i++) {
        const struct sl_stmt *s = w->exits[i];
        sl_note(cx, d, s ? s->loc : w->f->end, "'%s' %s without joining or detaching '%s'",
                w->f->name, exit_text(s), w->v->name);
    }
    sl_note_text(cx, d, "use: pthread_join (or pthread_detach) on every path out, e.g. through "
                 "a cleanup label; or sl_group (<synclint/group.h>), whose sl_group_wait joins "
                 "every worker it started");
}

static void check_var(struct sl_rule_ctx *cx, const struct sl_func *f, const struct sl_var *v)
{
    struct walk w = { .f = f, .v = v, .a = cx->scratch };
    w.own = sl_arena_alloc(cx->scratch, f->n_stmts + 1);
    w.deep = sl_arena_alloc(cx->scratch, f->n_stmts + 1);
    w.call_use = sl_arena_alloc(cx->scratch, f->n_exprs + 1);
    memset(w.own, 0, f->n_stmts + 1);
    memset(w.deep, 0, f->n_stmts + 1);
    memset(w.call_use, 0, f->n_exprs + 1);
    w.scalar = !(v->tflags & (SL_TY_ARRAY | SL_TY_PTR));
    /* returning from main ends the process and every thread with it */
    w.counts = strcmp(f->name, "main") != 0;
    if (!collect_uses(cx, &w)) return;
    uint8_t end = 0;
    for (int pass = 0; pass < 2; pass++) {   /* twice: backward gotos */
        w.status_call = NULL;
        w.status_var = NULL;
        end = walk(&w, f->body, ST_DEAD);
    }
    leak_at(&w, NULL, end);
    if (w.n_exits && w.create) report_leak(cx, &w);
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file || !f->body) continue;
        /* each tracked local once, in order of first use */
        const struct sl_var **seen = sl_arena_alloc(cx->scratch, (f->n_exprs + 1) * sizeof *seen);
        uint32_t n_seen = 0;
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *r = f->exprs[i];
            if (r->kind != SL_EX_REF || !r->var || !is_tracked_var(cx->facts, r->var)) continue;
            bool dup = false;
            for (uint32_t k = 0; k < n_seen && !dup; k++) dup = seen[k] == r->var;
            if (dup) continue;
            seen[n_seen++] = r->var;
            check_var(cx, f, r->var);
        }
    }
}

const struct sl_rule sl_rule_thread_leak = {
    .id = "thread-leak",
    .tier = 3,
    .precision = "high",   /* docs/precision.md */
    .summary = "a thread started into a local handle and left neither joined nor detached on some path",
    .replacement = "pthread_join on every path out, or sl_group (<synclint/group.h>)",
    .what =
        "A pthread_create / thrd_create (or a project wrapper such as xpthread_create) whose\n"
        "handle is a local variable, a local array of handles, a local struct holding one, or\n"
        "memory the function allocated for them, when some path from the creation to a\n"
        "return leaves the thread neither joined nor detached: typically an error return\n"
        "after the thread started, or a loop starting workers into a local array that\n"
        "returns on the first failure without joining the ones already running. The path\n"
        "walk follows the statement tree: branches, loops, switch, break/continue and\n"
        "gotos to cleanup labels; the failure branch of the creation itself (non-zero\n"
        "status: no thread) is not a path with a thread; a join loop over the handles\n"
        "counts as joining them all; `if (started) pthread_join(t, NULL)` counts as a\n"
        "join; exit()/abort() and returning from main end the process.",
    .why =
        "Correctness and memory. A joinable thread nobody joins keeps its stack (8 MiB of\n"
        "address space by default, its touched pages resident) and its thread record until\n"
        "the process exits; a service that leaks one per failed request runs out of address\n"
        "space or hits the thread limit (EAGAIN). Worse, the thread usually got a pointer\n"
        "into the returning frame or into memory the error path frees: it keeps running on\n"
        "dangling data.",
    .before =
        "int start_pair(struct job *j)\n"
        "{\n"
        "    pthread_t rd, wr;\n"
        "    if (pthread_create(&rd, NULL, reader, j) != 0) return -1;\n"
        "    if (pthread_create(&wr, NULL, writer, j) != 0)\n"
        "        return -1;              /* rd runs on, unjoined, with j */\n"
        "    pthread_join(rd, NULL);\n"
        "    pthread_join(wr, NULL);\n"
        "    return 0;\n"
        "}",
    .after =
        "int start_pair(struct job *j)\n"
        "{\n"
        "    pthread_t rd, wr;\n"
        "    if (pthread_create(&rd, NULL, reader, j) != 0) return -1;\n"
        "    if (pthread_create(&wr, NULL, writer, j) != 0) {\n"
        "        j->stop = 1;\n"
        "        pthread_join(rd, NULL);\n"
        "        return -1;\n"
        "    }\n"
        "    pthread_join(rd, NULL);\n"
        "    pthread_join(wr, NULL);\n"
        "    return 0;\n"
        "}\n"
        "/* or: sl_group g; sl_group_init(&g, NULL, 0); sl_group_go(&g, reader_fn, j);\n"
        "   sl_group_go(&g, writer_fn, j); return sl_group_wait(&g);  (it joins all) */",
    .when_not =
        "Long-lived threads whose handle is stored in a struct field or a global, or handed\n"
        "to a function that keeps it (not followed: any use the rule cannot see counts as\n"
        "keeping it); handles returned to the caller or written through an out-parameter;\n"
        "threads created detached (pthread_attr_setdetachstate(&attr,\n"
        "PTHREAD_CREATE_DETACHED) on the attribute passed) or that detach themselves\n"
        "(pthread_detach(pthread_self()) in the start routine); handles joined by a\n"
        "same-file helper that receives them. A thread left running on purpose until the\n"
        "process exits (a watchdog started from a function that never returns in practice)\n"
        "is better detached, which also silences the rule.",
    .needs = SL_NEED_DEFUSE,
    .check = check,
};
