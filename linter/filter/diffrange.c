/* diffrange.c - the --diff-base filter over changed line ranges (diffrange.h). */
#include "diffrange.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "err.h"
#include "sort.h"
#include "strmap.h"

struct span { unsigned lo, hi; };   /* inclusive */

struct changed_file {
    char *path;
    bool whole;
    struct span *s;
    size_t n, cap;
};

struct sl_changes {
    struct changed_file *f;
    size_t n, cap;
    bool sorted;
};

struct sl_changes *sl_changes_new(void) { return sl_xcalloc(1, sizeof(struct sl_changes)); }

void sl_changes_free(struct sl_changes *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->f[i].path);
        free(c->f[i].s);
    }
    free(c->f);
    free(c);
}

static struct changed_file *file_of(struct sl_changes *c, const char *path)
{
    for (size_t i = c->n; i-- > 0;)   /* a diff names a file's hunks together */
        if (!strcmp(c->f[i].path, path)) return &c->f[i];
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->f = sl_xreallocarray(c->f, c->cap, sizeof *c->f);
    }
    struct changed_file *f = &c->f[c->n++];
    memset(f, 0, sizeof *f);
    f->path = sl_xstrdup(path);
    c->sorted = false;
    return f;
}

void sl_changes_add(struct sl_changes *c, const char *path, unsigned first, unsigned count)
{
    if (count == 0) return;
    struct changed_file *f = file_of(c, path);
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->s = sl_xreallocarray(f->s, f->cap, sizeof *f->s);
    }
    unsigned hi = first + count - 1 < first ? UINT_MAX : first + count - 1;
    f->s[f->n++] = (struct span){ first, hi };
    c->sorted = false;
}

void sl_changes_add_file(struct sl_changes *c, const char *path)
{
    file_of(c, path)->whole = true;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const struct changed_file *)a)->path, ((const struct changed_file *)b)->path);
}

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

bool sl_changes_has(struct sl_changes *c, const char *path, unsigned line)
{
    if (!c->sorted) {
        sl_sort(c->f, c->n, sizeof *c->f, cmp_file);
        for (size_t i = 0; i < c->n; i++) sl_sort(c->f[i].s, c->f[i].n, sizeof *c->f[i].s, cmp_span);
        c->sorted = true;
    }
    struct changed_file key = { .path = (char *)path };
    const struct changed_file *f = c->n ? bsearch(&key, c->f, c->n, sizeof *c->f, cmp_file) : NULL;
    if (!f) return false;
    if (f->whole) return true;
    /* spans are sorted by start; git's hunks do not overlap */
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->s[mid].hi < line) lo = mid + 1; else hi = mid;
    }
    return lo < f->n && f->s[lo].lo <= line && line <= f->s[lo].hi;
}

/* The absolute, normalised (and, when it exists, symlink-resolved) name of
 * a diagnostic's file; cached per name. */
struct resolver {
    struct sl_arena arena;
    struct sl_strmap *map;
    char **abs;
    size_t n, cap;
    const char *cwd;
};

static const char *resolve(struct resolver *r, const char *file)
{
    uint32_t k;
    if (sl_strmap_get(r->map, file, &k)) return r->abs[k];
    char *joined = sl_xmalloc(strlen(r->cwd) + strlen(file) + 2);
    if (file[0] == '/') strcpy(joined, file);
    else sprintf(joined, "%s/%s", r->cwd, file);
    char real[PATH_MAX];
    char *abs;
    if (realpath(joined, real)) abs = sl_arena_strdup(&r->arena, real);
    else abs = sl_arena_strdup(&r->arena, sl_path_normalise(joined));
    free(joined);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->abs = sl_xreallocarray(r->abs, r->cap, sizeof *r->abs);
    }
    r->abs[r->n] = abs;
    sl_strmap_put(r->map, file, (uint32_t)r->n);
    return r->abs[r->n++];
}

static bool touches(struct sl_changes *c, struct resolver *r, const struct sl_range *w)
{
    if (!w->file) return false;
    const char *abs = resolve(r, w->file);
    unsigned last = w->end_line >= w->line ? w->end_line : w->line;
    /* a finding's range is a statement or an expression: a few lines */
    if (last - w->line > 1000) last = w->line + 1000;
    for (unsigned line = w->line; line <= last; line++)
        if (sl_changes_has(c, abs, line)) return true;
    return false;
}

static void apply(const struct sl_filter *self, struct sl_diag_list *l,
                  const struct sl_filter_ctx *cx)
{
    const struct sl_diffrange *f = self->state;
    struct resolver r = { .cwd = f->cwd };
    sl_arena_init(&r.arena);
    r.map = sl_strmap_new(&r.arena);
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        bool keep;
        if (sl_diag_is_tool_error(d) || !d->where.file) keep = true;
        else {
            keep = touches(f->changes, &r, &d->where);
            for (size_t k = 0; !keep && k < d->n_notes; k++)
                keep = touches(f->changes, &r, &d->notes[k].where);
        }
        if (keep) l->items[w++] = l->items[i];
        else if (cx->stats && d->kind == SL_DIAG_FINDING) cx->stats->outside_diff++;
    }
    l->n = w;
    free(r.abs);
    sl_arena_free(&r.arena);
}

void sl_diffrange_init(struct sl_diffrange *f, struct sl_changes *c, const char *cwd)
{
    f->filter = (struct sl_filter){ "diff-range", apply, f };
    f->changes = c;
    f->cwd = sl_xstrdup(cwd);
}

void sl_diffrange_fini(struct sl_diffrange *f)
{
    free(f->cwd);
    f->cwd = NULL;
}
