/* filter.c - the filter chain and its built-in filters (filter.h). */
#include "filter.h"

#include <string.h>

#include "fingerprint.h"
#include "suppress.h"

static void apply_suppressions(const struct sl_filter *self, struct sl_diag_list *l,
                               const struct sl_filter_ctx *cx)
{
    (void)self;
    sl_suppress_apply(l, cx->sources, cx->main_files, cx->n_main, cx->enabled, cx->n_enabled);
}

static void apply_sort(const struct sl_filter *self, struct sl_diag_list *l,
                       const struct sl_filter_ctx *cx)
{
    (void)self, (void)cx;
    sl_diag_sort(l);
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_identity(const struct sl_diag *a, const struct sl_diag *b)
{
    return a->kind == b->kind && !strcmp(a->rule, b->rule) && same_str(a->where.file, b->where.file) &&
           a->where.line == b->where.line && a->where.col == b->where.col &&
           a->where.end_line == b->where.end_line && a->where.end_col == b->where.end_col &&
           same_str(a->identity, b->identity) &&
           /* tool diagnostics have no identity but their text */
           (a->kind == SL_DIAG_FINDING || !strcmp(a->message, b->message));
}

void sl_dedupe(struct sl_diag_list *l)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        /* identical ones are adjacent after the sort, except that messages
         * (the last sort key) may interleave: look back over the run */
        bool dup = false;
        for (size_t k = w; k-- > 0;) {
            const struct sl_diag *p = &l->items[k];
            if (p->where.line != l->items[i].where.line || !same_str(p->where.file, l->items[i].where.file))
                break;
            if (same_identity(p, &l->items[i])) { dup = true; break; }
        }
        if (!dup) l->items[w++] = l->items[i];
    }
    l->n = w;
}

static void apply_dedupe(const struct sl_filter *self, struct sl_diag_list *l,
                         const struct sl_filter_ctx *cx)
{
    (void)self, (void)cx;
    sl_dedupe(l);
}

static void apply_fingerprints(const struct sl_filter *self, struct sl_diag_list *l,
                               const struct sl_filter_ctx *cx)
{
    (void)self;
    sl_fingerprint_all(l, cx->sources);
}

const struct sl_filter sl_filter_suppressions = { "suppressions", apply_suppressions, NULL };
const struct sl_filter sl_filter_sort = { "sort", apply_sort, NULL };
const struct sl_filter sl_filter_dedupe = { "dedupe", apply_dedupe, NULL };
const struct sl_filter sl_filter_fingerprints = { "fingerprints", apply_fingerprints, NULL };

const struct sl_filter *const *sl_filter_default_chain(size_t *n)
{
    static const struct sl_filter *const chain[] = {
        &sl_filter_suppressions, &sl_filter_sort, &sl_filter_dedupe, &sl_filter_fingerprints,
    };
    *n = sizeof chain / sizeof chain[0];
    return chain;
}

void sl_filter_run(const struct sl_filter *const *chain, size_t n, struct sl_diag_list *l,
                   const struct sl_filter_ctx *cx)
{
    for (size_t i = 0; i < n; i++) chain[i]->apply(chain[i], l, cx);
}
