/* facts.c - the shared per-TU facts of facts.h, each computed in one pass. */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sort.h"

#define THREAD_DEPTH 4

static void compute_callgraph(struct sl_facts *fx)
{
    const struct sl_model *m = fx->model;
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        const struct sl_func *f = m->funcs[i];
        for (uint32_t j = 0; j < f->n_calls; j++) {
            const struct sl_func *g = f->calls[j]->func;
            if (g && g->body && g->index < m->n_funcs) fx->fns[g->index].n_callers++;
        }
    }
    const struct sl_expr ***slots = sl_arena_alloc(&fx->arena, (m->n_funcs ? m->n_funcs : 1) * sizeof *slots);
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        struct sl_func_facts *ff = &fx->fns[i];
        slots[i] = sl_arena_alloc(&fx->arena, (ff->n_callers ? ff->n_callers : 1) * sizeof *slots[i]);
        ff->callers = slots[i];
        ff->n_callers = 0;
    }
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        const struct sl_func *f = m->funcs[i];
        for (uint32_t j = 0; j < f->n_calls; j++) {
            const struct sl_func *g = f->calls[j]->func;
            if (g && g->body && g->index < m->n_funcs)
                slots[g->index][fx->fns[g->index].n_callers++] = f->calls[j];
        }
    }
}

/* The function a pthread_create / thrd_create call starts, or NULL. */
static const struct sl_func *function_designator(const struct sl_expr *a)
{
    if (a->kind == SL_EX_UNARY && a->op == SL_U_ADDROF && a->n_kids) a = a->kids[0];
    return a->kind == SL_EX_REF ? a->func : NULL;
}

/* A project's thread-creation wrapper, by its name: Open vSwitch's
 * ovs_thread_create(name, fn, arg), libuv's uv_thread_create, glib's
 * g_thread_new, SDL_CreateThread... (a word "thread" with create, new,
 * start or spawn). */
static bool names_thread_creation(const char *n)
{
    static const char *const thread[] = { "thread", "thr", NULL };
    static const char *const make[] = { "create", "new", "start", "spawn", "run", NULL };
    return sl_name_has_word(n, thread) && sl_name_has_word(n, make);
}

const struct sl_func *sl_thread_start_target(const struct sl_expr *c)
{
    int ai = -1;
    if (!c->name) return NULL;
    if (!strcmp(c->name, "pthread_create")) ai = 2;
    else if (!strcmp(c->name, "thrd_create")) ai = 1;
    if (ai >= 0) return (uint32_t)ai < c->n_kids ? function_designator(c->kids[ai]) : NULL;
    /* a wrapper: the function it is handed is what the thread runs (the
     * argument is looked for first: most calls pass no function) */
    for (uint32_t i = 0; i < c->n_kids; i++) {
        const struct sl_func *f = function_designator(c->kids[i]);
        if (f) return names_thread_creation(c->name) ? f : NULL;
    }
    return NULL;
}

/* on_thread: memoised per function (0 unknown, 1 in progress, 2 no, 3 yes);
 * a cycle counts as "not only from threads". */
static bool on_thread(struct sl_facts *fx, uint8_t *memo, const struct sl_func *f, int depth)
{
    if (!f || f->index >= fx->model->n_funcs || depth > THREAD_DEPTH) return false;
    struct sl_func_facts *ff = &fx->fns[f->index];
    if (ff->thread_entry) return true;
    if (memo[f->index] >= 2) return memo[f->index] == 3;
    if (memo[f->index] == 1 || !ff->n_callers) return false;
    memo[f->index] = 1;
    bool all = true;
    for (uint32_t i = 0; i < ff->n_callers && all; i++) {
        const struct sl_expr *c = ff->callers[i];
        all = c->stmt && on_thread(fx, memo, c->stmt->func, depth + 1);
    }
    /* a depth-limited "no" is not final for shallower queries */
    memo[f->index] = all ? 3 : depth == 0 ? 2 : 0;
    return all;
}

static void compute_threads(struct sl_facts *fx)
{
    const struct sl_model *m = fx->model;
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        const struct sl_func *f = m->funcs[i];
        for (uint32_t j = 0; j < f->n_calls; j++) {
            const struct sl_func *t = sl_thread_start_target(f->calls[j]);
            if (t && t->index < m->n_funcs) fx->fns[t->index].thread_entry = true;
        }
    }
    uint8_t *memo = sl_arena_alloc(&fx->arena, m->n_funcs ? m->n_funcs : 1);
    for (uint32_t i = 0; i < m->n_funcs; i++)
        fx->fns[i].on_thread = on_thread(fx, memo, m->funcs[i], 0);
}

/* Words that name a function run once, before its object or subsystem is
 * shared or after it no longer is: init/setup/teardown whatever they
 * return, and constructors/destructors that work on an object. */
static const char *const lifecycle_words[] = {
    "init", "initialize", "initialise", "setup", "destroy", "deinit", "uninit", "fini",
    "teardown", "cleanup", NULL
};
static const char *const object_words[] = {
    "create", "new", "alloc", "ctor", "free", "dtor", "construct", "destruct", "dealloc",
    "unref", NULL
};

/* A constructor or destructor works on an object: it takes or returns a
 * pointer, or sets up globals (no parameters, nothing returned).  `long
 * new_id(void)` and `unsigned alloc_slot(void)` hand out a number on every
 * call: their names say "new", but they run all the time. */
static bool works_on_object(const struct sl_func *f)
{
    if (f->ret_tflags & SL_TY_PTR) return true;
    for (uint32_t i = 0; i < f->n_params; i++)
        if (f->params[i]->tflags & (SL_TY_PTR | SL_TY_ARRAY)) return true;
    return !f->returns_value && f->n_params == 0;
}

static void compute_setup(struct sl_facts *fx)
{
    const struct sl_model *m = fx->model;
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        const struct sl_func *f = m->funcs[i];
        bool setup = sl_name_has_word(f->name, lifecycle_words) ||
                     (sl_name_has_word(f->name, object_words) && works_on_object(f));
        for (uint32_t j = 0; j < f->n_calls && !setup; j++) {
            enum sl_lockop op = sl_call_lockop(fx->flow, f->calls[j]);
            setup = op == SL_OP_INIT || op == SL_OP_DESTROY;
        }
        fx->fns[i].setup = setup;
    }
}

static int cmp_place(const void *a, const void *b)
{
    const struct sl_func *x = *(const struct sl_func *const *)a, *y = *(const struct sl_func *const *)b;
    if (x->loc.file != y->loc.file) return x->loc.file < y->loc.file ? -1 : 1;
    if (x->loc.line != y->loc.line) return x->loc.line < y->loc.line ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void index_places(struct sl_facts *fx)
{
    const struct sl_model *m = fx->model;
    const struct sl_func **v = sl_arena_alloc(&fx->arena, (m->n_funcs ? m->n_funcs : 1) * sizeof *v);
    for (uint32_t i = 0; i < m->n_funcs; i++) v[i] = m->funcs[i];
    sl_sort(v, m->n_funcs, sizeof *v, cmp_place);
    fx->by_place = v;
}

const struct sl_func *sl_facts_func_at(const struct sl_facts *fx, struct sl_loc loc)
{
    uint32_t lo = 0, hi = fx->model->n_funcs;   /* first function placed after loc */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const struct sl_func *f = fx->by_place[mid];
        if (f->loc.file < loc.file || (f->loc.file == loc.file && f->loc.line <= loc.line)) lo = mid + 1;
        else hi = mid;
    }
    if (!lo) return NULL;
    const struct sl_func *f = fx->by_place[lo - 1];
    return f->loc.file == loc.file && f->end.file == loc.file && f->end.line >= loc.line ? f : NULL;
}

/* ---- DEFUSE ---- */

static bool is_local(const struct sl_var *v)
{
    return v && (v->kind == SL_VAR_LOCAL || v->kind == SL_VAR_PARAM) && !v->is_static;
}

static void compute_defuse(struct sl_facts *fx)
{
    const struct sl_model *m = fx->model;
    fx->defs = sl_arena_alloc(&fx->arena, (m->n_vars ? m->n_vars : 1) * sizeof *fx->defs);
    uint32_t *cap = sl_arena_alloc(&fx->arena, (m->n_vars ? m->n_vars : 1) * sizeof *cap);
    const struct sl_expr ***vals = sl_arena_alloc(&fx->arena, (m->n_vars ? m->n_vars : 1) * sizeof *vals);
#define ADD_VALUE(v, x) do { \
        uint32_t vi_ = (v)->index; \
        if (fx->defs[vi_].n_values == cap[vi_]) { \
            uint32_t nc_ = cap[vi_] ? cap[vi_] * 2 : 2; \
            vals[vi_] = sl_arena_grow(&fx->arena, vals[vi_], fx->defs[vi_].n_values, nc_, sizeof *vals[vi_]); \
            cap[vi_] = nc_; \
        } \
        vals[vi_][fx->defs[vi_].n_values++] = (x); \
        fx->defs[vi_].values = vals[vi_]; \
    } while (0)
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_stmts; i++) {
            const struct sl_stmt *st = f->stmts[i];
            if (st->kind == SL_ST_DECL && is_local(st->var) && st->expr && st->var->index < m->n_vars)
                ADD_VALUE(st->var, st->expr);
        }
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *x = f->exprs[i];
            if (x->kind == SL_EX_ASSIGN && x->n_kids == 2 && x->kids[0]->kind == SL_EX_REF &&
                is_local(x->kids[0]->var) && x->kids[0]->var->index < m->n_vars) {
                if (x->op == SL_B_ASSIGN) ADD_VALUE(x->kids[0]->var, x->kids[1]);
                else fx->defs[x->kids[0]->var->index].stepped = true;
            } else if (x->kind == SL_EX_UNARY && x->n_kids && x->kids[0]->kind == SL_EX_REF &&
                       is_local(x->kids[0]->var) && x->kids[0]->var->index < m->n_vars) {
                if (x->op == SL_U_ADDROF) fx->defs[x->kids[0]->var->index].address_taken = true;
                else if (x->op == SL_U_POSTINC || x->op == SL_U_POSTDEC || x->op == SL_U_PREINC ||
                         x->op == SL_U_PREDEC)
                    fx->defs[x->kids[0]->var->index].stepped = true;
            }
        }
    }
#undef ADD_VALUE
}

/* ---- ACCESS ---- */

/* The object an expression accesses, or false when it is not an access of
 * shared memory (locals) or only the base of a longer access path. */
static bool access_target(const struct sl_expr *e, const struct sl_field **field,
                          const struct sl_var **var)
{
    const struct sl_expr *p = e->parent;
    *field = NULL;
    *var = NULL;
    if (p && (p->kind == SL_EX_MEMBER || p->kind == SL_EX_INDEX) && p->n_kids && p->kids[0] == e)
        return false;   /* base of s->a.b or arr[i] */
    if (e->kind == SL_EX_MEMBER && e->field) {
        if (e->field->sync != SL_SYNC_NONE) return false;   /* the lock itself */
        /* a field of a local struct (`it.pos`, `(&it)->pos`): this frame's memory */
        const struct sl_var *root = sl_expr_root_var(e);
        if (root && (root->kind == SL_VAR_LOCAL || root->kind == SL_VAR_PARAM) && !root->is_static &&
            !(root->tflags & SL_TY_PTR) && !(root->tflags & SL_TY_ARRAY))
            return false;
        *field = e->field;
        return true;
    }
    const struct sl_var *v = NULL;
    if (e->kind == SL_EX_REF) v = e->var;
    else if (e->kind == SL_EX_INDEX) v = sl_expr_root_var(e);
    if (!v || !(v->kind == SL_VAR_GLOBAL || v->is_static) || v->is_thread_local ||
        v->sync != SL_SYNC_NONE || (v->tflags & SL_TY_CONST) || v->from_system_header)
        return false;
    if (e->kind == SL_EX_INDEX) {
        /* arr[i] where arr is the global itself (not a pointer it holds) */
        const struct sl_expr *b = e->kids[0];
        if (b->kind != SL_EX_REF) return false;
    }
    *var = v;
    return true;
}

static bool is_step(const struct sl_expr *p)
{
    return p && p->kind == SL_EX_UNARY &&
           (p->op == SL_U_POSTINC || p->op == SL_U_POSTDEC || p->op == SL_U_PREINC ||
            p->op == SL_U_PREDEC);
}

static void classify_access(const struct sl_expr *e, bool *write, bool *atomic)
{
    const struct sl_expr *p = e->parent;
    *write = false;
    *atomic = (e->tflags & SL_TY_ATOMIC) != 0;
    if (p && p->kind == SL_EX_ASSIGN && p->n_kids && p->kids[0] == e) *write = true;
    if (is_step(p)) *write = true;
    /* &x passed to an atomic builtin: an atomic access (write for store/RMW) */
    if (p && p->kind == SL_EX_UNARY && p->op == SL_U_ADDROF && p->parent &&
        p->parent->kind == SL_EX_CALL && p->parent->atomic != SL_AT_NONE) {
        *atomic = true;
        *write = p->parent->atomic != SL_AT_LOAD;
    }
}

static int cmp_cstr_ptr(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return x < y ? -1 : x > y;
}

/* Lock classes held at a call: its must-held set plus its function's entry locks. */
static uint32_t held_classes(struct sl_facts *fx, const struct sl_expr *call,
                             const char **out, uint32_t max)
{
    uint32_t n = 0;
    const struct sl_lockset *h = sl_held_must(fx->flow, call);
    for (uint32_t i = 0; i < sl_lockset_size(h) && n < max; i++) out[n++] = h->items[i].lock->cls;
    const struct sl_func *f = call->stmt ? call->stmt->func : NULL;
    if (f && f->index < fx->model->n_funcs) {
        const struct sl_func_facts *ff = &fx->fns[f->index];
        for (uint32_t i = 0; i < ff->n_entry_locks && n < max; i++) out[n++] = ff->entry_locks[i];
    }
    sl_sort(out, n, sizeof *out, cmp_cstr_ptr);
    uint32_t w = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!w || out[w - 1] != out[i]) out[w++] = out[i];
    return w;
}

#define MAX_ENTRY 8

/* The classes every caller of f holds when it calls f (f static, with
 * callers): the intersection, over f's calls, of what is held there,
 * the caller's own entry locks included.  Sorted, no repeats. */
static uint32_t entry_from_callers(struct sl_facts *fx, const struct sl_func *f,
                                   const char **common)
{
    const struct sl_func_facts *ff = &fx->fns[f->index];
    uint32_t nc = 0;
    for (uint32_t i = 0; i < ff->n_callers; i++) {
        const char *here[MAX_ENTRY * 2];
        uint32_t nh = held_classes(fx, ff->callers[i], here, MAX_ENTRY * 2);
        if (i == 0) {
            for (uint32_t k = 0; k < nh && nc < MAX_ENTRY; k++) common[nc++] = here[k];
        } else {
            uint32_t w = 0;
            for (uint32_t k = 0; k < nc; k++)
                for (uint32_t j = 0; j < nh; j++)
                    if (common[k] == here[j]) { common[w++] = common[k]; break; }
            nc = w;
        }
        if (!nc) break;
    }
    return nc;
}

/* Entry locks of static functions whose every caller holds them, however
 * long the chain of static callers: the least fixed point of
 * entry(f) = intersection over calls c of (held(c) + entry(caller of c)),
 * from every set empty.  The sets only grow, so a worklist reaches the same
 * answer whatever order the functions come in (a depth-limited search from
 * each function did not: its answers depended on where it started).  A
 * cycle with no lock held from outside gives none. */
static void compute_entry_locks(struct sl_facts *fx)
{
    const struct sl_model *m = fx->model;
    uint32_t n = m->n_funcs;
    if (!n) return;
    uint32_t *ring = sl_xcalloc(n, sizeof *ring);
    uint8_t *queued = sl_xcalloc(n, 1), *changes = sl_xcalloc(n, 1);
    uint32_t head = 0, count = 0;
    for (uint32_t i = 0; i < n; i++)
        if (m->funcs[i]->is_static && fx->fns[i].n_callers) {
            ring[(head + count++) % n] = i;
            queued[i] = 1;
        }
    while (count) {
        uint32_t fi = ring[head];
        head = (head + 1) % n;
        count--;
        queued[fi] = 0;
        const struct sl_func *f = m->funcs[fi];
        struct sl_func_facts *ff = &fx->fns[fi];
        const char *common[MAX_ENTRY];
        uint32_t nc = entry_from_callers(fx, f, common);
        sl_sort(common, nc, sizeof *common, cmp_cstr_ptr);
        bool same = nc == ff->n_entry_locks;
        for (uint32_t k = 0; k < nc && same; k++) same = common[k] == ff->entry_locks[k];
        /* the cap on MAX_ENTRY could make a set shrink again: bound the
         * updates so the loop ends whatever happens */
        if (same || changes[fi] > 2 * MAX_ENTRY) continue;
        changes[fi]++;
        const char **v = sl_arena_alloc(&fx->arena, (nc ? nc : 1) * sizeof *v);
        memcpy(v, common, nc * sizeof *v);
        ff->entry_locks = v;
        ff->n_entry_locks = nc;
        /* what f calls sees more held at its calls from f */
        for (uint32_t j = 0; j < f->n_calls; j++) {
            const struct sl_func *g = f->calls[j]->func;
            if (!g || !g->body || !g->is_static || g->index >= n || queued[g->index] ||
                !fx->fns[g->index].n_callers)
                continue;
            ring[(head + count++) % n] = g->index;
            queued[g->index] = 1;
        }
    }
    free(ring);
    free(queued);
    free(changes);
}

static void compute_access(struct sl_facts *fx)
{
    const struct sl_model *m = fx->model;
    compute_entry_locks(fx);
    uint32_t cap = 0;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *e = f->exprs[i];
            struct sl_access a = { .e = e, .func = f };
            if (!access_target(e, &a.field, &a.var)) continue;
            classify_access(e, &a.write, &a.atomic);
            if (fx->n_accesses == cap) {
                uint32_t nc = cap ? cap * 2 : 64;
                fx->accesses = sl_arena_grow(&fx->arena, fx->accesses, fx->n_accesses, nc,
                                             sizeof *fx->accesses);
                cap = nc;
            }
            fx->accesses[fx->n_accesses++] = a;
        }
    }
}

uint32_t sl_facts_held_classes(const struct sl_facts *fx, const struct sl_expr *e,
                               const char **out, uint32_t max)
{
    if (!(fx->computed & SL_NEED_ACCESS)) sl_facts_func(fx, NULL, SL_NEED_ACCESS);
    return held_classes((struct sl_facts *)fx, e, out, max);
}

void sl_facts_compute(struct sl_facts *fx, const struct sl_model *m, const struct sl_flow *fl,
                      unsigned needs)
{
    memset(fx, 0, sizeof *fx);
    sl_arena_init(&fx->arena);
    fx->model = m;
    fx->flow = fl;
    fx->fns = sl_arena_alloc(&fx->arena, (m->n_funcs ? m->n_funcs : 1) * sizeof *fx->fns);
    index_places(fx);
    if (needs & SL_NEED_PER_THREAD) needs |= SL_NEED_THREADS | SL_NEED_DEFUSE;
    if (needs & (SL_NEED_THREADS | SL_NEED_ACCESS)) needs |= SL_NEED_CALLGRAPH;
    if (needs & SL_NEED_CALLGRAPH) compute_callgraph(fx);
    if (needs & SL_NEED_THREADS) compute_threads(fx);
    if (needs & SL_NEED_SETUP) compute_setup(fx);
    if (needs & SL_NEED_DEFUSE) compute_defuse(fx);
    if (needs & SL_NEED_ACCESS) compute_access(fx);
    fx->computed = needs;
}

void sl_facts_free(struct sl_facts *fx)
{
    if (!fx) return;
    sl_arena_free(&fx->arena);
    memset(fx, 0, sizeof *fx);
}

static const char *need_name(enum sl_need n)
{
    switch (n) {
    case SL_NEED_CALLGRAPH: return "CALLGRAPH";
    case SL_NEED_THREADS: return "THREADS";
    case SL_NEED_SETUP: return "SETUP";
    case SL_NEED_DEFUSE: return "DEFUSE";
    case SL_NEED_ACCESS: return "ACCESS";
    case SL_NEED_PER_THREAD: return "PER_THREAD";
    }
    return "?";
}

const struct sl_func_facts *sl_facts_func(const struct sl_facts *fx, const struct sl_func *f,
                                          enum sl_need need)
{
    if (!(fx->computed & need))
        sl_bug("fact SL_NEED_%s read but not declared in the rule's .needs", need_name(need));
    if (!f) return NULL;
    if (f->index >= fx->model->n_funcs)
        sl_bug("facts asked of '%s', a function not defined in this TU", f->name);
    return &fx->fns[f->index];
}
