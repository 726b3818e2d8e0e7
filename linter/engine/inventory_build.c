/* inventory_build.c - every lock, condvar, atomic and thread of the project, for --format=inventory. */
#include "inventory_build.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lockops.h"
#include "model.h"
#include "sort.h"
#include "strmap.h"

/* A growable list in the inventory's arena. */
#define PUSH(inv, list, cap, val) do { \
        if ((list).n == (cap)) { \
            uint32_t nc_ = (cap) ? (cap) * 2 : 8; \
            (list).v = sl_arena_grow(&(inv)->arena, (list).v, (list).n, nc_, sizeof *(list).v); \
            (cap) = nc_; \
        } \
        (list).v[(list).n++] = (val); \
    } while (0)

static const char *kind_word(uint8_t kind)
{
    switch (kind) {
    case SL_SYNC_MUTEX: return "mutex";
    case SL_SYNC_SPIN: return "spinlock";
    case SL_SYNC_RWLOCK: return "rwlock";
    case SL_SYNC_SEM: return "semaphore";
    case SL_SYNC_CNDMTX: return "C11 mutex";
    case SL_SYNC_COND: return "condvar";
    default: return "lock (wrapper)";
    }
}

static struct sl_inv_site site(struct sl_inventory *inv, const struct sl_site *s)
{
    struct sl_inv_site r = { s->file ? sl_arena_strdup(&inv->arena, s->file) : "", s->line,
                             s->func ? sl_arena_strdup(&inv->arena, s->func) : NULL };
    return r;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort and drop repeats. */
static void names_finish(struct sl_inv_names *l)
{
    sl_sort(l->v, l->n, sizeof *l->v, cmp_str);
    uint32_t w = 0;
    for (uint32_t i = 0; i < l->n; i++)
        if (!w || strcmp(l->v[w - 1], l->v[i])) l->v[w++] = l->v[i];
    l->n = w;
}

/* Sites arrive in place order (the project is sorted): drop a repeated line. */
static void push_site(struct sl_inventory *inv, struct sl_inv_sites *l, uint32_t *cap,
                      const struct sl_site *s)
{
    if (l->n && l->v[l->n - 1].line == s->line && !strcmp(l->v[l->n - 1].file, s->file ? s->file : ""))
        return;
    PUSH(inv, *l, *cap, site(inv, s));
}

static bool is_cond(const struct sl_plock *l) { return l->kind == SL_SYNC_COND; }
static bool is_listed_lock(const struct sl_plock *l)
{
    return l->kind != SL_SYNC_COND && l->kind != SL_SYNC_THREAD && l->kind != SL_SYNC_ONCE;
}

/* Per project lock: where it goes in the inventory (lock or condvar index). */
struct slot { int32_t lock, cond; uint32_t cap_inits, cap_funcs, cap_guards, cap_reads, cap_writes,
              cap_mutexes, cap_waits, cap_signals; };

static void build_locks(struct sl_inventory *inv, const struct sl_project *p, struct slot *sl)
{
    uint32_t nl = 0, nc = 0;
    for (uint32_t i = 0; i < p->n_locks; i++) {
        nl += is_listed_lock(&p->locks[i]);
        nc += is_cond(&p->locks[i]);
    }
    inv->locks = nl ? sl_arena_alloc(&inv->arena, nl * sizeof *inv->locks) : NULL;
    inv->conds = nc ? sl_arena_alloc(&inv->arena, nc * sizeof *inv->conds) : NULL;
    for (uint32_t i = 0; i < p->n_locks; i++) {   /* p->locks is sorted by class */
        const struct sl_plock *l = &p->locks[i];
        sl[i].lock = sl[i].cond = -1;
        if (is_listed_lock(l)) {
            struct sl_inv_lock *k = &inv->locks[inv->n_locks];
            sl[i].lock = (int32_t)inv->n_locks++;
            k->cls = sl_arena_strdup(&inv->arena, l->cls);
            k->text = sl_arena_strdup(&inv->arena, l->text ? l->text : l->cls);
            k->kind = kind_word(l->kind);
            k->has_decl = l->has_decl;
            if (l->has_decl) k->decl = site(inv, &l->decl);
        } else if (is_cond(l)) {
            struct sl_inv_cond *c = &inv->conds[inv->n_conds];
            sl[i].cond = (int32_t)inv->n_conds++;
            c->cls = sl_arena_strdup(&inv->arena, l->cls);
            c->text = sl_arena_strdup(&inv->arena, l->text ? l->text : l->cls);
            c->has_decl = l->has_decl;
            if (l->has_decl) c->decl = site(inv, &l->decl);
        }
    }
    for (uint32_t i = 0; i < p->n_acqs; i++) {
        const struct sl_pacq *a = &p->acqs[i];
        struct slot *s = &sl[a->lock];
        if (s->lock < 0) continue;
        struct sl_inv_lock *k = &inv->locks[s->lock];
        bool shared = a->op == SL_OP_RDLOCK || a->op == SL_OP_TRYRDLOCK;
        if (shared) push_site(inv, &k->reads, &s->cap_reads, &a->at);
        else push_site(inv, &k->writes, &s->cap_writes, &a->at);
        if (a->at.func) PUSH(inv, k->funcs, s->cap_funcs, sl_arena_strdup(&inv->arena, a->at.func));
    }
    const uint32_t not_guarded = SL_ACC_ATOMIC | SL_ACC_SETUP | SL_ACC_UNPUBLISHED |
                                 SL_ACC_BEFORE_THREADS | SL_ACC_AFTER_JOIN;
    for (uint32_t i = 0; i < p->n_accesses; i++) {
        const struct sl_paccess *a = &p->accesses[i];
        if (a->flags & not_guarded) continue;
        for (uint32_t h = 0; h < a->n_held; h++) {
            struct slot *s = &sl[a->held[h]];
            if (s->lock < 0) continue;
            struct sl_inv_lock *k = &inv->locks[s->lock];
            if (k->guards.n && !strcmp(k->guards.v[k->guards.n - 1], a->obj)) continue;
            PUSH(inv, k->guards, s->cap_guards, sl_arena_strdup(&inv->arena, a->obj));
        }
    }
    for (uint32_t i = 0; i < p->n_events; i++) {
        const struct sl_pevent *e = &p->events[i];
        uint32_t li = 0, mi = 0;
        bool has_l = e->lock && sl_strmap_get(p->lock_ids, e->lock, &li);
        bool has_m = e->mutex && sl_strmap_get(p->lock_ids, e->mutex, &mi);
        if (!has_l) continue;
        struct slot *s = &sl[li];
        if (e->what == SL_EV_INIT) {
            if (s->lock >= 0) push_site(inv, &inv->locks[s->lock].inits, &s->cap_inits, &e->at);
            else if (s->cond >= 0) push_site(inv, &inv->conds[s->cond].inits, &s->cap_inits, &e->at);
        } else if (s->cond >= 0 && e->what == SL_EV_WAIT) {
            struct sl_inv_cond *c = &inv->conds[s->cond];
            push_site(inv, &c->waits, &s->cap_waits, &e->at);
            if (has_m) PUSH(inv, c->mutexes, s->cap_mutexes, sl_arena_strdup(&inv->arena, p->locks[mi].text));
        } else if (s->cond >= 0 && e->what == SL_EV_SIGNAL) {
            push_site(inv, &inv->conds[s->cond].signals, &s->cap_signals, &e->at);
        }
    }
    for (uint32_t i = 0; i < inv->n_locks; i++) {
        names_finish(&inv->locks[i].funcs);
        names_finish(&inv->locks[i].guards);
    }
    for (uint32_t i = 0; i < inv->n_conds; i++) names_finish(&inv->conds[i].mutexes);
}

/* One atomic access: its struct (NULL: a global or static) and field. */
struct atomic_use { const char *record, *field; const struct sl_paccess *a; };

static int cmp_use(const void *x, const void *y)
{
    const struct atomic_use *a = x, *b = y;
    if (!a->record != !b->record) return a->record ? -1 : 1;   /* globals last */
    int c = a->record ? strcmp(a->record, b->record) : 0;
    if (c || (c = strcmp(a->field, b->field))) return c;
    return sl_site_cmp(&a->a->at, &b->a->at);
}

/* Atomics grouped by struct, then the atomic globals. */
static void build_atomics(struct sl_inventory *inv, const struct sl_project *p)
{
    struct atomic_use *u = sl_xcalloc(p->n_accesses ? p->n_accesses : 1, sizeof *u);
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->n_accesses; i++) {
        const struct sl_paccess *a = &p->accesses[i];
        if (!(a->flags & SL_ACC_ATOMIC)) continue;
        const char *sep = strstr(a->obj, "::");
        u[n++] = (struct atomic_use){
            sep ? sl_arena_strndup(&inv->arena, a->obj, (size_t)(sep - a->obj)) : NULL,
            sep ? sep + 2 : a->obj, a };
    }
    sl_sort(u, n, sizeof *u, cmp_use);
    struct { struct sl_inv_atomics *v; uint32_t n; } groups = { NULL, 0 };
    uint32_t cap = 0, cap_fields = 0, cap_writes = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool same = i > 0 && !u[i - 1].record == !u[i].record &&
                    (!u[i].record || !strcmp(u[i - 1].record, u[i].record));
        if (!same) {
            struct sl_inv_atomics g = { u[i].record, { NULL, 0 }, { NULL, 0 }, 0 };
            PUSH(inv, groups, cap, g);
            cap_fields = cap_writes = 0;
        }
        struct sl_inv_atomics *g = &groups.v[groups.n - 1];
        if (!g->fields.n || strcmp(g->fields.v[g->fields.n - 1], u[i].field))
            PUSH(inv, g->fields, cap_fields, sl_arena_strdup(&inv->arena, u[i].field));
        if (u[i].a->flags & SL_ACC_WRITE) PUSH(inv, g->writes, cap_writes, site(inv, &u[i].a->at));
        else g->n_reads++;
    }
    free(u);
    inv->atomics = groups.v;
    inv->n_atomics = groups.n;
}

static bool local_handle(const char *h) { return h && !strstr(h, "::") && strchr(h, ':'); }

static void build_threads(struct sl_inventory *inv, const struct sl_project *p)
{
    uint32_t cap = 0;
    struct { struct sl_inv_thread *v; uint32_t n; } ts = { NULL, 0 };
    /* joins and detaches by handle, and self-detaches by function, chained
     * through next[] (event index + 1): one pass, not one per start */
    uint32_t *next = sl_xcalloc(p->n_events ? p->n_events : 1, sizeof *next);
    struct sl_strmap *by_handle = sl_strmap_new(&inv->arena), *self = sl_strmap_new(&inv->arena);
    for (uint32_t k = p->n_events; k-- > 0;) {
        const struct sl_pevent *j = &p->events[k];
        if (j->what != SL_EV_JOIN && j->what != SL_EV_DETACH) continue;
        struct sl_strmap *m = j->handle ? by_handle : j->what == SL_EV_DETACH ? self : NULL;
        const char *key = j->handle ? j->handle : j->at.func;
        if (!m || !key) continue;
        uint32_t head = 0;
        sl_strmap_get(m, key, &head);
        next[k] = head;
        sl_strmap_set(m, key, k + 1);
    }
    for (uint32_t i = 0; i < p->n_events; i++) {
        const struct sl_pevent *e = &p->events[i];
        if (e->what != SL_EV_CREATE) continue;
        struct sl_inv_thread t = { e->entry ? sl_arena_strdup(&inv->arena, e->entry) : NULL,
                                   e->handle ? sl_arena_strdup(&inv->arena, e->handle) : NULL,
                                   site(inv, &e->at), { NULL, 0 }, { NULL, 0 } };
        uint32_t cap_j = 0, cap_d = 0, h = 0;
        /* the entry function detaches itself */
        if (e->entry && sl_strmap_get(self, e->entry, &h))
            for (; h; h = next[h - 1]) push_site(inv, &t.detached, &cap_d, &p->events[h - 1].at);
        if (e->handle && sl_strmap_get(by_handle, e->handle, &h))
            for (; h; h = next[h - 1]) {
                const struct sl_pevent *j = &p->events[h - 1];
                /* a local handle ("fn:t") names one function's variable: same file */
                if (local_handle(e->handle) &&
                    strcmp(j->at.file ? j->at.file : "", e->at.file ? e->at.file : ""))
                    continue;
                if (j->what == SL_EV_JOIN) push_site(inv, &t.joined, &cap_j, &j->at);
                else push_site(inv, &t.detached, &cap_d, &j->at);
            }
        PUSH(inv, ts, cap, t);
    }
    free(next);
    inv->threads = ts.v;
    inv->n_threads = ts.n;
}

void sl_inventory_build(struct sl_inventory *inv, const struct sl_project *p)
{
    if (!p->finished) sl_bug("sl_inventory_build before sl_project_finish");
    inv->n_files = p->n_tus;
    struct slot *sl = sl_xcalloc(p->n_locks ? p->n_locks : 1, sizeof *sl);
    build_locks(inv, p, sl);
    free(sl);
    build_atomics(inv, p);
    build_threads(inv, p);
}
