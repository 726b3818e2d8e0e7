/* split-atomic-state - two atomics stored together in one function and
 * loaded separately, then combined, in another: a torn snapshot. */
#include <stdio.h>
#include <string.h>
#include "pmap.h"
#include "rulekit.h"

#define MAX_LOCKS 8

/* One atomic object: a field (of any object of its record) or a global. */
static const void *identity(const struct sl_access *a)
{
    return a->field ? (const void *)a->field : (const void *)a->var;
}

static const char *object_name(const struct sl_access *a)
{
    return a->field ? a->field->name : a->var ? a->var->name : "?";
}

/* The object a field access is made on (`q` of q->head), as text; "" for a global. */
static const char *base_text(struct sl_arena *a, const struct sl_access *x)
{
    if (!x->field || x->e->kind != SL_EX_MEMBER || !x->e->n_kids) return "";
    return sl_expr_text(a, x->e->kids[0]);
}

/* The statement of e that is a direct child of a block (or e's own). */
static const struct sl_stmt *block_level_stmt(const struct sl_expr *e)
{
    const struct sl_stmt *s = e->stmt;
    while (s && s->parent && s->parent->kind != SL_ST_BLOCK) s = s->parent;
    return s;
}

static int sibling_index(const struct sl_stmt *s)
{
    if (!s || !s->parent) return -1;
    for (uint32_t i = 0; i < s->parent->n_kids; i++)
        if (s->parent->kids[i] == s) return (int)i;
    return -1;
}

/* Two stores in the same statement or in consecutive statements of one block. */
static bool consecutive(const struct sl_expr *x, const struct sl_expr *y)
{
    const struct sl_stmt *a = block_level_stmt(x), *b = block_level_stmt(y);
    if (!a || !b) return false;
    if (a == b) return true;
    if (a->parent != b->parent) return false;
    int i = sibling_index(a), j = sibling_index(b);
    return i >= 0 && j == i + 1;
}

/* Where each function's accesses are, and who writes and reads each atomic
 * object: built once per TU so that no question rescans the accesses. */
struct fn_list { const struct sl_func **v; uint32_t n, cap; };
struct object_uses { struct fn_list writers, readers; };   /* writers: set-up code left out */
struct index {
    uint32_t *first, *end;                 /* [sl_func.index]: range in fx->accesses */
    struct sl_pmap objects;                /* (identity, 0) -> struct object_uses */
    struct sl_pmap writes;                 /* (identity, func) -> non-NULL: func writes it */
};

static void push_fn(struct sl_arena *a, struct fn_list *l, const struct sl_func *f)
{
    if (l->n && l->v[l->n - 1] == f) return;       /* accesses come grouped by function */
    if (l->n == l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 4;
        l->v = sl_arena_grow(a, l->v, l->n, nc, sizeof *l->v);
        l->cap = nc;
    }
    l->v[l->n++] = f;
}

static void build_index(struct sl_rule_ctx *cx, struct index *ix)
{
    const struct sl_facts *fx = cx->facts;
    uint32_t nf = cx->model->n_funcs ? cx->model->n_funcs : 1;
    ix->first = sl_arena_alloc(cx->scratch, nf * sizeof *ix->first);
    ix->end = sl_arena_alloc(cx->scratch, nf * sizeof *ix->end);
    memset(ix->first, 0, nf * sizeof *ix->first);
    memset(ix->end, 0, nf * sizeof *ix->end);
    sl_pmap_init(&ix->objects, cx->scratch);
    sl_pmap_init(&ix->writes, cx->scratch);
    for (uint32_t i = 0; i < fx->n_accesses; i++) {
        const struct sl_access *x = &fx->accesses[i];
        uint32_t fi = x->func->index;
        if (ix->end[fi] == 0) ix->first[fi] = i;
        ix->end[fi] = i + 1;
        if (!x->atomic) continue;
        void **slot = sl_pmap_slot(&ix->objects, SL_PKEY(identity(x)), 0);
        if (!*slot) {
            struct object_uses *u = sl_arena_alloc(cx->scratch, sizeof *u);
            memset(u, 0, sizeof *u);
            *slot = u;
        }
        struct object_uses *u = *slot;
        if (!x->write) {
            push_fn(cx->scratch, &u->readers, x->func);
        } else if (!sl_is_setup_function(fx, x->func)) {
            push_fn(cx->scratch, &u->writers, x->func);
            *sl_pmap_slot(&ix->writes, SL_PKEY(identity(x)), SL_PKEY(x->func)) = u;
        }
    }
}

static const struct object_uses *uses_of(const struct index *ix, const void *id)
{
    return sl_pmap_get(&ix->objects, SL_PKEY(id), 0);
}

/* A sequence-counter writer: some other atomic is written at least twice
 * in the function (seq++ before and after the data). */
static bool has_sequence_counter(const struct sl_facts *fx, uint32_t first, uint32_t end,
                                 const void *a, const void *b)
{
    for (uint32_t i = first; i < end; i++) {
        const struct sl_access *x = &fx->accesses[i];
        const void *id = identity(x);
        if (!x->atomic || !x->write || id == a || id == b) continue;
        for (uint32_t j = i + 1; j < end; j++)
            if (fx->accesses[j].atomic && fx->accesses[j].write && identity(&fx->accesses[j]) == id)
                return true;
    }
    return false;
}

/* "Always stored together": every (non set-up) function that writes one
 * of the pair writes the other too. */
static bool always_together(const struct index *ix, const void *a, const void *b)
{
    const struct object_uses *ua = uses_of(ix, a), *ub = uses_of(ix, b);
    if (!ua || !ub || ua->writers.n != ub->writers.n) return false;
    for (uint32_t i = 0; i < ua->writers.n; i++)
        if (!sl_pmap_get(&ix->writes, SL_PKEY(b), SL_PKEY(ua->writers.v[i]))) return false;
    return true;
}

/* Lock classes held at e (must), sorted by pointer; at most MAX_LOCKS. */
static uint32_t held(const struct sl_facts *fx, const struct sl_expr *e, const char **out)
{
    return sl_facts_held_classes(fx, e, out, MAX_LOCKS);
}

/* A lock class held at every one of es[0..n). */
static bool common_lock(const struct sl_facts *fx, const struct sl_expr *const *es, uint32_t n)
{
    const char *first[MAX_LOCKS];
    uint32_t nf = held(fx, es[0], first);
    for (uint32_t k = 0; k < nf; k++) {
        bool all = true;
        for (uint32_t i = 1; i < n && all; i++) {
            const char *other[MAX_LOCKS];
            uint32_t no = held(fx, es[i], other);
            all = false;
            for (uint32_t j = 0; j < no; j++)
                if (other[j] == first[k]) all = true;
        }
        if (all) return true;
    }
    return false;
}

/* The expression that yields the loaded value: atomic_load(&x) for the
 * access x inside it, or the plain read of an _Atomic object. */
static const struct sl_expr *loaded_value(const struct sl_expr *e)
{
    const struct sl_expr *p = e->parent;
    if (p && p->kind == SL_EX_UNARY && p->op == SL_U_ADDROF) {
        const struct sl_expr *c = p->parent;
        if (c && c->kind == SL_EX_CALL && c->atomic == SL_AT_LOAD) return c;
        return NULL;       /* address handed to something else */
    }
    if (p && p->kind == SL_EX_CALL) return NULL;
    return e;
}

/* The local the loaded value is stored into (v = load(x); T v = x;
 * OVS's atomic_read(&x, &v)), or NULL. */
static const struct sl_var *stored_into_local(const struct sl_expr *v)
{
    const struct sl_expr *p = v->parent;
    if (!p && v->stmt && v->stmt->kind == SL_ST_DECL && v->stmt->expr == v) return v->stmt->var;
    if (p && p->kind == SL_EX_ASSIGN && p->op == SL_B_ASSIGN && p->n_kids == 2 && p->kids[1] == v) {
        const struct sl_expr *lhs = p->kids[0];
        if (lhs->kind == SL_EX_UNARY && lhs->op == SL_U_DEREF && lhs->n_kids &&
            lhs->kids[0]->kind == SL_EX_UNARY && lhs->kids[0]->op == SL_U_ADDROF)
            lhs = lhs->kids[0]->kids[0];
        if (lhs->kind == SL_EX_REF && lhs->var && lhs->var->kind == SL_VAR_LOCAL &&
            !lhs->var->is_static)
            return lhs->var;
    }
    return NULL;
}

/* Does subtree t use the value: contain v itself or read local lv? */
static bool uses_value(const struct sl_expr *t, const struct sl_expr *v, const struct sl_var *lv)
{
    if (!t) return false;
    if (t == v) return true;
    if (lv && t->kind == SL_EX_REF && t->var == lv) {
        const struct sl_expr *p = t->parent;
        bool is_store_target = p && p->kind == SL_EX_ASSIGN && p->kids[0] == t;
        if (!is_store_target) return true;
    }
    for (uint32_t i = 0; i < t->n_kids; i++)
        if (uses_value(t->kids[i], v, lv)) return true;
    return false;
}

static bool is_compare_or_logic(const struct sl_expr *e)
{
    return e->kind == SL_EX_BINARY &&
           ((e->op >= SL_B_LT && e->op <= SL_B_NE) || e->op == SL_B_LAND || e->op == SL_B_LOR);
}

/* Is b (a combination of the two values) used for a decision: a comparison
 * or logic operator, a branch or loop condition, a ?: test, a return?  A
 * value handed to a call (printf of a difference) is not. */
static bool decides(const struct sl_expr *b)
{
    for (const struct sl_expr *e = b; e; e = e->parent) {
        if (e->kind == SL_EX_CALL) return false;
        if (is_compare_or_logic(e)) return true;
        if (e->parent && e->parent->kind == SL_EX_COND && e->parent->kids[0] == e) return true;
        if (!e->parent) {
            const struct sl_stmt *s = e->stmt;
            if (!s || s->expr != e) return false;
            return s->kind == SL_ST_IF || s->kind == SL_ST_WHILE || s->kind == SL_ST_DO ||
                   s->kind == SL_ST_FOR || s->kind == SL_ST_SWITCH || s->kind == SL_ST_RETURN;
        }
    }
    return false;
}

/* A binary expression of f combining the two values for a decision. */
static const struct sl_expr *combination(const struct sl_func *f, const struct sl_expr *va,
                                         const struct sl_var *la, const struct sl_expr *vb,
                                         const struct sl_var *lb)
{
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (e->kind != SL_EX_BINARY || e->n_kids != 2 || e->op == SL_B_COMMA) continue;
        bool ab = uses_value(e->kids[0], va, la) && uses_value(e->kids[1], vb, lb);
        bool ba = uses_value(e->kids[0], vb, lb) && uses_value(e->kids[1], va, la);
        if ((ab || ba) && decides(e)) return e;
    }
    return NULL;
}

/* A sequence-counter reader: the load sits in a loop whose condition
 * loads an atomic again (the re-check). */
static bool in_retry_loop(const struct sl_expr *e)
{
    for (const struct sl_stmt *s = e->stmt; s; s = s->parent) {
        if (!sl_stmt_is_loop(s) || !s->expr) continue;
        for (uint32_t i = 0; i < s->func->n_exprs; i++) {
            const struct sl_expr *x = s->func->exprs[i];
            const struct sl_expr *top = x;
            while (top->parent) top = top->parent;
            if (top != s->expr) continue;
            if ((x->kind == SL_EX_CALL && x->atomic == SL_AT_LOAD) || (x->tflags & SL_TY_ATOMIC))
                return true;
        }
    }
    return false;
}

struct pair {
    const struct sl_access *wa, *wb;     /* the two stores in the writer */
    bool locked;                         /* both stores under one lock */
};

/* Look for a reader of the pair in every other function and report it. */
static void find_readers(struct sl_rule_ctx *cx, const struct index *ix, const struct pair *p)
{
    const struct sl_facts *fx = cx->facts;
    const void *ia = identity(p->wa), *ib = identity(p->wb);
    const struct object_uses *ua = uses_of(ix, ia);
    for (uint32_t k = 0; ua && k < ua->readers.n; k++) {
        const struct sl_func *r = ua->readers.v[k];
        if (r == p->wa->func || !r->in_main_file || sl_is_setup_function(fx, r)) continue;
        uint32_t first = ix->first[r->index], end = ix->end[r->index];
        bool reported = false;
        for (uint32_t i = first; i < end && !reported; i++) {
            const struct sl_access *ra = &fx->accesses[i];
            if (!ra->atomic || ra->write || identity(ra) != ia || in_retry_loop(ra->e)) continue;
            const struct sl_expr *va = loaded_value(ra->e);
            if (!va) continue;
            for (uint32_t j = first; j < end && !reported; j++) {
                const struct sl_access *rb = &fx->accesses[j];
                if (!rb->atomic || rb->write || identity(rb) != ib || in_retry_loop(rb->e)) continue;
                if (strcmp(base_text(cx->scratch, ra), base_text(cx->scratch, rb))) continue;
                const struct sl_expr *vb = loaded_value(rb->e);
                if (!vb) continue;
                const struct sl_expr *comb = combination(r, va, stored_into_local(va), vb,
                                                         stored_into_local(vb));
                if (!comb) continue;
                if (p->locked) {
                    const struct sl_expr *es[4] = { p->wa->e, p->wb->e, ra->e, rb->e };
                    if (common_lock(fx, es, 4)) continue;
                }
                const struct sl_access *later = ra->e->loc.line > rb->e->loc.line ||
                    (ra->e->loc.line == rb->e->loc.line && ra->e->loc.col > rb->e->loc.col) ? ra : rb;
                const struct sl_access *earlier = later == ra ? rb : ra;
                struct sl_diag *d = sl_report(cx, later->e->loc,
                    "'%s' and '%s' are loaded one at a time here and combined, but '%s' stores them "
                    "together: between the two loads the writer can run, so this reads one new and "
                    "one old value (a torn snapshot)", sl_expr_text(cx->scratch, earlier->e),
                    sl_expr_text(cx->scratch, later->e), p->wa->func->name);
                char key[256];
                snprintf(key, sizeof key, "%s+%s", object_name(p->wa), object_name(p->wb));
                sl_set_identity(cx, d, key);
                sl_note(cx, d, earlier->e->loc, "'%s' loaded here", sl_expr_text(cx->scratch, earlier->e));
                sl_note(cx, d, comb->loc, "the two values combined here");
                sl_note(cx, d, p->wa->e->loc, "'%s' and '%s' stored together in '%s'",
                        sl_expr_text(cx->scratch, p->wa->e), sl_expr_text(cx->scratch, p->wb->e),
                        p->wa->func->name);
                sl_note_text(cx, d, "use: one struct behind sl_snapshot (<synclint/snapshot.h>), "
                             "one lock around both stores and both loads, or a sequence counter "
                             "the reader re-checks");
                reported = true;
            }
        }
    }
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    const struct sl_facts *fx = cx->facts;
    struct index ix;
    build_index(cx, &ix);
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *w = m->funcs[fi];
        if (!w->in_main_file || sl_is_setup_function(fx, w)) continue;
        uint32_t first = ix.first[w->index], end = ix.end[w->index];
        const struct sl_access *prev = NULL;
        for (uint32_t i = first; i < end; i++) {
            const struct sl_access *x = &fx->accesses[i];
            if (!x->atomic || !x->write) continue;
            const struct sl_access *a = prev;
            prev = x;
            if (!a || identity(a) == identity(x) || !consecutive(a->e, x->e)) continue;
            if (!a->field != !x->field) continue;                /* two fields, or two globals */
            if (a->field && strcmp(base_text(cx->scratch, a), base_text(cx->scratch, x))) continue;
            if (has_sequence_counter(fx, first, end, identity(a), identity(x))) continue;
            if (!always_together(&ix, identity(a), identity(x))) continue;
            const struct sl_expr *es[2] = { a->e, x->e };
            struct pair p = { a, x, common_lock(fx, es, 2) };
            find_readers(cx, &ix, &p);
        }
    }
}

const struct sl_rule sl_rule_split_atomic_state = {
    .id = "split-atomic-state",
    .tier = 3,
    .summary = "two atomics always stored together in one function and loaded separately, then "
               "combined, in another: a torn snapshot",
    .replacement = "one struct behind sl_snapshot, or one lock, or a sequence counter",
    .what =
        "Within one file: a function stores two atomics one right after the other (two\n"
        "fields of one object, or two globals; atomic_store, an RMW, or plain assignment to\n"
        "_Atomic objects), no other function but set-up code stores one without the other,\n"
        "and another function loads both and combines the two values for a decision (a\n"
        "comparison, a condition, a return).\n"
        "Not reported: a sequence-counter (seqlock) writer, which bumps a third atomic\n"
        "around the stores, and its reader, whose loads sit in a loop that re-checks an\n"
        "atomic; a pair stored and loaded under one common lock; independent counters\n"
        "never combined, or combined only for printing (a torn pair of statistics is an\n"
        "approximation, not a bug).",
    .why =
        "Each atomic is consistent on its own, but the pair is not: a reader that loads the\n"
        "first, gets preempted while the writer stores both, then loads the second, sees a\n"
        "state that never existed (a new head with an old tail, a new generation with an\n"
        "old size). The decision built on it is wrong; such bugs appear only under load.",
    .before =
        "struct range { _Atomic long lo, hi; } r;\n"
        "void set(long lo, long hi) { atomic_store(&r.lo, lo); atomic_store(&r.hi, hi); }\n"
        "bool inside(long x) {\n"
        "    long lo = atomic_load(&r.lo);\n"
        "    long hi = atomic_load(&r.hi);       /* may belong to another set() */\n"
        "    return x >= lo && x < hi;\n"
        "}",
    .after =
        "struct range { long lo, hi; };\n"
        "static sl_snapshot cur;                  /* <synclint/snapshot.h> */\n"
        "void set(long lo, long hi) {\n"
        "    struct range *n = malloc(sizeof *n); n->lo = lo; n->hi = hi;\n"
        "    sl_snapshot_publish(&cur, n);\n"
        "}\n"
        "bool inside(long x) {\n"
        "    const struct range *r = sl_snapshot_read_begin(&cur);\n"
        "    bool in = x >= r->lo && x < r->hi;\n"
        "    sl_snapshot_read_end();\n"
        "    return in;\n"
        "}\n"
        "/* or: a mutex around both stores and both loads; or a seqlock */",
    .when_not =
        "When the reader tolerates a mixed pair (a heuristic, statistics, a hint that is\n"
        "re-validated under a lock later), or when the two values are really independent\n"
        "and only happen to be stored side by side. When two 32-bit values fit one 64-bit\n"
        "atomic, packing them into one word is the cheapest fix.",
    .needs = SL_NEED_ACCESS | SL_NEED_SETUP,
    .check = check,
};
