/* lockflow.c - call classification, function lock summaries, and the
 * structured data-flow pass giving the locks held at every expression.
 * Reads the frozen model; writes only the sl_flow's tables and arena. */
#include "lockflow.h"
#include "pmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PASSES 4
#define MAX_LOOP_ITERS 6

/* ---------------------------------------------------------------------
 * Interning of lock classes and lockrefs (per model).
 * ------------------------------------------------------------------- */

struct intern_slot { const char *a, *b; void *v; };
struct sl_intern {
    struct intern_slot *slots;
    uint32_t cap, n;
};

static uint64_t hash_str(const char *s, uint64_t h)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void **intern_slot(struct sl_flow *o, const char *a, const char *b, bool *fresh)
{
    struct sl_intern *in = o->intern;
    if (!in) {
        in = o->intern = sl_arena_alloc(&o->arena, sizeof *in);
    }
    if ((in->n + 1) * 2 > in->cap) {
        uint32_t ncap = in->cap ? in->cap * 2 : 64;
        struct intern_slot *ns = sl_arena_alloc(&o->arena, ncap * sizeof *ns);
        for (uint32_t i = 0; i < in->cap; i++) {
            if (!in->slots[i].a) continue;
            uint64_t h = hash_str(in->slots[i].b ? in->slots[i].b : "", hash_str(in->slots[i].a, 14695981039346656037ull));
            uint32_t j = (uint32_t)h & (ncap - 1);
            while (ns[j].a) j = (j + 1) & (ncap - 1);
            ns[j] = in->slots[i];
        }
        in->slots = ns;
        in->cap = ncap;
    }
    uint64_t h = hash_str(b ? b : "", hash_str(a, 14695981039346656037ull));
    uint32_t j = (uint32_t)h & (in->cap - 1);
    for (;; j = (j + 1) & (in->cap - 1)) {
        struct intern_slot *s = &in->slots[j];
        if (!s->a) {
            s->a = sl_arena_strdup(&o->arena, a);
            s->b = b ? sl_arena_strdup(&o->arena, b) : NULL;
            in->n++;
            *fresh = true;
            return &s->v;
        }
        if (strcmp(s->a, a) == 0 && ((!s->b && !b) || (s->b && b && strcmp(s->b, b) == 0))) {
            *fresh = false;
            return &s->v;
        }
    }
}

static const char *intern_class(struct sl_flow *o, const char *cls)
{
    bool fresh;
    void **v = intern_slot(o, cls, NULL, &fresh);
    if (fresh) *v = sl_arena_strdup(&o->arena, cls);
    return *v;
}

static enum sl_lock_scope lock_scope_of(const struct sl_expr *p, bool *file_static,
                                        const struct sl_loc **decl, bool *defined);

static const struct sl_lockref *intern_lockref(struct sl_flow *o, const char *cls,
                                               const char *text, enum sl_sync_kind kind,
                                               const struct sl_expr *ptr)
{
    bool fresh;
    const char *c = intern_class(o, cls);
    void **v = intern_slot(o, c, text, &fresh);
    if (fresh) {
        struct sl_lockref *l = sl_arena_alloc(&o->arena, sizeof *l);
        l->cls = c;
        l->text = sl_arena_strdup(&o->arena, text);
        l->kind = kind;
        if (ptr) l->scope = lock_scope_of(ptr, &l->file_static, &l->decl, &l->decl_is_definition);
        else l->scope = SL_LOCK_GLOBAL;   /* an @GLOBAL wrapper's object */
        *v = l;
    }
    return *v;
}

/* ---------------------------------------------------------------------
 * Lock identity.
 * ------------------------------------------------------------------- */

static const struct sl_expr *strip_addr(const struct sl_expr *e)
{
    if (e && e->kind == SL_EX_UNARY && e->op == SL_U_ADDROF && e->n_kids) return e->kids[0];
    return NULL;
}

static const char *var_class(struct sl_arena *a, const struct sl_var *v)
{
    if (!v) return "?";
    if (v->kind == SL_VAR_GLOBAL || (v->is_static && !v->func)) return v->name;
    return sl_arena_printf(a, "%s::%s", v->func ? v->func->name : "?", v->name);
}

static const char *obj_class(struct sl_arena *a, const struct sl_expr *x);

/* Class of the lock a pointer expression points to. */
static const char *ptr_class(struct sl_arena *a, const struct sl_expr *p)
{
    const struct sl_expr *x = strip_addr(p);
    if (x) return obj_class(a, x);
    if (!p) return "?";
    switch (p->kind) {
    case SL_EX_REF:
        return sl_arena_printf(a, "*%s", var_class(a, p->var));
    case SL_EX_MEMBER:
        if (p->field && p->field->record)
            return sl_arena_printf(a, "*%s::%s", p->field->record->name, p->field->name);
        break;
    case SL_EX_BINARY:   /* locks + i */
        if ((p->op == SL_B_ADD || p->op == SL_B_SUB) && p->n_kids == 2)
            return sl_arena_printf(a, "%s[]", ptr_class(a, p->kids[0]));
        break;
    default:
        break;
    }
    return sl_expr_text(a, p);
}

static const char *obj_class(struct sl_arena *a, const struct sl_expr *x)
{
    switch (x->kind) {
    case SL_EX_REF:
        return var_class(a, x->var);
    case SL_EX_MEMBER:
        if (x->field && x->field->record)
            return sl_arena_printf(a, "%s::%s", x->field->record->name, x->field->name);
        break;
    case SL_EX_INDEX:
        if (x->n_kids) {
            const struct sl_expr *b = x->kids[0];
            if (b->tflags & SL_TY_PTR) return sl_arena_printf(a, "%s[]", ptr_class(a, b));
            return sl_arena_printf(a, "%s[]", obj_class(a, b));
        }
        break;
    case SL_EX_UNARY:
        if (x->op == SL_U_DEREF && x->n_kids) return ptr_class(a, x->kids[0]);
        break;
    default:
        break;
    }
    return sl_expr_text(a, x);
}

static enum sl_sync_kind lock_kind_of(const struct sl_expr *p)
{
    const struct sl_expr *x = strip_addr(p);
    const struct sl_expr *e = x ? x : p;
    while (e) {
        if (e->kind == SL_EX_MEMBER && e->field) return e->field->sync;
        if (e->kind == SL_EX_REF && e->var) return e->var->sync;
        if ((e->kind == SL_EX_INDEX || e->kind == SL_EX_UNARY) && e->n_kids) { e = e->kids[0]; continue; }
        break;
    }
    return SL_SYNC_NONE;
}

/* Where the lock a pointer expression designates lives (see lockflow.h),
 * and its declaration. */
static enum sl_lock_scope lock_scope_of(const struct sl_expr *p, bool *file_static,
                                        const struct sl_loc **decl, bool *defined)
{
    const struct sl_expr *x = strip_addr(p);
    const struct sl_expr *e = x ? x : p;
    *file_static = false;
    *decl = NULL;
    *defined = false;
    if (e && e->kind == SL_EX_MEMBER && e->field) {
        *decl = &e->field->loc;
        return SL_LOCK_FIELD;
    }
    while (e) {
        if (e->kind == SL_EX_REF && e->var) {
            const struct sl_var *v = e->var;
            if (v->kind == SL_VAR_GLOBAL || v->is_static) {
                *file_static = v->is_static && !v->func;
                if (e == (x ? x : p)) {
                    *decl = &v->loc;
                    *defined = v->defined_here || v->is_static;
                }
                return SL_LOCK_GLOBAL;
            }
            return SL_LOCK_LOCAL;
        }
        if (e->kind == SL_EX_MEMBER && e->field) return SL_LOCK_FIELD;
        if ((e->kind == SL_EX_INDEX || e->kind == SL_EX_UNARY || e->kind == SL_EX_BINARY) &&
            e->n_kids) { e = e->kids[0]; continue; }
        break;
    }
    return SL_LOCK_UNKNOWN;
}

/* Human text of the lock: "&c->mu" -> "c->mu", "m" -> "m". */
static const char *lock_text(struct sl_arena *a, const struct sl_expr *p)
{
    const struct sl_expr *x = strip_addr(p);
    return sl_expr_text(a, x ? x : p);
}

static const struct sl_lockref *lockref_of(struct sl_flow *o, const struct sl_expr *ptr)
{
    struct sl_arena tmp;
    sl_arena_init(&tmp);
    const struct sl_lockref *l = intern_lockref(o, ptr_class(&tmp, ptr), lock_text(&tmp, ptr),
                                                lock_kind_of(ptr), ptr);
    sl_arena_free(&tmp);
    return l;
}

/* Read-only probe of the intern table (no insertion). */
static const void *intern_find(const struct sl_flow *o, const char *a, const char *b)
{
    const struct sl_intern *in = o->intern;
    if (!in || !in->cap) return NULL;
    uint64_t h = hash_str(b ? b : "", hash_str(a, 14695981039346656037ull));
    for (uint32_t j = (uint32_t)h & (in->cap - 1);; j = (j + 1) & (in->cap - 1)) {
        const struct intern_slot *s = &in->slots[j];
        if (!s->a) return NULL;
        if (strcmp(s->a, a) == 0 && ((!s->b && !b) || (s->b && b && strcmp(s->b, b) == 0)))
            return s->v;
    }
}

const struct sl_lockref *sl_lockref_lookup(const struct sl_flow *fl, const struct sl_expr *ptr,
                                           struct sl_arena *scratch)
{
    const char *cls = ptr_class(scratch, ptr), *text = lock_text(scratch, ptr);
    const char *c = intern_find(fl, cls, NULL);
    const struct sl_lockref *l = c ? intern_find(fl, c, text) : NULL;
    if (l) return l;
    struct sl_lockref *fresh = sl_arena_alloc(scratch, sizeof *fresh);
    fresh->cls = c ? c : cls;
    fresh->text = text;
    fresh->kind = lock_kind_of(ptr);
    fresh->scope = lock_scope_of(ptr, &fresh->file_static, &fresh->decl, &fresh->decl_is_definition);
    return fresh;
}

/* ---------------------------------------------------------------------
 * Guards of conditional locking: `if (g) lock(l); ... if (g) unlock(l);`.
 * A guard is a variable (local, parameter, global) or a field path from one
 * (p->mu, s.ops->lock, *pp); two guards are the same when they name the
 * same variable and fields.
 * ------------------------------------------------------------------- */

#define MAX_GUARDS 4          /* guard facts kept per state (the most recent) */
#define MAX_GUARD_DEPTH 8

static const struct sl_expr *guard_base(const struct sl_expr *g)
{
    if (g->kind == SL_EX_MEMBER && g->field && g->n_kids) return g->kids[0];
    if (g->kind == SL_EX_UNARY && g->op == SL_U_DEREF && g->n_kids) return g->kids[0];
    return NULL;
}

static bool guard_ok(const struct sl_expr *g)
{
    for (int d = 0; g && d < MAX_GUARD_DEPTH; d++) {
        if (g->kind == SL_EX_REF) return g->var != NULL;
        g = guard_base(g);
    }
    return false;
}

static bool guard_eq(const struct sl_expr *a, const struct sl_expr *b)
{
    for (int d = 0; a && b && d < MAX_GUARD_DEPTH; d++) {
        if (a == b) return true;
        if (a->kind != b->kind) return false;
        if (a->kind == SL_EX_REF) return a->var && a->var == b->var;
        if (a->kind == SL_EX_MEMBER && a->field != b->field) return false;
        if (a->kind == SL_EX_UNARY && a->op != b->op) return false;
        a = guard_base(a);
        b = guard_base(b);
    }
    return false;
}

/* Does writing w change guard g (w is g or a prefix of its path)? */
static bool guard_written_by(const struct sl_expr *g, const struct sl_expr *w)
{
    for (int d = 0; g && d < MAX_GUARD_DEPTH; d++, g = guard_base(g))
        if (guard_eq(g, w)) return true;
    return false;
}

/* ---------------------------------------------------------------------
 * Lock sets.
 * ------------------------------------------------------------------- */

const struct sl_held *sl_lockset_find(const struct sl_lockset *s, const struct sl_lockref *l)
{
    for (uint32_t i = 0; s && i < s->n; i++)
        if (s->items[i].lock == l) return &s->items[i];
    return NULL;
}

const struct sl_held *sl_lockset_find_class(const struct sl_lockset *s, const char *cls)
{
    for (uint32_t i = s ? s->n : 0; i-- > 0;)
        if (s->items[i].lock->cls == cls) return &s->items[i];
    return NULL;
}

static struct sl_lockset *ls_new(struct sl_arena *a, uint32_t n)
{
    struct sl_lockset *s = sl_arena_alloc(a, sizeof *s + n * sizeof s->items[0]);
    s->n = 0;
    return s;
}

static const struct sl_lockset *ls_add(struct sl_arena *a, const struct sl_lockset *s,
                                       struct sl_held h)
{
    if (sl_lockset_find(s, h.lock)) return s;
    uint32_t n = sl_lockset_size(s);
    struct sl_lockset *r = ls_new(a, n + 1);
    for (uint32_t i = 0; i < n; i++) r->items[r->n++] = s->items[i];
    r->items[r->n++] = h;
    return r;
}

static const struct sl_lockset *ls_remove(struct sl_arena *a, const struct sl_lockset *s,
                                          const struct sl_lockref *l)
{
    const struct sl_held *h = sl_lockset_find(s, l);
    if (!h) return s;
    struct sl_lockset *r = ls_new(a, s->n);
    for (uint32_t i = 0; i < s->n; i++)
        if (&s->items[i] != h) r->items[r->n++] = s->items[i];
    return r->n ? r : NULL;
}

static bool same_guard(const struct sl_held *a, const struct sl_held *b)
{
    if (!a->guard || !b->guard) return !a->guard && !b->guard;
    return a->guard_true == b->guard_true && guard_eq(a->guard, b->guard);
}

static bool ls_equal(const struct sl_lockset *x, const struct sl_lockset *y)
{
    if (x == y) return true;
    if (sl_lockset_size(x) != sl_lockset_size(y)) return false;
    for (uint32_t i = 0; i < sl_lockset_size(x); i++) {
        const struct sl_held *h = sl_lockset_find(y, x->items[i].lock);
        if (!h || h->site != x->items[i].site || !same_guard(h, &x->items[i])) return false;
    }
    return true;
}

static bool ls_has_guards(const struct sl_lockset *s)
{
    for (uint32_t i = 0; i < sl_lockset_size(s); i++)
        if (s->items[i].guard) return true;
    return false;
}

/* Intersection; when the acquisition sites differ, the earlier one wins so
 * the result is stable. */
static const struct sl_lockset *ls_meet(struct sl_arena *a, const struct sl_lockset *x,
                                        const struct sl_lockset *y)
{
    if (x == y) return x;
    if (!x || !y) return NULL;
    struct sl_lockset *r = ls_new(a, x->n);
    for (uint32_t i = 0; i < x->n; i++) {
        const struct sl_held *h = sl_lockset_find(y, x->items[i].lock);
        if (!h) continue;
        struct sl_held k = x->items[i];
        if (h->site && k.site && h->site->index < k.site->index) k.site = h->site;
        r->items[r->n++] = k;
    }
    if (!r->n) return NULL;
    return ls_equal(r, x) ? x : r;
}

static const struct sl_lockset *ls_join(struct sl_arena *a, const struct sl_lockset *x,
                                        const struct sl_lockset *y)
{
    if (x == y || !y) return x;
    if (!x) return y;
    const struct sl_lockset *r = x;
    for (uint32_t i = 0; i < y->n; i++)
        if (!sl_lockset_find(r, y->items[i].lock)) r = ls_add(a, r, y->items[i]);
    return r;
}

/* ---------------------------------------------------------------------
 * Flow state.
 * ------------------------------------------------------------------- */

/* What the branches taken say about guards: "g tested true/false" on every
 * path here, g not written since.  At most MAX_GUARDS, the most recent last. */
struct gfact { const struct sl_expr *g; bool v; };
struct gfacts {
    uint32_t n;
    struct gfact f[MAX_GUARDS];
};

struct state {
    bool live;
    const struct sl_lockset *must, *may;
    const struct gfacts *facts;      /* NULL: none */
};

static const struct state DEAD = { false, NULL, NULL, NULL };

struct flow;
static struct state merge(struct flow *fl, struct state x, struct state y);

/* A trylock whose result was stored in a variable: rc = trylock(&m). */
struct pending_try { const struct sl_var *var; const struct sl_lockref *lock; const struct sl_expr *site; bool shared; };

struct label_state { const char *label; struct state st; bool seen; };

struct loop_ctx {
    struct loop_ctx *outer;
    bool is_switch;
    struct state brk, cont, sw_entry;
};

/* cv_init(&q->cv, &q->mu) (a declared bind): condvar class -> its mutex. */
struct cv_bind {
    const char *cond_cls;
    const struct sl_expr *cond, *mutex;   /* the bind call's arguments */
    const struct sl_lockref *mlock;
    bool ambiguous;                       /* bound to mutexes of two classes */
};

struct flow {
    const struct sl_model *m;
    const struct sl_lockflow_config *cfg;
    struct sl_flow *out;
    struct sl_arena *a;          /* out's arena */
    struct sl_pmap aliases;      /* local var -> the lock expression it stands for */
    const struct sl_func *fn;
    struct loop_ctx *loop;
    struct label_state *labels;
    uint32_t n_labels, cap_labels;
    bool labels_changed;
    struct pending_try *tries;
    uint32_t n_tries, cap_tries;
    struct sl_flow_exit *exits;
    uint32_t n_exits, cap_exits;
    struct sl_flow_event *events;
    uint32_t n_events, cap_events;
    bool record;     /* last pass: record exits and events */
    const char **binary_sems;   /* classes of semaphores initialised to 1 */
    uint32_t n_binary_sems;
    const struct sl_wrapper **field_wrappers;   /* declared OBJ.FIELD wrappers */
    uint32_t n_field_wrappers;
    struct sl_pmap binds;       /* condvar class -> struct cv_bind */
    uint32_t n_binds;
    uint8_t *tested_flags;      /* [sl_var.index]: a local this function tests as a flag */
};

/* ---- guard facts ---- */

/* 1: g is known true here, 0: known false, -1: unknown. */
static int fact_of(const struct gfacts *fs, const struct sl_expr *g)
{
    for (uint32_t i = 0; fs && i < fs->n; i++)
        if (guard_eq(fs->f[i].g, g)) return fs->f[i].v;
    return -1;
}

static const struct gfacts *facts_set(struct sl_arena *a, const struct gfacts *fs,
                                      const struct sl_expr *g, bool v)
{
    if (fact_of(fs, g) == (int)v) return fs;
    struct gfacts *r = sl_arena_alloc(a, sizeof *r);
    r->n = 0;
    for (uint32_t i = 0; fs && i < fs->n; i++)
        if (!guard_eq(fs->f[i].g, g)) r->f[r->n++] = fs->f[i];
    if (r->n == MAX_GUARDS) {   /* forget the oldest */
        memmove(&r->f[0], &r->f[1], (MAX_GUARDS - 1) * sizeof r->f[0]);
        r->n--;
    }
    r->f[r->n].g = g;
    r->f[r->n].v = v;
    r->n++;
    return r;
}

static const struct gfacts *facts_meet(struct sl_arena *a, const struct gfacts *x,
                                       const struct gfacts *y)
{
    if (x == y) return x;
    if (!x || !y) return NULL;
    struct gfacts tmp = { 0, {{0}} };
    for (uint32_t i = 0; i < x->n; i++)
        if (fact_of(y, x->f[i].g) == (int)x->f[i].v) tmp.f[tmp.n++] = x->f[i];
    if (tmp.n == x->n) return x;
    if (tmp.n == y->n) return y;
    if (!tmp.n) return NULL;
    struct gfacts *r = sl_arena_alloc(a, sizeof *r);
    *r = tmp;
    return r;
}

static bool facts_equal(const struct gfacts *x, const struct gfacts *y)
{
    if (x == y) return true;
    if ((x ? x->n : 0) != (y ? y->n : 0)) return false;
    for (uint32_t i = 0; i < x->n; i++)
        if (fact_of(y, x->f[i].g) != (int)x->f[i].v) return false;
    return true;
}

/* Does the state hold h on every one of its paths? */
static bool holds_everywhere(const struct state *s, const struct sl_held *h)
{
    return !h->guard || fact_of(s->facts, h->guard) == (int)h->guard_true;
}

/* h is held in x and not in y (not even may): the merge holds it iff a guard
 * tells the two apart, "g == v" on every path of x and "g != v" on every
 * path of y.  Writes the conditional item to *out. */
static const struct sl_lockref *guard_lockref(struct flow *fl, const struct sl_expr *g);

static bool derive_guard(struct flow *fl, const struct state *x, const struct state *y,
                         const struct sl_held *h, struct sl_held *out)
{
    *out = *h;
    if (sl_lockset_find(y->may, h->lock)) return false;
    if (h->guard) {
        int yv = fact_of(y->facts, h->guard);
        if (yv >= 0 || guard_lockref(fl, h->guard) != h->lock)
            return yv == (int)!h->guard_true;
        /* h's guard is its own lock pointer (`if (p) { if (p->lock)
         * lock(p->lock); locked = 1; }`, libevent's EVLOCK_LOCK): where it is
         * NULL there is no lock, so h is held wherever it exists, and an
         * outer fact that tells the sides apart is the real guard */
    }
    for (uint32_t i = x->facts ? x->facts->n : 0; i-- > 0;) {   /* the innermost test first */
        const struct gfact *f = &x->facts->f[i];
        if (fact_of(y->facts, f->g) == (int)!f->v) {
            out->guard = f->g;
            out->guard_true = f->v;
            return true;
        }
    }
    return false;
}

/* The must set where two paths meet: a lock held on both (unconditionally,
 * or under the same guard), or on one side only when a guard fact tells
 * the sides apart (then it is held under that guard). */
static const struct sl_lockset *must_merge(struct flow *fl, const struct state *x,
                                           const struct state *y)
{
    if (x->must == y->must) return x->must;
    if (!x->facts && !y->facts && !ls_has_guards(x->must) && !ls_has_guards(y->must))
        return ls_meet(fl->a, x->must, y->must);
    uint32_t nx = sl_lockset_size(x->must), ny = sl_lockset_size(y->must);
    struct sl_lockset *r = ls_new(fl->a, nx + ny);
    for (uint32_t i = 0; i < nx; i++) {
        const struct sl_held *hx = &x->must->items[i], *hy = sl_lockset_find(y->must, hx->lock);
        struct sl_held k = *hx;
        if (hy) {
            if (hy->site && k.site && hy->site->index < k.site->index) k.site = hy->site;
            if (!same_guard(hx, hy)) {
                bool ax = holds_everywhere(x, hx), ay = holds_everywhere(y, hy);
                if (ax && ay) {
                    k.guard = NULL;
                    k.guard_true = false;
                } else if (hx->guard && ay && fact_of(y->facts, hx->guard) == (int)hx->guard_true) {
                    /* y: every path has the guard true and holds it */
                } else if (hy->guard && ax && fact_of(x->facts, hy->guard) == (int)hy->guard_true) {
                    k.guard = hy->guard;
                    k.guard_true = hy->guard_true;
                } else {
                    continue;
                }
            }
        } else if (!derive_guard(fl, x, y, hx, &k)) {
            continue;
        }
        r->items[r->n++] = k;
    }
    for (uint32_t i = 0; i < ny; i++) {
        const struct sl_held *hy = &y->must->items[i];
        struct sl_held k;
        if (sl_lockset_find(x->must, hy->lock) || !derive_guard(fl, y, x, hy, &k)) continue;
        r->items[r->n++] = k;
    }
    if (!r->n) return NULL;
    return ls_equal(r, x->must) ? x->must : r;
}

/* The branch where guard g tested v: locks held iff g == v are held
 * (unconditionally) there; locks held iff g != v are not held at all. */
/* The interned lock a pointer-valued guard designates, or NULL (no insertion). */
static const struct sl_lockref *guard_lockref(struct flow *fl, const struct sl_expr *g)
{
    if (!(g->tflags & SL_TY_PTR)) return NULL;
    /* the flow's arena: a few bytes per pointer test, where a private one
     * cost a 64 KiB block per test */
    const char *c = intern_find(fl->out, ptr_class(fl->a, g), NULL);
    return c ? intern_find(fl->out, c, lock_text(fl->a, g)) : NULL;
}

static struct state guard_assume(struct flow *fl, struct state st, const struct sl_expr *g, bool v)
{
    if (!st.live) return st;
    st.facts = facts_set(fl->a, st.facts, g, v);
    if (!v) {
        /* `if (lock) unlock(lock);` (libevent's EVLOCK_UNLOCK): where the
         * lock pointer itself tests NULL there is no lock, so none is held */
        const struct sl_lockref *nl = guard_lockref(fl, g);
        if (nl && sl_lockset_find(st.may, nl)) {
            st.must = ls_remove(fl->a, st.must, nl);
            st.may = ls_remove(fl->a, st.may, nl);
        }
    }
    if (!ls_has_guards(st.must)) return st;
    struct sl_lockset *r = ls_new(fl->a, st.must->n);
    for (uint32_t i = 0; i < st.must->n; i++) {
        struct sl_held h = st.must->items[i];
        if (h.guard && guard_eq(h.guard, g)) {
            if (h.guard_true != v) {
                st.may = ls_remove(fl->a, st.may, h.lock);
                continue;
            }
            h.guard = NULL;
            h.guard_true = false;
        }
        r->items[r->n++] = h;
    }
    st.must = r->n ? r : NULL;
    return st;
}

/* w (an lvalue) is written: what was known about guards it changes is lost,
 * and locks held under such a guard are only may-held from here. */
static struct state guard_kill(struct flow *fl, struct state st, const struct sl_expr *w)
{
    if (!st.live || !w || (!st.facts && !ls_has_guards(st.must))) return st;
    if (st.facts) {
        struct gfacts tmp = { 0, {{0}} };
        for (uint32_t i = 0; i < st.facts->n; i++)
            if (!guard_written_by(st.facts->f[i].g, w)) tmp.f[tmp.n++] = st.facts->f[i];
        if (tmp.n != st.facts->n) {
            struct gfacts *r = NULL;
            if (tmp.n) {
                r = sl_arena_alloc(fl->a, sizeof *r);
                *r = tmp;
            }
            st.facts = r;
        }
    }
    bool hit = false;
    for (uint32_t i = 0; i < sl_lockset_size(st.must) && !hit; i++)
        hit = st.must->items[i].guard && guard_written_by(st.must->items[i].guard, w);
    if (!hit) return st;
    struct sl_lockset *r = ls_new(fl->a, st.must->n);
    for (uint32_t i = 0; i < st.must->n; i++)
        if (!st.must->items[i].guard || !guard_written_by(st.must->items[i].guard, w))
            r->items[r->n++] = st.must->items[i];
    st.must = r->n ? r : NULL;
    return st;
}

static struct state merge(struct flow *fl, struct state x, struct state y)
{
    if (!x.live) return y;
    if (!y.live) return x;
    struct state r = { true, must_merge(fl, &x, &y), ls_join(fl->a, x.may, y.may),
                       facts_meet(fl->a, x.facts, y.facts) };
    return r;
}

static bool state_equal(struct state x, struct state y)
{
    if (x.live != y.live) return false;
    return !x.live || (ls_equal(x.must, y.must) && ls_equal(x.may, y.may) &&
                       facts_equal(x.facts, y.facts));
}

#define PUSH(arr, n, cap, val) do { \
        if ((n) == (cap)) { \
            uint32_t nc_ = (cap) ? (cap) * 2 : 8; \
            (arr) = sl_arena_grow(fl->a, (arr), (n), nc_, sizeof *(arr)); \
            (cap) = nc_; \
        } \
        (arr)[(n)++] = (val); \
    } while (0)

static struct label_state *label_get(struct flow *fl, const char *label)
{
    for (uint32_t i = 0; i < fl->n_labels; i++)
        if (!strcmp(fl->labels[i].label, label)) return &fl->labels[i];
    struct label_state ls = { label, DEAD, false };
    PUSH(fl->labels, fl->n_labels, fl->cap_labels, ls);
    return &fl->labels[fl->n_labels - 1];
}

static void add_event(struct flow *fl, enum sl_flow_event_kind k, const struct sl_expr *call,
                      const struct sl_lockref *l, const struct sl_expr *prev)
{
    if (!fl->record) return;
    struct sl_flow_event ev = { k, call, l, prev };
    PUSH(fl->events, fl->n_events, fl->cap_events, ev);
}

/* ---------------------------------------------------------------------
 * Call classification.
 * ------------------------------------------------------------------- */

static const struct sl_wrapper *user_wrapper(struct flow *fl, const char *name)
{
    for (size_t i = 0; i < fl->cfg->n_wrappers; i++)
        if (!strcmp(fl->cfg->wrappers[i].name, name)) {
            fl->out->wrapper_used[i] = true;
            return &fl->cfg->wrappers[i];
        }
    return NULL;
}

/* Does a type spelling name the struct OBJ ("const struct lock_ops *",
 * "lock_ops_t", "union u")? */
static bool type_spells(const char *tn, const char *obj, size_t len)
{
    if (!tn) return false;
    for (;;) {
        if (!strncmp(tn, "const ", 6)) tn += 6;
        else if (!strncmp(tn, "volatile ", 9)) tn += 9;
        else break;
    }
    if (!strncmp(tn, "struct ", 7)) tn += 7;
    else if (!strncmp(tn, "union ", 6)) tn += 6;
    if (strncmp(tn, obj, len)) return false;
    for (tn += len; *tn; ) {
        if (*tn == ' ' || *tn == '*') tn++;
        else if (!strncmp(tn, "const", 5)) tn += 5;
        else if (!strncmp(tn, "volatile", 8)) tn += 8;
        else if (!strncmp(tn, "restrict", 8)) tn += 8;
        else return false;
    }
    return true;
}

/* A declared OBJ.FIELD wrapper called through a function-pointer field:
 * evthread_lock_fns_.lock(mode, l) (OBJ a global struct variable) or
 * ops->acquire(m) (OBJ the struct tag or typedef of ops). */
static const struct sl_wrapper *field_wrapper(struct flow *fl, const struct sl_expr *c)
{
    if (!fl->n_field_wrappers || !c->indirect || !c->callee) return NULL;
    const struct sl_expr *m = c->callee;
    while (m->kind == SL_EX_UNARY && m->op == SL_U_DEREF && m->n_kids) m = m->kids[0];   /* (*ops->f)() */
    if (m->kind != SL_EX_MEMBER || !m->field || !m->field->name || !m->n_kids) return NULL;
    const struct sl_expr *base = m->kids[0];
    for (uint32_t i = 0; i < fl->n_field_wrappers; i++) {
        const struct sl_wrapper *w = fl->field_wrappers[i];
        const char *field = sl_wrapper_field(w);
        size_t len = (size_t)(field - 1 - w->name);
        if (strcmp(field, m->field->name)) continue;
        bool hit = false;
        if (base->kind == SL_EX_REF && base->var && base->var->kind == SL_VAR_GLOBAL &&
            strlen(base->var->name) == len && !strncmp(base->var->name, w->name, len))
            hit = true;   /* the global object itself */
        if (!hit && m->field->record) hit = type_spells(m->field->record->name, w->name, len);
        if (!hit && base->kind == SL_EX_REF && base->var)
            hit = type_spells(base->var->type_name, w->name, len);
        if (!hit && base->kind == SL_EX_MEMBER && base->field)
            hit = type_spells(base->field->type_name, w->name, len);
        if (hit) {
            fl->out->wrapper_used[w - fl->cfg->wrappers] = true;
            return w;
        }
    }
    return NULL;
}

/* The declared or built-in lock function a call is, by name or by field. */
static const struct sl_wrapper *wrapper_of_call(struct flow *fl, const struct sl_expr *c)
{
    if (!c->name) return field_wrapper(fl, c);
    const struct sl_wrapper *w = user_wrapper(fl, c->name);
    return w ? w : sl_builtin_lockop(c->name);
}

#define OPS(e) (fl->out->ops[(e)->id])
#define FN(f) (fl->out->fns[(f)->index])

static bool is_binary_sem(struct flow *fl, const struct sl_lockref *l)
{
    for (uint32_t i = 0; i < fl->n_binary_sems; i++)
        if (fl->binary_sems[i] == l->cls) return true;
    return false;
}

/* Does fn post semaphore class cls anywhere? (binary use: wait and post
 * in the same function) */
static bool fn_posts_sem(struct flow *fl, const struct sl_func *fn, const char *cls)
{
    for (uint32_t i = 0; i < fn->n_calls; i++) {
        const struct sl_call_op *op = &OPS(fn->calls[i]);
        if (op->op == SL_OP_SEM_POST && op->lock && op->lock->cls == cls) return true;
    }
    return false;
}

static const struct sl_var *param_alias(const struct sl_var *v);
static const struct sl_expr *lock_arg_of(struct flow *fl, const struct sl_expr *call, bool cond);
static const struct sl_expr *subst_expr(struct sl_arena *a, const struct sl_expr *e,
                                        const struct sl_var *pv, const struct sl_expr *arg);

/* Effect of applying a callee summary at a call: the lockref of the
 * callee's lock expression with its parameter replaced by the argument. */
static const struct sl_lockref *effect_lockref(struct flow *fl, const struct sl_expr *call,
                                               int param, const struct sl_expr *lock_expr,
                                               const struct sl_func *callee)
{
    if (!lock_expr) return NULL;
    if (param < 0) return lockref_of(fl->out, lock_expr);
    if ((uint32_t)param >= call->n_kids || (uint32_t)param >= callee->n_params) return NULL;
    return lockref_of(fl->out, subst_expr(fl->a, lock_expr, callee->params[param],
                                          call->kids[param]));
}

/* Copy of e in which every sub-expression that repl_of maps to a
 * replacement is replaced, sharing the untouched parts; e itself when
 * nothing matches.  Subtrees deeper than max_depth are kept as they are. */
typedef const struct sl_expr *(*repl_fn)(const struct sl_expr *e, const void *ctx);

static const struct sl_expr *rewrite_expr(struct sl_arena *a, const struct sl_expr *e,
                                          repl_fn repl_of, const void *ctx, int depth,
                                          int max_depth)
{
    if (!e || depth > max_depth) return e;
    const struct sl_expr *r = repl_of(e, ctx);
    if (r) return r;
    struct sl_expr **kids = NULL;
    for (uint32_t i = 0; i < e->n_kids; i++) {
        const struct sl_expr *k = rewrite_expr(a, e->kids[i], repl_of, ctx, depth + 1, max_depth);
        if (k != e->kids[i] && !kids) {
            kids = sl_arena_alloc(a, e->n_kids * sizeof *kids);
            memcpy(kids, e->kids, e->n_kids * sizeof *kids);
        }
        /* the copy lives in the flow's arena; the model stays untouched */
        if (kids) kids[i] = (struct sl_expr *)k;
    }
    if (!kids) return e;
    struct sl_expr *c = sl_arena_alloc(a, sizeof *c);
    *c = *e;
    c->kids = kids;
    return c;
}

struct path_repl { const struct sl_expr *old, *repl; };

static const struct sl_expr *path_repl_of(const struct sl_expr *e, const void *ctx)
{
    const struct path_repl *pr = ctx;
    return guard_eq(e, pr->old) ? pr->repl : NULL;
}

/* Copy of e with the sub-expression equal (as a guard path) to old replaced
 * by repl; e itself when old does not occur. */
static const struct sl_expr *replace_path(struct sl_arena *a, const struct sl_expr *e,
                                          const struct sl_expr *old, const struct sl_expr *repl,
                                          int depth)
{
    struct path_repl pr = { old, repl };
    return rewrite_expr(a, e, path_repl_of, &pr, depth, MAX_GUARD_DEPTH);
}

/* The mutex a wait with no mutex argument releases: the one a bind call
 * bound to its condvar's class (NULL if none, or bound to two classes).
 * When the bind and the wait name the condvar as a field of some object
 * (cv_init(&q->cv, &q->mu), cv_wait(&p->cv)), the mutex is the same field
 * path from the wait's object (p->mu). */
static const struct sl_lockref *bound_mutex(struct flow *fl, const struct sl_expr *cond)
{
    if (!fl->n_binds || !cond) return NULL;
    const char *cls = lockref_of(fl->out, cond)->cls;
    const struct cv_bind *b = sl_pmap_get(&fl->binds, SL_PKEY(cls), 0);
    if (!b || b->ambiguous) return NULL;
    const struct sl_expr *bc = strip_addr(b->cond), *wc = strip_addr(cond);
    if (!bc) bc = b->cond;
    if (!wc) wc = cond;
    if (bc->kind == SL_EX_MEMBER && wc->kind == SL_EX_MEMBER && bc->field == wc->field &&
        bc->n_kids && wc->n_kids && guard_ok(bc->kids[0])) {
        const struct sl_expr *mx = replace_path(fl->a, b->mutex, bc->kids[0], wc->kids[0], 0);
        if (mx != b->mutex) return lockref_of(fl->out, mx);
    }
    return b->mlock;
}

/* `void *lock1 = (bev)->lock; EVLOCK_LOCK(lock1)`: a local set once from a
 * lock expression and never changed is that lock (its class is the
 * field's, not a per-function local's).  Memoised per variable. */
static const struct sl_expr *unalias(struct flow *fl, const struct sl_expr *e, int depth)
{
    if (!e || e->kind != SL_EX_REF || !e->var || e->var->kind != SL_VAR_LOCAL || e->var->is_static ||
        !e->var->func || depth > 4)
        return e;
    const struct sl_var *v = e->var;
    void **slot = sl_pmap_slot(&fl->aliases, SL_PKEY(v), 0);
    if (!*slot) {
        const struct sl_func *f = v->func;
        const struct sl_expr *init = NULL;
        bool other = false;
        for (uint32_t i = 0; i < f->n_stmts && !other; i++) {
            const struct sl_stmt *st = f->stmts[i];
            if (st->kind == SL_ST_DECL && st->var == v) {
                if (init || !st->expr) other = true;
                else init = st->expr;
            }
        }
        for (uint32_t i = 0; i < f->n_exprs && !other && init; i++) {
            const struct sl_expr *x = f->exprs[i];
            if ((x->kind == SL_EX_ASSIGN || (x->kind == SL_EX_UNARY && x->op != SL_U_DEREF &&
                                             x->op != SL_U_LNOT && x->op != SL_U_NOT &&
                                             x->op != SL_U_MINUS && x->op != SL_U_PLUS)) &&
                x->n_kids && x->kids[0]->kind == SL_EX_REF && x->kids[0]->var == v)
                other = true;
        }
        *slot = (void *)(other || !init ? e : init);
        if (!other && init) *slot = (void *)unalias(fl, init, depth + 1);
    }
    return *slot;
}

static void classify_call(struct flow *fl, const struct sl_expr *c)
{
    struct sl_call_op *op = &OPS(c);
    if (op->op) return;   /* classified already */
    const struct sl_wrapper *w = wrapper_of_call(fl, c);
    if (w) {
        op->op = w->op;
        if (w->global) {
            op->lock = intern_lockref(fl->out, w->global, w->global, SL_SYNC_NONE, NULL);
            return;
        }
        if (w->op == SL_OP_WAIT || w->op == SL_OP_TIMEDWAIT || w->op == SL_OP_BIND) {
            int ci = w->arg[0] >= 0 ? w->arg[0] : 0, mi = w->arg[1];
            if ((uint32_t)ci < c->n_kids) op->cond = lockref_of(fl->out, unalias(fl, c->kids[ci], 0));
            if (mi >= 0 && (uint32_t)mi < c->n_kids) op->lock = lockref_of(fl->out, unalias(fl, c->kids[mi], 0));
            else if (mi < 0 && (uint32_t)ci < c->n_kids) op->lock = bound_mutex(fl, c->kids[ci]);
        } else {
            int ai = w->arg[0] >= 0 ? w->arg[0] : 0;
            if ((uint32_t)ai < c->n_kids) op->lock = lockref_of(fl->out, unalias(fl, c->kids[ai], 0));
        }
        return;
    }
    const struct sl_func *callee = c->func;
    if (!callee || !callee->body || callee == fl->fn || !FN(callee).n_effects) return;
    /* A same-TU wrapper: one effect becomes this call's lock operation. */
    const struct sl_func_effect *e = &FN(callee).effects[0];
    op->op = e->op;
    op->lock = effect_lockref(fl, c, e->param, e->lock_expr, callee);
    if (e->op == SL_OP_WAIT || e->op == SL_OP_TIMEDWAIT) {
        op->cond = effect_lockref(fl, c, e->cond_param, e->cond_expr, callee);
        /* it waits on a bound condvar: the mutex is bound to the one here */
        if (!e->lock_expr) op->lock = bound_mutex(fl, lock_arg_of(fl, c, true));
    }
}

/* ---------------------------------------------------------------------
 * The walk.
 * ------------------------------------------------------------------- */

static struct state walk_stmt(struct flow *fl, const struct sl_stmt *s, struct state st);
static struct state walk_expr(struct flow *fl, const struct sl_expr *e, struct state st);

/* `locked = 1;` next to the lock, `int locked = 0;` on the other path, and
 * `if (locked) unlock(m);` later: a local flag given a constant is known
 * true or false from there on, like a tested guard, so the merge can tell
 * the locked paths from the others by it.  lhs: the flag (a REF). */
static struct state flag_set(struct flow *fl, struct state st, const struct sl_expr *lhs,
                             const struct sl_expr *val)
{
    if (!st.live || !lhs || lhs->kind != SL_EX_REF || !lhs->var ||
        !fl->tested_flags[lhs->var->index] || !val || val->kind != SL_EX_INT || !val->has_value)
        return st;
    st.facts = facts_set(fl->a, st.facts, lhs, val->ival != 0);
    return st;
}

static void annotate(struct flow *fl, const struct sl_expr *e, struct state st)
{
    fl->out->must[e->id] = st.must;
    fl->out->may[e->id] = st.may;
}

static struct state acquire(struct flow *fl, struct state st, const struct sl_lockref *l,
                            const struct sl_expr *site, bool shared)
{
    if (!l || !st.live) return st;
    const struct sl_held *prev = sl_lockset_find(st.must, l);
    if (prev && !prev->guard && l->kind != SL_SYNC_RWLOCK)
        add_event(fl, SL_EV_DOUBLE_LOCK, site, l, prev->site);
    if (prev && prev->guard) {
        /* taken on every path now: no longer conditional */
        st.must = ls_remove(fl->a, st.must, l);
        prev = NULL;
    }
    struct sl_held h = { l, site, shared, false, NULL };
    st.must = ls_add(fl->a, st.must, h);
    st.may = ls_add(fl->a, st.may, h);
    return st;
}

static struct state release(struct flow *fl, struct state st, const struct sl_lockref *l,
                            const struct sl_expr *site)
{
    if (!l || !st.live) return st;
    const struct sl_held *h = sl_lockset_find(st.may, l);
    if (!h) h = sl_lockset_find_class(st.may, l->cls);
    if (!h) {
        add_event(fl, SL_EV_UNLOCK_NOT_HELD, site, l, NULL);
        return st;
    }
    const struct sl_lockref *held = h->lock;
    st.must = ls_remove(fl->a, st.must, held);
    st.may = ls_remove(fl->a, st.may, held);
    return st;
}

static bool op_is_sem_lock(struct flow *fl, const struct sl_expr *c)
{
    const struct sl_lockref *l = OPS(c).lock;
    return l && is_binary_sem(fl, l) && fn_posts_sem(fl, fl->fn, l->cls);
}

static struct state apply_call(struct flow *fl, const struct sl_expr *c, struct state st)
{
    const struct sl_call_op *cop = &OPS(c);
    switch (cop->op) {
    case SL_OP_LOCK:
    case SL_OP_WRLOCK:
        return acquire(fl, st, cop->lock, c, false);
    case SL_OP_RDLOCK:
        return acquire(fl, st, cop->lock, c, true);
    case SL_OP_UNLOCK:
        return release(fl, st, cop->lock, c);
    case SL_OP_SEM_WAIT:
        if (op_is_sem_lock(fl, c)) return acquire(fl, st, cop->lock, c, false);
        return st;
    case SL_OP_SEM_POST:
        if (cop->lock && is_binary_sem(fl, cop->lock) && sl_lockset_find(st.may, cop->lock))
            return release(fl, st, cop->lock, c);
        return st;
    case SL_OP_TRYLOCK:
    case SL_OP_TRYRDLOCK:
    case SL_OP_TRYWRLOCK: {
        /* Outside a condition: remember rc = trylock(...) for a later test. */
        const struct sl_expr *p = c->parent;
        const struct sl_var *v = NULL;
        if (p && p->kind == SL_EX_ASSIGN && p->op == SL_B_ASSIGN && p->kids[1] == c &&
            p->kids[0]->kind == SL_EX_REF)
            v = p->kids[0]->var;
        else if (!p && c->stmt && c->stmt->kind == SL_ST_DECL && c->stmt->expr == c)
            v = c->stmt->var;
        if (v && cop->lock) {
            struct pending_try t = { v, cop->lock, c, cop->op == SL_OP_TRYRDLOCK };
            PUSH(fl->tries, fl->n_tries, fl->cap_tries, t);
        }
        if (cop->lock && st.live) {
            struct sl_held h = { cop->lock, c, cop->op == SL_OP_TRYRDLOCK, false, NULL };
            st.may = ls_add(fl->a, st.may, h);
        }
        return st;
    }
    default:
        break;
    }
    /* Same-TU callee with several effects (lock + unlock of different
     * locks): apply all but the first, which classify_call folded in. */
    const struct sl_func *callee = c->func;
    if (callee && callee->body && callee != fl->fn) {
        for (uint32_t i = 1; i < FN(callee).n_effects; i++) {
            const struct sl_func_effect *e = &FN(callee).effects[i];
            const struct sl_lockref *l = effect_lockref(fl, c, e->param, e->lock_expr, callee);
            if (e->op == SL_OP_UNLOCK) st = release(fl, st, l, c);
            else if (sl_lockop_acquires(e->op)) st = acquire(fl, st, l, c, e->op == SL_OP_RDLOCK);
        }
    }
    return st;
}

/* `rc = trylock(&m); ... rc = other(); if (rc)`: a variable assigned again
 * no longer holds the trylock's result. */
static void drop_tries(struct flow *fl, const struct sl_expr *assign)
{
    if (assign->kind != SL_EX_ASSIGN || !assign->n_kids || assign->kids[0]->kind != SL_EX_REF)
        return;
    const struct sl_var *v = assign->kids[0]->var;
    uint32_t w = 0;
    for (uint32_t i = 0; i < fl->n_tries; i++)
        if (fl->tries[i].var != v) fl->tries[w++] = fl->tries[i];
    fl->n_tries = w;
}

static struct state walk_expr(struct flow *fl, const struct sl_expr *e, struct state st)
{
    if (!e) return st;
    annotate(fl, e, st);
    drop_tries(fl, e);
    switch (e->kind) {
    case SL_EX_CALL:
        if (e->callee) st = walk_expr(fl, e->callee, st);
        for (uint32_t i = 0; i < e->n_kids; i++) st = walk_expr(fl, e->kids[i], st);
        classify_call(fl, e);
        /* the call's own annotation is the state when it is made */
        annotate(fl, e, st);
        return apply_call(fl, e, st);
    case SL_EX_STMTEXPR:
        if (e->body) st = walk_stmt(fl, e->body, st);
        return st;
    case SL_EX_BINARY:
        if ((e->op == SL_B_LAND || e->op == SL_B_LOR) && e->n_kids == 2) {
            struct state a = walk_expr(fl, e->kids[0], st);
            struct state b = walk_expr(fl, e->kids[1], a);
            return merge(fl, a, b);
        }
        break;
    case SL_EX_COND:
        if (e->n_kids == 3) {
            struct state c = walk_expr(fl, e->kids[0], st);
            struct state t = walk_expr(fl, e->kids[1], c);
            struct state f = walk_expr(fl, e->kids[2], c);
            return merge(fl, t, f);
        }
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < e->n_kids; i++) st = walk_expr(fl, e->kids[i], st);
    /* a write to a guard (or to the address of one) ends what is known of it */
    if (e->n_kids && (e->kind == SL_EX_ASSIGN ||
                      (e->kind == SL_EX_UNARY &&
                       (e->op == SL_U_POSTINC || e->op == SL_U_POSTDEC || e->op == SL_U_PREINC ||
                        e->op == SL_U_PREDEC || e->op == SL_U_ADDROF))))
        st = guard_kill(fl, st, e->kids[0]);
    if (e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN && e->n_kids == 2)
        st = flag_set(fl, st, e->kids[0], e->kids[1]);
    return st;
}

static bool is_zero(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_INT && e->has_value && e->ival == 0;
}

static bool is_try(enum sl_lockop op)
{
    return op == SL_OP_TRYLOCK || op == SL_OP_TRYRDLOCK || op == SL_OP_TRYWRLOCK;
}

/* Evaluate a condition, splitting the state into (true, false) so that a
 * trylock's success lands on the right branch. */
static void cond_split(struct flow *fl, const struct sl_expr *e, struct state st,
                       struct state *t, struct state *f)
{
    if (!e) { *t = *f = st; return; }
    if (e->kind == SL_EX_UNARY && e->op == SL_U_LNOT && e->n_kids == 1) {
        annotate(fl, e, st);
        cond_split(fl, e->kids[0], st, f, t);
        return;
    }
    if (e->kind == SL_EX_BINARY && (e->op == SL_B_EQ || e->op == SL_B_NE) && e->n_kids == 2 &&
        (is_zero(e->kids[0]) || is_zero(e->kids[1]))) {
        annotate(fl, e, st);
        const struct sl_expr *inner = is_zero(e->kids[1]) ? e->kids[0] : e->kids[1];
        if (e->op == SL_B_EQ) cond_split(fl, inner, st, f, t);
        else cond_split(fl, inner, st, t, f);
        return;
    }
    if (e->kind == SL_EX_BINARY && e->op == SL_B_LAND && e->n_kids == 2) {
        annotate(fl, e, st);
        struct state t1, f1, t2, f2;
        cond_split(fl, e->kids[0], st, &t1, &f1);
        cond_split(fl, e->kids[1], t1, &t2, &f2);
        *t = t2;
        *f = merge(fl, f1, f2);
        return;
    }
    if (e->kind == SL_EX_BINARY && e->op == SL_B_LOR && e->n_kids == 2) {
        annotate(fl, e, st);
        struct state t1, f1, t2, f2;
        cond_split(fl, e->kids[0], st, &t1, &f1);
        cond_split(fl, e->kids[1], f1, &t2, &f2);
        *t = merge(fl, t1, t2);
        *f = f2;
        return;
    }
    if (e->kind == SL_EX_CALL) {
        struct state s = st;
        annotate(fl, e, st);
        for (uint32_t i = 0; i < e->n_kids; i++) s = walk_expr(fl, e->kids[i], s);
        classify_call(fl, e);
        annotate(fl, e, s);
        const struct sl_call_op *eop = &OPS(e);
        if (is_try(eop->op) && eop->lock) {
            /* non-zero means failure */
            *t = s;
            *f = acquire(fl, s, eop->lock, e, eop->op == SL_OP_TRYRDLOCK);
            return;
        }
        if (eop->op == SL_OP_SEM_TIMEDWAIT || eop->op == SL_OP_SEM_TRYWAIT) {
            *t = *f = s;
            return;
        }
        /* A built-in lock whose result is tested (`if (pthread_mutex_lock(&m)
         * != 0) return -1;`, `if (sem_wait(&s) != 0)`): like a trylock, it
         * returns 0 when it took the lock and an error (EINVAL, EDEADLK,
         * EINTR) when it did not, so the non-zero branch holds nothing.
         * Declared wrappers are left alone: their return value is theirs. */
        if ((eop->op == SL_OP_LOCK || eop->op == SL_OP_WRLOCK || eop->op == SL_OP_RDLOCK ||
             eop->op == SL_OP_SEM_WAIT) && e->name && !e->indirect && sl_builtin_lockop(e->name) &&
            !user_wrapper(fl, e->name)) {
            *t = s;
            *f = apply_call(fl, e, s);
            return;
        }
        *t = *f = apply_call(fl, e, s);
        return;
    }
    if (e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN && e->n_kids == 2 &&
        e->kids[1]->kind == SL_EX_CALL) {
        annotate(fl, e, st);
        drop_tries(fl, e);
        st = walk_expr(fl, e->kids[0], st);
        st = guard_kill(fl, st, e->kids[0]);
        cond_split(fl, e->kids[1], st, t, f);
        return;
    }
    if (e->kind == SL_EX_REF && e->var) {
        for (uint32_t i = fl->n_tries; i-- > 0;) {
            if (fl->tries[i].var != e->var) continue;
            annotate(fl, e, st);
            *t = st;
            *f = acquire(fl, st, fl->tries[i].lock, fl->tries[i].site, fl->tries[i].shared);
            return;
        }
    }
    if (guard_ok(e)) {
        /* if (g), if (!p->mu), if (x != NULL): a guard; each branch knows it */
        struct state s = walk_expr(fl, e, st);
        *t = guard_assume(fl, s, e, true);
        *f = guard_assume(fl, s, e, false);
        return;
    }
    struct state s = walk_expr(fl, e, st);
    *t = *f = s;
}

static void record_exit(struct flow *fl, const struct sl_stmt *at, struct state st)
{
    if (!fl->record || !st.live) return;
    struct sl_flow_exit x = { at, st.must, st.may };
    PUSH(fl->exits, fl->n_exits, fl->cap_exits, x);
}

static struct state walk_loop(struct flow *fl, const struct sl_stmt *s, struct state st)
{
    struct loop_ctx lc = { fl->loop, false, DEAD, DEAD, DEAD };
    fl->loop = &lc;
    const struct sl_stmt *body = s->kind == SL_ST_FOR ? s->kids[1] : s->kids[0];
    if (s->kind == SL_ST_DO && is_zero(s->expr)) {
        /* do { ... } while (0), the macro idiom: the body runs once */
        struct state b = walk_stmt(fl, body, st);
        b = merge(fl, b, lc.cont);
        b = walk_expr(fl, s->expr, b);
        fl->loop = lc.outer;
        return merge(fl, b, lc.brk);
    }
    if (s->kind == SL_ST_FOR && s->kids[0]) st = walk_stmt(fl, s->kids[0], st);
    struct state head = st, exit_f = DEAD;
    for (int iter = 0; iter < MAX_LOOP_ITERS; iter++) {
        lc.brk = DEAD;
        lc.cont = DEAD;
        struct state t, f;
        if (s->kind == SL_ST_DO) {
            struct state b = walk_stmt(fl, body, head);
            b = merge(fl, b, lc.cont);
            cond_split(fl, s->expr, b, &t, &f);
        } else {
            if (s->expr) cond_split(fl, s->expr, head, &t, &f);
            else { t = head; f = DEAD; }   /* for (;;) */
            struct state b = walk_stmt(fl, body, t);
            b = merge(fl, b, lc.cont);
            if (s->kind == SL_ST_FOR && s->inc) b = walk_expr(fl, s->inc, b);
            t = b;
        }
        exit_f = f;
        struct state next = merge(fl, st, t);
        if (state_equal(next, head)) break;
        head = next;
    }
    fl->loop = lc.outer;
    return merge(fl, exit_f, lc.brk);
}

static struct state walk_switch(struct flow *fl, const struct sl_stmt *s, struct state st)
{
    st = walk_expr(fl, s->expr, st);
    struct loop_ctx lc = { fl->loop, true, DEAD, DEAD, st };
    fl->loop = &lc;
    struct state end = walk_stmt(fl, s->kids[0], DEAD);
    fl->loop = lc.outer;
    /* no default: control may skip the body */
    bool has_default = false;
    for (uint32_t i = s->index + 1; i < fl->fn->n_stmts; i++) {
        const struct sl_stmt *x = fl->fn->stmts[i];
        const struct sl_stmt *p = x;
        while (p && p != s) p = p->parent;
        if (!p) break;
        if (x->kind == SL_ST_DEFAULT) {
            /* belongs to this switch unless a nested switch is in between */
            const struct sl_stmt *q = x->parent;
            while (q != s && q->kind != SL_ST_SWITCH) q = q->parent;
            if (q == s) { has_default = true; break; }
        }
    }
    struct state r = merge(fl, end, lc.brk);
    if (!has_default) r = merge(fl, r, st);
    return r;
}

static struct loop_ctx *enclosing_switch(struct flow *fl)
{
    for (struct loop_ctx *l = fl->loop; l; l = l->outer)
        if (l->is_switch) return l;
    return NULL;
}

static struct state walk_stmt(struct flow *fl, const struct sl_stmt *s, struct state st)
{
    if (!s) return st;
    switch (s->kind) {
    case SL_ST_BLOCK:
    case SL_ST_OTHER:
        for (uint32_t i = 0; i < s->n_kids; i++) st = walk_stmt(fl, s->kids[i], st);
        return st;
    case SL_ST_EXPR:
        return walk_expr(fl, s->expr, st);
    case SL_ST_DECL:
        st = walk_expr(fl, s->expr, st);
        if (s->var && (st.facts || ls_has_guards(st.must))) {
            struct sl_expr ref;   /* the declared variable, (re)initialised */
            memset(&ref, 0, sizeof ref);
            ref.kind = SL_EX_REF;
            ref.var = s->var;
            st = guard_kill(fl, st, &ref);
        }
        if (s->var && s->expr && s->expr->kind == SL_EX_INT && s->expr->has_value &&
            fl->tested_flags[s->var->index]) {
            /* `int locked = 0;`: a flag known from here on (see flag_set) */
            struct sl_expr *ref = sl_arena_alloc(fl->a, sizeof *ref);
            memset(ref, 0, sizeof *ref);
            ref->kind = SL_EX_REF;
            ref->var = s->var;
            ref->name = s->var->name;
            ref->loc = s->loc;
            ref->tflags = s->var->tflags;
            st = flag_set(fl, st, ref, s->expr);
        }
        return st;
    case SL_ST_IF: {
        struct state t, f;
        cond_split(fl, s->expr, st, &t, &f);
        t = walk_stmt(fl, s->kids[0], t);
        if (s->kids[1]) f = walk_stmt(fl, s->kids[1], f);
        return merge(fl, t, f);
    }
    case SL_ST_WHILE:
    case SL_ST_DO:
    case SL_ST_FOR:
        return walk_loop(fl, s, st);
    case SL_ST_SWITCH:
        return walk_switch(fl, s, st);
    case SL_ST_CASE:
    case SL_ST_DEFAULT: {
        struct loop_ctx *sw = enclosing_switch(fl);
        if (sw) st = merge(fl, st, sw->sw_entry);
        if (s->expr && s->kind == SL_ST_CASE) {
            annotate(fl, s->expr, st);
        }
        return walk_stmt(fl, s->kids[0], st);
    }
    case SL_ST_LABEL: {
        struct label_state *ls = label_get(fl, s->label);
        ls->seen = true;
        st = merge(fl, st, ls->st);
        return walk_stmt(fl, s->kids[0], st);
    }
    case SL_ST_GOTO:
        if (s->label) {
            struct label_state *ls = label_get(fl, s->label);
            struct state merged = merge(fl, ls->st, st);
            if (!state_equal(merged, ls->st)) {
                if (ls->seen) fl->labels_changed = true;
                ls->st = merged;
            }
        } else {
            record_exit(fl, s, st);   /* computed goto: unknown target */
        }
        return DEAD;
    case SL_ST_RETURN:
        st = walk_expr(fl, s->expr, st);
        record_exit(fl, s, st);
        return DEAD;
    case SL_ST_BREAK:
        if (fl->loop) fl->loop->brk = merge(fl, fl->loop->brk, st);
        return DEAD;
    case SL_ST_CONTINUE:
        for (struct loop_ctx *l = fl->loop; l; l = l->outer)
            if (!l->is_switch) { l->cont = merge(fl, l->cont, st); break; }
        return DEAD;
    default:
        return st;
    }
}

/* ---------------------------------------------------------------------
 * Per function: run to a fixpoint over labels, then summarise.
 * ------------------------------------------------------------------- */

/* Parameter index an expression is rooted at, -1 for a global root, -2
 * for anything else (a local: not expressible at the call site). */
/* A local initialised from a parameter and never reassigned is that
 * parameter: `struct ovs_mutex *mutex = CONST_CAST(struct ovs_mutex *, mutex_);` */
static const struct sl_var *param_alias(const struct sl_var *v)
{
    if (!v || v->kind != SL_VAR_LOCAL || !v->func) return v;
    const struct sl_func *f = v->func;
    const struct sl_var *alias = NULL;
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (s->kind == SL_ST_DECL && s->var == v && s->expr && s->expr->kind == SL_EX_REF &&
            s->expr->var && s->expr->var->kind == SL_VAR_PARAM)
            alias = s->expr->var;
    }
    if (!alias) return v;
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind == SL_EX_ASSIGN && x->n_kids && x->kids[0]->kind == SL_EX_REF &&
            x->kids[0]->var == v)
            return v;   /* reassigned: not an alias */
    }
    return alias;
}

static int root_param(const struct sl_expr *e)
{
    const struct sl_var *v = param_alias(sl_expr_root_var(e));
    if (!v) return -2;
    if (v->kind == SL_VAR_PARAM) return v->param_index;
    if (v->kind == SL_VAR_GLOBAL || (v->is_static && !v->func)) return -1;
    return -2;
}

/* Copy of e with references to pv replaced by arg (shares untouched parts). */
struct param_repl { const struct sl_var *pv; const struct sl_expr *arg; };

static const struct sl_expr *param_repl_of(const struct sl_expr *e, const void *ctx)
{
    const struct param_repl *pr = ctx;
    if (e->kind == SL_EX_REF && e->var && (e->var == pr->pv || param_alias(e->var) == pr->pv))
        return pr->arg;
    return NULL;
}

static const struct sl_expr *subst_expr(struct sl_arena *a, const struct sl_expr *e,
                                        const struct sl_var *pv, const struct sl_expr *arg)
{
    struct param_repl pr = { pv, arg };
    return rewrite_expr(a, e, param_repl_of, &pr, 0, INT32_MAX);
}

/* The expression, in terms of the calling function, that a lock operation
 * call acts on: the argument for built-ins and declared wrappers, or the
 * callee's own lock expression with its parameter replaced by the argument
 * for same-TU wrappers (so wrappers of wrappers compose). */
static const struct sl_expr *lock_arg_of(struct flow *fl, const struct sl_expr *call, bool cond)
{
    const struct sl_wrapper *w = wrapper_of_call(fl, call);
    if (w) {
        if (w->global) return NULL;
        bool wait = OPS(call).op == SL_OP_WAIT || OPS(call).op == SL_OP_TIMEDWAIT;
        if (wait && !cond && w->arg[1] < 0) return NULL;   /* its mutex is bound, not passed */
        int i = cond ? w->arg[0] : (wait ? w->arg[1] : w->arg[0]);
        if (i < 0) i = wait && !cond ? 1 : 0;
        return (uint32_t)i < call->n_kids ? call->kids[i] : NULL;
    }
    const struct sl_func *callee = call->func;
    if (!callee || callee->index >= fl->m->n_funcs || !FN(callee).n_effects) return NULL;
    const struct sl_func_effect *e = &FN(callee).effects[0];
    int p = cond ? e->cond_param : e->param;
    const struct sl_expr *inner = cond ? e->cond_expr : e->lock_expr;
    if (p < 0) return inner;   /* a global: the same expression everywhere */
    if ((uint32_t)p >= call->n_kids || (uint32_t)p >= callee->n_params) return NULL;
    return subst_expr(fl->a, inner, callee->params[p], call->kids[p]);
}

static bool in_loop(const struct sl_stmt *s)
{
    for (; s; s = s->parent)
        if (sl_stmt_is_loop(s)) return true;
    return false;
}

static void add_effect(struct flow *fl, struct sl_func_flow *ff, struct sl_func_effect e,
                       struct sl_func_effect **arr, uint32_t *cap)
{
    for (uint32_t i = 0; i < ff->n_effects; i++)
        if (ff->effects[i].op == e.op && ff->effects[i].param == e.param &&
            ff->effects[i].lock_expr == e.lock_expr) return;
    PUSH(*arr, ff->n_effects, *cap, e);
    ff->effects = *arr;
}

static void summarise(struct flow *fl, const struct sl_func *fn)
{
    struct sl_func_flow *ff = &FN(fn);
    struct sl_func_effect *arr = NULL;
    uint32_t cap = 0;
    ff->n_effects = 0;
    if (fn->n_params == 0 && !ff->n_exits) return;
    /* Acquired: held at every exit. */
    const struct sl_lockset *common = NULL;
    bool first = true;
    for (uint32_t i = 0; i < ff->n_exits; i++) {
        common = first ? ff->exits[i].must : ls_meet(fl->a, common, ff->exits[i].must);
        first = false;
    }
    for (uint32_t i = 0; i < sl_lockset_size(common); i++) {
        const struct sl_held *h = &common->items[i];
        /* released first, though this function had not taken it, then
         * taken again (dp_netdev_offload_flush: drop the caller's port
         * lock, wait, retake it): the caller's lock, as it was, not an
         * acquire */
        bool retake = false;
        for (uint32_t k = 0; k < ff->n_events && !retake; k++)
            retake = ff->events[k].kind == SL_EV_UNLOCK_NOT_HELD && ff->events[k].lock &&
                     ff->events[k].lock->cls == h->lock->cls;
        if (retake) continue;
        if (h->guard) {
            /* held under a guard the caller cannot see (a local): not an
             * acquire wrapper; under a parameter or global: it is one */
            const struct sl_var *gv = sl_expr_root_var(h->guard);
            if (!gv || (gv->kind == SL_VAR_LOCAL && !gv->is_static)) continue;
        }
        const struct sl_expr *arg = lock_arg_of(fl, h->site, false);
        if (!arg) continue;
        int p = root_param(arg);
        if (p == -2) continue;
        enum sl_lockop op = h->shared ? SL_OP_RDLOCK : SL_OP_LOCK;
        struct sl_func_effect e = { op, p, arg, -1, NULL };
        add_effect(fl, ff, e, &arr, &cap);
    }
    /* Released: unlocks of locks this function did not take. */
    for (uint32_t i = 0; i < ff->n_events; i++) {
        const struct sl_flow_event *ev = &ff->events[i];
        if (ev->kind != SL_EV_UNLOCK_NOT_HELD) continue;
        /* dropped and taken back on some path before returning (curl's
         * thrdpool_join_zombies: unlock, join, lock, in a loop that may not
         * run): the caller's lock may be held again afterwards, so it is
         * not a release (the pairing below only sees acquires on every path) */
        bool retaken = false;
        for (uint32_t k = 0; k < ff->n_exits && !retaken; k++)
            retaken = sl_lockset_find_class(ff->exits[k].may, ev->lock->cls) != NULL;
        if (retaken) continue;
        const struct sl_expr *arg = lock_arg_of(fl, ev->call, false);
        if (!arg) continue;
        int p = root_param(arg);
        if (p == -2) continue;
        struct sl_func_effect e = { SL_OP_UNLOCK, p, arg, -1, NULL };
        add_effect(fl, ff, e, &arr, &cap);
    }
    /* A function that releases its caller's lock and takes it again before
     * returning (drops it around a callback) leaves it as it was: no effect. */
    for (uint32_t i = 0; i < ff->n_effects; i++) {
        if (arr[i].op != SL_OP_UNLOCK) continue;
        const char *cls = lockref_of(fl->out, arr[i].lock_expr)->cls;
        for (uint32_t k = 0; k < ff->n_effects; k++) {
            if (!sl_lockop_acquires(arr[k].op) || lockref_of(fl->out, arr[k].lock_expr)->cls != cls)
                continue;
            uint32_t hi = i > k ? i : k, lo = i > k ? k : i, w = 0;
            for (uint32_t j = 0; j < ff->n_effects; j++)
                if (j != hi && j != lo) arr[w++] = arr[j];
            ff->n_effects = w;
            i = (uint32_t)-1;   /* start over on the shortened list */
            break;
        }
    }
    ff->effects = arr;
    /* Waits on parameters, outside any loop here: a wait wrapper. */
    if (ff->n_effects == 0) {
        for (uint32_t i = 0; i < fn->n_calls; i++) {
            const struct sl_expr *c = fn->calls[i];
            enum sl_lockop cop = OPS(c).op;
            if (cop != SL_OP_WAIT && cop != SL_OP_TIMEDWAIT) continue;
            if (in_loop(c->stmt) || sl_enclosing_shared_if(c->stmt)) continue;
            const struct sl_expr *ca = lock_arg_of(fl, c, true), *ma = lock_arg_of(fl, c, false);
            int cp = ca ? root_param(ca) : -2;
            int mp = ma ? root_param(ma) : OPS(c).lock && OPS(c).cond ? -1 : -2;   /* -1: bound */
            if (cp < 0 || mp == -2) continue;
            /* It took the mutex itself (lock, wait, unlock): it is a whole
             * waiting function, not a wrapper its callers wait through. */
            const struct sl_lockset *held = fl->out->must[c->id];
            bool own = false;
            for (uint32_t h = 0; h < sl_lockset_size(held) && !own; h++)
                own = held->items[h].site && held->items[h].site->stmt &&
                      held->items[h].site->stmt->func == fn &&
                      OPS(c).lock && held->items[h].lock->cls == OPS(c).lock->cls;
            if (own) continue;
            struct sl_func_effect e = { cop, mp, ma, cp, ca };
            add_effect(fl, ff, e, &arr, &cap);
            break;
        }
    }
}

/* Mark (on) or clear the locals that fn tests as flags (`if (locked)`,
 * `if (!locked && ...)`): only those become guard facts when assigned a
 * constant (flag_set), so that counters and return codes set to 0 do not
 * push the few guard facts a state keeps out. */
static void mark_flag(struct flow *fl, const struct sl_expr *c, bool on)
{
    for (int d = 0; c && d < MAX_GUARD_DEPTH; d++) {
        if (c->kind == SL_EX_REF) {
            const struct sl_var *v = c->var;
            if (v && v->kind == SL_VAR_LOCAL && !v->is_static && !(v->tflags & SL_TY_PTR))
                fl->tested_flags[v->index] = on;
            return;
        }
        if (c->kind == SL_EX_BINARY && (c->op == SL_B_LAND || c->op == SL_B_LOR) &&
            c->n_kids == 2) {
            mark_flag(fl, c->kids[0], on);
            c = c->kids[1];
        } else if (c->kind == SL_EX_UNARY && c->op == SL_U_LNOT && c->n_kids == 1) {
            c = c->kids[0];
        } else {
            return;
        }
    }
}

static void mark_flags(struct flow *fl, const struct sl_func *fn, bool on)
{
    for (uint32_t i = 0; i < fn->n_stmts; i++)
        if (fn->stmts[i]->kind == SL_ST_IF) mark_flag(fl, fn->stmts[i]->expr, on);
}

static void run_function(struct flow *fl, const struct sl_func *fn)
{
    mark_flags(fl, fn, true);
    fl->fn = fn;
    fl->labels = NULL;
    fl->n_labels = fl->cap_labels = 0;
    fl->tries = NULL;
    fl->n_tries = fl->cap_tries = 0;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        fl->labels_changed = false;
        fl->record = false;
        fl->loop = NULL;
        for (uint32_t i = 0; i < fl->n_labels; i++) fl->labels[i].seen = false;
        struct state st = { true, NULL, NULL, NULL };
        walk_stmt(fl, fn->body, st);
        if (!fl->labels_changed) break;
    }
    /* Final recording pass from the converged label states. */
    fl->record = true;
    fl->exits = NULL;
    fl->n_exits = fl->cap_exits = 0;
    fl->events = NULL;
    fl->n_events = fl->cap_events = 0;
    fl->loop = NULL;
    fl->n_tries = 0;
    for (uint32_t i = 0; i < fl->n_labels; i++) fl->labels[i].seen = false;
    struct state st = { true, NULL, NULL, NULL };
    struct state end = walk_stmt(fl, fn->body, st);
    record_exit(fl, NULL, end);
    FN(fn).exits = fl->exits;
    FN(fn).n_exits = fl->n_exits;
    FN(fn).events = fl->events;
    FN(fn).n_events = fl->n_events;
    summarise(fl, fn);
    mark_flags(fl, fn, false);
}

/* ---------------------------------------------------------------------
 * Driver: resolve callers and thread bodies, find binary semaphores, and
 * process functions callees first.
 * ------------------------------------------------------------------- */

static void visit_postorder(const struct sl_model *m, const struct sl_func *f, uint8_t *mark,
                            const struct sl_func **order, uint32_t *n)
{
    if (mark[f->index]) return;
    mark[f->index] = 1;
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_func *c = f->calls[i]->func;
        if (c && c->body && c->index < m->n_funcs) visit_postorder(m, c, mark, order, n);
    }
    order[(*n)++] = f;
}

static void find_binary_sems(struct flow *fl)
{
    const struct sl_model *m = fl->m;
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        const struct sl_func *f = m->funcs[i];
        for (uint32_t j = 0; j < f->n_calls; j++) {
            const struct sl_expr *c = f->calls[j];
            if (!c->name) continue;
            const struct sl_expr *obj = NULL, *val = NULL;
            if (!strcmp(c->name, "sem_init") && c->n_kids == 3) { obj = c->kids[0]; val = c->kids[2]; }
            if (!obj || !val || val->kind != SL_EX_INT || !val->has_value || val->ival != 1) continue;
            fl->binary_sems = sl_arena_grow(fl->a, fl->binary_sems, fl->n_binary_sems,
                                            fl->n_binary_sems + 1, sizeof *fl->binary_sems);
            fl->binary_sems[fl->n_binary_sems++] = lockref_of(fl->out, obj)->cls;
        }
    }
}

/* Every declared bind call in the TU: condvar class -> mutex. */
static void find_binds(struct flow *fl)
{
    bool any = false;
    for (size_t i = 0; i < fl->cfg->n_wrappers && !any; i++) any = fl->cfg->wrappers[i].op == SL_OP_BIND;
    if (!any) return;
    sl_pmap_init(&fl->binds, fl->a);
    const struct sl_model *m = fl->m;
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        const struct sl_func *f = m->funcs[i];
        fl->fn = f;
        for (uint32_t j = 0; j < f->n_calls; j++) {
            const struct sl_expr *c = f->calls[j];
            const struct sl_wrapper *w = wrapper_of_call(fl, c);
            if (!w || w->op != SL_OP_BIND) continue;
            classify_call(fl, c);
            const struct sl_call_op *op = &OPS(c);
            if (!op->cond || !op->lock) continue;
            void **slot = sl_pmap_slot(&fl->binds, SL_PKEY(op->cond->cls), 0);
            struct cv_bind *b = *slot;
            if (b) {
                if (b->mlock->cls != op->lock->cls) b->ambiguous = true;
                continue;
            }
            b = sl_arena_alloc(fl->a, sizeof *b);
            *b = (struct cv_bind){ op->cond->cls, c->kids[w->arg[0]], c->kids[w->arg[1]], op->lock,
                                   false };
            *slot = b;
            fl->n_binds++;
        }
    }
}

static void *table(struct sl_arena *a, size_t n, size_t elem)
{
    return sl_arena_alloc(a, (n ? n : 1) * elem);
}

void sl_lockflow_run(struct sl_flow *out, const struct sl_model *m,
                     const struct sl_lockflow_config *cfg)
{
    static const struct sl_lockflow_config none;
    if (!cfg) cfg = &none;
    memset(out, 0, sizeof *out);
    sl_arena_init(&out->arena);
    out->model = m;
    out->must = table(&out->arena, m->n_exprs, sizeof *out->must);
    out->may = table(&out->arena, m->n_exprs, sizeof *out->may);
    out->ops = table(&out->arena, m->n_exprs, sizeof *out->ops);
    out->fns = table(&out->arena, m->n_funcs, sizeof *out->fns);
    out->wrapper_used = table(&out->arena, cfg->n_wrappers, sizeof *out->wrapper_used);
    struct flow fl = {0};
    fl.m = m;
    fl.cfg = cfg;
    fl.out = out;
    fl.a = &out->arena;
    sl_pmap_init(&fl.aliases, &out->arena);
    for (size_t i = 0; i < cfg->n_wrappers; i++)
        if (sl_wrapper_field(&cfg->wrappers[i])) {
            fl.field_wrappers = sl_arena_grow(fl.a, fl.field_wrappers, fl.n_field_wrappers,
                                              fl.n_field_wrappers + 1, sizeof *fl.field_wrappers);
            fl.field_wrappers[fl.n_field_wrappers++] = &cfg->wrappers[i];
        }
    find_binary_sems(&fl);
    find_binds(&fl);
    /* Semaphore ops need their lockrefs before functions are walked (a
     * sem_wait is a lock only if the same function posts). */
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        const struct sl_func *f = m->funcs[i];
        fl.fn = f;
        for (uint32_t j = 0; j < f->n_calls; j++) {
            const struct sl_expr *c = f->calls[j];
            if (c->name && !strncmp(c->name, "sem_", 4)) classify_call(&fl, c);
        }
    }
    fl.tested_flags = table(&out->arena, m->n_vars, sizeof *fl.tested_flags);
    uint8_t *mark = sl_arena_alloc(&out->arena, m->n_funcs ? m->n_funcs : 1);
    const struct sl_func **order = table(&out->arena, m->n_funcs, sizeof *order);
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->n_funcs; i++) visit_postorder(m, m->funcs[i], mark, order, &n);
    for (uint32_t i = 0; i < n; i++)
        if (order[i]->body) run_function(&fl, order[i]);
}

void sl_flow_free(struct sl_flow *fl)
{
    if (!fl) return;
    sl_arena_free(&fl->arena);
    memset(fl, 0, sizeof *fl);
}
