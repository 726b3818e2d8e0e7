/* tiny-heap-alloc - a small constant-size malloc freed on every path of the
 * function that made it, never escaping: a local variable does the same. */
#include <string.h>
#include "rulekit.h"

#define TINY_MAX 64
#define MAX_LABELS 32

/* Path state of the allocation: not made yet, made and released (or NULL
 * on this path), made and still owned.  Merging paths keeps the worst. */
enum owned { DEAD = -1, NONE = 0, DONE = 1, ALIVE = 2 };

static enum owned merge(enum owned a, enum owned b) { return a > b ? a : b; }

struct label_state { const char *name; enum owned st; bool passed; };

struct walk {
    const struct sl_expr *alloc;       /* the allocation call */
    const struct sl_var *p;            /* the variable holding it */
    bool leaks;                        /* some exit is reached with it ALIVE */
    bool freed;                        /* some free of it was seen */
    enum owned brk, cont;              /* innermost loop / switch: break, continue states */
    struct label_state labels[MAX_LABELS];
    uint32_t n_labels;
};

/* Does e designate the allocation's pointer (p, or p = malloc(...))? */
static bool is_p(const struct walk *w, const struct sl_expr *e)
{
    e = sl_strip_test(e);
    if (!e) return false;
    if (e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN) e = sl_strip_test(e->kids[0]);
    return e->kind == SL_EX_REF && e->var == w->p;
}

static bool is_zero(const struct sl_expr *e)
{
    e = sl_strip_test(e);
    return e && e->kind == SL_EX_INT && e->has_value && e->ival == 0;
}

/* +1: cond is true exactly when p is NULL; -1: when p is non-NULL; 0: neither. */
static int null_test(const struct walk *w, const struct sl_expr *cond)
{
    cond = sl_strip_test(cond);
    if (!cond) return 0;
    if (is_p(w, cond)) return -1;
    if (cond->kind == SL_EX_UNARY && cond->op == SL_U_LNOT) return -null_test(w, cond->kids[0]);
    if (cond->kind == SL_EX_BINARY && (cond->op == SL_B_EQ || cond->op == SL_B_NE)) {
        bool hit = (is_p(w, cond->kids[0]) && is_zero(cond->kids[1])) ||
                   (is_p(w, cond->kids[1]) && is_zero(cond->kids[0]));
        if (hit) return cond->op == SL_B_EQ ? 1 : -1;
    }
    return 0;
}

static bool contains(const struct sl_expr *root, const struct sl_expr *x)
{
    for (const struct sl_expr *e = x; e; e = e->parent)
        if (e == root) return true;
    return false;
}

static bool noreturn_call(const struct sl_expr *e)
{
    static const char *const names[] = { "abort", "exit", "_exit", "_Exit", "__assert_fail",
                                         "out_of_memory", "ovs_abort", "ovs_fatal", "err",
                                         "errx", "pthread_exit", "thrd_exit", NULL };
    e = sl_strip_test(e);
    if (!e || e->kind != SL_EX_CALL || !e->name) return false;
    for (const char *const *n = names; *n; n++)
        if (!strcmp(e->name, *n)) return true;
    return false;
}

/* The effect of evaluating expression e (the allocation, a free of p). */
static enum owned eval(struct walk *w, const struct sl_expr *e, enum owned st)
{
    if (!e || st == DEAD) return st;
    if (contains(e, w->alloc)) st = ALIVE;
    const struct sl_func *f = sl_expr_func(e);
    for (uint32_t i = 0; f && i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        if (contains(e, c) && sl_free_call(c) && is_p(w, c->kids[0])) {
            st = DONE;
            w->freed = true;
        }
    }
    return noreturn_call(e) ? DEAD : st;
}

static struct label_state *label(struct walk *w, const char *name)
{
    for (uint32_t i = 0; i < w->n_labels; i++)
        if (!strcmp(w->labels[i].name, name)) return &w->labels[i];
    if (w->n_labels == MAX_LABELS) return NULL;
    w->labels[w->n_labels] = (struct label_state){ name, DEAD, false };
    return &w->labels[w->n_labels++];
}

static void exit_with(struct walk *w, enum owned st)
{
    if (st == ALIVE) w->leaks = true;
}

static enum owned walk_stmt(struct walk *w, const struct sl_stmt *s, enum owned st);

static enum owned walk_loop(struct walk *w, const struct sl_stmt *s, enum owned st)
{
    enum owned save_b = w->brk, save_c = w->cont;
    const struct sl_stmt *body = s->kind == SL_ST_FOR ? s->kids[1] : s->kids[0];
    if (s->kind == SL_ST_FOR && s->kids[0]) st = walk_stmt(w, s->kids[0], st);
    enum owned head = st, out = DEAD;
    for (int pass = 0; pass < 2; pass++) {   /* twice: the second sees the back edge */
        w->brk = w->cont = DEAD;
        enum owned in = s->kind == SL_ST_DO ? head : eval(w, s->expr, head);
        enum owned end = walk_stmt(w, body, in);
        end = merge(end, w->cont);
        if (s->kind == SL_ST_FOR) end = eval(w, s->inc, end);
        if (s->kind == SL_ST_DO) end = eval(w, s->expr, end);
        out = merge(s->kind == SL_ST_DO ? end : in, w->brk);
        head = merge(head, end);
    }
    w->brk = save_b;
    w->cont = save_c;
    return out;
}

static enum owned walk_switch(struct walk *w, const struct sl_stmt *s, enum owned st)
{
    enum owned save_b = w->brk, entry = eval(w, s->expr, st);
    w->brk = DEAD;
    bool has_default = false;
    const struct sl_stmt *body = s->kids[0];
    enum owned cur = DEAD;
    if (body && body->kind == SL_ST_BLOCK) {
        for (uint32_t i = 0; i < body->n_kids; i++) {
            const struct sl_stmt *k = body->kids[i];
            if (k->kind == SL_ST_CASE || k->kind == SL_ST_DEFAULT) {
                has_default |= k->kind == SL_ST_DEFAULT;
                cur = merge(cur, entry);
            }
            cur = walk_stmt(w, k, cur);
        }
    } else {
        cur = walk_stmt(w, body, entry);
    }
    enum owned out = merge(cur, w->brk);
    if (!has_default) out = merge(out, entry);
    w->brk = save_b;
    return out;
}

static enum owned walk_stmt(struct walk *w, const struct sl_stmt *s, enum owned st)
{
    if (!s) return st;
    switch (s->kind) {
    case SL_ST_BLOCK:
    case SL_ST_OTHER:
        for (uint32_t i = 0; i < s->n_kids; i++) st = walk_stmt(w, s->kids[i], st);
        return st;
    case SL_ST_EXPR:
    case SL_ST_DECL:
        return eval(w, s->expr, st);
    case SL_ST_IF: {
        st = eval(w, s->expr, st);
        int nt = null_test(w, s->expr);
        enum owned then_in = st, else_in = st;
        if (nt > 0 && st == ALIVE) then_in = DONE;   /* the NULL branch owns nothing */
        if (nt < 0 && st == ALIVE) else_in = DONE;
        enum owned a = walk_stmt(w, s->kids[0], then_in);
        enum owned b = s->n_kids > 1 && s->kids[1] ? walk_stmt(w, s->kids[1], else_in) : else_in;
        return merge(a, b);
    }
    case SL_ST_WHILE:
    case SL_ST_DO:
    case SL_ST_FOR:
        return walk_loop(w, s, st);
    case SL_ST_SWITCH:
        return walk_switch(w, s, st);
    case SL_ST_CASE:
    case SL_ST_DEFAULT:
        return s->n_kids ? walk_stmt(w, s->kids[0], st) : st;
    case SL_ST_LABEL: {
        struct label_state *l = label(w, s->label);
        if (!l) { w->leaks = true; return st; }
        l->passed = true;
        st = merge(st, l->st);
        return s->n_kids ? walk_stmt(w, s->kids[0], st) : st;
    }
    case SL_ST_GOTO: {
        struct label_state *l = s->label ? label(w, s->label) : NULL;
        if (!l || l->passed) {   /* computed or backward: give up on this path */
            if (st != DEAD && st != NONE) w->leaks = true;
        } else {
            l->st = merge(l->st, st);
        }
        return DEAD;
    }
    case SL_ST_RETURN:
        exit_with(w, eval(w, s->expr, st));
        return DEAD;
    case SL_ST_BREAK:
        w->brk = merge(w->brk, st);
        return DEAD;
    case SL_ST_CONTINUE:
        w->cont = merge(w->cont, st);
        return DEAD;
    default:
        return st;
    }
}

static const struct sl_stmt *loop_of(const struct sl_stmt *s)
{
    for (; s; s = s->parent)
        if (sl_stmt_is_loop(s)) return s;
    return NULL;
}

/* Every free of p sits in the same loop as the allocation (none for a
 * loop that collects the pointers and frees them after). */
static bool frees_in_same_loop(const struct sl_func *f, const struct sl_expr *alloc,
                               const struct sl_var *p)
{
    const struct sl_stmt *l = loop_of(alloc->stmt);
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        const struct sl_expr *a = c->n_kids ? sl_strip_test(c->kids[0]) : NULL;
        if (sl_free_call(c) && a && a->kind == SL_EX_REF && a->var == p && loop_of(c->stmt) != l)
            return false;
    }
    return true;
}

/* The constant byte count of an allocation, or -1. */
static int64_t alloc_bytes(const struct sl_expr *call)
{
    const struct sl_expr *count, *size;
    int64_t n = 1, z;
    if (!sl_alloc_call(call, &count, &size) || !size || !sl_const_int(size, &z)) return -1;
    if (count && !sl_const_int(count, &n)) return -1;
    return n * z;
}

/* ---- the locked free-list variant ---- */

static bool is_ref_to(const struct sl_expr *e, const struct sl_var *v)
{
    e = sl_strip_test(e);
    return e && e->kind == SL_EX_REF && e->var == v;
}

/* `G = X->next` with X an object of G's record: taking one off list G. */
static bool pops(const struct sl_expr *a, const struct sl_var *g)
{
    const struct sl_expr *r = sl_strip_test(a->kids[1]);
    return r && r->kind == SL_EX_MEMBER && r->is_arrow && r->field &&
           r->field->record == g->record && (r->field->tflags & SL_TY_PTR);
}

/* `G = v` after `v->next = G` in the same function: putting v back on G. */
static bool pushes(const struct sl_func *f, const struct sl_expr *a, const struct sl_var *g)
{
    const struct sl_expr *r = sl_strip_test(a->kids[1]);
    if (!r || r->kind != SL_EX_REF || !r->var || r->var->record != g->record) return false;
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind == SL_EX_ASSIGN && x->op == SL_B_ASSIGN && x->kids[0]->kind == SL_EX_MEMBER &&
            is_ref_to(x->kids[0]->kids[0], r->var) && is_ref_to(x->kids[1], g))
            return true;
    }
    return false;
}

/* A small constant-size allocation of an object of record r in the TU. */
static const struct sl_expr *small_alloc_of(const struct sl_model *m, const struct sl_record *r)
{
    for (uint32_t fi = 0; fi < m->n_funcs; fi++)
        for (uint32_t i = 0; i < m->funcs[fi]->n_calls; i++) {
            const struct sl_expr *c = m->funcs[fi]->calls[i];
            const struct sl_var *t = sl_alloc_target(c);
            int64_t bytes = alloc_bytes(c);
            /* into a variable of the type, or of exactly its size (return c ? c : malloc(..)) */
            if (bytes > 0 && bytes <= TINY_MAX &&
                ((t && t->record == r) || (uint64_t)bytes == r->size))
                return c;
        }
    return NULL;
}

static void check_free_lists(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t vi = 0; vi < m->n_vars; vi++) {
        const struct sl_var *g = m->vars[vi];
        bool file_scope = g->kind == SL_VAR_GLOBAL || (g->kind == SL_VAR_LOCAL && g->is_static);
        if (!file_scope || g->is_thread_local || g->from_system_header ||
            !(g->tflags & SL_TY_PTR) || (g->tflags & SL_TY_ARRAY) || !g->record ||
            !g->record->size || g->record->size > TINY_MAX)
            continue;
        const struct sl_expr *pop = NULL, *push = NULL;
        for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
            const struct sl_func *f = m->funcs[fi];
            for (uint32_t i = 0; i < f->n_exprs; i++) {
                const struct sl_expr *a = f->exprs[i];
                if (a->kind != SL_EX_ASSIGN || a->op != SL_B_ASSIGN || !is_ref_to(a->kids[0], g) ||
                    !sl_lockset_size(sl_held_must(cx->flow, a)))
                    continue;
                if (!pop && pops(a, g)) pop = a;
                if (!push && pushes(f, a, g)) push = a;
            }
        }
        const struct sl_expr *alloc = pop && push ? small_alloc_of(m, g->record) : NULL;
        if (!alloc || !sl_loc_in_main(push->loc)) continue;
        const struct sl_held *h = &sl_held_must(cx->flow, push)->items[0];
        struct sl_diag *d = sl_report(cx, push->loc,
            "'%s' recycles %llu-byte '%s' objects through a free list under '%s': every get "
            "and put takes one shared lock, where malloc's per-thread caches take none for "
            "small sizes",
            g->name, (unsigned long long)g->record->size, g->record->name, h->lock->text);
        sl_set_identity(cx, d, g->name);
        sl_note_held(cx, d, h);
        sl_note(cx, d, pop->loc, "taken off the list here, under the lock too");
        sl_note(cx, d, alloc->loc, "the objects are small constant-size allocations");
        sl_note_text(cx, d, "use malloc/free (its per-thread caches take no shared lock for "
                     "small sizes), or sl_pool (<synclint/pool.h>) with per-thread caches");
    }
}

static void check(struct sl_rule_ctx *cx)
{
    check_free_lists(cx);
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            int64_t bytes = alloc_bytes(c);
            if (bytes <= 0 || bytes > TINY_MAX) continue;
            const struct sl_var *p = sl_alloc_target(c);
            if (!p || p->kind != SL_VAR_LOCAL || p->is_static || !(p->tflags & SL_TY_PTR)) continue;
            if (!sl_local_is_fresh(f, p)) continue;   /* also holds other pointers */
            struct walk w = { .alloc = c, .p = p, .brk = DEAD, .cont = DEAD };
            exit_with(&w, walk_stmt(&w, f->body, NONE));
            if (w.leaks || !w.freed || !frees_in_same_loop(f, c, p)) continue;
            if (sl_local_escapes(fl, f, p, NULL)) continue;
            const char *how = sl_call_name(c);
            struct sl_diag *d = sl_report(cx, c->loc,
                "'%s' takes %lld bytes from %s() and is freed on every path of '%s' without "
                "escaping: a local variable does the same without the allocator call (and the "
                "allocator's lock in a threaded malloc)", p->name, (long long)bytes, how, f->name);
            sl_set_identity(cx, d, p->name);
            sl_note(cx, d, p->loc, "'%s' never leaves this call", p->name);
            sl_note_text(cx, d, "use a local variable (or an array on the stack); for small "
                         "objects that must outlive the call and are recycled, sl_pool "
                         "(<synclint/pool.h>)");
        }
    }
}

const struct sl_rule sl_rule_tiny_heap_alloc = {
    .id = "tiny-heap-alloc",
    .tier = 2,
    .precision = "high",   /* OVS: 2 of 2 findings right: a small sample */
    .summary = "malloc/calloc of a constant size <= 64 bytes freed on every path of the same "
               "function and never escaping",
    .replacement = "a local variable (sl_pool for small objects recycled across calls)",
    .what = "A malloc / calloc (or a wrapper spelt like one: xmalloc, xzalloc, g_malloc0, "
            "Curl_cmalloc, event_mm_malloc_, or a same-file function returning malloc's result "
            "with the size from its parameter) of a constant size of at most 64 bytes "
            "(sizeof of a small type or literal sizes), stored in a local pointer that is "
            "freed on every path out of the same function and never escapes it (not stored "
            "into a global or shared memory, not returned, not handed to a thread or to a "
            "function that may keep it).  Paths where the pointer is NULL (the failed "
            "allocation) need no free.  Also such small objects recycled through a free "
            "list under a lock: a file-scope list head popped (head = obj->next) and pushed "
            "(obj->next = head; head = obj) with a lock held.",
    .why = "malloc+free of a small block costs 20-100 ns and, in a threaded allocator, an "
           "atomic operation or a lock on the arena; under many threads the allocator becomes "
           "the contended object.  A local variable costs nothing, cannot fail, and cannot "
           "leak.",
    .before = "int parse_pair(const char *s, int *out)\n"
              "{\n"
              "    struct pair *p = malloc(sizeof *p);   /* 8 bytes */\n"
              "    if (!p)\n"
              "        return -ENOMEM;\n"
              "    int rc = pair_parse(s, &p->a, &p->b);\n"
              "    *out = p->a + p->b;\n"
              "    free(p);\n"
              "    return rc;\n"
              "}",
    .after = "int parse_pair(const char *s, int *out)\n"
             "{\n"
             "    struct pair p;                        /* on the stack */\n"
             "    int rc = pair_parse(s, &p.a, &p.b);\n"
             "    *out = p.a + p.b;\n"
             "    return rc;\n"
             "}",
    .when_not = "When the size is a stand-in for a future variable size, on a tiny stack "
                "(kernel, deep recursion, small thread stacks) where even 64 bytes matter, or "
                "when the block must be heap memory for a tool (an allocator test, a "
                "sanitizer).  Not flagged: sizes that are not constant or above 64 bytes, "
                "objects that escape, allocations in a loop whose pointers are collected and "
                "freed later, objects freed on only some paths (a leak: another problem), "
                "alloca.  The locked free-list variant (small objects recycled through a "
                "mutex-protected list) is flagged only when both the pop (list = obj->next) and the "
                "push (obj->next = list; list = obj) are assignments to a file-scope list "
                "head under a lock, and the TU allocates objects of that type with a constant "
                "size of at most 64 bytes.",
    .needs = 0,
    .check = check,
};
