/* copied-lock - a struct holding a mutex, condvar, rwlock, semaphore or
 * spinlock copied by value (assignment, argument, parameter, return, memcpy). */
#include <string.h>
#include "rulekit.h"

#define MAX_NESTING 8

/* A lock found inside a record: the innermost lock field (NULL when the
 * record is itself a lock type, pthread_mutex_t's union), and the path to it. */
struct lock_in {
    const struct sl_field *field;
    const char *path;          /* "mu", "stats.lock.mutex" */
    const char *type;          /* "pthread_mutex_t", "mtx_t", ... */
};

static bool is_lock_kind(enum sl_sync_kind k)
{
    return k == SL_SYNC_MUTEX || k == SL_SYNC_SPIN || k == SL_SYNC_RWLOCK || k == SL_SYNC_COND ||
           k == SL_SYNC_SEM || k == SL_SYNC_CNDMTX;
}

/* The record is a lock type itself (glibc's pthread_mutex_t is a union). */
static const char *lock_type_name(const struct sl_record *r)
{
    static const char *const names[] = {
        "pthread_mutex_t", "pthread_cond_t", "pthread_rwlock_t", "sem_t", "mtx_t", "cnd_t",
    };
    const char *n = r->name;
    if (!strncmp(n, "union ", 6)) n += 6;
    else if (!strncmp(n, "struct ", 7)) n += 7;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(n, names[i])) return names[i];
    return NULL;
}

/* Does r hold a lock by value (directly, or in a nested struct or array)?
 * A pointer to a lock is not held: copying it copies the pointer. */
static bool find_lock(struct sl_arena *a, const struct sl_record *r, int depth, struct lock_in *out)
{
    if (!r || depth > MAX_NESTING) return false;
    const char *own = lock_type_name(r);
    if (own) {
        out->field = NULL;
        out->path = "";
        out->type = own;
        return true;
    }
    for (uint32_t i = 0; i < r->n_fields; i++) {
        const struct sl_field *f = r->fields[i];
        if (f->tflags & SL_TY_PTR) continue;
        if (is_lock_kind(f->sync)) {
            out->field = f;
            out->path = f->name;
            out->type = f->type_name;
            return true;
        }
        if (f->type_record && (f->tflags & (SL_TY_RECORD | SL_TY_ARRAY)) &&
            find_lock(a, f->type_record, depth + 1, out)) {
            out->path = *out->path ? sl_arena_printf(a, "%s.%s", f->name, out->path) : f->name;
            if (!out->field) out->field = f;
            return true;
        }
    }
    return false;
}

static bool record_lock(struct sl_rule_ctx *cx, const struct sl_record *r, struct lock_in *out)
{
    return find_lock(cx->scratch, r, 0, out);
}

/* A fresh value rather than a copy of an object: an initializer list, a
 * compound literal `(struct foo){0}`, or a call's result (the callee's
 * `return` is where that copy is reported). */
static bool is_fresh_value(const struct sl_expr *e)
{
    if (!e) return true;
    if (e->kind == SL_EX_INITLIST || e->kind == SL_EX_CALL || e->kind == SL_EX_STMTEXPR)
        return true;
    if (e->kind == SL_EX_OTHER && e->n_kids == 1 && e->kids[0]->kind == SL_EX_INITLIST)
        return true;   /* compound literal */
    if (e->kind == SL_EX_COND && e->n_kids == 3)
        return is_fresh_value(e->kids[1]) && is_fresh_value(e->kids[2]);
    return false;
}

/* The lock a by-value record expression carries, if any. */
static bool value_has_lock(struct sl_rule_ctx *cx, const struct sl_expr *e, struct lock_in *out)
{
    return e && (e->tflags & SL_TY_RECORD) && !(e->tflags & SL_TY_PTR) && e->record &&
           record_lock(cx, e->record, out);
}

static const char *describe_lock(struct sl_rule_ctx *cx, const struct sl_record *r,
                                 const struct lock_in *li)
{
    if (!li->field) return sl_arena_printf(cx->scratch, "a %s", li->type);
    return sl_arena_printf(cx->scratch, "'%s' (%s) it holds", li->path, li->field->type_name);
}

static struct sl_diag *report_copy(struct sl_rule_ctx *cx, struct sl_loc at, const char *how,
                                   const struct sl_record *r, const struct lock_in *li)
{
    struct sl_diag *d = sl_report(cx, at,
        "%s copies '%s' by value and with it %s: a copied lock is undefined behaviour "
        "(POSIX), and threads locking the copy and the original do not exclude each other",
        how, r->name, describe_lock(cx, r, li));
    sl_set_identity(cx, d, r->name);
    if (li->field)
        sl_note(cx, d, li->field->loc, "the lock '%s' is declared here, inside '%s'", li->field->name,
                li->field->record ? li->field->record->name : r->name);
    sl_note_text(cx, d, "use: pass or keep a pointer ('%s *') instead of a copy", r->name);
    return d;
}

/* ---- copy followed by re-initialising the destination's lock ---- */

static bool is_lock_object(struct sl_rule_ctx *cx, const struct sl_expr *e)
{
    struct lock_in li;
    if (e->kind == SL_EX_MEMBER && e->field && is_lock_kind(e->field->sync) &&
        !(e->field->tflags & SL_TY_PTR))
        return true;
    return value_has_lock(cx, e, &li);
}

/* `*dst = *src; pthread_mutex_init(&dst->mu, NULL);`: the copy takes the
 * data, and the copied lock bytes are overwritten before anyone locks them.
 * Likewise when the source's own lock is initialised only after the copy:
 * the source is still being built, and no live lock is copied.  True when
 * a later call in f whose name has "init" takes the address of a lock
 * rooted at variable v. */
static bool lock_initialised_after(struct sl_rule_ctx *cx, const struct sl_func *f,
                                   const struct sl_expr *at, const struct sl_var *v)
{
    static const char *const init_words[] = {"init", NULL};
    if (!v) return false;
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        if (c->index < at->index || !c->name || !sl_name_has_word(c->name, init_words)) continue;
        const struct sl_expr *a0 = sl_call_arg(c, 0);
        if (!a0 || a0->kind != SL_EX_UNARY || a0->op != SL_U_ADDROF || !a0->n_kids) continue;
        if (is_lock_object(cx, a0->kids[0]) && sl_expr_root_var(a0->kids[0]) == v) return true;
    }
    return false;
}

/* The copy's destination or its source (expressions or pointers to them)
 * has its lock initialised after the copy in f. */
static bool fresh_lock_after(struct sl_rule_ctx *cx, const struct sl_func *f,
                             const struct sl_expr *at, const struct sl_expr *dst,
                             const struct sl_expr *src)
{
    return lock_initialised_after(cx, f, at, sl_expr_root_var(dst)) ||
           lock_initialised_after(cx, f, at, sl_expr_root_var(src));
}

/* ---- the copy sites ---- */

static void check_assign(struct sl_rule_ctx *cx, const struct sl_func *f, const struct sl_expr *e)
{
    struct lock_in li;
    if (e->op != SL_B_ASSIGN || e->n_kids != 2 || !value_has_lock(cx, e->kids[0], &li)) return;
    if (is_fresh_value(e->kids[1])) return;
    if (fresh_lock_after(cx, f, e, e->kids[0], e->kids[1])) return;
    const char *how = sl_arena_printf(cx->scratch, "assigning '%s' to '%s'",
                                      sl_expr_text(cx->scratch, e->kids[1]),
                                      sl_expr_text(cx->scratch, e->kids[0]));
    report_copy(cx, e->loc, how, e->kids[0]->record, &li);
}

static void check_decl(struct sl_rule_ctx *cx, const struct sl_func *f, const struct sl_stmt *s)
{
    struct lock_in li;
    const struct sl_var *v = s->var;
    if (!v || !s->expr || !(v->tflags & SL_TY_RECORD) || !v->record ||
        !record_lock(cx, v->record, &li))
        return;
    if (is_fresh_value(s->expr)) return;
    if (lock_initialised_after(cx, f, s->expr, v) ||
        lock_initialised_after(cx, f, s->expr, sl_expr_root_var(s->expr)))
        return;
    const char *how = sl_arena_printf(cx->scratch, "initialising '%s' from '%s'", v->name,
                                      sl_expr_text(cx->scratch, s->expr));
    report_copy(cx, s->expr->loc, how, v->record, &li);
}

/* An object (not a fresh value) named inside an initializer list or a
 * compound literal: `(struct wrap){ .inner = *p }`. */
static void check_initlist(struct sl_rule_ctx *cx, const struct sl_expr *e)
{
    for (uint32_t i = 0; i < e->n_kids; i++) {
        const struct sl_expr *k = e->kids[i];
        struct lock_in li;
        if (!value_has_lock(cx, k, &li) || is_fresh_value(k)) continue;
        const char *how = sl_arena_printf(cx->scratch, "the initializer '%s'",
                                          sl_expr_text(cx->scratch, k));
        report_copy(cx, k->loc, how, k->record, &li);
    }
}

static void check_return(struct sl_rule_ctx *cx, const struct sl_func *f, const struct sl_stmt *s)
{
    struct lock_in li;
    if (!value_has_lock(cx, s->expr, &li) || is_fresh_value(s->expr)) return;
    const char *how = sl_arena_printf(cx->scratch, "returning '%s' from '%s'",
                                      sl_expr_text(cx->scratch, s->expr), f->name);
    report_copy(cx, s->expr->loc, how, s->expr->record, &li);
}

static bool is_memcpy_name(const char *n)
{
    static const char *const names[] = {
        "memcpy", "memmove", "__builtin_memcpy", "__builtin_memmove", "__builtin___memcpy_chk",
        "__builtin___memmove_chk", "mempcpy",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(n, names[i])) return true;
    return false;
}

/* The record a memcpy size copies whole: sizeof(struct foo), sizeof *p, or
 * n * sizeof *p; a size that subtracts or adds (a sub-part) is not. */
static const struct sl_record *size_copies_record(const struct sl_expr *n)
{
    if (!n) return NULL;
    if (n->kind == SL_EX_SIZEOF) return n->record;
    if (n->kind == SL_EX_BINARY && n->op == SL_B_MUL && n->n_kids == 2) {
        const struct sl_record *r = size_copies_record(n->kids[0]);
        return r ? r : size_copies_record(n->kids[1]);
    }
    return NULL;
}

static void check_call(struct sl_rule_ctx *cx, const struct sl_func *f, const struct sl_expr *c)
{
    struct lock_in li;
    if (c->name && is_memcpy_name(c->name) && c->n_kids >= 3) {
        const struct sl_record *r = size_copies_record(c->kids[2]);
        if (!r || !record_lock(cx, r, &li)) return;
        if (fresh_lock_after(cx, f, c, c->kids[0], c->kids[1])) return;
        const char *how = sl_arena_printf(cx->scratch, "%s of whole objects", c->name);
        report_copy(cx, c->loc, how, r, &li);
        return;
    }
    /* By-value arguments to functions defined here are reported once, at
     * the parameter. */
    if (c->func && c->func->index != UINT32_MAX) return;
    if (c->atomic != SL_AT_NONE) return;
    for (uint32_t i = 0; i < c->n_kids; i++) {
        const struct sl_expr *a = c->kids[i];
        if (!value_has_lock(cx, a, &li) || is_fresh_value(a)) continue;
        const char *how = sl_arena_printf(cx->scratch, "passing '%s' by value to '%s'",
                                          sl_expr_text(cx->scratch, a),
                                          c->name ? c->name : "an indirect call");
        report_copy(cx, a->loc, how, a->record, &li);
    }
}

static void check_params(struct sl_rule_ctx *cx, const struct sl_func *f)
{
    for (uint32_t i = 0; i < f->n_params; i++) {
        const struct sl_var *p = f->params[i];
        struct lock_in li;
        if (!p || !(p->tflags & SL_TY_RECORD) || (p->tflags & SL_TY_PTR) || !p->record ||
            !record_lock(cx, p->record, &li))
            continue;
        const char *how = sl_arena_printf(cx->scratch, "parameter '%s' of '%s'", p->name, f->name);
        struct sl_diag *d = report_copy(cx, p->loc, how, p->record, &li);
        for (uint32_t k = 0; k < sl_n_callers(cx->facts, f) && k < 3; k++)
            sl_note(cx, d, sl_caller(cx->facts, f, k)->loc, "a copy is made at this call");
    }
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        check_params(cx, f);
        for (uint32_t i = 0; i < f->n_stmts; i++) {
            const struct sl_stmt *s = f->stmts[i];
            if (s->kind == SL_ST_DECL) check_decl(cx, f, s);
            else if (s->kind == SL_ST_RETURN) check_return(cx, f, s);
        }
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *e = f->exprs[i];
            if (e->kind == SL_EX_ASSIGN) check_assign(cx, f, e);
            else if (e->kind == SL_EX_CALL) check_call(cx, f, e);
            else if (e->kind == SL_EX_INITLIST) check_initlist(cx, e);
        }
    }
}

const struct sl_rule sl_rule_copied_lock = {
    .id = "copied-lock",
    .tier = 3,
    .summary = "a struct holding a mutex, condvar, rwlock, semaphore or spinlock copied by value",
    .replacement = "pass or keep a pointer to the struct",
    .what =
        "A struct (or union) that holds a lock by value - pthread_mutex_t, pthread_cond_t,\n"
        "pthread_rwlock_t, pthread_spinlock_t, sem_t, C11 mtx_t / cnd_t, or a project lock type\n"
        "that wraps one (struct ovs_mutex { pthread_mutex_t lock; ... }), at any depth -\n"
        "copied by value: an assignment (a = b, *a = *b, s->cfg = *cfg), an initialisation from\n"
        "another object (struct foo f = *p, a compound literal holding *p), a by-value\n"
        "parameter or argument, a by-value return, or memcpy/memmove of the whole struct\n"
        "(sizeof(struct foo), sizeof *p, n * sizeof *p). The finding names the lock and notes\n"
        "its declaration. Not reported: initialising from an initializer list, a compound\n"
        "literal or PTHREAD_MUTEX_INITIALIZER; a struct that holds only a pointer to a lock;\n"
        "memcpy of a part that leaves the lock out; memset; a copy whose destination's lock\n"
        "is re-initialised (pthread_mutex_init(&dst->mu, ...)) later in the same function, or\n"
        "whose source's lock is initialised only after it (an object cloned while still being\n"
        "built); a call's result (reported at the callee's return).",
    .why =
        "POSIX leaves the result of using a copy of a mutex, condvar or rwlock undefined: the\n"
        "copy may be taken while the original was locked, so it starts out locked with no owner;\n"
        "it may carry the original's waiter count, so a signal or unlock wakes nobody or the\n"
        "wrong thread; and when two threads lock the copy and the original they do not exclude\n"
        "each other, so the data the lock guards is raced on silently. glibc's robust and\n"
        "priority-inheritance mutexes also keep the lock's address in kernel lists. None of\n"
        "this shows up in tests: the copy works until it is contended.",
    .before =
        "struct account { pthread_mutex_t mu; long balance; };\n"
        "void audit(struct account a)          /* copies a.mu */\n"
        "{\n"
        "    pthread_mutex_lock(&a.mu);        /* excludes nobody */\n"
        "    check(a.balance);\n"
        "    pthread_mutex_unlock(&a.mu);\n"
        "}",
    .after =
        "void audit(struct account *a)\n"
        "{\n"
        "    pthread_mutex_lock(&a->mu);\n"
        "    check(a->balance);\n"
        "    pthread_mutex_unlock(&a->mu);\n"
        "}\n"
        "/* or copy only the data: long b = a->balance; under the lock */",
    .when_not =
        "A copy made while no thread can use the lock, whose copied lock is never used: a\n"
        "template copied into a fresh object that then runs pthread_mutex_init on its own\n"
        "lock is recognised in one function, but not across functions. Copy the data fields\n"
        "into a lock-free struct instead where you can, which also documents the intent.",
    .needs = SL_NEED_CALLGRAPH,
    .check = check,
};
