/* report_text.c - compiler-style text output. */
#include "report.h"

static const char *sev_word(enum sl_severity s)
{
    return s == SL_SEV_ERROR ? "error" : s == SL_SEV_WARNING ? "warning" : "note";
}

void sl_report_text(FILE *out, const struct sl_diag_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        if (d->where.file)
            fprintf(out, "%s:%u:%u: %s: %s [%s]\n", d->where.file, d->where.line, d->where.col,
                    sev_word(d->severity), d->message, d->rule);
        else   /* about the run, not a place (an unused --wrapper) */
            fprintf(out, "sync-lint: %s: %s [%s]\n", sev_word(d->severity), d->message, d->rule);
        for (size_t k = 0; k < d->n_notes; k++) {
            const struct sl_note *n = &d->notes[k];
            const struct sl_range *w = n->where.file ? &n->where : &d->where;
            fprintf(out, "%s:%u:%u: note: %s\n", w->file ? w->file : "<unknown>", w->line, w->col,
                    n->message);
        }
        if (d->fix) {
            const struct sl_range *w = d->fix->where.file ? &d->fix->where : &d->where;
            fprintf(out, "%s:%u:%u: note: fix: %s\n", w->file ? w->file : "<unknown>", w->line,
                    w->col, d->fix->description);
        }
    }
}

void sl_report_tool_errors(FILE *out, const struct sl_diag_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        if (!sl_diag_is_tool_error(d)) continue;
        if (d->where.file)
            fprintf(out, "%s:%u:%u: error: %s\n", d->where.file, d->where.line, d->where.col,
                    d->message);
        else
            fprintf(out, "sync-lint: error: %s\n", d->message);
    }
}
