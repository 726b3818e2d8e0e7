/* split-atomic-state - two atomics stored together in one function and
 * loaded separately, then combined, in another: a torn snapshot.
 *
 * Per TU, facts: the atomics each function writes ("writes"), the pairs a
 * writer stores in consecutive statements ("pair"), and the pairs of loads
 * a function combines for a decision ("combined").  check_project matches
 * them, so the writer and the reader may live in different files. */
#include <stdio.h>
#include <string.h>
#include "rulekit.h"
#include "strmap.h"

#define MAX_LOCKS 8
#define MAX_WRITTEN 64    /* objects one function writes, as a fact */
#define MAX_LOADS 64      /* atomic loads of one function paired up */

/* One atomic object: a field (of any object of its record) or a global. */
static const void *identity(const struct sl_access *a)
{
    return a->field ? (const void *)a->field : (const void *)a->var;
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

/* Where each function's accesses are in fx->accesses (they come grouped
 * by function): built once per TU so that no question rescans them. */
struct ranges { uint32_t *first, *end; };   /* [sl_func.index] */

static void build_ranges(struct sl_rule_ctx *cx, struct ranges *r)
{
    const struct sl_facts *fx = cx->facts;
    uint32_t nf = cx->model->n_funcs ? cx->model->n_funcs : 1;
    r->first = sl_arena_alloc(cx->scratch, nf * sizeof *r->first);
    r->end = sl_arena_alloc(cx->scratch, nf * sizeof *r->end);
    memset(r->first, 0, nf * sizeof *r->first);
    memset(r->end, 0, nf * sizeof *r->end);
    for (uint32_t i = 0; i < fx->n_accesses; i++) {
        uint32_t fi = fx->accesses[i].func->index;
        if (r->end[fi] == 0) r->first[fi] = i;
        r->end[fi] = i + 1;
    }
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

/* The lock classes held at both x and y, joined by '\n' ("" if none). */
static const char *common_locks(struct sl_rule_ctx *cx, const struct sl_expr *x, const struct sl_expr *y)
{
    const char *hx[MAX_LOCKS], *hy[MAX_LOCKS];
    uint32_t nx = sl_facts_held_classes(cx->facts, x, hx, MAX_LOCKS);
    uint32_t ny = sl_facts_held_classes(cx->facts, y, hy, MAX_LOCKS);
    size_t len = 1;
    for (uint32_t i = 0; i < nx; i++) len += strlen(hx[i]) + 1;
    char *out = sl_arena_alloc(cx->scratch, len), *w = out;
    for (uint32_t i = 0; i < nx; i++)
        for (uint32_t j = 0; j < ny; j++)
            if (hx[i] == hy[j]) {
                if (w != out) *w++ = '\n';
                size_t l = strlen(hx[i]);
                memcpy(w, hx[i], l);
                w += l;
            }
    *w = 0;
    return out;
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

static const char *key_of(struct sl_rule_ctx *cx, const struct sl_access *x)
{
    return sl_summary_object_key(cx->scratch, cx->model->main_file, x->field, x->var);
}

/* Every atomic object f writes, for the project's "always stored together". */
static void export_writes(struct sl_rule_ctx *cx, const struct sl_func *f, const struct ranges *r)
{
    const struct sl_facts *fx = cx->facts;
    const char *keys[MAX_WRITTEN];
    const void *ids[MAX_WRITTEN];
    uint32_t n = 0;
    for (uint32_t i = r->first[f->index]; i < r->end[f->index]; i++) {
        const struct sl_access *x = &fx->accesses[i];
        if (!x->atomic || !x->write) continue;
        bool seen = false;
        for (uint32_t k = 0; k < n && !seen; k++) seen = ids[k] == identity(x);
        if (seen) continue;
        if (n == MAX_WRITTEN) {            /* a big writer: several facts */
            sl_export_fact_args(cx, f, "writes", NULL, 0, keys, n);
            n = 0;
        }
        ids[n] = identity(x);
        keys[n++] = key_of(cx, x);
    }
    if (n) sl_export_fact_args(cx, f, "writes", NULL, 0, keys, n);
}

/* Two atomics stored together by writer w: "pair" facts. */
static void export_pairs(struct sl_rule_ctx *cx, const struct sl_func *w, const struct ranges *r)
{
    const struct sl_facts *fx = cx->facts;
    uint32_t first = r->first[w->index], end = r->end[w->index];
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
        const char *args[] = { key_of(cx, a), key_of(cx, x), sl_expr_text(cx->scratch, a->e),
                               sl_expr_text(cx->scratch, x->e), common_locks(cx, a->e, x->e) };
        const struct sl_expr *chain[] = { a->e, x->e };
        sl_export_fact_args(cx, w, "pair", chain, 2, args, 5);
    }
}

/* Two atomic loads of f combined for a decision: "combined" facts. */
static void export_combined_loads(struct sl_rule_ctx *cx, const struct sl_func *f,
                                  const struct ranges *r)
{
    const struct sl_facts *fx = cx->facts;
    uint32_t first = r->first[f->index], end = r->end[f->index], n_loads = 0;
    for (uint32_t i = first; i < end; i++) n_loads += fx->accesses[i].atomic && !fx->accesses[i].write;
    if (n_loads < 2 || n_loads > MAX_LOADS) return;
    for (uint32_t i = first; i < end; i++) {
        const struct sl_access *ra = &fx->accesses[i];
        if (!ra->atomic || ra->write || in_retry_loop(ra->e)) continue;
        const struct sl_expr *va = loaded_value(ra->e);
        if (!va) continue;
        for (uint32_t j = i + 1; j < end; j++) {
            const struct sl_access *rb = &fx->accesses[j];
            if (!rb->atomic || rb->write || identity(rb) == identity(ra) || in_retry_loop(rb->e))
                continue;
            if (!ra->field != !rb->field) continue;
            if (strcmp(base_text(cx->scratch, ra), base_text(cx->scratch, rb))) continue;
            const struct sl_expr *vb = loaded_value(rb->e);
            if (!vb) continue;
            const struct sl_expr *comb = combination(f, va, stored_into_local(va), vb,
                                                     stored_into_local(vb));
            if (!comb) continue;
            const char *args[] = { key_of(cx, ra), key_of(cx, rb), sl_expr_text(cx->scratch, ra->e),
                                   sl_expr_text(cx->scratch, rb->e), common_locks(cx, ra->e, rb->e) };
            const struct sl_expr *chain[] = { ra->e, rb->e, comb };
            sl_export_fact_args(cx, f, "combined", chain, 3, args, 5);
        }
    }
}

/* Per TU: state what each function stores and loads together. */
static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    if (!cx->exports) return;
    struct ranges r;
    build_ranges(cx, &r);
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (sl_is_setup_function(cx->facts, f)) continue;   /* runs before the readers */
        export_writes(cx, f, &r);
        if (!f->in_main_file) continue;
        export_pairs(cx, f, &r);
        export_combined_loads(cx, f, &r);
    }
}

/* ---- the whole program ---- */

struct writers { uint32_t *fns; uint32_t n, cap; };   /* project fns[] indices, ascending */

static bool has_word_line(const char *list, const char *word)
{
    size_t l = strlen(word);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == l && !strncmp(p, word, l)) return true;
        p += n;
        if (*p) p++;
    }
    return false;
}

/* Do two '\n'-joined lock lists share a lock? */
static bool share_lock(const char *a, const char *b)
{
    char buf[256];
    for (const char *p = a; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n < sizeof buf) {
            memcpy(buf, p, n);
            buf[n] = 0;
            if (has_word_line(b, buf)) return true;
        }
        p += n;
        if (*p) p++;
    }
    return false;
}

static const char *pair_key(struct sl_arena *a, const char *x, const char *y)
{
    if (strcmp(x, y) > 0) { const char *t = x; x = y; y = t; }
    size_t lx = strlen(x), ly = strlen(y);
    char *k = sl_arena_alloc(a, lx + ly + 2);
    memcpy(k, x, lx);
    k[lx] = '\x01';
    memcpy(k + lx + 1, y, ly + 1);
    return k;
}

static bool is_fact(const struct sl_project_ctx *cx, const struct sl_sum_fact *fa, const char *what,
                    uint32_t n_args)
{
    return !strcmp(fa->rule, cx->rule->id) && !strcmp(fa->what, what) && fa->n_args == n_args;
}

/* The functions (project indices) that store each atomic object. */
static struct writers *collect_writers(struct sl_project_ctx *cx, struct sl_strmap *ids, uint32_t *n)
{
    const struct sl_project *p = cx->project;
    struct writers *w = NULL;
    uint32_t cap = 0;
    *n = 0;
    for (uint32_t i = 0; i < p->n_fns; i++)
        for (uint32_t k = 0; k < p->fns[i].n_facts; k++) {
            const struct sl_sum_fact *fa = &p->fns[i].facts[k];
            if (strcmp(fa->rule, cx->rule->id) || strcmp(fa->what, "writes")) continue;
            for (uint32_t a = 0; a < fa->n_args; a++) {
                uint32_t idx;
                if (!sl_strmap_get(ids, fa->args[a], &idx)) {
                    if (*n == cap) {
                        uint32_t nc = cap ? cap * 2 : 16;
                        w = sl_arena_grow(cx->scratch, w, *n, nc, sizeof *w);
                        cap = nc;
                    }
                    memset(&w[*n], 0, sizeof *w);
                    idx = sl_strmap_put(ids, fa->args[a], (*n)++);
                }
                struct writers *x = &w[idx];
                if (x->n && x->fns[x->n - 1] == i) continue;
                if (x->n == x->cap) {
                    uint32_t nc = x->cap ? x->cap * 2 : 4;
                    x->fns = sl_arena_grow(cx->scratch, x->fns, x->n, nc, sizeof *x->fns);
                    x->cap = nc;
                }
                x->fns[x->n++] = i;
            }
        }
    return w;
}

/* "Always stored together": the same functions store both, in the whole program. */
static bool same_writers(const struct writers *w, struct sl_strmap *ids, const char *a, const char *b)
{
    uint32_t ia, ib;
    if (!sl_strmap_get(ids, a, &ia) || !sl_strmap_get(ids, b, &ib)) return false;
    const struct writers *x = &w[ia], *y = &w[ib];
    if (x->n != y->n) return false;
    for (uint32_t i = 0; i < x->n; i++)
        if (x->fns[i] != y->fns[i]) return false;   /* both in project order */
    return true;
}

static void report(struct sl_project_ctx *cx, const struct sl_sum_fact *pair,
                   const struct sl_sum_fact *rd)
{
    const struct sl_site *first = &rd->chain[0].at, *second = &rd->chain[1].at;
    const char *t1 = rd->args[2], *t2 = rd->args[3];
    if (sl_site_cmp(first, second) > 0) {
        const struct sl_site *s = first; first = second; second = s;
        const char *t = t1; t1 = t2; t2 = t;
    }
    const char *writer = pair->chain[0].at.func ? pair->chain[0].at.func : "?";
    struct sl_diag *d = sl_preport(cx, second,
        "'%s' and '%s' are loaded one at a time here and combined, but '%s' stores them "
        "together: between the two loads the writer can run, so this reads one new and "
        "one old value (a torn snapshot)", t1, t2, writer);
    sl_pset_identity(cx, d, pair_key(cx->scratch, pair->args[0], pair->args[1]));
    sl_pnote(cx, d, first, "'%s' loaded here", t1);
    sl_pnote(cx, d, &rd->chain[2].at, "the two values combined here");
    sl_pnote(cx, d, &pair->chain[0].at, "'%s' and '%s' stored together in '%s'", pair->args[2],
             pair->args[3], writer);
    sl_pnote_text(cx, d, "use: one struct behind sl_snapshot (<synclint/snapshot.h>), one lock "
                  "around both stores and both loads, or a sequence counter the reader re-checks");
}

static bool same_function(const struct sl_sum_fact *a, const struct sl_sum_fact *b)
{
    const struct sl_site *x = &a->chain[0].at, *y = &b->chain[0].at;
    return x->func && y->func && !strcmp(x->func, y->func) && x->file && y->file &&
           !strcmp(x->file, y->file);
}

static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    struct sl_strmap *ids = sl_strmap_new(cx->scratch);
    uint32_t n_objs;
    struct writers *w = collect_writers(cx, ids, &n_objs);
    /* the first writer of each pair stored together everywhere */
    struct sl_strmap *pairs = sl_strmap_new(cx->scratch);
    const struct sl_sum_fact **pair_of = NULL;
    uint32_t n_pairs = 0, cap_pairs = 0;
    for (uint32_t i = 0; i < p->n_fns; i++)
        for (uint32_t k = 0; k < p->fns[i].n_facts; k++) {
            const struct sl_sum_fact *fa = &p->fns[i].facts[k];
            uint32_t dummy;
            if (!is_fact(cx, fa, "pair", 5) || fa->n_chain != 2) continue;
            const char *key = pair_key(cx->scratch, fa->args[0], fa->args[1]);
            if (sl_strmap_get(pairs, key, &dummy)) continue;
            if (!same_writers(w, ids, fa->args[0], fa->args[1])) continue;
            if (n_pairs == cap_pairs) {
                uint32_t nc = cap_pairs ? cap_pairs * 2 : 16;
                pair_of = sl_arena_grow(cx->scratch, pair_of, n_pairs, nc, sizeof *pair_of);
                cap_pairs = nc;
            }
            pair_of[n_pairs] = fa;
            sl_strmap_put(pairs, key, n_pairs++);
        }
    if (!n_pairs) return;
    for (uint32_t i = 0; i < p->n_fns; i++)
        for (uint32_t k = 0; k < p->fns[i].n_facts; k++) {
            const struct sl_sum_fact *fa = &p->fns[i].facts[k];
            uint32_t pi;
            if (!is_fact(cx, fa, "combined", 5) || fa->n_chain != 3) continue;
            if (!sl_strmap_get(pairs, pair_key(cx->scratch, fa->args[0], fa->args[1]), &pi)) continue;
            const struct sl_sum_fact *pair = pair_of[pi];
            if (same_function(pair, fa)) continue;                /* the writer reads its own */
            if (pair->args[4][0] && share_lock(pair->args[4], fa->args[4])) continue;
            report(cx, pair, fa);
        }
}

const struct sl_rule sl_rule_split_atomic_state = {
    .id = "split-atomic-state",
    .tier = 3,
    .summary = "two atomics always stored together in one function and loaded separately, then "
               "combined, in another: a torn snapshot",
    .replacement = "one struct behind sl_snapshot, or one lock, or a sequence counter",
    .what =
        "Across the whole program: a function stores two atomics one right after the other\n"
        "(two fields of one object, or two globals; atomic_store, an RMW, or plain\n"
        "assignment to _Atomic objects), every function that stores one of them (set-up\n"
        "code aside, in any file) stores the other too, and another function loads both\n"
        "and combines the two values for a decision (a comparison, a condition, a return).\n"
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
    .check_project = check_project,
};
