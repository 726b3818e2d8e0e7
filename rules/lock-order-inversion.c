/* lock-order-inversion - two lock classes taken in opposite orders somewhere in the project. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pmap.h"
#include "rulekit.h"
#include "sort.h"

#define MAX_DEPTH 4          /* cross-TU call depth followed from a call under a lock */

/* One "inner taken while outer held" observation. */
struct edge {
    uint32_t outer, inner;
    const struct sl_site *outer_at;      /* where the outer lock was taken */
    const struct sl_site *inner_at;      /* the acquisition, or the call that leads to it */
    const struct sl_sum_chain_step *chain;  /* inside the callee(s), outermost first */
    uint32_t n_chain;
    const char *via;                     /* callee name when through a call */
};

struct edges { struct edge *v; size_t n, cap; };

static void push(struct edges *es, struct edge e)
{
    if (e.outer == e.inner) return;      /* two instances of one class: out of scope */
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 64;
        es->v = sl_xreallocarray(es->v, es->cap, sizeof *es->v);
    }
    es->v[es->n++] = e;
}

/* Is lock already among those held (a recursive lock taken again, or a
 * helper re-taking the caller's lock): acquiring it adds no order. */
static bool held_already(const struct sl_pheld *held, uint32_t n, uint32_t lock)
{
    for (uint32_t i = 0; i < n; i++)
        if (held[i].lock == lock) return true;
    return false;
}

/* Functions on the way to an abort (assertion failures, fatal logging):
 * an order taken only there is not worth a finding. */
static bool is_abort_path(const char *name)
{
    static const char *const words[] = { "abort", "fatal", "panic", "die", "bug", "assert", NULL };
    return sl_name_has_word(name, words);
}

/* The lock classes a resolved function acquires, following its calls to
 * functions of other TUs up to MAX_DEPTH; hops is the path of those calls
 * so far (shown in the notes before the callee's own chain). */
static void callee_acquires(struct sl_project_ctx *cx, const struct sl_pfn *fn, int depth,
                            const struct sl_sum_chain_step *hops, uint32_t n_hops,
                            const struct sl_pcall *c, struct edges *es, struct sl_pmap *seen)
{
    const struct sl_project *p = cx->project;
    void **mark = sl_pmap_slot(seen, SL_PKEY(fn), SL_PKEY(c));
    if (*mark || is_abort_path(fn->name)) return;
    *mark = (void *)1;
    for (uint32_t k = 0; k < fn->n_acqs; k++) {
        const struct sl_pfn_acq *a = &fn->acqs[k];
        if (held_already(c->held, c->n_held, a->lock)) continue;   /* re-entry */
        const struct sl_sum_chain_step *chain = a->chain;
        uint32_t n = a->n_chain;
        if (n_hops) {
            struct sl_sum_chain_step *v = sl_arena_alloc(cx->scratch, (n_hops + n) * sizeof *v);
            memcpy(v, hops, n_hops * sizeof *v);
            memcpy(v + n_hops, a->chain, n * sizeof *v);
            chain = v;
            n += n_hops;
        }
        for (uint32_t h = 0; h < c->n_held; h++) {
            if (c->held[h].lock == a->released) continue;   /* dropped before it */
            push(es, (struct edge){ c->held[h].lock, a->lock, &c->held[h].at, &c->at, chain, n,
                                    c->callee });
        }
    }
    if (depth >= MAX_DEPTH) return;
    for (uint32_t k = 0; k < fn->n_ext_calls; k++) {
        const struct sl_pfn *g = sl_project_resolve(p, fn->tu, fn->ext_calls[k].callee);
        if (!g || g == fn) continue;
        struct sl_sum_chain_step *v = sl_arena_alloc(cx->scratch, (n_hops + 1) * sizeof *v);
        if (n_hops) memcpy(v, hops, n_hops * sizeof *v);
        v[n_hops] = fn->ext_calls[k];
        callee_acquires(cx, g, depth + 1, v, n_hops + 1, c, es, seen);
    }
}

static int cmp_edge_place(const struct edge *a, const struct edge *b)
{
    int c = sl_site_cmp(a->inner_at, b->inner_at);
    return c ? c : sl_site_cmp(a->outer_at, b->outer_at);
}

static int cmp_edge(const void *x, const void *y)
{
    const struct edge *a = x, *b = y;
    if (a->outer != b->outer) return a->outer < b->outer ? -1 : 1;
    if (a->inner != b->inner) return a->inner < b->inner ? -1 : 1;
    return cmp_edge_place(a, b);
}

static void note_edge(struct sl_project_ctx *cx, struct sl_diag *d, const struct edge *e,
                      const char *which)
{
    const struct sl_plock *o = &cx->project->locks[e->outer], *i = &cx->project->locks[e->inner];
    sl_pnote(cx, d, e->outer_at, "%s: '%s' acquired here", which, o->text);
    if (!e->n_chain) {
        sl_pnote(cx, d, e->inner_at, "%s: then '%s' acquired here", which, i->text);
        return;
    }
    sl_pnote(cx, d, e->inner_at, "%s: then '%s' called here", which, e->via);
    for (uint32_t k = 0; k < e->n_chain; k++) {
        const struct sl_sum_chain_step *st = &e->chain[k];
        if (k + 1 < e->n_chain)
            sl_pnote(cx, d, &st->at, "%s: which calls '%s' here", which, st->callee);
        else
            sl_pnote(cx, d, &st->at, "%s: which acquires '%s' here", which, i->text);
    }
}

static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    struct edges es = {0};
    for (uint32_t i = 0; i < p->n_acqs; i++) {
        const struct sl_pacq *a = &p->acqs[i];
        if (sl_lockop_is_try((enum sl_lockop)a->op)) continue;   /* trylock backs off: no wait */
        if (held_already(a->held, a->n_held, a->lock)) continue;  /* re-entry: no new order */
        for (uint32_t h = 0; h < a->n_held; h++)
            push(&es, (struct edge){ a->held[h].lock, a->lock, &a->held[h].at, &a->at, NULL, 0, NULL });
    }
    struct sl_pmap seen;
    sl_pmap_init(&seen, cx->scratch);
    for (uint32_t i = 0; i < p->n_calls; i++) {
        const struct sl_pcall *c = &p->calls[i];
        const struct sl_pfn *fn = sl_project_resolve(p, c->tu, c->callee);
        if (fn) callee_acquires(cx, fn, 0, NULL, 0, c, &es, &seen);
    }
    sl_sort(es.v, es.n, sizeof *es.v, cmp_edge);
    /* For each ordered pair the first edge (by place) stands for it; a pair
     * seen in both orders is one finding, at the later of the two. */
    for (size_t i = 0; i < es.n; i++) {
        const struct edge *ab = &es.v[i];
        if (i > 0 && es.v[i - 1].outer == ab->outer && es.v[i - 1].inner == ab->inner) continue;
        if (ab->outer > ab->inner) continue;       /* each unordered pair once */
        /* find the first edge inner -> outer */
        size_t lo = 0, hi = es.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const struct edge *m = &es.v[mid];
            if (m->outer < ab->inner || (m->outer == ab->inner && m->inner < ab->outer)) lo = mid + 1;
            else hi = mid;
        }
        if (lo >= es.n || es.v[lo].outer != ab->inner || es.v[lo].inner != ab->outer) continue;
        const struct edge *ba = &es.v[lo];
        const struct edge *here = cmp_edge_place(ab, ba) > 0 ? ab : ba;
        const struct edge *there = here == ab ? ba : ab;
        const struct sl_plock *held = &p->locks[here->outer], *taken = &p->locks[here->inner];
        struct sl_diag *d = sl_preport(cx, here->inner_at,
            "'%s' is taken while '%s' is held, but elsewhere '%s' is taken while '%s' is held: "
            "two threads taking them in these opposite orders deadlock",
            taken->text, held->text, held->text, taken->text);
        char identity[512];
        snprintf(identity, sizeof identity, "%s|%s", p->locks[ab->outer].cls, p->locks[ab->inner].cls);
        sl_pset_identity(cx, d, identity);
        note_edge(cx, d, here, "this order");
        note_edge(cx, d, there, "the opposite order");
        sl_pnote_text(cx, d, "use: one global order for '%s' and '%s' (document it next to their "
                      "declarations); where the order cannot be fixed, take the second with "
                      "trylock and back off", held->text, taken->text);
    }
    free(es.v);
}

const struct sl_rule sl_rule_lock_order_inversion = {
    .id = "lock-order-inversion",
    .tier = 3,
    .precision = "low",   /* docs/precision.md */
    .experimental = true,
    .summary = "two lock classes acquired in opposite orders in two places (project-wide)",
    .replacement = "one global lock order; trylock and back off where it cannot be kept",
    .what =
        "A lock class B acquired while class A is held in one place, and A acquired while B is\n"
        "held in another, anywhere in the project: nested in one function, through same-file\n"
        "helpers, or through functions defined in other files (followed up to four calls\n"
        "deep). Lock classes are the normalised lvalue: a global (`g_lock`), a file's static\n"
        "(one per file), or a struct field of any instance (`struct conn::mu`). The finding is\n"
        "placed at the later of the two orders, with both acquisition chains as notes.\n"
        "Acquisitions by trylock (which back off instead of waiting) are not an order.\n"
        "On libevent both findings were one lock installed in two structs (evbuffer_enable_\n"
        "locking) or a recursive lock re-entered through a caller that held it, which the\n"
        "analysis cannot see yet (docs/precision.md).",
    .why =
        "Thread 1 holds A and waits for B; thread 2 holds B and waits for A. Neither ever runs\n"
        "again, and every thread that then needs A or B joins them. The window is small, so\n"
        "it shows up under production load, not in tests: a hang with no crash and no log.",
    .before =
        "void transfer(struct acct *from, struct acct *to) {\n"
        "    pthread_mutex_lock(&bank_lock);\n"
        "    pthread_mutex_lock(&audit_lock);        /* bank -> audit */\n"
        "    ...\n"
        "}\n"
        "void audit(void) {\n"
        "    pthread_mutex_lock(&audit_lock);\n"
        "    pthread_mutex_lock(&bank_lock);         /* audit -> bank: inversion */\n"
        "    ...\n"
        "}",
    .after =
        "/* Lock order: bank_lock before audit_lock. */\n"
        "void audit(void) {\n"
        "    pthread_mutex_lock(&bank_lock);\n"
        "    pthread_mutex_lock(&audit_lock);\n"
        "    ...\n"
        "}",
    .when_not =
        "When the two orders can never run at the same time (one only during start-up, before\n"
        "other threads exist), or one lock is always taken with trylock on that path through\n"
        "a wrapper sync-lint does not see. Two instances of one class (two `struct conn`\n"
        "objects) are not checked: ordering them needs the addresses, which the analysis does\n"
        "not know.",
    .check_project = check_project,
};
