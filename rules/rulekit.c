/* rulekit.c - reporting helpers shared by every rule. */
#include "rulekit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct sl_range sl_range_of(const struct sl_model *m, struct sl_loc loc)
{
    struct sl_range r = { sl_loc_file(m, loc), loc.line, loc.col, loc.end_line, loc.end_col };
    if (!r.end_line) { r.end_line = r.line; r.end_col = r.col + 1; }
    return r;
}

struct sl_diag *sl_report(struct sl_rule_ctx *cx, struct sl_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct sl_diag *d = sl_diag_vadd(cx->out, cx->rule->id, SL_SEV_WARNING,
                                     sl_range_of(cx->model, loc), fmt, ap);
    va_end(ap);
    const struct sl_func *f = cx->facts ? sl_facts_func_at(cx->facts, loc) : NULL;
    if (f) d->function = sl_arena_strdup(&cx->out->arena, f->name);
    return d;
}

void sl_note(struct sl_rule_ctx *cx, struct sl_diag *d, struct sl_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(cx->out, d, sl_range_of(cx->model, loc), fmt, ap);
    va_end(ap);
}

void sl_note_text(struct sl_rule_ctx *cx, struct sl_diag *d, const char *fmt, ...)
{
    struct sl_range none = {0};
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(cx->out, d, none, fmt, ap);
    va_end(ap);
}

void sl_note_held(struct sl_rule_ctx *cx, struct sl_diag *d, const struct sl_held *h)
{
    if (!h || !h->site) return;
    sl_note(cx, d, h->site->loc, "'%s' %s here", h->lock->text,
            h->shared ? "read-locked" : "acquired");
}

void sl_set_identity(struct sl_rule_ctx *cx, struct sl_diag *d, const char *key)
{
    d->identity = key ? sl_arena_strdup(&cx->out->arena, key) : NULL;
}

static struct sl_range range_of_site(const struct sl_site *at)
{
    struct sl_range r = { at->file, at->line, at->col, at->line, at->col + 1 };
    return r;
}

struct sl_diag *sl_preport(struct sl_project_ctx *cx, const struct sl_site *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct sl_diag *d = sl_diag_vadd(cx->out, cx->rule->id, SL_SEV_WARNING, range_of_site(at), fmt, ap);
    va_end(ap);
    if (at->func) d->function = sl_arena_strdup(&cx->out->arena, at->func);
    return d;
}

void sl_pnote(struct sl_project_ctx *cx, struct sl_diag *d, const struct sl_site *at,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(cx->out, d, range_of_site(at), fmt, ap);
    va_end(ap);
}

void sl_pnote_text(struct sl_project_ctx *cx, struct sl_diag *d, const char *fmt, ...)
{
    struct sl_range none = {0};
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(cx->out, d, none, fmt, ap);
    va_end(ap);
}

void sl_export_fact(struct sl_rule_ctx *cx, const struct sl_func *f, const char *what,
                    const struct sl_expr *const *chain, uint32_t n_chain)
{
    sl_export_fact_args(cx, f, what, chain, n_chain, NULL, 0);
}

void sl_export_fact_args(struct sl_rule_ctx *cx, const struct sl_func *f, const char *what,
                         const struct sl_expr *const *chain, uint32_t n_chain,
                         const char *const *args, uint32_t n_args)
{
    struct sl_rule_exports *ex = cx->exports;
    if (!ex) return;
    if (ex->n == ex->cap) {
        uint32_t nc = ex->cap ? ex->cap * 2 : 16;
        ex->v = sl_arena_grow(ex->arena, ex->v, ex->n, nc, sizeof *ex->v);
        ex->cap = nc;
    }
    const struct sl_expr **c = n_chain ? sl_arena_alloc(ex->arena, n_chain * sizeof *c) : NULL;
    for (uint32_t i = 0; i < n_chain; i++) c[i] = chain[i];
    const char **a = n_args ? sl_arena_alloc(ex->arena, n_args * sizeof *a) : NULL;
    for (uint32_t i = 0; i < n_args; i++) a[i] = sl_arena_strdup(ex->arena, args[i]);
    ex->v[ex->n++] = (struct sl_rule_export){ cx->rule->id, sl_arena_strdup(ex->arena, what), f, c,
                                             n_chain, a, n_args };
}

/* "thread" or "thrd" anywhere in the name (xpthread_create, Curl_thread_create)
 * and a word for making one. */
static bool names_thread_creation(const char *n)
{
    static const char *const make[] = { "create", "new", "start", "spawn", NULL };
    return (strstr(n, "thread") || strstr(n, "thrd") || strstr(n, "Thread")) &&
           sl_name_has_word(n, make);
}

bool sl_is_thread_create_call(const struct sl_expr *c)
{
    if (c->kind != SL_EX_CALL || !c->name) return false;
    if (!strcmp(c->name, "pthread_create") || !strcmp(c->name, "thrd_create")) return true;
    if (!names_thread_creation(c->name)) return false;
    for (uint32_t i = 0; i < c->n_kids; i++) {
        const struct sl_expr *a = c->kids[i];
        if (a->kind == SL_EX_UNARY && a->op == SL_U_ADDROF && a->n_kids) a = a->kids[0];
        if (a->kind == SL_EX_REF && a->func) return true;
        if (a->tflags & SL_TY_FUNCPTR) return true;
    }
    return false;
}
