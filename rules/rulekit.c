/* rulekit.c - reporting helpers shared by every rule. */
#include "rulekit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sl_range sl_range_of(const struct sl_model *m, struct sl_loc loc)
{
    struct sl_range r = { sl_loc_file(m, loc), loc.line, loc.col, loc.end_line, loc.end_col };
    if (!r.end_line) { r.end_line = r.line; r.end_col = r.col + 1; }
    return r;
}

struct sl_diag *sl_report(struct sl_rule_ctx *cx, struct sl_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct sl_diag *d = sl_diag_vadd(cx->out, cx->rule->id, SL_SEV_WARNING,
                                     sl_range_of(cx->model, loc), fmt, ap);
    va_end(ap);
    const struct sl_func *f = cx->facts ? sl_facts_func_at(cx->facts, loc) : NULL;
    if (f) d->function = sl_arena_strdup(&cx->out->arena, f->name);
    return d;
}

void sl_note(struct sl_rule_ctx *cx, struct sl_diag *d, struct sl_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(cx->out, d, sl_range_of(cx->model, loc), fmt, ap);
    va_end(ap);
}

void sl_note_text(struct sl_rule_ctx *cx, struct sl_diag *d, const char *fmt, ...)
{
    struct sl_range none = {0};
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(cx->out, d, none, fmt, ap);
    va_end(ap);
}

void sl_note_held(struct sl_rule_ctx *cx, struct sl_diag *d, const struct sl_held *h)
{
    if (!h || !h->site) return;
    sl_note(cx, d, h->site->loc, "'%s' %s here", h->lock->text,
            h->shared ? "read-locked" : "acquired");
}

void sl_set_identity(struct sl_rule_ctx *cx, struct sl_diag *d, const char *key)
{
    d->identity = key ? sl_arena_strdup(&cx->out->arena, key) : NULL;
}

static struct sl_range range_of_site(const struct sl_site *at)
{
    struct sl_range r = { at->file, at->line, at->col, at->line, at->col + 1 };
    return r;
}

struct sl_diag *sl_preport(struct sl_project_ctx *cx, const struct sl_site *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct sl_diag *d = sl_diag_vadd(cx->out, cx->rule->id, SL_SEV_WARNING, range_of_site(at), fmt, ap);
    va_end(ap);
    if (at->func) d->function = sl_arena_strdup(&cx->out->arena, at->func);
    return d;
}

void sl_pnote(struct sl_project_ctx *cx, struct sl_diag *d, const struct sl_site *at,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(cx->out, d, range_of_site(at), fmt, ap);
    va_end(ap);
}

void sl_pset_identity(struct sl_project_ctx *cx, struct sl_diag *d, const char *key)
{
    d->identity = key ? sl_arena_strdup(&cx->out->arena, key) : NULL;
}

void sl_pnote_text(struct sl_project_ctx *cx, struct sl_diag *d, const char *fmt, ...)
{
    struct sl_range none = {0};
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(cx->out, d, none, fmt, ap);
    va_end(ap);
}

void sl_export_fact(struct sl_rule_ctx *cx, const struct sl_func *f, const char *what,
                    const struct sl_expr *const *chain, uint32_t n_chain)
{
    sl_export_fact_args(cx, f, what, chain, n_chain, NULL, 0);
}

void sl_export_fact_args(struct sl_rule_ctx *cx, const struct sl_func *f, const char *what,
                         const struct sl_expr *const *chain, uint32_t n_chain,
                         const char *const *args, uint32_t n_args)
{
    struct sl_rule_exports *ex = cx->exports;
    if (!ex) return;
    if (ex->n == ex->cap) {
        uint32_t nc = ex->cap ? ex->cap * 2 : 16;
        ex->v = sl_arena_grow(ex->arena, ex->v, ex->n, nc, sizeof *ex->v);
        ex->cap = nc;
    }
    const struct sl_expr **c = n_chain ? sl_arena_alloc(ex->arena, n_chain * sizeof *c) : NULL;
    for (uint32_t i = 0; i < n_chain; i++) c[i] = chain[i];
    const char **a = n_args ? sl_arena_alloc(ex->arena, n_args * sizeof *a) : NULL;
    for (uint32_t i = 0; i < n_args; i++) a[i] = sl_arena_strdup(ex->arena, args[i]);
    ex->v[ex->n++] = (struct sl_rule_export){ cx->rule->id, sl_arena_strdup(ex->arena, what), f, c,
                                             n_chain, a, n_args };
}

/* "thread" or "thrd" anywhere in the name (xpthread_create, Curl_thread_create)
 * and a word for making one. */
static bool names_thread_creation(const char *n)
{
    static const char *const make[] = { "create", "new", "start", "spawn", NULL };
    return (strstr(n, "thread") || strstr(n, "thrd") || strstr(n, "Thread")) &&
           sl_name_has_word(n, make);
}

bool sl_is_thread_create_call(const struct sl_expr *c)
{
    if (c->kind != SL_EX_CALL || !c->name) return false;
    if (!strcmp(c->name, "pthread_create") || !strcmp(c->name, "thrd_create")) return true;
    if (!names_thread_creation(c->name)) return false;
    for (uint32_t i = 0; i < c->n_kids; i++) {
        const struct sl_expr *a = c->kids[i];
        if (a->kind == SL_EX_UNARY && a->op == SL_U_ADDROF && a->n_kids) a = a->kids[0];
        if (a->kind == SL_EX_REF && a->func) return true;
        if (a->tflags & SL_TY_FUNCPTR) return true;
    }
    return false;
}
/* ---- escape analysis (rulekit.h) ---- */

#define ESC_MAX_TRACKED 32
#define ESC_MAX_DEPTH 4

/* The objects followed in one function: the seed and its copies / the
 * local containers it was stored into. */
struct esc_walk {
    const struct sl_flow *fl;
    const struct sl_func *f;
    const struct sl_var *tracked[ESC_MAX_TRACKED];
    uint32_t n;
    bool overflow;
    bool is_callee;                    /* analysing a callee's parameter: */
    bool returned;                     /* ...which it returns (a carrier for the caller) */
    int depth;
    const struct sl_func *const *stack;   /* callers being analysed (recursion guard) */
    struct sl_escape why;
};

static bool name_ends(const char *n, const char *suffix)
{
    size_t ln = strlen(n), ls = strlen(suffix);
    while (ln && n[ln - 1] == '_') ln--;   /* event_mm_malloc_ */
    return ln >= ls && !strncmp(n + ln - ls, suffix, ls);
}

const char *sl_call_name(const struct sl_expr *call)
{
    if (call->name) return call->name;
    const struct sl_expr *c = call->callee;
    if (c && (c->kind == SL_EX_REF || c->kind == SL_EX_MEMBER)) return c->name;
    return NULL;
}

bool sl_free_call(const struct sl_expr *call)
{
    const char *n = sl_call_name(call);
    return n && call->n_kids >= 1 && name_ends(n, "free");
}

static bool is_local_var(const struct sl_var *v)
{
    return v && v->kind == SL_VAR_LOCAL && !v->is_static;
}

static bool tracked(const struct esc_walk *w, const struct sl_var *v)
{
    for (uint32_t i = 0; i < w->n; i++)
        if (w->tracked[i] == v) return true;
    return false;
}

static void track(struct esc_walk *w, const struct sl_var *v)
{
    if (tracked(w, v)) return;
    if (w->n == ESC_MAX_TRACKED) { w->overflow = true; return; }
    w->tracked[w->n++] = v;
}

static bool escape(struct esc_walk *w, enum sl_escape_kind k, const struct sl_expr *at)
{
    if (w->why.kind == SL_ESC_NONE) w->why = (struct sl_escape){ k, at };
    return true;
}

/* libc functions that use their pointer arguments during the call only. */
static const char *const readers[] = {
    "memcmp", "memset", "bzero", "explicit_bzero", "strlen", "strnlen", "strcmp", "strncmp",
    "strcasecmp", "strncasecmp", "strcoll", "strspn", "strcspn", "strdup", "strndup",
    "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "vsprintf", "vsnprintf",
    "dprintf", "asprintf", "vasprintf", "puts", "fputs", "fputc", "putc", "fwrite", "fread",
    "fgets", "scanf", "sscanf", "fscanf", "vsscanf", "read", "write", "pread", "pwrite",
    "recv", "send", "recvfrom", "sendto", "atoi", "atol", "atoll", "strtol", "strtoul",
    "strtoll", "strtoull", "strtod", "strtof", "qsort", "getrandom", "gettimeofday",
    "clock_gettime", "time", "inet_pton", "inet_ntop", "pthread_join", "thrd_join",
    "pthread_mutexattr_init", "pthread_mutexattr_settype", "pthread_mutexattr_destroy",
    "pthread_condattr_init", "pthread_condattr_setclock", "pthread_condattr_destroy",
    "pthread_attr_init", "pthread_attr_destroy", "__assert_fail", "assert", "perror",
    "realpath", "stat", "fstat", "lstat", "open", "fopen", "access", "unlink",
    "ovs_assert", "__builtin_memset", "__builtin_memcmp", "__builtin_strlen",
    "__builtin___memset_chk", "__builtin___snprintf_chk", "__builtin___sprintf_chk",
    "__builtin_object_size", "__builtin_expect", NULL,
};
/* ...and those returning a pointer into (or equal to) their first argument. */
static const char *const passers[] = {
    "memcpy", "memmove", "strcpy", "strncpy", "strcat", "strncat", "stpcpy", "strchr",
    "strrchr", "strstr", "memchr", "strpbrk", "strtok", "strtok_r", "realloc", "reallocarray",
    "__builtin_memcpy", "__builtin_memmove", "__builtin___memcpy_chk",
    "__builtin___memmove_chk", "__builtin___strcpy_chk", "__builtin___strncpy_chk", NULL,
};

static bool in_list(const char *n, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(n, *list)) return true;
    return false;
}

static bool param_escapes(struct esc_walk *w, const struct sl_func *g, uint32_t i, bool *returned);
static bool carrier_escapes(struct esc_walk *w, const struct sl_expr *c);

/* c, a carrier of the object's address, is argument i of call. */
static bool arg_escapes(struct esc_walk *w, const struct sl_expr *call, uint32_t i)
{
    if (call->atomic != SL_AT_NONE)   /* the atomic object itself, or a value stored */
        return i == 0 ? false : escape(w, SL_ESC_GLOBAL, call);
    if (w->fl && sl_call_lockop(w->fl, call) != SL_OP_NONE) return false;
    const char *n = sl_call_name(call);
    if (n && (!strcmp(n, "pthread_create") || !strcmp(n, "thrd_create")))
        return i == 0 ? false : escape(w, SL_ESC_THREAD, call);
    if (call->func && call->func->body) {
        bool returned = false;
        if (param_escapes(w, call->func, i, &returned)) return escape(w, SL_ESC_CALL, call);
        return returned ? carrier_escapes(w, call) : false;
    }
    if (!n) return escape(w, SL_ESC_CALL, call);
    if (sl_free_call(call) && i == 0) return false;
    if (in_list(n, readers) || (!strncmp(n, "pthread_", 8) && strstr(n, "attr"))) return false;
    /* a project's lock API (ovs_mutex_init, ovs_rwlock_destroy): it uses the lock, keeps nothing */
    if (i == 0 && (strstr(n, "mutex_") || strstr(n, "rwlock_") || strstr(n, "spin_") ||
                   strstr(n, "mtx_")))
        return false;
    if (in_list(n, passers)) return i == 0 ? carrier_escapes(w, call) : false;
    return escape(w, SL_ESC_CALL, call);
}

/* The variable an initialiser list (possibly nested) initialises, and
 * whether that is a declaration's initialiser. */
static const struct sl_var *initlist_var(const struct sl_expr *e)
{
    while (e->parent && e->parent->kind == SL_EX_INITLIST) e = e->parent;
    if (e->parent || !e->stmt || e->stmt->kind != SL_ST_DECL || e->stmt->expr != e) return NULL;
    return e->stmt->var;
}

/* c's value is the object's address: where does it go? */
static bool carrier_escapes(struct esc_walk *w, const struct sl_expr *c)
{
    for (;;) {
        const struct sl_expr *p = c->parent;
        if (!p) break;
        bool pass = (p->kind == SL_EX_COND && c != p->kids[0]) ||
                    (p->kind == SL_EX_BINARY && (p->op == SL_B_ADD || p->op == SL_B_SUB) &&
                     (p->tflags & SL_TY_PTR)) ||
                    (p->kind == SL_EX_BINARY && p->op == SL_B_COMMA && c == p->kids[1]) ||
                    (p->kind == SL_EX_OTHER && p->n_kids == 1);
        if (!pass) break;
        c = p;
    }
    const struct sl_expr *p = c->parent;
    if (!p) {   /* a statement's whole expression */
        const struct sl_stmt *s = c->stmt;
        if (!s) return false;
        if (s->kind == SL_ST_RETURN && s->expr == c) {
            if (!w->is_callee) return escape(w, SL_ESC_RETURN, c);
            w->returned = true;
            return false;
        }
        if (s->kind == SL_ST_DECL && s->expr == c && s->var) {
            if (!is_local_var(s->var)) return escape(w, SL_ESC_GLOBAL, c);
            track(w, s->var);
        }
        return false;
    }
    switch (p->kind) {
    case SL_EX_ASSIGN: {
        if (c != p->kids[1] || p->op != SL_B_ASSIGN) return false;
        const struct sl_expr *lhs = p->kids[0];
        const struct sl_var *root = sl_expr_root_var(lhs);
        if (lhs->kind == SL_EX_REF) {
            if (!is_local_var(root)) return escape(w, SL_ESC_GLOBAL, p);
            track(w, root);
            return carrier_escapes(w, p);   /* q = r = p */
        }
        if (!root) return escape(w, SL_ESC_FIELD, p);
        if (!is_local_var(root))
            return escape(w, root->kind == SL_VAR_PARAM ? SL_ESC_FIELD : SL_ESC_GLOBAL, p);
        /* stored into a local object: it escapes if that does */
        if ((root->tflags & SL_TY_PTR) && !sl_local_is_fresh(w->f, root))
            return escape(w, SL_ESC_FIELD, p);   /* q = list->head; q->data = p */
        track(w, root);
        return false;
    }
    case SL_EX_INITLIST: {
        const struct sl_var *v = initlist_var(p);
        if (!is_local_var(v)) return escape(w, v ? SL_ESC_GLOBAL : SL_ESC_FIELD, p);
        track(w, v);
        return false;
    }
    case SL_EX_CALL:
        for (uint32_t i = 0; i < p->n_kids; i++)
            if (p->kids[i] == c) return arg_escapes(w, p, i);
        return false;   /* the callee expression */
    case SL_EX_UNARY:
        if (p->op != SL_U_ADDROF) return false;   /* *p, !p */
        /* &p: the holder's address; only functions that just read are fine */
        if (p->parent && p->parent->kind == SL_EX_CALL) {
            const char *n = sl_call_name(p->parent);
            if (n && (in_list(n, readers) || !strcmp(n, "memcpy"))) return false;
        }
        if (!p->parent && p->stmt && p->stmt->kind == SL_ST_EXPR) return false;
        return escape(w, SL_ESC_ADDRESS, p);
    case SL_EX_STMTEXPR:
        return escape(w, SL_ESC_FIELD, p);
    default:
        return false;   /* compared, indexed, dereferenced, sizeof */
    }
}

/* r refers to a tracked variable: the expression carrying the object's
 * address it is part of, or NULL when r only reaches its contents. */
static const struct sl_expr *carrier_of_ref(const struct sl_expr *r)
{
    bool pointer = r->var->tflags & SL_TY_PTR;
    const struct sl_expr *e = r;
    bool part = false;
    for (;;) {
        const struct sl_expr *p = e->parent;
        if (p && (p->kind == SL_EX_MEMBER || p->kind == SL_EX_INDEX) && p->kids[0] == e) {
            /* a member of a pointer's object, or of a by-value object */
            if (p->kind == SL_EX_INDEX && !pointer && !(e->tflags & SL_TY_ARRAY)) return NULL;
            e = p;
            part = true;
            continue;
        }
        if (p && p->kind == SL_EX_UNARY && p->op == SL_U_DEREF && pointer && e == r) {
            e = p;
            part = true;
            continue;
        }
        if (p && p->kind == SL_EX_UNARY && p->op == SL_U_ADDROF && (part || !pointer)) return p;
        if (e->tflags & SL_TY_ARRAY) return e;     /* an array decays to its address */
        /* a whole struct copied out carries the pointers stored in it */
        if (!pointer && e == r && (r->tflags & SL_TY_RECORD) && p &&
            (p->kind == SL_EX_CALL || (p->kind == SL_EX_ASSIGN && p->kids[1] == e)))
            return e;
        if (!pointer && e == r && (r->tflags & SL_TY_RECORD) && !p && r->stmt &&
            (r->stmt->kind == SL_ST_RETURN || r->stmt->kind == SL_ST_DECL) && r->stmt->expr == r)
            return e;
        return part || !pointer ? NULL : e;
    }
}

static bool walk_escapes(struct esc_walk *w)
{
    /* copies found later add variables: rescan until nothing new */
    uint32_t scanned = 0;
    while (scanned < w->n) {
        scanned = w->n;
        for (uint32_t i = 0; i < w->f->n_exprs; i++) {
            const struct sl_expr *r = w->f->exprs[i];
            if (r->kind != SL_EX_REF || !r->var || !tracked(w, r->var)) continue;
            const struct sl_expr *c = carrier_of_ref(r);
            if (c && carrier_escapes(w, c)) return true;
            if (w->overflow) return escape(w, SL_ESC_FIELD, r);
        }
    }
    return false;
}

static bool param_escapes(struct esc_walk *w, const struct sl_func *g, uint32_t i, bool *returned)
{
    if (i >= g->n_params || w->depth >= ESC_MAX_DEPTH) return true;   /* varargs, too deep */
    if (g == w->f) return false;   /* recursion: the other calls decide */
    for (int d = 0; d < w->depth; d++)
        if (w->stack[d] == g) return false;
    const struct sl_func *stack[ESC_MAX_DEPTH + 1];
    for (int d = 0; d < w->depth; d++) stack[d] = w->stack[d];
    stack[w->depth] = w->f;
    struct esc_walk sub = { .fl = w->fl, .f = g, .depth = w->depth + 1, .stack = stack,
                            .is_callee = true };
    sub.tracked[sub.n++] = g->params[i];
    bool esc = walk_escapes(&sub);
    *returned = sub.returned;
    return esc;
}

bool sl_local_escapes(const struct sl_flow *fl, const struct sl_func *f, const struct sl_var *v,
                      struct sl_escape *why)
{
    struct esc_walk w = { .fl = fl, .f = f };
    w.tracked[w.n++] = v;
    bool esc = walk_escapes(&w);
    if (why) *why = w.why;
    return esc;
}

const char *sl_escape_text(enum sl_escape_kind k)
{
    switch (k) {
    case SL_ESC_NONE: return "stays local";
    case SL_ESC_GLOBAL: return "is stored into a global";
    case SL_ESC_FIELD: return "is stored into memory reachable from outside the call";
    case SL_ESC_RETURN: return "is returned";
    case SL_ESC_THREAD: return "is handed to a new thread";
    case SL_ESC_CALL: return "is passed to a function that may keep it";
    case SL_ESC_ADDRESS: return "has its holder's address taken";
    }
    return "escapes";
}

bool sl_const_int(const struct sl_expr *e, int64_t *out)
{
    if (!e) return false;
    if ((e->kind == SL_EX_INT || e->kind == SL_EX_SIZEOF) && e->has_value) {
        *out = e->ival;
        return true;
    }
    if (e->kind == SL_EX_OTHER && e->n_kids == 1) return sl_const_int(e->kids[0], out);
    int64_t a, b;
    if (e->kind != SL_EX_BINARY || e->n_kids != 2 || !sl_const_int(e->kids[0], &a) ||
        !sl_const_int(e->kids[1], &b) || a < 0 || b < 0 || a > (1 << 20) || b > (1 << 20))
        return false;
    switch (e->op) {
    case SL_B_ADD: *out = a + b; return true;
    case SL_B_SUB: *out = a - b; return true;
    case SL_B_MUL: *out = a * b; return true;
    case SL_B_SHL: if (b > 20) return false; *out = a << b; return true;
    default: return false;
    }
}

/* Allocators by name: 1 = malloc-like (size), 2 = calloc-like (n, size). */
static int alloc_shape(const struct sl_expr *call)
{
    const char *n = sl_call_name(call);
    if (!n) return 0;
    if (call->n_kids == 1 && (name_ends(n, "malloc") || name_ends(n, "zalloc") ||
                              name_ends(n, "malloc0")))
        return 1;
    if (call->n_kids == 2 && name_ends(n, "calloc")) return 2;
    return 0;
}

static const struct sl_expr *strip(const struct sl_expr *e)
{
    while (e && e->kind == SL_EX_OTHER && e->n_kids == 1) e = e->kids[0];
    return e;
}

/* Inside wrapper g: the allocation call whose result g returns, or NULL. */
static const struct sl_expr *returned_alloc(const struct sl_func *g, int depth);

static bool alloc_call_depth(const struct sl_expr *call, const struct sl_expr **count,
                             const struct sl_expr **size, int depth)
{
    *count = *size = NULL;
    int shape = alloc_shape(call);
    if (shape == 1) { *size = call->kids[0]; return true; }
    if (shape == 2) { *count = call->kids[0]; *size = call->kids[1]; return true; }
    if (depth > 2 || !call->func || !call->func->body || call->indirect) return false;
    const struct sl_expr *inner = returned_alloc(call->func, depth + 1);
    if (!inner) return false;
    const struct sl_expr *ic, *is;
    alloc_call_depth(inner, &ic, &is, depth + 1);
    /* the wrapper's size comes from its parameters: map them to our arguments */
    const struct sl_expr *map[2] = { ic, is };
    for (int k = 0; k < 2; k++) {
        const struct sl_expr *x = strip(map[k]);
        if (!x) continue;
        if (x->kind == SL_EX_REF && x->var && x->var->kind == SL_VAR_PARAM &&
            (uint32_t)x->var->param_index < call->n_kids)
            map[k] = call->kids[x->var->param_index];
        else
            map[k] = NULL;   /* fixed inside the wrapper: not ours to judge */
    }
    *count = map[0];
    *size = map[1];
    if (ic && !*count) *size = NULL;
    return true;
}

bool sl_alloc_call(const struct sl_expr *call, const struct sl_expr **count,
                   const struct sl_expr **size)
{
    return call->kind == SL_EX_CALL && alloc_call_depth(call, count, size, 0);
}

const struct sl_var *sl_alloc_target(const struct sl_expr *call)
{
    const struct sl_expr *e = call;
    while (e->parent && e->parent->kind == SL_EX_OTHER && e->parent->n_kids == 1) e = e->parent;
    const struct sl_expr *p = e->parent;
    if (p && p->kind == SL_EX_ASSIGN && p->op == SL_B_ASSIGN && p->kids[1] == e &&
        p->kids[0]->kind == SL_EX_REF)
        return p->kids[0]->var;
    if (!p && e->stmt && e->stmt->kind == SL_ST_DECL && e->stmt->expr == e) return e->stmt->var;
    return NULL;
}

bool sl_local_is_fresh(const struct sl_func *f, const struct sl_var *v)
{
    bool any = false;
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (s->kind == SL_ST_DECL && s->var == v && s->expr) {
            const struct sl_expr *e = strip(s->expr), *n, *z;
            if (e->kind == SL_EX_INT && e->has_value && e->ival == 0) continue;
            if (e->kind != SL_EX_CALL || !sl_alloc_call(e, &n, &z)) return false;
            any = true;
        }
    }
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *a = f->exprs[i];
        if (a->kind != SL_EX_ASSIGN || a->kids[0]->kind != SL_EX_REF || a->kids[0]->var != v)
            continue;
        if (a->op != SL_B_ASSIGN) return false;
        const struct sl_expr *e = strip(a->kids[1]), *n, *z;
        if (e->kind == SL_EX_INT && e->has_value && e->ival == 0) continue;
        if (e->kind != SL_EX_CALL || !sl_alloc_call(e, &n, &z)) return false;
        any = true;
    }
    return any;
}

static const struct sl_expr *returned_alloc(const struct sl_func *g, int depth)
{
    const struct sl_expr *found = NULL;
    for (uint32_t i = 0; i < g->n_stmts; i++) {
        const struct sl_stmt *s = g->stmts[i];
        if (s->kind != SL_ST_RETURN || !s->expr) continue;
        const struct sl_expr *e = strip(s->expr), *c = NULL, *cnt, *sz;
        if (e->kind == SL_EX_CALL) c = e;
        else if (e->kind == SL_EX_REF && e->var && e->var->kind == SL_VAR_LOCAL) {
            /* return p; where p = malloc(..) */
            for (uint32_t k = 0; k < g->n_calls && !c; k++)
                if (sl_alloc_target(g->calls[k]) == e->var &&
                    alloc_call_depth(g->calls[k], &cnt, &sz, depth))
                    c = g->calls[k];
        } else if (e->kind == SL_EX_INT && e->has_value && e->ival == 0) {
            continue;   /* return NULL on failure */
        }
        if (!c || !alloc_call_depth(c, &cnt, &sz, depth)) return NULL;
        found = c;
    }
    return found;
}

/* A device register: reached through a constant address,
 * ((struct uart *)0x4000)->status, or through a local pointer whose one
 * value is such an address (struct uart *u = UART0_BASE; u->status). */
bool sl_through_constant_address(const struct sl_facts *fx, const struct sl_expr *e)
{
    for (; e; e = e->n_kids ? e->kids[0] : NULL) {
        if (e->kind == SL_EX_INT) return true;
        if (e->kind == SL_EX_REF && e->var && e->var->kind != SL_VAR_GLOBAL && !e->var->is_static) {
            const struct sl_expr *v = sl_local_single_value(fx, e->var);
            return v && v->kind == SL_EX_INT;
        }
        if (e->kind != SL_EX_MEMBER && e->kind != SL_EX_INDEX && e->kind != SL_EX_UNARY) return false;
    }
    return false;
}

bool sl_is_declared_io_lock(const struct sl_rule_options *opts, const char *cls, const char *text)
{
    for (const char *const *p = opts ? opts->io_locks : NULL; p && *p; p++) {
        const char *n = *p;
        if ((text && (!strcmp(text, n) || (text[0] == '&' && !strcmp(text + 1, n)))) ||
            (cls && (!strcmp(cls, n) || (!strncmp(cls, "struct ", 7) && !strcmp(cls + 7, n)))))
            return true;
    }
    return false;
}

static const struct sl_rule_optval *opt_lookup(const struct sl_rule_options *opts,
                                               const struct sl_rule *r, const char *name,
                                               enum sl_opt_type type, const struct sl_rule_option **decl)
{
    *decl = NULL;
    for (const struct sl_rule_option *o = r->options; o && o->name; o++)
        if (!strcmp(o->name, name)) *decl = o;
    if (!*decl || (*decl)->type != type)
        sl_bug("rule '%s' reads option '%s' that it does not declare as %s", r->id, name,
               sl_opt_type_name(type));
    for (size_t i = 0; opts && i < opts->n_values; i++)
        if (!strcmp(opts->values[i].rule, r->id) && opts->values[i].opt == *decl) return &opts->values[i];
    return NULL;
}

bool sl_opt_bool(const struct sl_rule_options *opts, const struct sl_rule *r, const char *name)
{
    const struct sl_rule_option *decl;
    const struct sl_rule_optval *v = opt_lookup(opts, r, name, SL_OPT_BOOL, &decl);
    return v ? v->b : !strcmp(decl->def, "true");
}

long sl_opt_int(const struct sl_rule_options *opts, const struct sl_rule *r, const char *name)
{
    const struct sl_rule_option *decl;
    const struct sl_rule_optval *v = opt_lookup(opts, r, name, SL_OPT_INT, &decl);
    return v ? v->i : strtol(decl->def, NULL, 10);
}

const struct sl_expr *sl_strip_test(const struct sl_expr *e)
{
    while (e && e->kind == SL_EX_OTHER && e->n_kids == 1) e = e->kids[0];
    if (e && e->kind == SL_EX_CALL && e->name && !strcmp(e->name, "__builtin_expect") &&
        e->n_kids == 2)
        return sl_strip_test(e->kids[0]);
    return e;
}

bool sl_in_lock_op(const struct sl_flow *fl, const struct sl_expr *e)
{
    for (; e; e = e->parent)
        if (e->kind == SL_EX_CALL && sl_call_lockop(fl, e) != SL_OP_NONE) return true;
    return false;
}

bool sl_held_by_site(const struct sl_flow *fl, const struct sl_expr *e, const struct sl_expr *site)
{
    const struct sl_lockset *s = sl_held_must(fl, e);
    for (uint32_t i = 0; i < sl_lockset_size(s); i++)
        if (s->items[i].site == site) return true;
    return false;
}

/* The expressions of a statement's subtree are contiguous in f->exprs
 * (both lists are in lowering order): each statement's range, in one
 * pass up the tree, so that a loop's scans cost its size, not the
 * function's. */
void sl_expr_ranges(const struct sl_func *f, uint32_t *lo, uint32_t *hi)
{
    for (uint32_t k = 0; k < f->n_stmts; k++) {
        lo[k] = UINT32_MAX;
        hi[k] = 0;
    }
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_stmt *s = f->exprs[i]->stmt;
        if (!s || s->func != f || s->index >= f->n_stmts) continue;
        if (i < lo[s->index]) lo[s->index] = i;
        if (i + 1 > hi[s->index]) hi[s->index] = i + 1;
    }
    for (uint32_t k = f->n_stmts; k-- > 1;) {   /* children come after their parents */
        const struct sl_stmt *p = f->stmts[k]->parent;
        if (!p || p->func != f || p->index >= k) continue;
        if (lo[k] < lo[p->index]) lo[p->index] = lo[k];
        if (hi[k] > hi[p->index]) hi[p->index] = hi[k];
    }
}
