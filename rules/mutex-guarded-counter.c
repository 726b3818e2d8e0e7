/* mutex-guarded-counter - a lock whose critical sections only bump or read one integer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pmap.h"
#include "strmap.h"
#include "rulekit.h"
#include "sort.h"

#define MAX_OBJS 8
#define MAX_OTHERS_NOTED 3   /* notes at the other sections of one counter */

enum access_kind { ACC_INC, ACC_READ_PLAIN, ACC_READ_USED, ACC_SET, ACC_OTHER };

/* One shared object: a struct field (any instance) or a global. */
struct obj {
    const void *key;           /* the field or the variable */
    const char *name;
    struct sl_loc loc;
    uint32_t tflags;
    const struct sl_field *field;   /* key when a field */
    const struct sl_var *var;       /* key when a variable */
};

struct section {
    const struct sl_func *f;
    const struct sl_expr *site;          /* the acquiring call */
    const struct sl_held *held;
    const char *cls;
    bool has_call, other_write, deref, shared_hold;
    struct obj objs[MAX_OBJS];
    enum access_kind kinds[MAX_OBJS];    /* strongest access per object */
    const struct sl_expr *inc_expr;      /* the increment, for INC sections */
    const struct sl_expr *read_expr;     /* the first plain read, for READ sections */
    unsigned n_objs, n_access;
};

static bool inside_lock_call(const struct sl_flow *fl, const struct sl_expr *e)
{
    for (const struct sl_expr *p = e->parent; p; p = p->parent)
        if (p->kind == SL_EX_CALL && sl_call_lockop(fl, p) != SL_OP_NONE) return true;
    return false;
}

/* The object an access expression names, or NULL when e is not an access
 * (locals, parameters) or only the base of a longer access path. */
static bool object_of(const struct sl_expr *e, struct obj *o)
{
    const struct sl_expr *p = e->parent;
    if (p && (p->kind == SL_EX_MEMBER || p->kind == SL_EX_INDEX) && p->n_kids && p->kids[0] == e)
        return false;   /* base of s->a.b or arr[i] */
    if (e->kind == SL_EX_MEMBER && e->field) {
        *o = (struct obj){ e->field, e->field->name, e->loc, e->tflags, e->field, NULL };
        return true;
    }
    if (e->kind == SL_EX_REF && e->var &&
        (e->var->kind == SL_VAR_GLOBAL || (e->var->is_static && e->var->kind == SL_VAR_LOCAL))) {
        *o = (struct obj){ e->var, e->var->name, e->loc, e->tflags, NULL, e->var };
        return true;
    }
    if (e->kind == SL_EX_INDEX && e->n_kids) {
        const struct sl_var *v = sl_expr_root_var(e);
        if (v && v->kind == SL_VAR_GLOBAL) {
            *o = (struct obj){ v, v->name, e->loc, e->tflags, NULL, v };
            return true;
        }
    }
    return false;
}

static bool is_local_ref(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_REF && e->var &&
           (e->var->kind == SL_VAR_LOCAL || e->var->kind == SL_VAR_PARAM) && !e->var->is_static;
}

static enum access_kind classify(const struct sl_expr *a)
{
    const struct sl_expr *p = a->parent;
    if (p && p->kind == SL_EX_UNARY &&
        (p->op == SL_U_POSTINC || p->op == SL_U_POSTDEC || p->op == SL_U_PREINC ||
         p->op == SL_U_PREDEC))
        return ACC_INC;
    if (p && p->kind == SL_EX_ASSIGN && p->n_kids == 2 && p->kids[0] == a) {
        if ((p->op == SL_B_ADD_ASSIGN || p->op == SL_B_SUB_ASSIGN) &&
            !sl_expr_touches_shared(p->kids[1]))
            return ACC_INC;
        return ACC_SET;
    }
    if (p && p->kind == SL_EX_UNARY && p->op == SL_U_ADDROF) return ACC_OTHER;   /* escapes */
    /* v = x;  T v = x;  return x; */
    if (p && p->kind == SL_EX_ASSIGN && p->op == SL_B_ASSIGN && p->kids[1] == a &&
        is_local_ref(p->kids[0]) && !p->parent)
        return ACC_READ_PLAIN;
    if (!p && a->stmt && ((a->stmt->kind == SL_ST_DECL && a->stmt->expr == a) ||
                          (a->stmt->kind == SL_ST_RETURN && a->stmt->expr == a)))
        return ACC_READ_PLAIN;
    return ACC_READ_USED;
}

static void note_access(struct section *s, const struct obj *o, enum access_kind k,
                        const struct sl_expr *a)
{
    s->n_access++;
    for (unsigned i = 0; i < s->n_objs; i++)
        if (s->objs[i].key == o->key) {
            if (k != s->kinds[i]) s->kinds[i] = ACC_OTHER;   /* mixed uses of one object */
            return;
        }
    if (s->n_objs == MAX_OBJS) { s->other_write = true; return; }
    s->objs[s->n_objs] = *o;
    s->kinds[s->n_objs] = k;
    s->n_objs++;
    if (k == ACC_INC) s->inc_expr = a->parent;
    if (k == ACC_READ_PLAIN && !s->read_expr) s->read_expr = a;
}

enum section_kind { SEC_INC, SEC_READ, SEC_OTHER };

static enum section_kind section_kind(const struct section *s)
{
    if (s->has_call || s->other_write || s->deref) return SEC_OTHER;
    if (!s->shared_hold && s->n_objs == 1 && s->kinds[0] == ACC_INC && s->n_access == 1 &&
        (s->objs[0].tflags & SL_TY_INT) && !(s->objs[0].tflags & SL_TY_ATOMIC))
        return SEC_INC;
    if (s->n_objs >= 1) {
        for (unsigned i = 0; i < s->n_objs; i++)
            if (s->kinds[i] != ACC_READ_PLAIN) return SEC_OTHER;
        return SEC_READ;
    }
    return SEC_OTHER;
}

/* Every critical section, found by (acquisition site, lock class). */
struct sections {
    struct section *v;
    size_t n, cap;
    struct sl_pmap by_site;          /* (site, cls) -> index + 1 */
};

static struct section *section_for(struct sections *ss, const struct sl_func *f,
                                   const struct sl_held *h)
{
    void **slot = sl_pmap_slot(&ss->by_site, SL_PKEY(h->site), SL_PKEY(h->lock->cls));
    if (*slot) return &ss->v[(uintptr_t)*slot - 1];
    if (ss->n == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 32;
        ss->v = sl_xreallocarray(ss->v, ss->cap, sizeof *ss->v);
    }
    struct section *s = &ss->v[ss->n++];
    *slot = (void *)(uintptr_t)ss->n;
    memset(s, 0, sizeof *s);
    s->f = f;
    s->site = h->site;
    s->held = h;
    s->cls = h->lock->cls;
    s->shared_hold = h->shared;
    return s;
}

/* Does the section leave the function with the lock held (an acquire
 * wrapper or a lookup that returns locked)?  Then it is not self-contained. */
static bool section_escapes(const struct sl_flow *fl, const struct section *s)
{
    const struct sl_func_flow *ff = sl_func_flow(fl, s->f);
    for (uint32_t i = 0; i < ff->n_exits; i++)
        for (uint32_t k = 0; k < sl_lockset_size(ff->exits[i].may); k++)
            if (ff->exits[i].may->items[k].site == s->site) return true;
    return false;
}

/* Pass 1: every critical section and what it touches. */
static void collect_sections(struct sl_rule_ctx *cx, struct sections *ss)
{
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *e = f->exprs[i];
            const struct sl_lockset *held = sl_held_must(fl, e);
            if (!sl_lockset_size(held) || inside_lock_call(fl, e)) continue;
            for (uint32_t h = 0; h < held->n; h++) {
                const struct sl_held *hd = &held->items[h];
                if (!hd->site) continue;
                struct section *s = section_for(ss, f, hd);
                if (e->kind == SL_EX_CALL) {
                    enum sl_lockop op = sl_call_lockop(fl, e);
                    if (op == SL_OP_NONE || e->atomic) s->has_call = true;
                    else if (op != SL_OP_UNLOCK) s->has_call = true;   /* nested lock, wait... */
                    continue;
                }
                if (e->kind == SL_EX_UNARY && e->op == SL_U_DEREF) s->deref = true;
                if (e->kind == SL_EX_MEMBER && e->is_arrow && e->n_kids &&
                    e->kids[0]->kind != SL_EX_REF && e->kids[0]->kind != SL_EX_MEMBER &&
                    e->kids[0]->kind != SL_EX_INDEX)
                    s->deref = true;
                struct obj o;
                if (!object_of(e, &o)) continue;
                enum access_kind k = classify(e);
                if (k == ACC_SET || k == ACC_OTHER) s->other_write = true;
                note_access(s, &o, k, e);
            }
        }
    }
}

/* What the file does with one object, gathered once (not per candidate):
 * the sections touching it, and whether code outside setup/teardown
 * touches it with no lock held. */
struct object_uses {
    const struct section **secs;
    size_t n, cap;
    bool unlocked;
    const struct obj *first;       /* an unlocked access, to name the object */
};

static struct object_uses *uses_of(struct sl_arena *a, struct sl_pmap *objs, const void *key)
{
    void **slot = sl_pmap_slot(objs, SL_PKEY(key), 1);
    if (!*slot) *slot = sl_arena_alloc(a, sizeof(struct object_uses));
    return *slot;
}

static void index_objects(struct sl_rule_ctx *cx, const struct sections *ss, struct sl_pmap *objs)
{
    const struct sl_model *m = cx->model;
    for (size_t i = 0; i < ss->n; i++) {
        const struct section *t = &ss->v[i];
        if (sl_is_setup_function(cx->facts, t->f)) continue;
        for (unsigned j = 0; j < t->n_objs; j++) {
            struct object_uses *u = uses_of(cx->scratch, objs, t->objs[j].key);
            if (u->n == u->cap) {
                size_t nc = u->cap ? u->cap * 2 : 8;
                u->secs = sl_arena_grow(cx->scratch, u->secs, u->n, nc, sizeof *u->secs);
                u->cap = nc;
            }
            u->secs[u->n++] = t;
        }
    }
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (sl_is_setup_function(cx->facts, f)) continue;
        for (uint32_t q = 0; q < f->n_exprs; q++) {
            const struct sl_expr *e = f->exprs[q];
            struct obj o;
            if (sl_lockset_size(sl_held_must(cx->flow, e)) || !object_of(e, &o)) continue;
            struct object_uses *u = sl_pmap_get(objs, SL_PKEY(o.key), 1);
            if (!u) {
                /* only touched unlocked here: still a fact for the project */
                u = uses_of(cx->scratch, objs, o.key);
            }
            if (!u->first) {
                struct obj *keep = sl_arena_alloc(cx->scratch, sizeof *keep);
                *keep = o;
                u->first = keep;
            }
            u->unlocked = true;
        }
    }
}

/* Is every use of the object an update or plain read section under cls
 * (another lock as well as cls is fine when cls is held there too)? */
static bool only_counted_under(const struct object_uses *u, const char *cls,
                               const struct sl_pmap *func_cls, unsigned *incs, unsigned *reads)
{
    *incs = *reads = 0;
    if (u->unlocked) return false;
    for (size_t k = 0; k < u->n; k++) {
        const struct section *t = u->secs[k];
        if (t->cls != cls) {
            if (!sl_pmap_get(func_cls, SL_PKEY(t->f), SL_PKEY(cls))) return false;
            continue;
        }
        enum section_kind tk = section_kind(t);
        if (tk == SEC_INC) (*incs)++;
        else if (tk == SEC_READ) (*reads)++;
        else return false;
    }
    return true;
}

static int cmp_ruled_out(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void check(struct sl_rule_ctx *cx)
{
    struct sections ss = {0};
    sl_pmap_init(&ss.by_site, cx->scratch);
    collect_sections(cx, &ss);
    struct sl_pmap objs, func_cls, verdicts;
    sl_pmap_init(&objs, cx->scratch);
    sl_pmap_init(&func_cls, cx->scratch);
    sl_pmap_init(&verdicts, cx->scratch);
    for (size_t i = 0; i < ss.n; i++)
        *sl_pmap_slot(&func_cls, SL_PKEY(ss.v[i].f), SL_PKEY(ss.v[i].cls)) = &ss.v[i];
    index_objects(cx, &ss, &objs);
    /* For the whole program: objects this file touches in a way that rules
     * them out as counters anywhere (unlocked, or in a section that does
     * more than bump or read them). */
    if (cx->exports) {
        /* in the order of their names, not of the hash table: the summary
         * is the same in every run */
        struct ruled_out { const char *key; const struct sl_func *carrier; } *ro = NULL;
        size_t n_ro = 0, cap_ro = 0;
        for (uint32_t i = 0; i < objs.cap; i++) {
            const struct object_uses *u = objs.slots[i].v;
            if (!u) continue;
            bool bad = u->unlocked;
            for (size_t k = 0; k < u->n && !bad; k++) bad = section_kind(u->secs[k]) == SEC_OTHER;
            if (!bad) continue;
            const void *key = (const void *)objs.slots[i].a;
            const struct obj *o = NULL;
            for (size_t k = 0; k < u->n && !o; k++)
                for (unsigned j = 0; j < u->secs[k]->n_objs && !o; j++)
                    if (u->secs[k]->objs[j].key == key) o = &u->secs[k]->objs[j];
            if (!o) o = u->first;
            if (!o) continue;
            if (n_ro == cap_ro) {
                cap_ro = cap_ro ? cap_ro * 2 : 16;
                ro = sl_arena_grow(cx->scratch, ro, n_ro, cap_ro, sizeof *ro);
            }
            ro[n_ro].key = sl_summary_object_key(cx->scratch, cx->model->main_file, o->field, o->var);
            ro[n_ro].carrier = u->n ? u->secs[0]->f : cx->model->funcs[0];
            n_ro++;
        }
        if (n_ro) sl_sort(ro, n_ro, sizeof *ro, cmp_ruled_out);
        for (size_t i = 0; i < n_ro; i++) {
            const char *args[] = { ro[i].key };
            sl_export_fact_args(cx, ro[i].carrier, "not-a-counter", NULL, 0, args, 1);
        }
    }
    /* Pass 2: candidate objects; every access must sit in an INC/READ
     * section of the same lock class (setup/teardown functions excepted).
     * The verdict is the same for every section of one (object, class):
     * computed once, so the rule stays linear in sections.  Each update
     * section and each plain read of that one object is a finding (the
     * user changes each of them), reported with notes at the others. */
    struct verdict {
        bool ok;
        unsigned incs, reads;
        const struct section **local;    /* sections this file decides on */
        size_t n_local, cap_local;
    };
    const struct verdict **order = NULL;  /* verdicts with local sections, first seen first */
    size_t n_order = 0, cap_order = 0;
    for (size_t i = 0; i < ss.n; i++) {
        const struct section *s = &ss.v[i];
        enum section_kind sk = section_kind(s);
        if ((sk != SEC_INC && !(sk == SEC_READ && s->n_objs == 1 && s->read_expr)) ||
            !s->f->in_main_file || section_escapes(cx->flow, s))
            continue;
        const void *key = s->objs[0].key;
        void **vs = sl_pmap_slot(&verdicts, SL_PKEY(key), SL_PKEY(s->cls));
        if (!*vs) {
            struct verdict *v = sl_arena_alloc(cx->scratch, sizeof *v);
            const struct object_uses *u = sl_pmap_get(&objs, SL_PKEY(key), 1);
            v->ok = u && only_counted_under(u, s->cls, &func_cls, &v->incs, &v->reads);
            *vs = v;
        }
        struct verdict *v = *vs;
        if (!v->ok) continue;
        const struct sl_expr *at = sk == SEC_INC ? (s->inc_expr ? s->inc_expr : s->site) : s->read_expr;
        const struct sl_lockref *lk = s->held->lock;
        if (cx->exports && (lk->scope == SL_LOCK_GLOBAL || lk->scope == SL_LOCK_FIELD)) {
            /* the whole program decides: other files may touch the counter
             * without the lock (check_project); a lock reached through a
             * parameter has no project-wide name, and this file decides */
            char incs[16], reads[16];
            snprintf(incs, sizeof incs, "%u", v->incs);
            snprintf(reads, sizeof reads, "%u", v->reads);
            const char *args[] = {
                sl_summary_object_key(cx->scratch, cx->model->main_file, s->objs[0].field, s->objs[0].var),
                sl_summary_lock_class(cx->scratch, cx->model->main_file, s->held->lock),
                s->objs[0].name, s->held->lock->text, incs, reads,
                sk == SEC_INC ? "update" : "read",
            };
            const struct sl_expr *chain[] = { at, s->site };
            sl_export_fact_args(cx, s->f, "counter", chain, 2, args, 7);
            continue;
        }
        if (v->n_local == v->cap_local) {
            size_t nc = v->cap_local ? v->cap_local * 2 : 4;
            v->local = sl_arena_grow(cx->scratch, v->local, v->n_local, nc, sizeof *v->local);
            v->cap_local = nc;
        }
        if (!v->n_local) {
            if (n_order == cap_order) {
                size_t nc = cap_order ? cap_order * 2 : 8;
                order = sl_arena_grow(cx->scratch, order, n_order, nc, sizeof *order);
                cap_order = nc;
            }
            order[n_order++] = v;
        }
        v->local[v->n_local++] = s;
    }
    for (size_t o = 0; o < n_order; o++) {
        const struct verdict *v = order[o];
        if (!v->incs) continue;   /* only read: nothing counts */
        for (size_t k = 0; k < v->n_local; k++) {
            const struct section *s = v->local[k];
            bool upd = section_kind(s) == SEC_INC;
            const struct sl_expr *at = upd ? (s->inc_expr ? s->inc_expr : s->site) : s->read_expr;
            struct sl_diag *d = upd
                ? sl_report(cx, at->loc, "the only work done under '%s' here is updating '%s': an "
                            "atomic add does the same without taking a lock",
                            s->held->lock->text, s->objs[0].name)
                : sl_report(cx, at->loc, "the only work done under '%s' here is reading '%s': an "
                            "atomic load does the same without taking a lock",
                            s->held->lock->text, s->objs[0].name);
            sl_set_identity(cx, d, s->cls);
            sl_note_held(cx, d, s->held);
            unsigned shown = 0;
            for (size_t j = 0; j < v->n_local && shown < MAX_OTHERS_NOTED; j++) {
                const struct section *t = v->local[j];
                if (t == s) continue;
                bool tu = section_kind(t) == SEC_INC;
                sl_note(cx, d, (tu ? (t->inc_expr ? t->inc_expr : t->site) : t->read_expr)->loc,
                        "'%s' is also %s under '%s' here", t->objs[0].name,
                        tu ? "updated" : "read", t->held->lock->text);
                shown++;
            }
            sl_note_text(cx, d, "every access to '%s' in this file is a lone update or read under "
                         "'%s' (%u update and %u read sections)", s->objs[0].name,
                         s->held->lock->text, v->incs, v->reads);
            sl_note_text(cx, d, upd ? "use: atomic_fetch_add / sl_counter (<synclint/counter.h>); "
                                      "sl_striped_counter when many threads add and the total is "
                                      "read rarely"
                                    : "use: atomic_load on the counter made atomic "
                                      "(sl_counter_load, <synclint/counter.h>)");
        }
    }
    free(ss.v);
}

/* A candidate counter is reported only if every access to it in the whole
 * project, outside set-up and teardown, holds the same lock. */
static bool guarded_everywhere(const struct sl_project *p, const char *key, uint32_t lock,
                               uint32_t *sites, uint32_t *files)
{
    uint32_t lo = 0, hi = p->n_accesses;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(p->accesses[mid].obj, key) < 0) lo = mid + 1;
        else hi = mid;
    }
    *sites = *files = 0;
    const char *last_file = NULL;
    for (uint32_t i = lo; i < p->n_accesses && !strcmp(p->accesses[i].obj, key); i++) {
        const struct sl_paccess *a = &p->accesses[i];
        if (a->flags & (SL_ACC_SETUP | SL_ACC_UNPUBLISHED)) continue;
        bool held = false;
        for (uint32_t k = 0; k < a->n_held && !held; k++) held = a->held[k] == lock;
        if (!held) return false;
        (*sites)++;
        if (!last_file || strcmp(last_file, a->at.file ? a->at.file : "")) {
            (*files)++;
            last_file = a->at.file ? a->at.file : "";
        }
    }
    return true;
}

/* One (object, lock) of the project: its verdict and its sections. */
struct project_group {
    bool ok;
    uint32_t sites, files, updates;
    const struct sl_sum_fact **facts;
    uint32_t n, cap;
};

static bool fact_is_update(const struct sl_sum_fact *fa)
{
    return fa->n_args < 7 || !strcmp(fa->args[6], "update");
}

static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    struct sl_strmap *ruled_out = sl_strmap_new(cx->scratch);
    struct sl_strmap *groups_by_key = sl_strmap_new(cx->scratch);   /* "key|lock" -> index */
    struct project_group *group = NULL;
    uint32_t n_groups = 0, cap_groups = 0;
    for (uint32_t i = 0; i < p->n_fns; i++)
        for (uint32_t k = 0; k < p->fns[i].n_facts; k++) {
            const struct sl_sum_fact *fa = &p->fns[i].facts[k];
            if (!strcmp(fa->rule, cx->rule->id) && !strcmp(fa->what, "not-a-counter") && fa->n_args == 1)
                sl_strmap_put(ruled_out, fa->args[0], 1);
        }
    /* Gather the sections by (object, lock), in project order. */
    for (uint32_t i = 0; i < p->n_fns; i++) {
        const struct sl_pfn *fn = &p->fns[i];
        for (uint32_t k = 0; k < fn->n_facts; k++) {
            const struct sl_sum_fact *fa = &fn->facts[k];
            if (strcmp(fa->rule, cx->rule->id) || strcmp(fa->what, "counter") || fa->n_args < 6 ||
                fa->n_chain != 2)
                continue;
            uint32_t lock, dummy;
            if (sl_strmap_get(ruled_out, fa->args[0], &dummy)) continue;   /* another file */
            if (!sl_strmap_get(p->lock_ids, fa->args[1], &lock)) continue;
            /* one verdict per (object, lock): a file of 20,000 counters of
             * one object must not rescan its accesses 20,000 times */
            char vkey[512];
            snprintf(vkey, sizeof vkey, "%s|%u", fa->args[0], lock);
            uint32_t gi;
            if (!sl_strmap_get(groups_by_key, vkey, &gi)) {
                if (n_groups == cap_groups) {
                    uint32_t nc = cap_groups ? cap_groups * 2 : 16;
                    group = sl_arena_grow(cx->scratch, group, n_groups, nc, sizeof *group);
                    cap_groups = nc;
                }
                struct project_group *g = &group[n_groups];
                g->ok = guarded_everywhere(p, fa->args[0], lock, &g->sites, &g->files);
                gi = sl_strmap_put(groups_by_key, vkey, n_groups++);
            }
            struct project_group *g = &group[gi];
            if (!g->ok) continue;
            if (g->n == g->cap) {
                uint32_t nc = g->cap ? g->cap * 2 : 4;
                g->facts = sl_arena_grow(cx->scratch, g->facts, g->n, nc, sizeof *g->facts);
                g->cap = nc;
            }
            g->facts[g->n++] = fa;
            if (fact_is_update(fa)) g->updates++;
        }
    }
    for (uint32_t gi = 0; gi < n_groups; gi++) {
        const struct project_group *g = &group[gi];
        if (!g->ok || !g->updates) continue;   /* only read: nothing counts */
        for (uint32_t k = 0; k < g->n; k++) {
            const struct sl_sum_fact *fa = g->facts[k];
            bool upd = fact_is_update(fa);
            struct sl_diag *d = upd
                ? sl_preport(cx, &fa->chain[0].at, "the only work done under '%s' here is "
                             "updating '%s': an atomic add does the same without taking a lock",
                             fa->args[3], fa->args[2])
                : sl_preport(cx, &fa->chain[0].at, "the only work done under '%s' here is "
                             "reading '%s': an atomic load does the same without taking a lock",
                             fa->args[3], fa->args[2]);
            sl_pset_identity(cx, d, fa->args[1]);
            sl_pnote(cx, d, &fa->chain[1].at, "'%s' acquired here", fa->args[3]);
            unsigned shown = 0;
            for (uint32_t j = 0; j < g->n && shown < MAX_OTHERS_NOTED; j++) {
                const struct sl_sum_fact *other = g->facts[j];
                if (other == fa) continue;
                sl_pnote(cx, d, &other->chain[0].at, "'%s' is also %s under '%s' here",
                         other->args[2], fact_is_update(other) ? "updated" : "read", other->args[3]);
                shown++;
            }
            sl_pnote_text(cx, d, "every access to '%s' in its file is a lone update or read under "
                          "'%s' (%s update and %s read sections), and every access in the project "
                          "holds it (%u site%s in %u file%s)", fa->args[2], fa->args[3], fa->args[4],
                          fa->args[5], g->sites, g->sites == 1 ? "" : "s", g->files,
                          g->files == 1 ? "" : "s");
            sl_pnote_text(cx, d, upd ? "use: atomic_fetch_add / sl_counter (<synclint/counter.h>); "
                                       "sl_striped_counter when many threads add and the total is "
                                       "read rarely"
                                     : "use: atomic_load on the counter made atomic "
                                       "(sl_counter_load, <synclint/counter.h>)");
        }
    }
}

const struct sl_rule sl_rule_mutex_guarded_counter = {
    .id = "mutex-guarded-counter",
    .tier = 1,
    .summary = "a mutex held only to increment, decrement or read one integer",
    .replacement = "atomic_fetch_add / sl_counter; sl_striped_counter for write-hot statistics",
    .what =
        "A critical section whose only effect is `x++`, `x--`, `x += k` or `x -= k` on one\n"
        "integer object (a global, or a struct field of any instance), where every access to\n"
        "that object is such a section, or a plain read (`v = x`, `return x`), under the same\n"
        "lock - in its file, and in every other file of the run (a file that reads it\n"
        "without the lock or updates it together with other state rules it out). Sections that touch a second object, call functions, or write\n"
        "the object together with other state are not reported: the lock may protect an\n"
        "invariant between them. A reader copying several counters together under the lock\n"
        "does not by itself make an invariant. Initialisation and teardown functions (those\n"
        "that init or destroy a lock, are named init/setup/teardown, or are named for\n"
        "construction and work on an object) may touch\n"
        "the object unlocked; `long new_id(void)` hands out numbers on every call and is no\n"
        "constructor. Every update section and every plain read of the counter is a finding\n"
        "of its own, with notes at the others: each of them changes. An increment whose result\n"
        "is used (`id = ++next_id`, `return n++`) is atomic_fetch_add's return value.",
    .why =
        "A mutex lock/unlock pair is two atomic read-modify-writes plus, under contention, a\n"
        "system call and a context switch; the increment it protects is one. On two cores\n"
        "the mutex-protected counter measures about 3x slower than an atomic add with one\n"
        "thread and 4-5x slower with two, and threads that only wanted to count now queue\n"
        "behind each other. An atomic add never sleeps.",
    .before =
        "pthread_mutex_lock(&stats->mu);\n"
        "stats->requests++;\n"
        "pthread_mutex_unlock(&stats->mu);",
    .after =
        "#include <synclint/counter.h>\n"
        "sl_counter_inc(&stats->requests);          /* sl_counter requests; */\n"
        "/* or, in plain C11: */\n"
        "atomic_fetch_add_explicit(&stats->requests, 1, memory_order_relaxed);",
    .when_not =
        "When the counter must stay consistent with other state guarded by the same lock (a\n"
        "count of items in a list the lock protects, a total that must match a sum), or when\n"
        "readers need several counters from one instant: then the lock is doing real work.\n"
        "On targets without 64-bit atomics, keep the lock for 64-bit counters.",
    .needs = SL_NEED_SETUP,
    .check = check,
    .check_project = check_project,
};
