/* facts.c - the shared per-TU facts of facts.h, each computed in one pass. */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

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
static const struct sl_func *thread_start_target(const struct sl_expr *c)
{
    int ai = -1;
    if (!c->name) return NULL;
    if (!strcmp(c->name, "pthread_create")) ai = 2;
    else if (!strcmp(c->name, "thrd_create")) ai = 1;
    if (ai < 0 || (uint32_t)ai >= c->n_kids) return NULL;
    const struct sl_expr *a = c->kids[ai];
    if (a->kind == SL_EX_UNARY && a->op == SL_U_ADDROF && a->n_kids) a = a->kids[0];
    return a->kind == SL_EX_REF ? a->func : NULL;
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
            const struct sl_func *t = thread_start_target(f->calls[j]);
            if (t && t->index < m->n_funcs) fx->fns[t->index].thread_entry = true;
        }
    }
    uint8_t *memo = sl_arena_alloc(&fx->arena, m->n_funcs ? m->n_funcs : 1);
    for (uint32_t i = 0; i < m->n_funcs; i++)
        fx->fns[i].on_thread = on_thread(fx, memo, m->funcs[i], 0);
}

/* Words that name a function run once per object, before it is shared or
 * after it no longer is. */
static const char *const setup_words[] = {
    "init", "initialize", "initialise", "create", "new", "alloc", "setup", "ctor",
    "destroy", "deinit", "uninit", "fini", "free", "teardown", "cleanup", "dtor", NULL
};

static void compute_setup(struct sl_facts *fx)
{
    const struct sl_model *m = fx->model;
    for (uint32_t i = 0; i < m->n_funcs; i++) {
        const struct sl_func *f = m->funcs[i];
        bool setup = sl_name_has_word(f->name, setup_words);
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
    qsort(v, m->n_funcs, sizeof *v, cmp_place);
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

void sl_facts_compute(struct sl_facts *fx, const struct sl_model *m, const struct sl_flow *fl,
                      unsigned needs)
{
    memset(fx, 0, sizeof *fx);
    sl_arena_init(&fx->arena);
    fx->model = m;
    fx->flow = fl;
    fx->fns = sl_arena_alloc(&fx->arena, (m->n_funcs ? m->n_funcs : 1) * sizeof *fx->fns);
    index_places(fx);
    if (needs & SL_NEED_THREADS) needs |= SL_NEED_CALLGRAPH;
    if (needs & SL_NEED_CALLGRAPH) compute_callgraph(fx);
    if (needs & SL_NEED_THREADS) compute_threads(fx);
    if (needs & SL_NEED_SETUP) compute_setup(fx);
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
    }
    return "?";
}

const struct sl_func_facts *sl_facts_func(const struct sl_facts *fx, const struct sl_func *f,
                                          enum sl_need need)
{
    if (!(fx->computed & need))
        sl_bug("fact SL_NEED_%s read but not declared in the rule's .needs", need_name(need));
    if (f->index >= fx->model->n_funcs)
        sl_bug("facts asked of '%s', a function not defined in this TU", f->name);
    return &fx->fns[f->index];
}
