/* report_json.c - the JSON report of DESIGN.md, through cJSON. */
#include <cJSON.h>
#include "report.h"

static const char *sev_word(enum sl_severity s)
{
    return s == SL_SEV_ERROR ? "error" : s == SL_SEV_WARNING ? "warning" : "note";
}

static void add_range(cJSON *o, const struct sl_range *r)
{
    cJSON_AddStringToObject(o, "file", r->file ? r->file : "");
    cJSON_AddNumberToObject(o, "line", r->line);
    cJSON_AddNumberToObject(o, "column", r->col);
    cJSON_AddNumberToObject(o, "end_line", r->end_line);
    cJSON_AddNumberToObject(o, "end_column", r->end_col);
}

int sl_report_json(FILE *out, const struct sl_diag_list *l, const struct sl_stats *st)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "version", SL_VERSION);
    cJSON *diags = cJSON_AddArrayToObject(root, "diagnostics");
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "rule", d->rule);
        add_range(o, &d->where);
        cJSON_AddStringToObject(o, "severity", sev_word(d->severity));
        cJSON_AddStringToObject(o, "message", d->message);
        cJSON *notes = cJSON_AddArrayToObject(o, "notes");
        for (size_t k = 0; k < d->n_notes; k++) {
            cJSON *n = cJSON_CreateObject();
            if (d->notes[k].where.file) add_range(n, &d->notes[k].where);
            cJSON_AddStringToObject(n, "message", d->notes[k].message);
            cJSON_AddItemToArray(notes, n);
        }
        if (d->fix) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "description", d->fix->description);
            cJSON *edits = cJSON_AddArrayToObject(f, "edits");
            for (size_t k = 0; k < d->fix->n_edits; k++) {
                const struct sl_edit *e = &d->fix->edits[k];
                cJSON *eo = cJSON_CreateObject();
                add_range(eo, &e->where);
                cJSON_AddStringToObject(eo, "replacement", e->replacement);
                cJSON_AddItemToArray(edits, eo);
            }
            cJSON_AddItemToObject(o, "fix", f);
        } else {
            cJSON_AddNullToObject(o, "fix");
        }
        cJSON_AddStringToObject(o, "fingerprint", d->fingerprint);
        if (d->function) cJSON_AddStringToObject(o, "function", d->function);
        cJSON_AddItemToArray(diags, o);
    }
    cJSON *s = cJSON_AddObjectToObject(root, "stats");
    cJSON_AddNumberToObject(s, "files", st ? (double)st->files : 0);
    cJSON_AddNumberToObject(s, "files_failed", st ? (double)st->files_failed : 0);
    cJSON_AddNumberToObject(s, "functions", st ? (double)st->functions : 0);
    cJSON_AddNumberToObject(s, "lines", st ? (double)st->lines : 0);
    cJSON_AddNumberToObject(s, "seconds", st ? st->seconds : 0);
    cJSON_AddNumberToObject(s, "cache_hits", 0);
    cJSON_AddNumberToObject(s, "findings", (double)l->n);
    cJSON_AddNumberToObject(s, "baseline_matched", st ? (double)st->baseline_matched : 0);
    cJSON_AddNumberToObject(s, "baseline_stale", st ? (double)st->baseline_stale : 0);
    cJSON_AddNumberToObject(s, "outside_diff", st ? (double)st->outside_diff : 0);
    return sl_json_emit(out, root);
}

int sl_json_emit(FILE *out, cJSON *doc)
{
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text) return -1;
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
    return 0;
}
