/* eager-alloc-before-lookup - an object built before a locked lookup and
 * thrown away when the lookup finds an existing entry. */
#include <string.h>
#include "rulekit.h"

static const char *const lookup_words[] = { "find", "lookup", "get", "search", "probe",
                                            "contains", NULL };
static const char *const ctor_words[] = { "new", "create", "alloc", "dup", "clone", NULL };
static const char *const release_words[] = { "free", "destroy", "unref", "release", "delete",
                                             "put", NULL };

/* An allocation or construction: malloc & co, strdup, x_new / x_create. */
static bool constructs(const struct sl_expr *c)
{
    const struct sl_expr *n, *z;
    if (sl_alloc_call(c, &n, &z)) return true;
    const char *name = sl_call_name(c);
    if (!name || c->atomic != SL_AT_NONE) return false;
    if (!strcmp(name, "strdup") || !strcmp(name, "strndup") || !strcmp(name, "xstrdup") ||
        !strcmp(name, "xmemdup") || !strcmp(name, "calloc") || !strcmp(name, "realloc"))
        return true;
    return sl_name_has_word(name, ctor_words) && !sl_name_has_word(name, lookup_words);
}

static bool is_lookup(const struct sl_expr *c)
{
    const char *name = sl_call_name(c);
    if (!name) return false;
    return (sl_name_has_word(name, lookup_words) || strstr(name, "first_with_hash")) &&
           !sl_name_has_word(name, ctor_words) && !sl_name_has_word(name, release_words);
}

/* Releases the object held in p: free(p), x_free(p), x_destroy(p)... */
static bool releases(const struct sl_expr *c, const struct sl_var *p)
{
    if (!c->n_kids) return false;
    const struct sl_expr *a = sl_strip_test(c->kids[0]);
    if (!a || a->kind != SL_EX_REF || a->var != p) return false;
    const char *name = sl_call_name(c);
    return sl_free_call(c) || (name && sl_name_has_word(name, release_words));
}

/* Is e the lookup's result: the variable it went into, the assignment, or
 * the call itself? */
static bool is_result(const struct sl_expr *e, const struct sl_expr *lookup,
                      const struct sl_var *found)
{
    e = sl_strip_test(e);
    if (!e) return false;
    if (e == lookup) return true;
    if (e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN) {
        if (sl_strip_test(e->kids[1]) == lookup) return true;
        e = sl_strip_test(e->kids[0]);
    }
    return found && e->kind == SL_EX_REF && e->var == found;
}

static bool is_zero(const struct sl_expr *e)
{
    e = sl_strip_test(e);
    return e && e->kind == SL_EX_INT && e->has_value && e->ival == 0;
}

/* 1: cond is true when the lookup hit (non-NULL); -1: when it missed; 0: not a test of it. */
static int hit_test(const struct sl_expr *cond, const struct sl_expr *lookup,
                    const struct sl_var *found)
{
    cond = sl_strip_test(cond);
    if (!cond) return 0;
    if (is_result(cond, lookup, found)) return 1;
    if (cond->kind == SL_EX_UNARY && cond->op == SL_U_LNOT)
        return -hit_test(cond->kids[0], lookup, found);
    if (cond->kind == SL_EX_BINARY && (cond->op == SL_B_EQ || cond->op == SL_B_NE)) {
        bool t = (is_result(cond->kids[0], lookup, found) && is_zero(cond->kids[1])) ||
                 (is_result(cond->kids[1], lookup, found) && is_zero(cond->kids[0]));
        if (t) return cond->op == SL_B_NE ? 1 : -1;
    }
    return 0;
}

static bool expr_contains(const struct sl_expr *root, const struct sl_expr *e)
{
    for (; e; e = e->parent)
        if (e == root) return true;
    return false;
}

static bool stmt_contains(const struct sl_stmt *root, const struct sl_stmt *s)
{
    for (; s; s = s->parent)
        if (s == root) return true;
    return false;
}

/* Does branch b set p = NULL (the new object handed over to the table)? */
static bool clears(const struct sl_func *f, const struct sl_stmt *b, const struct sl_var *p)
{
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *a = f->exprs[i];
        if (a->kind == SL_EX_ASSIGN && a->op == SL_B_ASSIGN && stmt_contains(b, a->stmt) &&
            a->kids[0]->kind == SL_EX_REF && a->kids[0]->var == p && is_zero(a->kids[1]))
            return true;
    }
    return false;
}

/* The release of p in the hit branch of an `if` testing the lookup, or NULL. */
static const struct sl_expr *release_on_hit(const struct sl_func *f, const struct sl_expr *lookup,
                                            const struct sl_var *found, const struct sl_var *p)
{
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (s->kind != SL_ST_IF || !s->expr) continue;
        if (s->expr->index < lookup->index && !expr_contains(s->expr, lookup)) continue;
        int t = hit_test(s->expr, lookup, found);
        if (!t) continue;
        const struct sl_stmt *hit = t > 0 ? s->kids[0] : (s->n_kids > 1 ? s->kids[1] : NULL);
        const struct sl_stmt *miss = t > 0 ? (s->n_kids > 1 ? s->kids[1] : NULL) : s->kids[0];
        bool handed_over = miss && clears(f, miss, p);
        for (uint32_t k = 0; k < f->n_calls; k++) {
            const struct sl_expr *c = f->calls[k];
            if (!releases(c, p)) continue;
            if (hit && stmt_contains(hit, c->stmt)) return c;
            /* p = NULL on the miss path, then an unconditional release: it frees on hits */
            if (handed_over && c->index > s->expr->index && !stmt_contains(s, c->stmt)) return c;
        }
    }
    return NULL;
}

/* Was the same lookup made before the allocation (the allocation is the
 * miss path of a first lookup, and this one the re-check)? */
static bool looked_up_before(const struct sl_func *f, const struct sl_expr *alloc,
                             const struct sl_expr *lookup)
{
    const char *name = sl_call_name(lookup);
    for (uint32_t i = 0; i < f->n_calls && f->calls[i]->index < alloc->index; i++) {
        const char *n = sl_call_name(f->calls[i]);
        if (n && !strcmp(n, name)) return true;
    }
    return false;
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *alloc = f->calls[i];
            if (!constructs(alloc)) continue;
            const struct sl_var *p = sl_alloc_target(alloc);
            if (!p || p->kind != SL_VAR_LOCAL || p->is_static) continue;
            for (uint32_t j = i + 1; j < f->n_calls; j++) {
                const struct sl_expr *lookup = f->calls[j];
                const struct sl_lockset *held = sl_held_must(fl, lookup);
                if (!is_lookup(lookup) || !sl_lockset_size(held)) continue;
                if (lookup->index < alloc->index) continue;
                if (looked_up_before(f, alloc, lookup)) break;   /* construct-on-miss, re-check */
                const struct sl_var *found = sl_alloc_target(lookup);
                const struct sl_expr *rel = release_on_hit(f, lookup, found, p);
                if (!rel) continue;
                const char *what = sl_call_name(alloc), *look = sl_call_name(lookup);
                struct sl_diag *d = sl_report(cx, alloc->loc,
                    "'%s' is built by %s() before the locked lookup %s() and thrown away "
                    "when the lookup finds an entry: every hit pays an allocation and a free "
                    "for nothing", p->name, what, look);
                sl_set_identity(cx, d, p->name);
                sl_note(cx, d, lookup->loc, "%s() runs with '%s' held", look,
                        held->items[0].lock->text);
                sl_note_held(cx, d, &held->items[0]);
                sl_note(cx, d, rel->loc, "'%s' is released here when the lookup hit", p->name);
                sl_note_text(cx, d, "look up first; construct only on a miss, then take the "
                             "lock again and re-check before inserting; sl_shardmap_update "
                             "(<synclint/shardmap.h>) is a get-or-insert under the shard lock");
                break;
            }
        }
    }
}

const struct sl_rule sl_rule_eager_alloc_before_lookup = {
    .id = "eager-alloc-before-lookup",
    .tier = 2,
    .precision = "high",   /* OVS: 1 of 1 finding right: a small sample */
    .summary = "an object allocated/constructed before a locked lookup, then freed when the "
               "lookup hits",
    .replacement = "look up first, construct on miss, re-check under the lock "
                   "(sl_shardmap_update)",
    .what = "An allocation or construction (malloc, calloc, strdup, xmalloc-style wrappers, a "
            "*_new / *_create / *_alloc / *_dup call) stored into a local, followed in the "
            "same function by a lookup (a call named find / lookup / get / search / probe, or "
            "a hash probe such as hmap_first_with_hash) made with a lock held, where the "
            "branch on which the lookup found an entry (its result non-NULL) frees or "
            "destroys the new object.",
    .why = "When most calls hit (the normal state of a cache or intern table) every call "
           "pays a malloc and a free, 50-200 ns with construction, for an object it throws "
           "away; in a threaded allocator that is also a lock or atomic on the allocator. "
           "When the allocation happens after the lock is taken, every other thread waits "
           "for it too.",
    .before = "struct entry *intern(struct table *t, const char *key)\n"
              "{\n"
              "    struct entry *n = entry_new(key);          /* built on every call */\n"
              "    pthread_mutex_lock(&t->mu);\n"
              "    struct entry *e = table_find(t, key);\n"
              "    if (e) {\n"
              "        pthread_mutex_unlock(&t->mu);\n"
              "        entry_free(n);                         /* ...and thrown away on a hit */\n"
              "        return e;\n"
              "    }\n"
              "    table_insert(t, n);\n"
              "    pthread_mutex_unlock(&t->mu);\n"
              "    return n;\n"
              "}",
    .after = "struct entry *intern(struct table *t, const char *key)\n"
             "{\n"
             "    pthread_mutex_lock(&t->mu);\n"
             "    struct entry *e = table_find(t, key);\n"
             "    pthread_mutex_unlock(&t->mu);\n"
             "    if (e)\n"
             "        return e;                              /* hit: no allocation */\n"
             "    struct entry *n = entry_new(key);          /* miss: build outside the lock */\n"
             "    pthread_mutex_lock(&t->mu);\n"
             "    e = table_find(t, key);                    /* re-check: another thread may have won */\n"
             "    if (!e) { table_insert(t, n); e = n; n = NULL; }\n"
             "    pthread_mutex_unlock(&t->mu);\n"
             "    entry_free(n);\n"
             "    return e;\n"
             "}\n"
             "/* or: sl_shardmap_update(&map, key, get_or_make, &arg), which calls\n"
             "   get_or_make(&slot, found, arg) under the shard lock */",
    .when_not = "When misses dominate (the new object is used on most calls) the eager form "
                "saves the second lookup; when construction is trivially cheap (a few bytes "
                "on the stack would do); when entries must not be returned without a "
                "reference taken under the lock and the code already does that.  Not "
                "flagged: allocate-after-miss with a re-check (the correct form), allocations "
                "used on both paths, lookups made without a lock held.",
    .needs = 0,
    .check = check,
};
