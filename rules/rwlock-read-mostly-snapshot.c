/* rwlock-read-mostly-snapshot - a rwlock whose readers only load a pointer
 * (or copy a small value) and whose writers only swap that pointer.
 *
 * Per TU, every rwlock section is classified: a snapshot read (a few
 * loads of one object, into locals), a wholesale swap (one store of a
 * pointer or small struct), or other work.  The classes go to the project
 * as facts; check_project reports a lock all of whose sections, in every
 * file, are snapshot reads and swaps of the same object. */
#include <stdio.h>
#include <string.h>
#include "rulekit.h"
#include "strmap.h"

#define MAX_SECTION_STMTS 4
#define MAX_KEYS 4
#define SMALL_VALUE_BYTES 64

enum section_kind { SEC_OTHER, SEC_READ, SEC_SWAP };

struct section {
    enum section_kind kind;
    const char *keys[MAX_KEYS];        /* READ: objects loaded; SWAP: keys[0], the object stored */
    uint32_t n_keys;
    const struct sl_expr *store;       /* SWAP: the store */
    const struct sl_var *loaded_ptr;   /* READ: local that receives a pointer */
    const struct sl_expr *use_after;   /* READ: that pointer used after the unlock */
};

static bool is_read_acquire(enum sl_lockop op) { return op == SL_OP_RDLOCK || op == SL_OP_TRYRDLOCK; }
static bool is_write_acquire(enum sl_lockop op, const struct sl_lockref *l)
{
    return op == SL_OP_WRLOCK || op == SL_OP_TRYWRLOCK ||
           (op == SL_OP_LOCK && l && l->kind == SL_SYNC_RWLOCK);
}

static bool is_chain_link(const struct sl_expr *e)
{
    return e->kind == SL_EX_MEMBER || e->kind == SL_EX_INDEX ||
           (e->kind == SL_EX_UNARY && e->op == SL_U_DEREF);
}

/* Is e the whole of an lvalue chain (not the base of a longer one)? */
static bool chain_top(const struct sl_expr *e)
{
    const struct sl_expr *p = e->parent;
    return !p || !is_chain_link(p) || p->kids[0] != e;
}

/* The shared object an lvalue chain reads or writes, named project-wide:
 * a global (`g_cfg`, `g_cfg->x`: the global; `g.cfg`: that member of it),
 * or the first field reached through a pointer (`s->cfg`, `s->cfg->x`:
 * the field cfg).  *node: the expression that is that object.  NULL for a
 * chain rooted at a local that never goes through a pointer. */
static const char *object_key(struct sl_rule_ctx *cx, const struct sl_expr *e, const struct sl_expr **node)
{
    const struct sl_expr *chain[32];
    uint32_t n = 0;
    for (const struct sl_expr *x = e; x && n < 32; x = x->n_kids ? x->kids[0] : NULL) {
        chain[n++] = x;
        if (!is_chain_link(x)) break;
    }
    const struct sl_expr *root = chain[n - 1];
    if (root->kind != SL_EX_REF || !root->var) return NULL;
    const struct sl_var *v = root->var;
    const char *tu = cx->model->main_file;
    if (v->kind == SL_VAR_GLOBAL || v->is_static) {
        const struct sl_expr *n1 = n >= 2 ? chain[n - 2] : NULL;
        if (n1 && n1->kind == SL_EX_MEMBER && !n1->is_arrow && n1->field) {
            /* "g.member": the writer may swap g.member, or all of g */
            const char *g = sl_summary_object_key(cx->scratch, tu, NULL, v);
            size_t lg = strlen(g), lf = strlen(n1->field->name);
            char *k = sl_arena_alloc(cx->scratch, lg + lf + 2);
            memcpy(k, g, lg);
            k[lg] = '.';
            memcpy(k + lg + 1, n1->field->name, lf + 1);
            *node = n1;
            return k;
        }
        *node = root;
        return sl_summary_object_key(cx->scratch, tu, NULL, v);
    }
    for (uint32_t i = n - 1; i-- > 0;) {
        const struct sl_expr *x = chain[i];
        if (x->kind == SL_EX_MEMBER && x->is_arrow && x->field) {
            *node = x;
            return sl_summary_object_key(cx->scratch, tu, x->field, NULL);
        }
        if (x->kind != SL_EX_MEMBER) return NULL;   /* *p, p[i]: not nameable */
    }
    return NULL;
}

/* Size in bytes of the value an lvalue chain yields when it is a struct; 0 unknown. */
static uint64_t record_size(const struct sl_expr *e)
{
    if (e->kind == SL_EX_MEMBER && e->field) return e->field->size;
    if (e->kind == SL_EX_REF && e->var && e->var->record && !(e->tflags & SL_TY_PTR))
        return e->var->record->size;
    return 0;
}

/* A store into a local, or through an out-parameter (`*out = ...`). */
static bool is_private_store(const struct sl_expr *lv)
{
    if (lv->kind == SL_EX_UNARY && lv->op == SL_U_DEREF && lv->n_kids) {
        const struct sl_expr *p = lv->kids[0];
        return p->kind == SL_EX_REF && p->var && p->var->kind == SL_VAR_PARAM;
    }
    return lv->kind == SL_EX_REF && lv->var && lv->var->kind != SL_VAR_GLOBAL && !lv->var->is_static;
}

static bool add_key(struct section *s, const char *k)
{
    for (uint32_t i = 0; i < s->n_keys; i++)
        if (!strcmp(s->keys[i], k)) return true;
    if (s->n_keys == MAX_KEYS) return false;
    s->keys[s->n_keys++] = k;
    return true;
}

/* Does a loop enclose e but not the acquisition? (a walk under the lock) */
static bool loops_inside_section(const struct sl_expr *e, const struct sl_expr *lock)
{
    for (const struct sl_stmt *s = e->stmt; s; s = s->parent) {
        if (!sl_stmt_is_loop(s)) continue;
        const struct sl_stmt *t = lock->stmt;
        while (t && t != s) t = t->parent;
        if (!t) return true;
    }
    return false;
}

/* The local a loaded pointer is stored into, when e is stored whole into one. */
static const struct sl_var *pointer_local(const struct sl_expr *e)
{
    if (!(e->tflags & SL_TY_PTR)) return NULL;
    const struct sl_expr *p = e->parent;
    if (!p && e->stmt && e->stmt->kind == SL_ST_DECL && e->stmt->expr == e) return e->stmt->var;
    if (p && p->kind == SL_EX_ASSIGN && p->op == SL_B_ASSIGN && p->kids[1] == e &&
        p->kids[0]->kind == SL_EX_REF && p->kids[0]->var && p->kids[0]->var->kind == SL_VAR_LOCAL)
        return p->kids[0]->var;
    return NULL;
}

/* After the section: a dereference of the pointer loaded inside it. */
static const struct sl_expr *used_after_unlock(const struct sl_rule_ctx *cx, const struct sl_func *f,
                                               const struct sl_expr *lock, const struct sl_var *v)
{
    for (uint32_t i = lock->index + 1; i < f->n_exprs; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (sl_held_by_site(cx->flow, e, lock) || e->kind != SL_EX_REF || e->var != v) continue;
        const struct sl_expr *p = e->parent;
        if (p && ((p->kind == SL_EX_MEMBER && p->is_arrow) || (p->kind == SL_EX_UNARY && p->op == SL_U_DEREF) ||
                  p->kind == SL_EX_INDEX) && p->kids[0] == e)
            return e;
    }
    return NULL;
}

static struct section classify(struct sl_rule_ctx *cx, const struct sl_func *f,
                               const struct sl_expr *lock, bool reading)
{
    struct section s = { .kind = SEC_OTHER };
    const struct sl_stmt *stmts[MAX_SECTION_STMTS];
    uint32_t n_stmts = 0, n_shared_stores = 0;
    const char *stored_key = NULL;
    bool any = false;
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (!sl_held_by_site(cx->flow, e, lock) || sl_in_lock_op(cx->flow, e)) continue;
        any = true;
        if (loops_inside_section(e, lock)) return s;
        bool seen = false;
        for (uint32_t k = 0; k < n_stmts; k++) seen |= stmts[k] == e->stmt;
        if (!seen) {
            if (n_stmts == MAX_SECTION_STMTS) return s;          /* not a tiny section */
            stmts[n_stmts++] = e->stmt;
        }
        if (e->kind == SL_EX_CALL && e->atomic != SL_AT_LOAD) return s;   /* work on the data */
        const struct sl_expr *lv = sl_expr_written_object(e);
        if (lv) {
            if (is_private_store(lv)) continue;
            const struct sl_expr *node = NULL;
            const char *k = object_key(cx, lv, &node);
            if (reading || !k || node != lv || e->kind != SL_EX_ASSIGN || e->op != SL_B_ASSIGN)
                return s;                                        /* modified in place */
            if (!(lv->tflags & SL_TY_PTR)) {
                uint64_t sz = (lv->tflags & SL_TY_RECORD) ? record_size(lv) : 0;
                if (!sz || sz > SMALL_VALUE_BYTES) return s;
            }
            n_shared_stores++;
            stored_key = k;
            s.store = e;
            continue;
        }
        if (!is_chain_link(e) && e->kind != SL_EX_REF) continue;
        if (!chain_top(e)) continue;
        const struct sl_expr *p = e->parent;
        if (p && p->kind == SL_EX_ASSIGN && p->kids[0] == e) continue;   /* the store's target */
        const struct sl_expr *node = NULL;
        const char *k = object_key(cx, e, &node);
        if (!k) continue;                                        /* a local */
        if ((e->tflags & SL_TY_RECORD) && !(e->tflags & SL_TY_PTR)) {
            uint64_t sz = record_size(e);
            if (!sz || sz > SMALL_VALUE_BYTES) return s;         /* a big copy */
        }
        if (reading) {
            if (!add_key(&s, k)) return s;
            const struct sl_var *v = pointer_local(e);
            if (v) s.loaded_ptr = v;
        }
    }
    if (!any) return s;
    if (reading && s.n_keys) {
        s.kind = SEC_READ;
        if (s.loaded_ptr) s.use_after = used_after_unlock(cx, f, lock, s.loaded_ptr);
    } else if (!reading && n_shared_stores == 1) {
        s.kind = SEC_SWAP;
        s.keys[0] = stored_key;
        s.n_keys = 1;
    }
    return s;
}

static const char *join_keys(struct sl_arena *a, const struct section *s)
{
    size_t len = 1;
    for (uint32_t i = 0; i < s->n_keys; i++) len += strlen(s->keys[i]) + 1;
    char *out = sl_arena_alloc(a, len), *w = out;
    for (uint32_t i = 0; i < s->n_keys; i++) {
        if (i) *w++ = '\n';
        size_t l = strlen(s->keys[i]);
        memcpy(w, s->keys[i], l);
        w += l;
    }
    *w = 0;
    return out;
}

/* Per TU: classify every rwlock section and state it for the project. */
static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    if (!cx->exports) return;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(cx->flow, c);
            bool rd = is_read_acquire(op->op), wr = is_write_acquire(op->op, op->lock);
            if ((!rd && !wr) || !op->lock) continue;
            if (op->lock->scope != SL_LOCK_GLOBAL && op->lock->scope != SL_LOCK_FIELD) continue;
            if (wr && sl_is_setup_function(cx->facts, f)) continue;   /* before readers exist */
            struct section s = classify(cx, f, c, rd);
            const char *what = s.kind == SEC_READ ? "read" : s.kind == SEC_SWAP ? "swap" : "other";
            const char *args[] = {
                sl_summary_lock_class(cx->scratch, m->main_file, op->lock), op->lock->text,
                s.n_keys ? join_keys(cx->scratch, &s) : "", s.use_after ? s.loaded_ptr->name : "",
                s.store ? sl_expr_text(cx->scratch, s.store->kids[0]) : "",
            };
            const struct sl_expr *chain[2] = { c, s.store ? s.store : s.use_after };
            sl_export_fact_args(cx, f, what, chain, chain[1] ? 2 : 1, args, 5);
        }
    }
}

/* Does every key of a read ("k1\nk2") name the swapped object or a member of it? */
static bool reads_only(const char *read_keys, const char *swapped)
{
    size_t sl = strlen(swapped);
    for (const char *p = read_keys; *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        bool ok = l >= sl && !strncmp(p, swapped, sl) && (l == sl || p[sl] == '.');
        if (!ok) return false;
        p += l;
        if (*p == '\n') p++;
    }
    return true;
}

struct lock_tally {
    const struct sl_sum_fact *first_read, *first_swap, *uaf;
    const char *swapped;
    uint32_t reads, swaps;
    bool spoiled;
};

static void tally_fact(struct sl_strmap *ids, struct lock_tally **t, uint32_t *n, uint32_t *cap,
                       struct sl_arena *a, const struct sl_sum_fact *fa)
{
    uint32_t idx;
    if (!sl_strmap_get(ids, fa->args[0], &idx)) {
        if (*n == *cap) {
            uint32_t nc = *cap ? *cap * 2 : 16;
            *t = sl_arena_grow(a, *t, *n, nc, sizeof **t);
            *cap = nc;
        }
        memset(&(*t)[*n], 0, sizeof **t);
        idx = sl_strmap_put(ids, fa->args[0], (*n)++);
    }
    struct lock_tally *x = &(*t)[idx];
    if (!strcmp(fa->what, "other")) { x->spoiled = true; return; }
    if (!strcmp(fa->what, "swap")) {
        if (x->swapped && strcmp(x->swapped, fa->args[2])) x->spoiled = true;
        x->swapped = fa->args[2];
        x->swaps++;
        if (!x->first_swap || sl_site_cmp(&fa->chain[0].at, &x->first_swap->chain[0].at) < 0)
            x->first_swap = fa;
        return;
    }
    x->reads++;
    if (!x->first_read || sl_site_cmp(&fa->chain[0].at, &x->first_read->chain[0].at) < 0)
        x->first_read = fa;
    if (fa->args[3][0] && !x->uaf) x->uaf = fa;
}

static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    struct sl_strmap *ids = sl_strmap_new(cx->scratch);
    struct lock_tally *t = NULL;
    uint32_t n = 0, cap = 0;
    for (uint32_t i = 0; i < p->n_fns; i++)
        for (uint32_t k = 0; k < p->fns[i].n_facts; k++) {
            const struct sl_sum_fact *fa = &p->fns[i].facts[k];
            if (!strcmp(fa->rule, cx->rule->id) && fa->n_args == 5 && fa->n_chain >= 1)
                tally_fact(ids, &t, &n, &cap, cx->scratch, fa);
        }
    /* the read facts again, now that every swap is known */
    for (uint32_t i = 0; i < p->n_fns; i++)
        for (uint32_t k = 0; k < p->fns[i].n_facts; k++) {
            const struct sl_sum_fact *fa = &p->fns[i].facts[k];
            uint32_t idx;
            if (strcmp(fa->rule, cx->rule->id) || fa->n_args != 5 || strcmp(fa->what, "read") ||
                !sl_strmap_get(ids, fa->args[0], &idx))
                continue;
            if (!t[idx].swapped || !reads_only(fa->args[2], t[idx].swapped)) t[idx].spoiled = true;
        }
    for (uint32_t i = 0; i < n; i++) {
        const struct lock_tally *x = &t[i];
        if (x->spoiled || !x->reads || !x->swaps) continue;
        const struct sl_sum_fact *r = x->first_read, *w = x->first_swap;
        struct sl_diag *d = sl_preport(cx, &r->chain[0].at,
            "every read section of rwlock '%s' (%u) only loads '%s' and every write section (%u) "
            "only replaces it: each reader still writes the lock word, so readers on different "
            "cores contend on one cache line only to read one object", r->args[1], x->reads,
            w->args[4], x->swaps);
        sl_pset_identity(cx, d, r->args[0]);
        sl_pnote(cx, d, &w->chain[0].at, "write-locked here only to replace '%s'", w->args[4]);
        if (x->uaf && x->uaf->n_chain >= 2)
            sl_pnote(cx, d, &x->uaf->chain[1].at, "'%s' is used after the read lock is "
                     "released: a writer that frees the old object after swapping makes this a "
                     "use-after-free; a snapshot read section covers the use", x->uaf->args[3]);
        sl_pnote_text(cx, d, "use: sl_snapshot (<synclint/snapshot.h>): readers "
                      "sl_snapshot_read_begin / sl_snapshot_read_end, which write no shared "
                      "memory; the writer sl_snapshot_publish(&s, next), which frees the old one "
                      "once no reader can see it");
    }
}

const struct sl_rule sl_rule_rwlock_read_mostly_snapshot = {
    .id = "rwlock-read-mostly-snapshot",
    .tier = 2,
    .summary = "a rwlock whose readers only load a pointer or small value and whose writers only "
               "replace it wholesale",
    .replacement = "sl_snapshot (atomic pointer over immutable data, with safe reclamation)",
    .what =
        "A pthread_rwlock_t (or declared rdlock/wrlock wrappers) whose every read section, in\n"
        "every file of the project, is tiny (at most four statements, no loop, no call but\n"
        "atomic loads) and only loads one shared object (a global pointer, a pointer field,\n"
        "or a small struct of at most 64 bytes, or scalar members of it) into locals; and\n"
        "whose every write section only stores that same object once, wholesale (the config\n"
        "reload: build the new one outside, wrlock, swap, unlock, free the old). Not\n"
        "reported: read sections that walk a list or tree, call functions or copy a big\n"
        "struct; write sections that modify the data in place, field by field; a rwlock\n"
        "guarding several objects. A reader that uses the loaded pointer after unlocking\n"
        "is reported too, with a note: that shape is a use-after-free when the writer frees\n"
        "the old object, and sl_snapshot is exactly the fix (the read section spans the use).",
    .why =
        "A read lock is an atomic read-modify-write on the lock word: every reader writes the\n"
        "same cache line, so readers on many cores queue on it even though they never\n"
        "conflict, and a read section that is one load is all lock overhead. sl_snapshot's\n"
        "readers write only their own per-thread record (no locked instruction, no shared\n"
        "line); the writer pays instead, waiting for a grace period before freeing the old\n"
        "object, which is right when writes are rare (config reloads, routing tables).",
    .before =
        "static pthread_rwlock_t cfg_lock = PTHREAD_RWLOCK_INITIALIZER;\n"
        "static struct config *cfg;\n"
        "int get_timeout(void) {\n"
        "    pthread_rwlock_rdlock(&cfg_lock);\n"
        "    int t = cfg->timeout;\n"
        "    pthread_rwlock_unlock(&cfg_lock);\n"
        "    return t;\n"
        "}\n"
        "void reload(struct config *next) {\n"
        "    pthread_rwlock_wrlock(&cfg_lock);\n"
        "    struct config *old = cfg; cfg = next;\n"
        "    pthread_rwlock_unlock(&cfg_lock);\n"
        "    free(old);\n"
        "}",
    .after =
        "static sl_snapshot cfg;   /* sl_snapshot_init(&cfg, initial, free) */\n"
        "int get_timeout(void) {\n"
        "    const struct config *c = sl_snapshot_read_begin(&cfg);\n"
        "    int t = c->timeout;\n"
        "    sl_snapshot_read_end();\n"
        "    return t;\n"
        "}\n"
        "void reload(struct config *next) {\n"
        "    sl_snapshot_publish(&cfg, next);   /* frees the old one after a grace period */\n"
        "}",
    .when_not =
        "When writes are frequent (a publish waits for a grace period, or defers frees in\n"
        "batches: each write then costs far more than a wrlock), when writers must see\n"
        "readers finish promptly with a bounded memory footprint, or when the protected\n"
        "object is modified in place somewhere the analysis did not see (a file not linted).\n"
        "Readers must treat the snapshot as immutable; code that writes through the loaded\n"
        "pointer needs a lock, not a snapshot.",
    .needs = SL_NEED_SETUP,
    .check = check,
    .check_project = check_project,
};
