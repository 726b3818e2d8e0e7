/* diag.c - diagnostic lists: append, annotate, sort, merge. */
#include "diag.h"
#include "err.h"
#include "sort.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sl_diag_list_init(struct sl_diag_list *l)
{
    memset(l, 0, sizeof *l);
    sl_arena_init(&l->arena);
}

void sl_diag_list_free(struct sl_diag_list *l)
{
    free(l->items);
    sl_arena_free(&l->arena);
    memset(l, 0, sizeof *l);
}

static const char *vdup(struct sl_diag_list *l, const char *fmt, va_list ap)
{
    if (!strchr(fmt, '%')) return sl_arena_strdup(&l->arena, fmt);   /* plain text */
    if (!strcmp(fmt, "%s")) {          /* text formatted already: copy it once */
        const char *text = va_arg(ap, const char *);
        return sl_arena_strdup(&l->arena, text ? text : "(null)");
    }
    char buf[2048];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0) return "";
    return sl_arena_strdup(&l->arena, buf);
}

/* A copy of a file name or rule id (slot 0 and 1), reused while the same
 * text comes again. */
static const char *copy_name(struct sl_diag_list *l, int slot, const char *s)
{
    if (!s) return NULL;
    if (!l->last_copy[slot] || strcmp(s, l->last_copy[slot]))
        l->last_copy[slot] = sl_arena_strdup(&l->arena, s);
    return l->last_copy[slot];
}

static struct sl_range copy_range(struct sl_diag_list *l, struct sl_range r)
{
    r.file = copy_name(l, 0, r.file);
    return r;
}

static struct sl_diag *vadd(struct sl_diag_list *l, enum sl_diag_kind kind, const char *rule,
                            enum sl_severity sev, struct sl_range where, const char *fmt,
                            va_list ap)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        struct sl_diag *ni = sl_xrealloc(l->items, ncap * sizeof *ni);
        l->items = ni;
        l->cap = ncap;
    }
    struct sl_diag *d = &l->items[l->n++];
    memset(d, 0, sizeof *d);
    d->rule = copy_name(l, 1, rule);
    d->kind = kind;
    d->severity = sev;
    d->where = copy_range(l, where);
    d->message = vdup(l, fmt, ap);
    return d;
}

struct sl_diag *sl_diag_add(struct sl_diag_list *l, const char *rule, enum sl_severity sev,
                            struct sl_range where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct sl_diag *d = vadd(l, SL_DIAG_FINDING, rule, sev, where, fmt, ap);
    va_end(ap);
    return d;
}

struct sl_diag *sl_diag_tool(struct sl_diag_list *l, enum sl_severity sev, struct sl_range where,
                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct sl_diag *d = vadd(l, SL_DIAG_TOOL, SL_TOOL_RULE, sev, where, fmt, ap);
    va_end(ap);
    return d;
}

struct sl_diag *sl_diag_vadd(struct sl_diag_list *l, const char *rule, enum sl_severity sev,
                             struct sl_range where, const char *fmt, va_list ap)
{
    return vadd(l, SL_DIAG_FINDING, rule, sev, where, fmt, ap);
}

void sl_diag_vnote(struct sl_diag_list *l, struct sl_diag *d, struct sl_range where,
                   const char *fmt, va_list ap)
{
    struct sl_note *n = sl_arena_grow(&l->arena, d->notes, d->n_notes, d->n_notes + 1, sizeof *n);
    d->notes = n;
    n[d->n_notes].where = copy_range(l, where);
    n[d->n_notes].message = vdup(l, fmt, ap);
    d->n_notes++;
}

void sl_diag_note(struct sl_diag_list *l, struct sl_diag *d, struct sl_range where,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sl_diag_vnote(l, d, where, fmt, ap);
    va_end(ap);
}

static int pos_cmp(unsigned l1, unsigned c1, unsigned l2, unsigned c2)
{
    if (l1 != l2) return l1 < l2 ? -1 : 1;
    if (c1 != c2) return c1 < c2 ? -1 : 1;
    return 0;
}

int sl_range_cmp(const struct sl_range *a, const struct sl_range *b)
{
    int c = pos_cmp(a->line, a->col, b->line, b->col);
    return c ? c : pos_cmp(a->end_line, a->end_col, b->end_line, b->end_col);
}

bool sl_edits_overlap(const struct sl_range *a, const struct sl_range *b)
{
    bool a_empty = !pos_cmp(a->line, a->col, a->end_line, a->end_col);
    bool b_empty = !pos_cmp(b->line, b->col, b->end_line, b->end_col);
    if (a_empty && b_empty) return !pos_cmp(a->line, a->col, b->line, b->col);
    /* [a.start, a.end) and [b.start, b.end) intersect; an insertion at the
     * inside of a replaced range conflicts, one at its edge does not */
    if (a_empty) return pos_cmp(b->line, b->col, a->line, a->col) < 0 &&
                        pos_cmp(a->line, a->col, b->end_line, b->end_col) < 0;
    if (b_empty) return sl_edits_overlap(b, a);
    return pos_cmp(a->line, a->col, b->end_line, b->end_col) < 0 &&
           pos_cmp(b->line, b->col, a->end_line, a->end_col) < 0;
}

struct sl_fix *sl_fix_start(struct sl_diag_list *l, const char *description)
{
    struct sl_fix *f = sl_arena_alloc(&l->arena, sizeof *f);
    memset(f, 0, sizeof *f);
    f->description = sl_arena_strdup(&l->arena, description ? description : "");
    return f;
}

int sl_fix_add(struct sl_diag_list *l, struct sl_fix *f, struct sl_range where,
               const char *replacement)
{
    if (pos_cmp(where.line, where.col, where.end_line, where.end_col) > 0 || !where.line ||
        !where.col)
        return -EINVAL;
    if (f->n_edits) {
        const char *a = f->file ? f->file : "", *b = where.file ? where.file : "";
        if (strcmp(a, b)) return -EINVAL;
    }
    for (size_t i = 0; i < f->n_edits; i++)
        if (sl_edits_overlap(&f->edits[i].where, &where)) return -EINVAL;
    struct sl_edit *e = sl_arena_grow(&l->arena, f->edits, f->n_edits, f->n_edits + 1, sizeof *e);
    f->edits = e;
    size_t at = f->n_edits;
    while (at > 0 && sl_range_cmp(&e[at - 1].where, &where) > 0) {
        e[at] = e[at - 1];
        at--;
    }
    if (!f->n_edits) f->file = where.file ? copy_name(l, 0, where.file) : NULL;
    where.file = f->file;
    e[at].where = where;
    e[at].replacement = sl_arena_strdup(&l->arena, replacement ? replacement : "");
    f->n_edits++;
    return 0;
}

void sl_fix_attach(struct sl_diag_list *l, struct sl_diag *d, struct sl_fix *f)
{
    (void)l;
    if (!f->n_edits) sl_bug("fix '%s' attached with no edits", f->description);
    if (!f->file) {
        f->file = d->where.file;
        for (size_t i = 0; i < f->n_edits; i++) f->edits[i].where.file = f->file;
    }
    d->fix = f;
}

void sl_diag_set_fix(struct sl_diag_list *l, struct sl_diag *d, const char *description,
                     struct sl_range where, const char *replacement)
{
    struct sl_fix *f = sl_fix_start(l, description);
    if (sl_fix_add(l, f, where, replacement)) {
        d->fix = NULL;
        return;
    }
    sl_fix_attach(l, d, f);
}

static void copy_fix(struct sl_diag_list *dst, struct sl_diag *d, const struct sl_fix *s)
{
    struct sl_fix *f = sl_fix_start(dst, s->description);
    for (size_t i = 0; i < s->n_edits; i++)
        if (sl_fix_add(dst, f, s->edits[i].where, s->edits[i].replacement))
            sl_bug("a fix's edits broke their invariant while copied");
    sl_fix_attach(dst, d, f);
}

static int cmp_diag(const void *a, const void *b)
{
    const struct sl_diag *x = a, *y = b;
    int c = strcmp(x->where.file ? x->where.file : "", y->where.file ? y->where.file : "");
    if (c) return c;
    if (x->where.line != y->where.line) return x->where.line < y->where.line ? -1 : 1;
    if (x->where.col != y->where.col) return x->where.col < y->where.col ? -1 : 1;
    c = strcmp(x->rule, y->rule);
    if (c) return c;
    c = strcmp(x->message, y->message);
    if (c) return c;
    /* A total order, so that which copy of a finding several TUs report
     * survives dedupe does not depend on the order the files came in. */
    if (x->n_notes != y->n_notes) return x->n_notes < y->n_notes ? -1 : 1;
    for (size_t i = 0; i < x->n_notes; i++) {
        const struct sl_note *a = &x->notes[i], *b = &y->notes[i];
        c = strcmp(a->where.file ? a->where.file : "", b->where.file ? b->where.file : "");
        if (c) return c;
        if (a->where.line != b->where.line) return a->where.line < b->where.line ? -1 : 1;
        if (a->where.col != b->where.col) return a->where.col < b->where.col ? -1 : 1;
        c = strcmp(a->message, b->message);
        if (c) return c;
    }
    return strcmp(x->identity ? x->identity : "", y->identity ? y->identity : "");
}

void sl_diag_sort(struct sl_diag_list *l)
{
    sl_sort(l->items, l->n, sizeof *l->items, cmp_diag);
}

void sl_diag_list_move(struct sl_diag_list *dst, struct sl_diag_list *src)
{
    sl_diag_list_append(dst, src);
    sl_diag_list_free(src);
    sl_diag_list_init(src);
}

void sl_diag_list_append(struct sl_diag_list *dst, const struct sl_diag_list *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const struct sl_diag *s = &src->items[i];
        struct sl_diag *d = sl_diag_add(dst, s->rule, s->severity, s->where, "%s", s->message);
        d->kind = s->kind;
        for (size_t k = 0; k < s->n_notes; k++)
            sl_diag_note(dst, d, s->notes[k].where, "%s", s->notes[k].message);
        if (s->fix) copy_fix(dst, d, s->fix);
        memcpy(d->fingerprint, s->fingerprint, sizeof d->fingerprint);
        d->function = s->function ? sl_arena_strdup(&dst->arena, s->function) : NULL;
        d->identity = s->identity ? sl_arena_strdup(&dst->arena, s->identity) : NULL;
    }
}
