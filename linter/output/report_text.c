/* report_text.c - compiler-style text output. */
#include "report.h"

static const char *sev_word(enum sl_severity s)
{
    return s == SL_SEV_ERROR ? "error" : s == SL_SEV_WARNING ? "warning" : "note";
}

/* Places and messages are written piecewise: printf's format parsing was
 * most of the cost of a large report (20,000 findings with their notes). */
static void put_uint(FILE *out, unsigned v)
{
    char b[12];
    int i = (int)sizeof b;
    do b[--i] = (char)('0' + v % 10); while ((v /= 10) && i > 0);
    fwrite(b + i, 1, sizeof b - (size_t)i, out);
}

/* "file:line:col: " */
static void put_place(FILE *out, const char *file, unsigned line, unsigned col)
{
    fputs(file, out);
    putc(':', out);
    put_uint(out, line);
    putc(':', out);
    put_uint(out, col);
    fputs(": ", out);
}

void sl_report_text(FILE *out, const struct sl_diag_list *l)
{
    flockfile(out);
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        if (d->where.file)
            put_place(out, d->where.file, d->where.line, d->where.col);
        else   /* about the run, not a place (an unused --wrapper) */
            fputs("sync-lint: ", out);
        fputs(sev_word(d->severity), out);
        fputs(": ", out);
        fputs(d->message, out);
        fputs(" [", out);
        fputs(d->rule, out);
        fputs("]\n", out);
        for (size_t k = 0; k < d->n_notes; k++) {
            const struct sl_note *n = &d->notes[k];
            const struct sl_range *w = n->where.file ? &n->where : &d->where;
            put_place(out, w->file ? w->file : "<unknown>", w->line, w->col);
            fputs("note: ", out);
            fputs(n->message, out);
            putc('\n', out);
        }
        if (d->fix) {
            /* at the first edit from the finding's line on (an include the fix
             * adds at the top is not where to look), else the first */
            const struct sl_range *w = &d->where;
            for (size_t k = 0; k < d->fix->n_edits && w == &d->where; k++)
                if (d->fix->edits[k].where.line >= d->where.line) w = &d->fix->edits[k].where;
            if (w == &d->where && d->fix->n_edits) w = &d->fix->edits[0].where;
            if (!w->file) w = &d->where;
            put_place(out, w->file ? w->file : "<unknown>", w->line, w->col);
            fputs("note: fix: ", out);
            fputs(d->fix->description, out);
            putc('\n', out);
        }
    }
    funlockfile(out);
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
