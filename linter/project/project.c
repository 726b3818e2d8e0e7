/* project.c - merging per-TU summaries into the canonical project (project.h). */
#include "project.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "strmap.h"
#include "sort.h"

#define GROW(p, arr, n, cap) do { \
        if ((n) == (cap)) { \
            uint32_t nc_ = (cap) ? (cap) * 2 : 64; \
            (arr) = sl_arena_grow(&(p)->arena, (arr), (n), nc_, sizeof *(arr)); \
            (cap) = nc_; \
        } \
    } while (0)

void sl_project_init(struct sl_project *p)
{
    memset(p, 0, sizeof *p);
    sl_arena_init(&p->arena);
    p->lock_ids = sl_strmap_new(&p->arena);
    p->thread_entries = sl_strmap_new(&p->arena);
    p->strings = sl_strmap_new(&p->arena);
}

void sl_project_free(struct sl_project *p)
{
    if (!p) return;
    sl_arena_free(&p->arena);
    memset(p, 0, sizeof *p);
}

/* Every TU repeats the same file, function and lock names at each site:
 * the project keeps one copy of each. */
static const char *dup(struct sl_project *p, const char *s)
{
    return s ? sl_strmap_intern(p->strings, s) : NULL;
}

static struct sl_site site_copy(struct sl_project *p, const struct sl_site *s)
{
    struct sl_site r = { dup(p, s->file), s->line, s->col, dup(p, s->func) };
    return r;
}

static const struct sl_pheld *held_copy(struct sl_project *p, const uint32_t *map,
                                        const struct sl_sum_held *h, uint32_t n)
{
    if (!n) return NULL;
    struct sl_pheld *v = sl_arena_alloc(&p->arena, n * sizeof *v);
    for (uint32_t i = 0; i < n; i++) v[i] = (struct sl_pheld){ map[h[i].lock], site_copy(p, &h[i].at) };
    return v;
}

static const struct sl_sum_chain_step *chain_copy(struct sl_project *p,
                                                  const struct sl_sum_chain_step *c, uint32_t n)
{
    if (!n) return NULL;
    struct sl_sum_chain_step *v = sl_arena_alloc(&p->arena, n * sizeof *v);
    for (uint32_t i = 0; i < n; i++) v[i] = (struct sl_sum_chain_step){ site_copy(p, &c[i].at), dup(p, c[i].callee) };
    return v;
}

void sl_project_add(struct sl_project *p, const struct sl_tu_summary *s)
{
    sl_project_add_keyed(p, s, p->n_tus);
}

/* Which TU's spelling of a lock class the project keeps: the first TU in
 * path order (then key order), so the text quoted in findings does not
 * depend on which worker finished first. */
static bool text_from_before(const struct sl_project *p, uint32_t tu, uint32_t than)
{
    int c = strcmp(p->tus[tu], p->tus[than]);
    return c ? c < 0 : p->tu_keys[tu] < p->tu_keys[than];
}

void sl_project_add_keyed(struct sl_project *p, const struct sl_tu_summary *s, uint32_t key)
{
    if (p->finished) sl_bug("sl_project_add after sl_project_finish");
    if (p->n_tus == p->cap_tus) {
        uint32_t nc = p->cap_tus ? p->cap_tus * 2 : 64;
        p->tus = sl_arena_grow(&p->arena, p->tus, p->n_tus, nc, sizeof *p->tus);
        p->tu_keys = sl_arena_grow(&p->arena, p->tu_keys, p->n_tus, nc, sizeof *p->tu_keys);
        p->cap_tus = nc;
    }
    uint32_t tu = p->n_tus;
    p->tu_keys[tu] = key;
    p->tus[p->n_tus++] = dup(p, s->tu);
    uint32_t *map = sl_xcalloc(s->n_locks, sizeof *map);
    for (uint32_t i = 0; i < s->n_locks; i++) {
        const struct sl_sum_lock *l = &s->locks[i];
        uint32_t id;
        if (!sl_strmap_get(p->lock_ids, l->cls, &id)) {
            GROW(p, p->locks, p->n_locks, p->cap_locks);
            id = sl_strmap_put(p->lock_ids, l->cls, p->n_locks);
            p->locks[p->n_locks++] = (struct sl_plock){ dup(p, l->cls), dup(p, l->text), l->kind,
                                                        l->scope, l->has_decl, l->decl_is_definition,
                                                        site_copy(p, &l->decl), tu };
            map[i] = id;
            continue;
        }
        struct sl_plock *k = &p->locks[id];
        if (text_from_before(p, tu, k->text_tu)) {
            k->text = dup(p, l->text);
            k->kind = l->kind;
            k->scope = l->scope;
            k->text_tu = tu;
        }
        if (l->has_decl) {
            /* the definition beats an extern declaration; else the first place */
            bool better = !k->has_decl || (l->decl_is_definition && !k->decl_is_definition) ||
                          (l->decl_is_definition == k->decl_is_definition &&
                           sl_site_cmp(&l->decl, &k->decl) < 0);
            if (better) {
                k->has_decl = true;
                k->decl_is_definition = l->decl_is_definition;
                k->decl = site_copy(p, &l->decl);
            }
        }
        map[i] = id;
    }
    for (uint32_t i = 0; i < s->n_acqs; i++) {
        const struct sl_sum_acq *a = &s->acqs[i];
        GROW(p, p->acqs, p->n_acqs, p->cap_acqs);
        p->acqs[p->n_acqs++] = (struct sl_pacq){
            map[a->lock], tu, a->op, site_copy(p, &a->at), held_copy(p, map, a->held, a->n_held),
            a->n_held, a->weight, a->hotness, a->tiny, a->keyed, dup(p, a->keyed_how) };
    }
    for (uint32_t i = 0; i < s->n_calls; i++) {
        const struct sl_sum_call *c = &s->calls[i];
        GROW(p, p->calls, p->n_calls, p->cap_calls);
        p->calls[p->n_calls++] = (struct sl_pcall){ dup(p, c->callee), tu, site_copy(p, &c->at),
                                                    held_copy(p, map, c->held, c->n_held), c->n_held };
    }
    for (uint32_t i = 0; i < s->n_fns; i++) {
        const struct sl_sum_fn *f = &s->fns[i];
        GROW(p, p->fns, p->n_fns, p->cap_fns);
        struct sl_pfn_acq *acqs = f->n_acqs ? sl_arena_alloc(&p->arena, f->n_acqs * sizeof *acqs) : NULL;
        for (uint32_t k = 0; k < f->n_acqs; k++)
            acqs[k] = (struct sl_pfn_acq){ map[f->acqs[k].lock],
                                           chain_copy(p, f->acqs[k].chain, f->acqs[k].n_chain),
                                           f->acqs[k].n_chain,
                                           f->acqs[k].released == SL_SUM_NO_LOCK
                                               ? SL_SUM_NO_LOCK : map[f->acqs[k].released] };
        const char **callers = f->n_callers ? sl_arena_alloc(&p->arena, f->n_callers * sizeof *callers) : NULL;
        for (uint32_t k = 0; k < f->n_callers; k++) callers[k] = dup(p, f->callers[k]);
        struct sl_sum_fact *facts = f->n_facts ? sl_arena_alloc(&p->arena, f->n_facts * sizeof *facts) : NULL;
        for (uint32_t k = 0; k < f->n_facts; k++)
        {
            const char **args = f->facts[k].n_args ?
                sl_arena_alloc(&p->arena, f->facts[k].n_args * sizeof *args) : NULL;
            for (uint32_t j = 0; j < f->facts[k].n_args; j++) args[j] = dup(p, f->facts[k].args[j]);
            facts[k] = (struct sl_sum_fact){ dup(p, f->facts[k].rule), dup(p, f->facts[k].what),
                                             (struct sl_sum_chain_step *)chain_copy(p, f->facts[k].chain,
                                                                                    f->facts[k].n_chain),
                                             f->facts[k].n_chain, args, f->facts[k].n_args };
        }
        p->fns[p->n_fns++] = (struct sl_pfn){ dup(p, f->name), tu, f->is_static, site_copy(p, &f->at),
                                              acqs, f->n_acqs, chain_copy(p, f->ext_calls, f->n_ext_calls),
                                              f->n_ext_calls, callers, f->n_callers, facts, f->n_facts,
                                              false };
    }
    for (uint32_t i = 0; i < s->n_accesses; i++) {
        const struct sl_sum_access *a = &s->accesses[i];
        GROW(p, p->accesses, p->n_accesses, p->cap_accesses);
        uint32_t *held = a->n_held ? sl_arena_alloc(&p->arena, a->n_held * sizeof *held) : NULL;
        for (uint32_t k = 0; k < a->n_held; k++) held[k] = map[a->held[k]];
        p->accesses[p->n_accesses++] = (struct sl_paccess){ dup(p, a->obj), dup(p, a->name),
                                                           site_copy(p, &a->at), a->flags, held, a->n_held };
    }
    for (uint32_t i = 0; i < s->n_thread_entries; i++) sl_strmap_put(p->thread_entries, s->thread_entries[i], 1);
    for (uint32_t i = 0; i < s->n_events; i++) {
        const struct sl_sum_event *e = &s->events[i];
        GROW(p, p->events, p->n_events, p->cap_events);
        p->events[p->n_events++] = (struct sl_pevent){
            e->what, e->op, e->lock < s->n_locks ? p->locks[map[e->lock]].cls : NULL,
            e->mutex < s->n_locks ? p->locks[map[e->mutex]].cls : NULL, dup(p, e->entry),
            dup(p, e->handle), site_copy(p, &e->at) };
    }
    free(map);
}

const struct sl_sum_fact *sl_pfn_fact(const struct sl_pfn *fn, const char *rule, const char *what)
{
    for (uint32_t i = 0; fn && i < fn->n_facts; i++)
        if (!strcmp(fn->facts[i].rule, rule) && !strcmp(fn->facts[i].what, what)) return &fn->facts[i];
    return NULL;
}

bool sl_project_is_thread_entry(const struct sl_project *p, const char *func)
{
    uint32_t v;
    return func && sl_strmap_get(p->thread_entries, func, &v);
}

/* ---- canonical order ---- */

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

int sl_site_cmp(const struct sl_site *a, const struct sl_site *b)
{
    int c = strcmp0(a->file, b->file);
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    return 0;
}

/* An index ordered by a name: sorted as pairs, so the comparison needs no
 * context (qsort has no argument for it, and a global would be shared). */
struct keyed { const char *key; uint32_t idx; };

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

/* ord[i]: the index of the i-th name in order; inv: its inverse. */
static void order_by_name(const char *const *names, size_t stride, uint32_t n, uint32_t *ord,
                          uint32_t *inv)
{
    struct keyed *k = sl_xcalloc(n ? n : 1, sizeof *k);
    for (uint32_t i = 0; i < n; i++)
        k[i] = (struct keyed){ *(const char *const *)((const char *)names + i * stride), i };
    sl_sort(k, n, sizeof *k, cmp_keyed);
    for (uint32_t i = 0; i < n; i++) {
        ord[i] = k[i].idx;
        inv[k[i].idx] = i;
    }
    free(k);
}

/* TUs by path, then by the adder's key (two configurations of one file). */
struct tu_key { const char *path; uint32_t key, idx; };

static int cmp_tu_key(const void *a, const void *b)
{
    const struct tu_key *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c) return c;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void order_tus(const struct sl_project *p, uint32_t *ord, uint32_t *inv)
{
    struct tu_key *k = sl_xcalloc(p->n_tus ? p->n_tus : 1, sizeof *k);
    for (uint32_t i = 0; i < p->n_tus; i++) k[i] = (struct tu_key){ p->tus[i], p->tu_keys[i], i };
    sl_sort(k, p->n_tus, sizeof *k, cmp_tu_key);
    for (uint32_t i = 0; i < p->n_tus; i++) {
        ord[i] = k[i].idx;
        inv[k[i].idx] = i;
    }
    free(k);
}

static int cmp_held(const struct sl_pheld *a, uint32_t na, const struct sl_pheld *b, uint32_t nb)
{
    if (na != nb) return na < nb ? -1 : 1;
    for (uint32_t i = 0; i < na; i++) {
        if (a[i].lock != b[i].lock) return a[i].lock < b[i].lock ? -1 : 1;
        int c = sl_site_cmp(&a[i].at, &b[i].at);
        if (c) return c;
    }
    return 0;
}

static int cmp_acq(const void *x, const void *y)
{
    const struct sl_pacq *a = x, *b = y;
    int c = sl_site_cmp(&a->at, &b->at);
    if (c) return c;
    if (a->lock != b->lock) return a->lock < b->lock ? -1 : 1;
    if (a->op != b->op) return a->op < b->op ? -1 : 1;
    return cmp_held(a->held, a->n_held, b->held, b->n_held);
}

/* cmp_acq, then what a header's copy in another TU may say differently:
 * the sort is total, so the copy dedupe keeps never depends on add order. */
static int cmp_acq_total(const void *x, const void *y)
{
    const struct sl_pacq *a = x, *b = y;
    int c = cmp_acq(a, b);
    if (c) return c;
    if (a->tu != b->tu) return a->tu < b->tu ? -1 : 1;
    if (a->weight != b->weight) return a->weight < b->weight ? -1 : 1;
    if (a->hotness != b->hotness) return a->hotness < b->hotness ? -1 : 1;
    if (a->tiny != b->tiny) return a->tiny ? 1 : -1;
    if (a->keyed != b->keyed) return a->keyed ? 1 : -1;
    return strcmp0(a->keyed_how, b->keyed_how);
}

static int cmp_call(const void *x, const void *y)
{
    const struct sl_pcall *a = x, *b = y;
    int c = sl_site_cmp(&a->at, &b->at);
    if (c) return c;
    c = strcmp(a->callee, b->callee);
    if (c) return c;
    return cmp_held(a->held, a->n_held, b->held, b->n_held);
}

static int cmp_call_total(const void *x, const void *y)
{
    const struct sl_pcall *a = x, *b = y;
    int c = cmp_call(a, b);
    return c ? c : a->tu < b->tu ? -1 : a->tu > b->tu;
}

static int cmp_fn(const void *x, const void *y)
{
    const struct sl_pfn *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    if (c) return c;
    if (a->tu != b->tu) return a->tu < b->tu ? -1 : 1;
    return sl_site_cmp(&a->at, &b->at);
}

static int cmp_access(const void *x, const void *y)
{
    const struct sl_paccess *a = x, *b = y;
    int c = strcmp(a->obj, b->obj);
    if (c) return c;
    c = sl_site_cmp(&a->at, &b->at);
    if (c) return c;
    if (a->flags != b->flags) return a->flags < b->flags ? -1 : 1;
    if ((c = strcmp0(a->name, b->name))) return c;
    if (a->n_held != b->n_held) return a->n_held < b->n_held ? -1 : 1;
    for (uint32_t i = 0; i < a->n_held; i++)
        if (a->held[i] != b->held[i]) return a->held[i] < b->held[i] ? -1 : 1;
    return 0;
}

static int cmp_event(const void *x, const void *y)
{
    const struct sl_pevent *a = x, *b = y;
    int c = sl_site_cmp(&a->at, &b->at);
    if (c) return c;
    if (a->what != b->what) return a->what < b->what ? -1 : 1;
    if ((c = strcmp0(a->lock, b->lock)) || (c = strcmp0(a->mutex, b->mutex))) return c;
    if ((c = strcmp0(a->entry, b->entry))) return c;
    return strcmp0(a->handle, b->handle);
}

static int same_fn_place(const struct sl_pfn *a, const struct sl_pfn *b)
{
    int c = strcmp(a->name, b->name);
    return c ? c : sl_site_cmp(&a->at, &b->at);
}

static int same_access_place(const struct sl_paccess *a, const struct sl_paccess *b)
{
    int c = strcmp(a->obj, b->obj);
    return c ? c : sl_site_cmp(&a->at, &b->at);
}

/* Drop each element cmp calls equal to the one kept before it (arr sorted). */
#define DEDUPE(arr, n, cmp) do { \
        uint32_t w_ = 0; \
        for (uint32_t i_ = 0; i_ < (n); i_++) \
            if (!w_ || cmp(&(arr)[w_ - 1], &(arr)[i_]) != 0) (arr)[w_++] = (arr)[i_]; \
        (n) = w_; \
    } while (0)

static void remap_held(struct sl_pheld *h, uint32_t n, const uint32_t *inv)
{
    for (uint32_t i = 0; i < n; i++) h[i].lock = inv[h[i].lock];
}

void sl_project_finish(struct sl_project *p)
{
    if (p->finished) return;
    /* locks by class, TUs by path: indices independent of input order */
    uint32_t *ord = sl_xcalloc(p->n_locks ? p->n_locks : 1, sizeof *ord);
    uint32_t *inv = sl_xcalloc(p->n_locks ? p->n_locks : 1, sizeof *inv);
    order_by_name(p->n_locks ? &p->locks[0].cls : NULL, sizeof *p->locks, p->n_locks, ord, inv);
    struct sl_plock *locks = sl_arena_alloc(&p->arena, (p->n_locks ? p->n_locks : 1) * sizeof *locks);
    for (uint32_t i = 0; i < p->n_locks; i++) locks[i] = p->locks[ord[i]];
    p->locks = locks;
    p->lock_ids = sl_strmap_new(&p->arena);
    for (uint32_t i = 0; i < p->n_locks; i++) sl_strmap_put(p->lock_ids, locks[i].cls, i);
    uint32_t *tord = sl_xcalloc(p->n_tus ? p->n_tus : 1, sizeof *tord);
    uint32_t *tinv = sl_xcalloc(p->n_tus ? p->n_tus : 1, sizeof *tinv);
    order_tus(p, tord, tinv);
    const char **tus = sl_arena_alloc(&p->arena, (p->n_tus ? p->n_tus : 1) * sizeof *tus);
    for (uint32_t i = 0; i < p->n_tus; i++) tus[i] = p->tus[tord[i]];
    p->tus = tus;
    /* The arrays below were allocated by sl_project_add; they are const in
     * project.h for the readers, not for their owner. */
    for (uint32_t i = 0; i < p->n_acqs; i++) {
        p->acqs[i].lock = inv[p->acqs[i].lock];
        p->acqs[i].tu = tinv[p->acqs[i].tu];
        remap_held((struct sl_pheld *)p->acqs[i].held, p->acqs[i].n_held, inv);
    }
    for (uint32_t i = 0; i < p->n_calls; i++) {
        p->calls[i].tu = tinv[p->calls[i].tu];
        remap_held((struct sl_pheld *)p->calls[i].held, p->calls[i].n_held, inv);
    }
    for (uint32_t i = 0; i < p->n_fns; i++) {
        p->fns[i].tu = tinv[p->fns[i].tu];
        for (uint32_t k = 0; k < p->fns[i].n_acqs; k++) {
            struct sl_pfn_acq *a = (struct sl_pfn_acq *)&p->fns[i].acqs[k];
            a->lock = inv[a->lock];
            if (a->released != SL_SUM_NO_LOCK) a->released = inv[a->released];
        }
    }
    for (uint32_t i = 0; i < p->n_accesses; i++)
        for (uint32_t k = 0; k < p->accesses[i].n_held; k++)
            ((uint32_t *)p->accesses[i].held)[k] = inv[p->accesses[i].held[k]];
    free(ord); free(inv); free(tord); free(tinv);

    sl_sort(p->acqs, p->n_acqs, sizeof *p->acqs, cmp_acq_total);
    DEDUPE(p->acqs, p->n_acqs, cmp_acq);
    sl_sort(p->calls, p->n_calls, sizeof *p->calls, cmp_call_total);
    DEDUPE(p->calls, p->n_calls, cmp_call);
    sl_sort(p->fns, p->n_fns, sizeof *p->fns, cmp_fn);
    /* the same function or access from a header in several TUs: one per place */
    DEDUPE(p->fns, p->n_fns, same_fn_place);
    sl_sort(p->accesses, p->n_accesses, sizeof *p->accesses, cmp_access);
    DEDUPE(p->accesses, p->n_accesses, same_access_place);
    sl_sort(p->events, p->n_events, sizeof *p->events, cmp_event);
    DEDUPE(p->events, p->n_events, cmp_event);
    p->finished = true;
    /* Thread code: entries anywhere, then functions all of whose same-TU
     * callers are thread code (four rounds: callers four deep, as facts). */
    for (uint32_t i = 0; i < p->n_fns; i++)
        p->fns[i].on_thread = sl_project_is_thread_entry(p, p->fns[i].name);
    for (int round = 0; round < 4; round++) {
        bool changed = false;
        for (uint32_t i = 0; i < p->n_fns; i++) {
            struct sl_pfn *f = &p->fns[i];
            if (f->on_thread || !f->n_callers) continue;
            bool all = true;
            for (uint32_t k = 0; k < f->n_callers && all; k++) {
                const struct sl_pfn *g = sl_project_resolve(p, f->tu, f->callers[k]);
                all = g && g->on_thread;
            }
            if (all) { f->on_thread = true; changed = true; }
        }
        if (!changed) break;
    }
}

bool sl_project_runs_on_thread(const struct sl_project *p, uint32_t tu, const char *func)
{
    const struct sl_pfn *f = func ? sl_project_resolve(p, tu, func) : NULL;
    return f ? f->on_thread : sl_project_is_thread_entry(p, func);
}

const struct sl_pfn *sl_project_resolve(const struct sl_project *p, uint32_t tu, const char *callee)
{
    /* fns are sorted by name: binary search the run of this name */
    uint32_t lo = 0, hi = p->n_fns;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(p->fns[mid].name, callee) < 0) lo = mid + 1;
        else hi = mid;
    }
    const struct sl_pfn *other = NULL;
    for (uint32_t i = lo; i < p->n_fns && !strcmp(p->fns[i].name, callee); i++) {
        if (p->fns[i].tu == tu || !strcmp(p->tus[p->fns[i].tu], p->tus[tu])) return &p->fns[i];
        if (!p->fns[i].is_static && !other) other = &p->fns[i];
    }
    return other;
}
