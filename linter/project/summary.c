/* summary.c - building the per-TU summary and its JSON form (summary.h). */
#include "summary.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pmap.h"
#include "strmap.h"

#define MAX_FN_ACQS 16
#define MAX_CHAIN 6
#define MAX_HELD 16

/* ---- growable arrays in the summary's arena ---- */

#define PUSHA(s, arr, n, cap, val) do { \
        if ((n) == (cap)) { \
            uint32_t nc_ = (cap) ? (cap) * 2 : 16; \
            (arr) = sl_arena_grow(&(s)->arena, (arr), (n), nc_, sizeof *(arr)); \
            (cap) = nc_; \
        } \
        (arr)[(n)++] = (val); \
    } while (0)

struct builder {
    struct sl_tu_summary *s;
    const struct sl_model *m;
    const struct sl_flow *fl;
    const struct sl_facts *fx;
    struct sl_pmap lock_of_class;        /* class pointer -> index + 1 */
    struct sl_pmap sections;             /* acquisition site -> struct section */
    uint32_t cap_locks, cap_acqs, cap_calls, cap_fns, cap_acc;
    struct fn_acqs *fn_acqs;             /* [func index] transitive acquisitions */
    uint8_t *fn_state;
    uint8_t *hotness;                    /* [func index] hotness + 1; 0: not yet */
    const char **file_names;             /* [model file index], copied once */
    const char **func_names;             /* [func index], copied once */
    struct sl_strmap *names;             /* callee / caller / entry names, one copy each */
    struct sl_pmap seen;                 /* (name, set) already listed: see listed_once */
};

static const char *dup(struct sl_tu_summary *s, const char *x)
{
    return x ? sl_arena_strdup(&s->arena, x) : NULL;
}

/* The name's one copy in the summary, and whether it is new to the list
 * `set` (a function's callees or callers, the TU's thread entries): lists
 * deduplicated in O(1) per item, not by rescanning them. */
enum { LIST_CALLEES, LIST_CALLERS, LIST_ENTRIES };
static bool listed_once(struct builder *b, const char *name, uint32_t owner, unsigned set,
                        const char **copy)
{
    *copy = sl_strmap_intern(b->names, name);
    void **slot = sl_pmap_slot(&b->seen, SL_PKEY(*copy), ((uintptr_t)owner << 2 | set) + 1);
    if (*slot) return false;
    *slot = (void *)1;
    return true;
}

/* A site's strings are copied once per file and function, not per site. */
static struct sl_site site_of(struct builder *b, struct sl_loc l)
{
    const struct sl_func *f = sl_facts_func_at(b->fx, l);
    const char *file = NULL;
    if (l.file < b->m->n_files) {
        if (!b->file_names[l.file]) b->file_names[l.file] = dup(b->s, sl_loc_file(b->m, l));
        file = b->file_names[l.file];
    } else {
        file = dup(b->s, sl_loc_file(b->m, l));
    }
    const char *fn = NULL;
    if (f && f->index < b->m->n_funcs) {
        if (!b->func_names[f->index]) b->func_names[f->index] = dup(b->s, f->name);
        fn = b->func_names[f->index];
    }
    struct sl_site st = { file, l.line, l.col, fn };
    return st;
}

/* ---- locks ---- */

static uint32_t lock_index(struct builder *b, const struct sl_lockref *l)
{
    if (!l || l->scope == SL_LOCK_LOCAL || l->scope == SL_LOCK_UNKNOWN) return UINT32_MAX;
    void **slot = sl_pmap_slot(&b->lock_of_class, SL_PKEY(l->cls), 0);
    if (*slot) return (uint32_t)(uintptr_t)*slot - 1;
    struct sl_sum_lock k = {0};
    k.cls = sl_summary_lock_class(&b->s->arena, b->s->tu, l);
    k.text = dup(b->s, l->text);
    k.kind = (uint8_t)l->kind;
    k.scope = (uint8_t)l->scope;
    if (l->decl) {
        k.has_decl = true;
        k.decl = site_of(b, *l->decl);
        k.decl.func = NULL;
        /* a field's declaration is its definition; a global's when this TU defines it */
        k.decl_is_definition = l->scope == SL_LOCK_FIELD || l->decl_is_definition;
    }
    PUSHA(b->s, b->s->locks, b->s->n_locks, b->cap_locks, k);
    *slot = (void *)(uintptr_t)b->s->n_locks;
    return b->s->n_locks - 1;
}

/* Lock index of a class pointer known from a lockref met earlier. */
static uint32_t class_index(struct builder *b, const char *cls)
{
    void *v = sl_pmap_get(&b->lock_of_class, SL_PKEY(cls), 0);
    return v ? (uint32_t)(uintptr_t)v - 1 : UINT32_MAX;
}

static uint32_t held_of(struct builder *b, const struct sl_lockset *h, struct sl_sum_held **out)
{
    uint32_t n = 0;
    struct sl_sum_held tmp[MAX_HELD];
    for (uint32_t i = 0; i < sl_lockset_size(h) && n < MAX_HELD; i++) {
        uint32_t li = lock_index(b, h->items[i].lock);
        if (li == UINT32_MAX) continue;
        tmp[n].lock = li;
        tmp[n].at = h->items[i].site ? site_of(b, h->items[i].site->loc) : (struct sl_site){0};
        n++;
    }
    *out = n ? sl_arena_alloc(&b->s->arena, n * sizeof **out) : NULL;
    if (n) memcpy(*out, tmp, n * sizeof tmp[0]);
    return n;
}

/* ---- sections: what runs while an acquisition is held ---- */

struct section {
    uint32_t calls;
    uint32_t stmts;
    const struct sl_stmt *last_stmt;
    const char *keyed_how;
};

static bool in_loop_below(const struct sl_stmt *s, const struct sl_stmt *stop)
{
    for (; s && s != stop; s = s->parent)
        if (sl_stmt_is_loop(s)) return true;
    return false;
}

static const char *const strong_key_words[] = {
    "find", "lookup", "search", "hash", "hget", "hset", "hmap", "hashmap", "ht", "dict", NULL
};
static const char *const weak_key_words[] = {
    "get", "put", "insert", "add", "remove", "del", "delete", "erase", "set", NULL
};
/* Containers, as part of a name: "fdmap_get", "hm_insert", "ht_del". */
static const char *const container_parts[] = {
    "map", "table", "tbl", "cache", "tree", "dict", "hash", "index", "registry", "trie", NULL
};
static const char *const container_words[] = { "hm", "ht", "idx", "lru", "kv", NULL };

static bool names_container(const char *n)
{
    for (size_t i = 0; container_parts[i]; i++)
        if (strstr(n, container_parts[i])) return true;
    return sl_name_has_word(n, container_words);
}

/* A string key: a literal, or a variable / field of a char pointer or array type. */
static bool is_string_key(const struct sl_expr *e)
{
    if (e->kind == SL_EX_STRING) return true;
    const char *t = e->kind == SL_EX_REF && e->var ? e->var->type_name :
                    e->kind == SL_EX_MEMBER && e->field ? e->field->type_name : NULL;
    return t && strstr(t, "char") && (strchr(t, '*') || strchr(t, '['));
}
static const char *const compare_calls[] = {
    "strcmp", "strncmp", "strcasecmp", "strncasecmp", "memcmp", NULL
};

static bool name_is(const char *n, const char *const *names)
{
    for (size_t i = 0; n && names[i]; i++)
        if (!strcmp(n, names[i])) return true;
    return false;
}

static bool contains_hash_call(const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_CALL && e->name && strstr(e->name, "hash")) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (contains_hash_call(e->kids[i])) return true;
    return false;
}

/* A keyed-table operation, or NULL. */
static const char *keyed_op(struct builder *b, const struct sl_expr *e, const struct sl_stmt *section_start)
{
    if (e->kind == SL_EX_CALL && e->name && e->n_kids >= 1 &&
        sl_call_lockop(b->fl, e) == SL_OP_NONE) {
        bool string_key = false;
        for (uint32_t i = 0; i < e->n_kids && !string_key; i++) string_key = is_string_key(e->kids[i]);
        if (sl_name_has_word(e->name, strong_key_words) ||
            (sl_name_has_word(e->name, weak_key_words) && (names_container(e->name) || string_key)))
            return sl_arena_printf(&b->s->arena, "calls '%s'", e->name);
        if (name_is(e->name, compare_calls) && in_loop_below(e->stmt, section_start))
            return sl_arena_printf(&b->s->arena, "compares keys with '%s' in a loop", e->name);
    }
    if (e->kind == SL_EX_INDEX && e->n_kids == 2 && contains_hash_call(e->kids[1]))
        return dup(b->s, "indexes the table by a hash of the key");
    return NULL;
}

static void scan_sections(struct builder *b, const struct sl_func *f)
{
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *e = f->exprs[i];
        const struct sl_lockset *h = sl_held_must(b->fl, e);
        for (uint32_t k = 0; k < sl_lockset_size(h); k++) {
            const struct sl_expr *site = h->items[k].site;
            if (!site || !site->stmt || site->stmt->func != f) continue;
            void **slot = sl_pmap_slot(&b->sections, SL_PKEY(site), SL_PKEY(h->items[k].lock->cls));
            struct section *sec = *slot;
            if (!sec) *slot = sec = sl_arena_alloc(&b->s->arena, sizeof *sec);
            if (e->stmt != sec->last_stmt) { sec->stmts++; sec->last_stmt = e->stmt; }
            if (e->kind == SL_EX_CALL) {
                enum sl_lockop op = sl_call_lockop(b->fl, e);
                if (op != SL_OP_UNLOCK && e != site) sec->calls++;
            }
            if (!sec->keyed_how) sec->keyed_how = keyed_op(b, e, site->stmt);
        }
    }
}

/* ---- rwlock weights ---- */

/* Where a site runs, from its function: a static estimate of how often.
 * Hot: thread bodies and code named for per-request / per-packet work.
 * Cold: set-up and teardown, administration, periodic maintenance. */
static const char *const hot_words[] = {
    "handle", "handler", "process", "dispatch", "on", "per", "packet", "pkt", "recv", "rx",
    "tx", "xmit", "input", "output", "forward", "xlate", "request", "req", "msg",
    "message", "event", "serve", "query", "classify", "route", NULL
};
static const char *const cold_words[] = {
    "unixctl", "cmd", "command", "show", "dump", "debug", "print", "flush", "config",
    "configure", "reconfigure", "reload", "admin", "status", "stats", "usage", "help",
    "run", "wait", "periodic", "tick", "timer", "register", "unregister", "unref", "ref",
    "set", "reset", "clear", "list", "enumerate", NULL
};

static uint8_t hotness_by_name(struct builder *b, const struct sl_func *f)
{
    if (sl_is_setup_function(b->fx, f)) return SL_COLD;
    if (sl_runs_on_thread(b->fx, f)) return SL_HOT;
    /* cold words win: dpif_netdev_subtable_lookup_set is administration */
    if (sl_name_has_word(f->name, cold_words)) return SL_COLD;
    if (sl_name_has_word(f->name, hot_words)) return SL_HOT;
    return SL_WARM;
}

/* Once per function, however many acquisitions it has. */
static uint8_t hotness_of(struct builder *b, const struct sl_func *f)
{
    if (f->index >= b->m->n_funcs) return hotness_by_name(b, f);
    uint8_t *h = &b->hotness[f->index];
    if (!*h) *h = (uint8_t)(hotness_by_name(b, f) + 1);
    return (uint8_t)(*h - 1);
}

/* Site weight: cold 1, warm 4, hot 16; x4 inside a loop. */
static uint32_t weight_of(const struct sl_expr *c, uint8_t hotness)
{
    uint32_t w = hotness == SL_HOT ? 16 : hotness == SL_WARM ? 4 : 1;
    if (in_loop_below(c->stmt, NULL)) w *= 4;
    return w;
}

/* ---- per-function transitive acquisitions ---- */

struct fn_acqs {
    struct sl_sum_fn_acq v[MAX_FN_ACQS];
    uint32_t n;
};

static void add_fn_acq(struct builder *b, struct fn_acqs *fa, uint32_t lock,
                       const struct sl_sum_chain_step *prefix, const struct sl_sum_fn_acq *tail,
                       struct sl_sum_chain_step last, uint32_t released)
{
    for (uint32_t i = 0; i < fa->n; i++)
        if (fa->v[i].lock == lock) return;
    if (fa->n == MAX_FN_ACQS) return;
    uint32_t n = (prefix ? 1 : 0) + (tail ? tail->n_chain : 1);
    if (n > MAX_CHAIN) return;
    struct sl_sum_chain_step *ch = sl_arena_alloc(&b->s->arena, n * sizeof *ch);
    uint32_t k = 0;
    if (prefix) ch[k++] = *prefix;
    if (tail) for (uint32_t i = 0; i < tail->n_chain; i++) ch[k++] = tail->chain[i];
    else ch[k++] = last;
    if (released == SL_SUM_NO_LOCK && tail) released = tail->released;
    fa->v[fa->n++] = (struct sl_sum_fn_acq){ lock, ch, n, released };
}

/* state: 0 new, 1 in progress, 2 done */
static const struct fn_acqs *fn_acquires(struct builder *b, const struct sl_func *f, int depth)
{
    struct fn_acqs *fa = &b->fn_acqs[f->index];
    if (b->fn_state[f->index] || depth > MAX_CHAIN) return fa;
    b->fn_state[f->index] = 1;
    const struct sl_func_flow *ff = sl_func_flow(b->fl, f);
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        const struct sl_call_op *op = sl_call_op(b->fl, c);
        /* the caller's lock this function dropped before c (and has not
         * taken back at c) */
        uint32_t released = SL_SUM_NO_LOCK;
        for (uint32_t k = 0; k < ff->n_events && released == SL_SUM_NO_LOCK; k++) {
            const struct sl_flow_event *ev = &ff->events[k];
            if (ev->kind == SL_EV_UNLOCK_NOT_HELD && ev->lock && ev->call->index < c->index &&
                ev->lock->scope != SL_LOCK_LOCAL && ev->lock->scope != SL_LOCK_UNKNOWN &&
                !sl_lockset_find_class(sl_held_may(b->fl, c), ev->lock->cls))
                released = lock_index(b, ev->lock);
        }
        if (sl_lockop_acquires(op->op) && !sl_lockop_is_try(op->op)) {
            uint32_t li = lock_index(b, op->lock);
            if (li != UINT32_MAX) {
                struct sl_sum_chain_step st = { site_of(b, c->loc), dup(b->s, c->name) };
                add_fn_acq(b, fa, li, NULL, NULL, st, released);
            }
            continue;
        }
        if (op->op != SL_OP_NONE || !c->func || !c->func->body || c->func == f ||
            c->func->index >= b->m->n_funcs)
            continue;
        const struct fn_acqs *sub = fn_acquires(b, c->func, depth + 1);
        struct sl_sum_chain_step via = { site_of(b, c->loc), dup(b->s, c->name) };
        for (uint32_t k = 0; k < sub->n; k++)
            add_fn_acq(b, fa, sub->v[k].lock, &via, &sub->v[k], via, released);
    }
    b->fn_state[f->index] = 2;
    return fa;
}

/* ---- accesses ---- */

static const char *const alloc_words[] = {
    "malloc", "calloc", "realloc", "zalloc", "xmalloc", "xcalloc", "xzalloc", "alloc", "strdup",
    "new", NULL
};

static bool fresh_from_allocator(const struct sl_facts *fx, const struct sl_var *v)
{
    if (!v || v->kind != SL_VAR_LOCAL || !(v->tflags & SL_TY_PTR)) return false;
    const struct sl_var_defs *d = sl_var_defs(fx, v);
    for (uint32_t i = 0; i < d->n_values; i++) {
        const struct sl_expr *x = d->values[i];
        if (x->kind == SL_EX_CALL && x->name && sl_name_has_word(x->name, alloc_words)) return true;
    }
    return false;
}

#define JOIN(a, ...) sl_arena_join((a), (const char *const[]){ __VA_ARGS__ }, \
                                 sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

const char *sl_summary_lock_class(struct sl_arena *a, const char *tu, const struct sl_lockref *l)
{
    if (l->file_static) return JOIN(a, tu, "#", l->cls);
    return sl_arena_strdup(a, l->cls);
}

const char *sl_summary_object_key(struct sl_arena *a, const char *tu, const struct sl_field *field,
                                  const struct sl_var *v)
{
    if (field) return JOIN(a, field->record ? field->record->name : "?", "::", field->name);
    if (v->func) return JOIN(a, tu, "#", v->func->name, "::", v->name);
    if (v->is_static) return JOIN(a, tu, "#", v->name);
    return sl_arena_strdup(a, v->name);
}

static const char *object_key(struct builder *b, const struct sl_access *a)
{
    return sl_summary_object_key(&b->s->arena, b->s->tu, a->field, a->var);
}

/* Where f first starts a thread and first joins one (expression indices,
 * pre-order): code before the first is start-up, after the second teardown. */
struct thread_marks { uint32_t first_create, first_join; bool has_create, has_join; };

static struct thread_marks marks_of(const struct sl_func *f)
{
    struct thread_marks t = {0};
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const char *n = f->calls[i]->name;
        if (!n) continue;
        if (!t.has_create && (!strcmp(n, "pthread_create") || !strcmp(n, "thrd_create"))) {
            t.first_create = f->calls[i]->index;
            t.has_create = true;
        }
        if (!t.has_join && (!strcmp(n, "pthread_join") || !strcmp(n, "thrd_join"))) {
            t.first_join = f->calls[i]->index;
            t.has_join = true;
        }
    }
    return t;
}

/* Where each local pointer of f is first stored into shared memory
 * (`c->watchers = w`): before that the object it points to is the
 * function's own, whoever passed it in. */
struct publish { const struct sl_var *var; uint32_t at; };

static uint32_t publishes_of(const struct sl_func *f, struct publish *out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < f->n_exprs && n < max; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind != SL_EX_ASSIGN || x->op != SL_B_ASSIGN || x->n_kids != 2) continue;
        const struct sl_expr *r = x->kids[1];
        if (r->kind != SL_EX_REF || !r->var || r->var->kind == SL_VAR_GLOBAL || r->var->is_static ||
            !(r->var->tflags & SL_TY_PTR) || !sl_expr_touches_shared(x->kids[0]))
            continue;
        bool seen = false;
        for (uint32_t k = 0; k < n && !seen; k++) seen = out[k].var == r->var;
        if (!seen) out[n++] = (struct publish){ r->var, x->index };
    }
    return n;
}

/* Does f assert that a lock is held (`EVLOCK_ASSERT_LOCKED(l)`, which
 * calls evthread_is_debug_lock_held_(); ovs_mutex_assert_held...)?  Then
 * its caller holds one. */
static bool asserts_lock_held(const struct sl_func *f)
{
    static const char *const words[] = { "held", "locked", "owned", "owner", NULL };
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const char *n = f->calls[i]->name;
        if (n && sl_name_has_word(n, words) && (strstr(n, "assert") || strstr(n, "is_") ||
                                                  strstr(n, "check")))
            return true;
    }
    return false;
}

/* The locks f releases without having taken them (bufferevent_decref_and_unlock_):
 * held by its caller until that unlock. */
struct entry_release { const char *cls; uint32_t at; };

static uint32_t entry_releases(struct builder *b, const struct sl_func *f, struct entry_release *out,
                               uint32_t max)
{
    const struct sl_func_flow *ff = sl_func_flow(b->fl, f);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ff->n_events && n < max; i++) {
        const struct sl_flow_event *ev = &ff->events[i];
        if (ev->kind != SL_EV_UNLOCK_NOT_HELD || !ev->lock || ev->lock->scope == SL_LOCK_LOCAL ||
            ev->lock->scope == SL_LOCK_UNKNOWN)
            continue;
        lock_index(b, ev->lock);
        out[n++] = (struct entry_release){ ev->lock->cls, ev->call->index };
    }
    return n;
}

static void add_accesses(struct builder *b)
{
    struct entry_release rel[8];
    uint32_t n_rel = 0;
    bool asserts = false;
    struct publish pubs[16];
    uint32_t n_pubs = 0;
    const struct sl_facts *fx = b->fx;
    const struct sl_func *cur = NULL;
    struct thread_marks tm = {0};
    for (uint32_t i = 0; i < fx->n_accesses; i++) {
        const struct sl_access *a = &fx->accesses[i];
        /* a static function nothing here calls (a header's inline helper
         * in a TU that does not use it): the TUs that call it count it */
        if (a->func->is_static && !a->func->in_main_file && !sl_n_callers(fx, a->func)) continue;
        if (a->func != cur) {
            cur = a->func;
            tm = marks_of(cur);
            n_pubs = publishes_of(cur, pubs, 16);
            n_rel = entry_releases(b, cur, rel, 8);
            asserts = asserts_lock_held(cur);
        }
        struct sl_sum_access x = {0};
        x.obj = object_key(b, a);
        x.name = dup(b->s, a->field ? a->field->name : a->var->name);
        x.at = site_of(b, a->e->loc);
        if (a->write) x.flags |= SL_ACC_WRITE;
        if (a->atomic) x.flags |= SL_ACC_ATOMIC;
        if (sl_is_setup_function(fx, a->func)) x.flags |= SL_ACC_SETUP;
        if (a->func->requires_annotation || a->func->no_analysis_annotation || asserts)
            x.flags |= SL_ACC_CALLER_HOLDS;
        /* Not yet published: through a pointer this function allocated, or
         * one it later stores into shared memory, and before that store. */
        const struct sl_var *root = a->field ? sl_expr_root_var(a->e) : NULL;
        const struct publish *pub = NULL;
        for (uint32_t k = 0; root && k < n_pubs && !pub; k++)
            if (pubs[k].var == root) pub = &pubs[k];
        if (pub ? a->e->index < pub->at : (root && fresh_from_allocator(fx, root)))
            x.flags |= SL_ACC_UNPUBLISHED;
        if (!sl_runs_on_thread(fx, a->func)) {
            if (tm.has_create && a->e->index < tm.first_create) x.flags |= SL_ACC_BEFORE_THREADS;
            if (tm.has_join && a->e->index > tm.first_join) x.flags |= SL_ACC_AFTER_JOIN;
        }
        const char *cls[MAX_HELD + 8];
        uint32_t nh = sl_facts_held_classes(fx, a->e, cls, MAX_HELD);
        for (uint32_t k = 0; k < n_rel; k++)
            if (a->e->index < rel[k].at) cls[nh++] = rel[k].cls;
        uint32_t held[MAX_HELD + 8], n = 0;
        for (uint32_t k = 0; k < nh; k++) {
            uint32_t li = class_index(b, cls[k]);
            bool dup_ = false;
            for (uint32_t j = 0; j < n && !dup_; j++) dup_ = held[j] == li;
            if (li != UINT32_MAX && !dup_) held[n++] = li;
        }
        /* by index, not by the pointer order they came in: the summary's
         * JSON is the same in every run */
        for (uint32_t k = 1; k < n; k++)
            for (uint32_t j = k; j > 0 && held[j - 1] > held[j]; j--) {
                uint32_t t = held[j]; held[j] = held[j - 1]; held[j - 1] = t;
            }
        if (n) {
            x.held = sl_arena_alloc(&b->s->arena, n * sizeof *x.held);
            memcpy(x.held, held, n * sizeof *held);
            x.n_held = n;
        }
        PUSHA(b->s, b->s->accesses, b->s->n_accesses, b->cap_acc, x);
    }
}

/* ---- the builder ---- */

/* ---- inventory events ---- */

/* The key of a thread handle expression (&t, &p->threads[i], t): the
 * object it names, so a start and a join of the same handle match. */
static const char *handle_key(struct builder *b, const struct sl_expr *e, const struct sl_func *f)
{
    while (e && e->n_kids >= 1 &&
           ((e->kind == SL_EX_UNARY && (e->op == SL_U_ADDROF || e->op == SL_U_DEREF)) ||
            e->kind == SL_EX_INDEX || (e->kind == SL_EX_OTHER && e->n_kids == 1)))
        e = e->kids[0];
    if (!e) return NULL;
    if (e->kind == SL_EX_MEMBER && e->field)
        return sl_summary_object_key(&b->s->arena, b->s->tu, e->field, NULL);
    if (e->kind != SL_EX_REF || !e->var) return NULL;
    if (!e->var->func) return sl_summary_object_key(&b->s->arena, b->s->tu, NULL, e->var);
    char buf[512];
    snprintf(buf, sizeof buf, "%s:%s", f->name, e->var->name);
    return dup(b->s, buf);
}

static void add_events(struct builder *b, uint32_t *cap)
{
    const struct sl_model *m = b->m;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(b->fl, c);
            struct sl_sum_event ev = { .lock = UINT32_MAX, .mutex = UINT32_MAX, .at = site_of(b, c->loc) };
            if (op->op == SL_OP_INIT) {
                ev.what = SL_EV_INIT;
                ev.lock = lock_index(b, op->lock);
            } else if (op->op == SL_OP_WAIT || op->op == SL_OP_TIMEDWAIT) {
                ev.what = SL_EV_WAIT;
                ev.lock = lock_index(b, op->cond);
                ev.mutex = lock_index(b, op->lock);
            } else if (op->op == SL_OP_SIGNAL || op->op == SL_OP_BROADCAST) {
                ev.what = SL_EV_SIGNAL;
                ev.lock = lock_index(b, op->cond ? op->cond : op->lock);
            } else if (c->name && (!strcmp(c->name, "pthread_create") || !strcmp(c->name, "thrd_create"))) {
                const struct sl_func *t = sl_thread_start_target(c);
                ev.what = SL_EV_CREATE;
                ev.entry = t ? dup(b->s, t->name) : NULL;
                ev.handle = c->n_kids ? handle_key(b, c->kids[0], f) : NULL;
            } else if (c->name && (!strcmp(c->name, "pthread_join") || !strcmp(c->name, "thrd_join"))) {
                ev.what = SL_EV_JOIN;
                ev.handle = c->n_kids ? handle_key(b, c->kids[0], f) : NULL;
            } else if (c->name && (!strcmp(c->name, "pthread_detach") || !strcmp(c->name, "thrd_detach"))) {
                /* pthread_detach(pthread_self()): the thread detaches itself */
                const struct sl_expr *a = c->n_kids ? c->kids[0] : NULL;
                bool self = a && a->kind == SL_EX_CALL && a->name &&
                            (!strcmp(a->name, "pthread_self") || !strcmp(a->name, "thrd_current"));
                ev.what = SL_EV_DETACH;
                ev.handle = a && !self ? handle_key(b, a, f) : NULL;
                if (!self && !ev.handle) continue;
            } else {
                continue;
            }
            if (ev.what <= SL_EV_SIGNAL && ev.lock == UINT32_MAX) continue;   /* a local's */
            ev.op = (uint8_t)op->op;
            PUSHA(b->s, b->s->events, b->s->n_events, *cap, ev);
        }
    }
}

void sl_summary_build(struct sl_tu_summary *s, const struct sl_model *m,
                      const struct sl_flow *fl, const struct sl_facts *fx,
                      const struct sl_rule_exports *exports)
{
    memset(s, 0, sizeof *s);
    sl_arena_init(&s->arena);
    s->tu = dup(s, m->main_file);
    struct builder b = { .s = s, .m = m, .fl = fl, .fx = fx };
    sl_pmap_init(&b.lock_of_class, &s->arena);
    sl_pmap_init(&b.sections, &s->arena);
    sl_pmap_init(&b.seen, &s->arena);
    b.names = sl_strmap_new(&s->arena);
    /* exports listed per function: [first export of f], then next */
    uint32_t n_ex = exports ? exports->n : 0;
    uint32_t *ex_first = sl_xcalloc(m->n_funcs + 1, sizeof *ex_first);
    uint32_t *ex_next = sl_xcalloc(n_ex + 1, sizeof *ex_next);
    for (uint32_t k = n_ex; k-- > 0;) {
        const struct sl_func *ef = exports->v[k].func;
        uint32_t fi = ef && ef->index < m->n_funcs ? ef->index : m->n_funcs;
        ex_next[k] = ex_first[fi];
        ex_first[fi] = k + 1;
    }
    b.fn_acqs = sl_xcalloc(m->n_funcs, sizeof *b.fn_acqs);
    b.fn_state = sl_xcalloc(m->n_funcs, 1);
    b.hotness = sl_xcalloc(m->n_funcs, 1);
    b.file_names = sl_xcalloc(m->n_files, sizeof *b.file_names);
    b.func_names = sl_xcalloc(m->n_funcs, sizeof *b.func_names);

    /* Every lock met at an operation, first (so held sets resolve). */
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_call_op *op = sl_call_op(fl, f->calls[i]);
            if (op->op != SL_OP_NONE) lock_index(&b, op->lock);
        }
        scan_sections(&b, f);
    }
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(fl, c);
            if (sl_lockop_acquires(op->op)) {
                uint32_t li = lock_index(&b, op->lock);
                if (li == UINT32_MAX) continue;
                struct sl_sum_acq a = { .lock = li, .op = (uint8_t)op->op, .at = site_of(&b, c->loc) };
                a.n_held = held_of(&b, sl_held_must(fl, c), &a.held);
                a.hotness = hotness_of(&b, f);
                a.weight = weight_of(c, a.hotness);
                const struct section *sec = sl_pmap_get(&b.sections, SL_PKEY(c), SL_PKEY(op->lock->cls));
                a.tiny = !sec || (sec->calls == 0 && sec->stmts <= 2);
                if (sec && sec->keyed_how) { a.keyed = true; a.keyed_how = sec->keyed_how; }
                PUSHA(s, s->acqs, s->n_acqs, b.cap_acqs, a);
            } else if (op->op == SL_OP_NONE && c->name && sl_lockset_size(sl_held_must(fl, c))) {
                struct sl_sum_call k = { .callee = dup(s, c->name), .at = site_of(&b, c->loc) };
                k.n_held = held_of(&b, sl_held_must(fl, c), &k.held);
                if (k.n_held) PUSHA(s, s->calls, s->n_calls, b.cap_calls, k);
            }
        }
    }
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        const struct fn_acqs *fa = fn_acquires(&b, f, 0);
        struct sl_sum_fn fn = { .name = dup(s, f->name), .is_static = f->is_static,
                                .at = site_of(&b, f->loc) };
        if (fa->n) {
            fn.acqs = sl_arena_alloc(&s->arena, fa->n * sizeof *fn.acqs);
            memcpy(fn.acqs, fa->v, fa->n * sizeof *fn.acqs);
            fn.n_acqs = fa->n;
        }
        uint32_t cap = 0;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            if (!c->name || (c->func && c->func->body) || sl_call_lockop(fl, c) != SL_OP_NONE ||
                c->atomic != SL_AT_NONE || sl_builtin_lockop(c->name) || !strncmp(c->name, "__builtin", 9))
                continue;
            const char *callee;
            if (!listed_once(&b, c->name, fi, LIST_CALLEES, &callee)) continue;
            struct sl_sum_chain_step st = { site_of(&b, c->loc), callee };
            PUSHA(s, fn.ext_calls, fn.n_ext_calls, cap, st);
        }
        uint32_t ncall = sl_n_callers(fx, f), capc = 0;
        for (uint32_t i = 0; i < ncall; i++) {
            const struct sl_expr *c = sl_caller(fx, f, i);
            const struct sl_func *g = c->stmt ? c->stmt->func : NULL;
            if (!g) continue;
            const char *caller;
            if (listed_once(&b, g->name, fi, LIST_CALLERS, &caller))
                PUSHA(s, fn.callers, fn.n_callers, capc, caller);
        }
        uint32_t capf = 0;
        for (uint32_t k1 = ex_first[fi]; k1; k1 = ex_next[k1 - 1]) {
            const struct sl_rule_export *ex = &exports->v[k1 - 1];
            struct sl_sum_fact fa = { dup(s, ex->rule), dup(s, ex->what), NULL, ex->n_chain, NULL,
                                      ex->n_args };
            if (ex->n_args) fa.args = sl_arena_alloc(&s->arena, ex->n_args * sizeof *fa.args);
            for (uint32_t j = 0; j < ex->n_args; j++) fa.args[j] = dup(s, ex->args[j]);
            if (ex->n_chain) fa.chain = sl_arena_alloc(&s->arena, ex->n_chain * sizeof *fa.chain);
            for (uint32_t j = 0; j < ex->n_chain; j++)
                fa.chain[j] = (struct sl_sum_chain_step){ site_of(&b, ex->chain[j]->loc),
                                                          dup(s, ex->chain[j]->name) };
            PUSHA(s, fn.facts, fn.n_facts, capf, fa);
        }
        PUSHA(s, s->fns, s->n_fns, b.cap_fns, fn);
    }
    add_accesses(&b);
    uint32_t cap_te = 0;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++)
        for (uint32_t i = 0; i < m->funcs[fi]->n_calls; i++) {
            const struct sl_func *t = sl_thread_start_target(m->funcs[fi]->calls[i]);
            if (!t) continue;
            const char *entry;
            if (listed_once(&b, t->name, 0, LIST_ENTRIES, &entry))
                PUSHA(s, s->thread_entries, s->n_thread_entries, cap_te, entry);
        }
    uint32_t cap_ev = 0;
    add_events(&b, &cap_ev);
    free(ex_first);
    free(ex_next);
    free(b.fn_acqs);
    free(b.fn_state);
    free(b.hotness);
    free(b.file_names);
    free(b.func_names);
}

void sl_summary_free(struct sl_tu_summary *s)
{
    if (!s) return;
    sl_arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}

/* ---- JSON ---- */

static cJSON *site_json(const struct sl_site *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", st->file ? st->file : "");
    cJSON_AddNumberToObject(o, "line", st->line);
    cJSON_AddNumberToObject(o, "col", st->col);
    if (st->func) cJSON_AddStringToObject(o, "func", st->func);
    return o;
}

static cJSON *held_json(const struct sl_sum_held *h, uint32_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (uint32_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "lock", h[i].lock);
        cJSON_AddItemToObject(o, "at", site_json(&h[i].at));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *chain_json(const struct sl_sum_chain_step *c, uint32_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (uint32_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "at", site_json(&c[i].at));
        if (c[i].callee) cJSON_AddStringToObject(o, "callee", c[i].callee);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

char *sl_summary_to_json(const struct sl_tu_summary *s)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddStringToObject(root, "tu", s->tu ? s->tu : "");
    cJSON *locks = cJSON_AddArrayToObject(root, "locks");
    for (uint32_t i = 0; i < s->n_locks; i++) {
        const struct sl_sum_lock *l = &s->locks[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "cls", l->cls);
        cJSON_AddStringToObject(o, "text", l->text ? l->text : "");
        cJSON_AddNumberToObject(o, "kind", l->kind);
        cJSON_AddNumberToObject(o, "scope", l->scope);
        if (l->has_decl) cJSON_AddItemToObject(o, "decl", site_json(&l->decl));
        if (l->decl_is_definition) cJSON_AddBoolToObject(o, "defined", true);
        cJSON_AddItemToArray(locks, o);
    }
    cJSON *acqs = cJSON_AddArrayToObject(root, "acqs");
    for (uint32_t i = 0; i < s->n_acqs; i++) {
        const struct sl_sum_acq *a = &s->acqs[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "lock", a->lock);
        cJSON_AddNumberToObject(o, "op", a->op);
        cJSON_AddItemToObject(o, "at", site_json(&a->at));
        cJSON_AddItemToObject(o, "held", held_json(a->held, a->n_held));
        cJSON_AddNumberToObject(o, "weight", a->weight);
        cJSON_AddNumberToObject(o, "hotness", a->hotness);
        cJSON_AddBoolToObject(o, "tiny", a->tiny);
        if (a->keyed) cJSON_AddStringToObject(o, "keyed", a->keyed_how ? a->keyed_how : "");
        cJSON_AddItemToArray(acqs, o);
    }
    cJSON *calls = cJSON_AddArrayToObject(root, "calls");
    for (uint32_t i = 0; i < s->n_calls; i++) {
        const struct sl_sum_call *c = &s->calls[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "callee", c->callee);
        cJSON_AddItemToObject(o, "at", site_json(&c->at));
        cJSON_AddItemToObject(o, "held", held_json(c->held, c->n_held));
        cJSON_AddItemToArray(calls, o);
    }
    cJSON *fns = cJSON_AddArrayToObject(root, "fns");
    for (uint32_t i = 0; i < s->n_fns; i++) {
        const struct sl_sum_fn *f = &s->fns[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", f->name);
        cJSON_AddBoolToObject(o, "static", f->is_static);
        cJSON_AddItemToObject(o, "at", site_json(&f->at));
        cJSON *fa = cJSON_AddArrayToObject(o, "acqs");
        for (uint32_t k = 0; k < f->n_acqs; k++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "lock", f->acqs[k].lock);
            if (f->acqs[k].released != SL_SUM_NO_LOCK)
                cJSON_AddNumberToObject(x, "released", f->acqs[k].released);
            cJSON_AddItemToObject(x, "chain", chain_json(f->acqs[k].chain, f->acqs[k].n_chain));
            cJSON_AddItemToArray(fa, x);
        }
        cJSON_AddItemToObject(o, "ext_calls", chain_json(f->ext_calls, f->n_ext_calls));
        cJSON *cl = cJSON_AddArrayToObject(o, "callers");
        for (uint32_t k = 0; k < f->n_callers; k++) cJSON_AddItemToArray(cl, cJSON_CreateString(f->callers[k]));
        cJSON *ff = cJSON_AddArrayToObject(o, "facts");
        for (uint32_t k = 0; k < f->n_facts; k++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "rule", f->facts[k].rule);
            cJSON_AddStringToObject(x, "what", f->facts[k].what);
            cJSON_AddItemToObject(x, "chain", chain_json(f->facts[k].chain, f->facts[k].n_chain));
            cJSON *ar = cJSON_AddArrayToObject(x, "args");
            for (uint32_t j = 0; j < f->facts[k].n_args; j++)
                cJSON_AddItemToArray(ar, cJSON_CreateString(f->facts[k].args[j]));
            cJSON_AddItemToArray(ff, x);
        }
        cJSON_AddItemToArray(fns, o);
    }
    cJSON *acc = cJSON_AddArrayToObject(root, "accesses");
    for (uint32_t i = 0; i < s->n_accesses; i++) {
        const struct sl_sum_access *a = &s->accesses[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "obj", a->obj);
        cJSON_AddStringToObject(o, "name", a->name ? a->name : "");
        cJSON_AddItemToObject(o, "at", site_json(&a->at));
        cJSON_AddNumberToObject(o, "flags", a->flags);
        cJSON *h = cJSON_AddArrayToObject(o, "held");
        for (uint32_t k = 0; k < a->n_held; k++) cJSON_AddItemToArray(h, cJSON_CreateNumber(a->held[k]));
        cJSON_AddItemToArray(acc, o);
    }
    cJSON *te = cJSON_AddArrayToObject(root, "thread_entries");
    for (uint32_t i = 0; i < s->n_thread_entries; i++)
        cJSON_AddItemToArray(te, cJSON_CreateString(s->thread_entries[i]));
    cJSON *evs = cJSON_AddArrayToObject(root, "events");
    for (uint32_t i = 0; i < s->n_events; i++) {
        const struct sl_sum_event *e = &s->events[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "what", e->what);
        cJSON_AddNumberToObject(o, "op", e->op);
        if (e->lock != UINT32_MAX) cJSON_AddNumberToObject(o, "lock", e->lock);
        if (e->mutex != UINT32_MAX) cJSON_AddNumberToObject(o, "mutex", e->mutex);
        if (e->entry) cJSON_AddStringToObject(o, "entry", e->entry);
        if (e->handle) cJSON_AddStringToObject(o, "handle", e->handle);
        cJSON_AddItemToObject(o, "at", site_json(&e->at));
        cJSON_AddItemToArray(evs, o);
    }
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text) return NULL;
    char *out = sl_xstrdup(text);   /* callers free() it, whatever cJSON's hooks are */
    cJSON_free(text);
    return out;
}

/* -- reading -- */

struct reader { struct sl_tu_summary *s; char *err; size_t errsz; bool bad; };

static void fail(struct reader *r, const char *what)
{
    if (!r->bad) snprintf(r->err, r->errsz, "summary: %s", what);
    r->bad = true;
}

static const cJSON *field(struct reader *r, const cJSON *o, const char *k, int type)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!v || !(v->type & type)) {
        char b[96];
        snprintf(b, sizeof b, "missing or mistyped '%s'", k);
        fail(r, b);
        return NULL;
    }
    return v;
}

static const char *str_of(struct reader *r, const cJSON *o, const char *k)
{
    const cJSON *v = field(r, o, k, cJSON_String);
    return v ? sl_arena_strdup(&r->s->arena, v->valuestring) : "";
}

static uint32_t num_of(struct reader *r, const cJSON *o, const char *k)
{
    const cJSON *v = field(r, o, k, cJSON_Number);
    return v && v->valuedouble >= 0 ? (uint32_t)v->valuedouble : 0;
}

static struct sl_site site_from(struct reader *r, const cJSON *o)
{
    struct sl_site st = {0};
    if (!o || !cJSON_IsObject(o)) { fail(r, "a site is not an object"); return st; }
    st.file = str_of(r, o, "file");
    st.line = num_of(r, o, "line");
    st.col = num_of(r, o, "col");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "func");
    if (cJSON_IsString(f)) st.func = sl_arena_strdup(&r->s->arena, f->valuestring);
    return st;
}

static void *array_of(struct reader *r, const cJSON *a, size_t elem, uint32_t *n)
{
    *n = 0;
    if (!a || !cJSON_IsArray(a)) { fail(r, "expected an array"); return NULL; }
    int len = cJSON_GetArraySize(a);
    *n = (uint32_t)len;
    return len ? sl_arena_alloc(&r->s->arena, (size_t)len * elem) : NULL;
}

static uint32_t held_from(struct reader *r, const cJSON *a, struct sl_sum_held **out)
{
    uint32_t n;
    *out = array_of(r, a, sizeof **out, &n);
    uint32_t i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, a) {
        (*out)[i].lock = num_of(r, x, "lock");
        (*out)[i].at = site_from(r, cJSON_GetObjectItemCaseSensitive(x, "at"));
        i++;
    }
    return n;
}

static uint32_t chain_from(struct reader *r, const cJSON *a, struct sl_sum_chain_step **out)
{
    uint32_t n;
    *out = array_of(r, a, sizeof **out, &n);
    uint32_t i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, a) {
        (*out)[i].at = site_from(r, cJSON_GetObjectItemCaseSensitive(x, "at"));
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(x, "callee");
        (*out)[i].callee = cJSON_IsString(c) ? sl_arena_strdup(&r->s->arena, c->valuestring) : NULL;
        i++;
    }
    return n;
}

int sl_summary_from_json(struct sl_tu_summary *s, const char *json, char *err, size_t errsz)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(json, &end, 1);
    if (!root) {
        memset(s, 0, sizeof *s);
        sl_arena_init(&s->arena);
        snprintf(err, errsz, "summary: not JSON (at byte %zu)", end ? (size_t)(end - json) : 0);
        sl_summary_free(s);
        return -1;
    }
    int rc = sl_summary_from_cjson(s, root, err, errsz);
    cJSON_Delete(root);
    return rc;
}

int sl_summary_from_cjson(struct sl_tu_summary *s, const struct cJSON *root, char *err, size_t errsz)
{
    memset(s, 0, sizeof *s);
    sl_arena_init(&s->arena);
    struct reader r = { s, err, errsz, false };
    if (!cJSON_IsObject(root)) fail(&r, "not an object");
    if (num_of(&r, root, "version") != 1) fail(&r, "unknown version");
    s->tu = str_of(&r, root, "tu");
    const cJSON *x;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "locks");
    s->locks = array_of(&r, a, sizeof *s->locks, &s->n_locks);
    uint32_t i = 0;
    if (!r.bad) cJSON_ArrayForEach(x, a) {
        struct sl_sum_lock *l = &s->locks[i++];
        l->cls = str_of(&r, x, "cls");
        l->text = str_of(&r, x, "text");
        l->kind = (uint8_t)num_of(&r, x, "kind");
        l->scope = (uint8_t)num_of(&r, x, "scope");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(x, "decl");
        if (d) { l->has_decl = true; l->decl = site_from(&r, d); }
        l->decl_is_definition = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "defined"));
    }
    a = cJSON_GetObjectItemCaseSensitive(root, "acqs");
    s->acqs = array_of(&r, a, sizeof *s->acqs, &s->n_acqs);
    i = 0;
    if (!r.bad) cJSON_ArrayForEach(x, a) {
        struct sl_sum_acq *q = &s->acqs[i++];
        q->lock = num_of(&r, x, "lock");
        q->op = (uint8_t)num_of(&r, x, "op");
        q->at = site_from(&r, cJSON_GetObjectItemCaseSensitive(x, "at"));
        q->n_held = held_from(&r, cJSON_GetObjectItemCaseSensitive(x, "held"), &q->held);
        q->weight = num_of(&r, x, "weight");
        q->hotness = (uint8_t)num_of(&r, x, "hotness");
        q->tiny = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "tiny"));
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(x, "keyed");
        if (cJSON_IsString(k)) { q->keyed = true; q->keyed_how = sl_arena_strdup(&s->arena, k->valuestring); }
    }
    a = cJSON_GetObjectItemCaseSensitive(root, "calls");
    s->calls = array_of(&r, a, sizeof *s->calls, &s->n_calls);
    i = 0;
    if (!r.bad) cJSON_ArrayForEach(x, a) {
        struct sl_sum_call *c = &s->calls[i++];
        c->callee = str_of(&r, x, "callee");
        c->at = site_from(&r, cJSON_GetObjectItemCaseSensitive(x, "at"));
        c->n_held = held_from(&r, cJSON_GetObjectItemCaseSensitive(x, "held"), &c->held);
    }
    a = cJSON_GetObjectItemCaseSensitive(root, "fns");
    s->fns = array_of(&r, a, sizeof *s->fns, &s->n_fns);
    i = 0;
    if (!r.bad) cJSON_ArrayForEach(x, a) {
        struct sl_sum_fn *f = &s->fns[i++];
        f->name = str_of(&r, x, "name");
        f->is_static = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "static"));
        f->at = site_from(&r, cJSON_GetObjectItemCaseSensitive(x, "at"));
        const cJSON *fa = cJSON_GetObjectItemCaseSensitive(x, "acqs");
        f->acqs = array_of(&r, fa, sizeof *f->acqs, &f->n_acqs);
        uint32_t k = 0;
        const cJSON *y;
        if (!r.bad) cJSON_ArrayForEach(y, fa) {
            f->acqs[k].lock = num_of(&r, y, "lock");
            f->acqs[k].released = cJSON_GetObjectItemCaseSensitive(y, "released")
                                      ? num_of(&r, y, "released") : SL_SUM_NO_LOCK;
            f->acqs[k].n_chain = chain_from(&r, cJSON_GetObjectItemCaseSensitive(y, "chain"),
                                            &f->acqs[k].chain);
            k++;
        }
        f->n_ext_calls = chain_from(&r, cJSON_GetObjectItemCaseSensitive(x, "ext_calls"), &f->ext_calls);
        const cJSON *cl = cJSON_GetObjectItemCaseSensitive(x, "callers");
        f->callers = array_of(&r, cl, sizeof *f->callers, &f->n_callers);
        k = 0;
        if (!r.bad) cJSON_ArrayForEach(y, cl) {
            if (!cJSON_IsString(y)) { fail(&r, "a caller is not a string"); break; }
            f->callers[k++] = sl_arena_strdup(&s->arena, y->valuestring);
        }
        const cJSON *ff = cJSON_GetObjectItemCaseSensitive(x, "facts");
        f->facts = array_of(&r, ff, sizeof *f->facts, &f->n_facts);
        k = 0;
        if (!r.bad) cJSON_ArrayForEach(y, ff) {
            f->facts[k].rule = str_of(&r, y, "rule");
            f->facts[k].what = str_of(&r, y, "what");
            f->facts[k].n_chain = chain_from(&r, cJSON_GetObjectItemCaseSensitive(y, "chain"),
                                             &f->facts[k].chain);
            const cJSON *ar = cJSON_GetObjectItemCaseSensitive(y, "args");
            f->facts[k].args = array_of(&r, ar, sizeof *f->facts[k].args, &f->facts[k].n_args);
            uint32_t j = 0;
            const cJSON *z;
            if (!r.bad) cJSON_ArrayForEach(z, ar) {
                if (!cJSON_IsString(z)) { fail(&r, "a fact argument is not a string"); break; }
                f->facts[k].args[j++] = sl_arena_strdup(&s->arena, z->valuestring);
            }
            k++;
        }
    }
    a = cJSON_GetObjectItemCaseSensitive(root, "accesses");
    s->accesses = array_of(&r, a, sizeof *s->accesses, &s->n_accesses);
    i = 0;
    if (!r.bad) cJSON_ArrayForEach(x, a) {
        struct sl_sum_access *q = &s->accesses[i++];
        q->obj = str_of(&r, x, "obj");
        q->name = str_of(&r, x, "name");
        q->at = site_from(&r, cJSON_GetObjectItemCaseSensitive(x, "at"));
        q->flags = num_of(&r, x, "flags");
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(x, "held");
        q->held = array_of(&r, h, sizeof *q->held, &q->n_held);
        uint32_t k = 0;
        const cJSON *y;
        if (!r.bad) cJSON_ArrayForEach(y, h) q->held[k++] = cJSON_IsNumber(y) ? (uint32_t)y->valuedouble : 0;
    }
    a = cJSON_GetObjectItemCaseSensitive(root, "thread_entries");
    s->thread_entries = array_of(&r, a, sizeof *s->thread_entries, &s->n_thread_entries);
    i = 0;
    if (!r.bad) cJSON_ArrayForEach(x, a) {
        if (!cJSON_IsString(x)) { fail(&r, "a thread entry is not a string"); break; }
        s->thread_entries[i++] = sl_arena_strdup(&s->arena, x->valuestring);
    }
    /* events: optional (summaries written before the inventory have none) */
    a = cJSON_GetObjectItemCaseSensitive(root, "events");
    if (a && !r.bad) {
        s->events = array_of(&r, a, sizeof *s->events, &s->n_events);
        i = 0;
        if (!r.bad) cJSON_ArrayForEach(x, a) {
            struct sl_sum_event *e = &s->events[i++];
            e->what = (uint8_t)num_of(&r, x, "what");
            e->op = (uint8_t)num_of(&r, x, "op");
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, "lock");
            e->lock = cJSON_IsNumber(v) ? (uint32_t)v->valuedouble : UINT32_MAX;
            v = cJSON_GetObjectItemCaseSensitive(x, "mutex");
            e->mutex = cJSON_IsNumber(v) ? (uint32_t)v->valuedouble : UINT32_MAX;
            v = cJSON_GetObjectItemCaseSensitive(x, "entry");
            if (cJSON_IsString(v)) e->entry = sl_arena_strdup(&s->arena, v->valuestring);
            v = cJSON_GetObjectItemCaseSensitive(x, "handle");
            if (cJSON_IsString(v)) e->handle = sl_arena_strdup(&s->arena, v->valuestring);
            e->at = site_from(&r, cJSON_GetObjectItemCaseSensitive(x, "at"));
            if (e->what > SL_EV_DETACH) fail(&r, "unknown event");
        }
    }
    for (uint32_t k = 0; k < s->n_events && !r.bad; k++)
        if ((s->events[k].lock != UINT32_MAX && s->events[k].lock >= s->n_locks) ||
            (s->events[k].mutex != UINT32_MAX && s->events[k].mutex >= s->n_locks))
            fail(&r, "event on an unknown lock");
    /* indices must point into locks[] */
    for (uint32_t k = 0; k < s->n_acqs && !r.bad; k++) {
        if (s->acqs[k].lock >= s->n_locks) fail(&r, "acquisition of an unknown lock");
        for (uint32_t j = 0; j < s->acqs[k].n_held; j++)
            if (s->acqs[k].held[j].lock >= s->n_locks) fail(&r, "held lock out of range");
    }
    for (uint32_t k = 0; k < s->n_calls && !r.bad; k++)
        for (uint32_t j = 0; j < s->calls[k].n_held; j++)
            if (s->calls[k].held[j].lock >= s->n_locks) fail(&r, "held lock out of range");
    for (uint32_t k = 0; k < s->n_fns && !r.bad; k++)
        for (uint32_t j = 0; j < s->fns[k].n_acqs; j++)
            if (s->fns[k].acqs[j].lock >= s->n_locks) fail(&r, "function acquires an unknown lock");
    for (uint32_t k = 0; k < s->n_accesses && !r.bad; k++)
        for (uint32_t j = 0; j < s->accesses[k].n_held; j++)
            if (s->accesses[k].held[j] >= s->n_locks) fail(&r, "access held lock out of range");
    if (r.bad) { sl_summary_free(s); return -1; }
    return 0;
}

/* -- identity -- */

struct hasher { uint64_t h; };

static void h_bytes(struct hasher *x, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) x->h = (x->h ^ b[i]) * 1099511628211ull;
}

static void h_u(struct hasher *x, uint64_t v) { h_bytes(x, &v, sizeof v); }

static void h_str(struct hasher *x, const char *s)
{
    if (!s) { h_u(x, 0x9e3779b97f4a7c15ull); return; }
    h_bytes(x, s, strlen(s) + 1);
}

static void h_site(struct hasher *x, const struct sl_site *s)
{
    h_str(x, s->file);
    h_u(x, ((uint64_t)s->line << 32) | s->col);
    h_str(x, s->func);
}

static void h_held(struct hasher *x, const struct sl_sum_held *h, uint32_t n)
{
    h_u(x, n);
    for (uint32_t i = 0; i < n; i++) { h_u(x, h[i].lock); h_site(x, &h[i].at); }
}

static void h_chain(struct hasher *x, const struct sl_sum_chain_step *c, uint32_t n)
{
    h_u(x, n);
    for (uint32_t i = 0; i < n; i++) { h_site(x, &c[i].at); h_str(x, c[i].callee); }
}

uint64_t sl_summary_hash(const struct sl_tu_summary *s)
{
    struct hasher x = { 14695981039346656037ull };
    h_str(&x, s->tu);
    h_u(&x, s->n_locks);
    for (uint32_t i = 0; i < s->n_locks; i++) {
        const struct sl_sum_lock *l = &s->locks[i];
        h_str(&x, l->cls);
        h_str(&x, l->text);
        h_u(&x, (uint64_t)l->kind << 16 | (uint64_t)l->scope << 8 | (uint64_t)l->has_decl << 1 |
                    l->decl_is_definition);
        if (l->has_decl) h_site(&x, &l->decl);
    }
    h_u(&x, s->n_acqs);
    for (uint32_t i = 0; i < s->n_acqs; i++) {
        const struct sl_sum_acq *a = &s->acqs[i];
        h_u(&x, (uint64_t)a->lock << 32 | (uint64_t)a->op << 8 | a->hotness);
        h_site(&x, &a->at);
        h_held(&x, a->held, a->n_held);
        h_u(&x, (uint64_t)a->weight << 2 | (uint64_t)a->tiny << 1 | a->keyed);
        h_str(&x, a->keyed ? a->keyed_how : NULL);
    }
    h_u(&x, s->n_calls);
    for (uint32_t i = 0; i < s->n_calls; i++) {
        h_str(&x, s->calls[i].callee);
        h_site(&x, &s->calls[i].at);
        h_held(&x, s->calls[i].held, s->calls[i].n_held);
    }
    h_u(&x, s->n_fns);
    for (uint32_t i = 0; i < s->n_fns; i++) {
        const struct sl_sum_fn *f = &s->fns[i];
        h_str(&x, f->name);
        h_u(&x, f->is_static);
        h_site(&x, &f->at);
        h_u(&x, f->n_acqs);
        for (uint32_t k = 0; k < f->n_acqs; k++) {
            h_u(&x, (uint64_t)f->acqs[k].lock << 32 | f->acqs[k].released);
            h_chain(&x, f->acqs[k].chain, f->acqs[k].n_chain);
        }
        h_chain(&x, f->ext_calls, f->n_ext_calls);
        h_u(&x, f->n_callers);
        for (uint32_t k = 0; k < f->n_callers; k++) h_str(&x, f->callers[k]);
        h_u(&x, f->n_facts);
        for (uint32_t k = 0; k < f->n_facts; k++) {
            h_str(&x, f->facts[k].rule);
            h_str(&x, f->facts[k].what);
            h_chain(&x, f->facts[k].chain, f->facts[k].n_chain);
            h_u(&x, f->facts[k].n_args);
            for (uint32_t j = 0; j < f->facts[k].n_args; j++) h_str(&x, f->facts[k].args[j]);
        }
    }
    h_u(&x, s->n_accesses);
    for (uint32_t i = 0; i < s->n_accesses; i++) {
        const struct sl_sum_access *a = &s->accesses[i];
        h_str(&x, a->obj);
        h_str(&x, a->name);
        h_site(&x, &a->at);
        h_u(&x, a->flags);
        h_u(&x, a->n_held);
        for (uint32_t k = 0; k < a->n_held; k++) h_u(&x, a->held[k]);
    }
    h_u(&x, s->n_thread_entries);
    for (uint32_t i = 0; i < s->n_thread_entries; i++) h_str(&x, s->thread_entries[i]);
    h_u(&x, s->n_events);
    for (uint32_t i = 0; i < s->n_events; i++) {
        const struct sl_sum_event *e = &s->events[i];
        h_u(&x, (uint64_t)e->what << 40 | (uint64_t)e->op << 32 | e->lock);
        h_u(&x, e->mutex);
        h_str(&x, e->entry);
        h_str(&x, e->handle);
        h_site(&x, &e->at);
    }
    return x.h;
}
