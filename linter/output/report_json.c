/* report_json.c - the JSON report of DESIGN.md, through cJSON; and a
 * diagnostic's whole content as JSON and back (shard reports). */
#include <cJSON.h>
#include <stdio.h>
#include <string.h>
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
    return sl_report_json_with(out, l, st, NULL);
}

int sl_report_json_with(FILE *out, const struct sl_diag_list *l, const struct sl_stats *st,
                        struct cJSON *shard)
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
    if (shard) cJSON_AddItemToObject(root, "shard", shard);
    return sl_json_emit(out, root);
}

/* ---- a diagnostic as it left the workers, and back ---- */

static void add_raw_range(cJSON *o, const struct sl_range *r)
{
    if (r->file) cJSON_AddStringToObject(o, "file", r->file);
    else cJSON_AddNullToObject(o, "file");
    cJSON_AddNumberToObject(o, "line", r->line);
    cJSON_AddNumberToObject(o, "column", r->col);
    cJSON_AddNumberToObject(o, "end_line", r->end_line);
    cJSON_AddNumberToObject(o, "end_column", r->end_col);
}

struct cJSON *sl_diag_raw_to_json(const struct sl_diag *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "rule", d->rule);
    cJSON_AddStringToObject(o, "kind", d->kind == SL_DIAG_TOOL ? "tool" : "finding");
    cJSON_AddStringToObject(o, "severity", sev_word(d->severity));
    add_raw_range(o, &d->where);
    cJSON_AddStringToObject(o, "message", d->message);
    cJSON *notes = cJSON_AddArrayToObject(o, "notes");
    for (size_t k = 0; k < d->n_notes; k++) {
        cJSON *n = cJSON_CreateObject();
        add_raw_range(n, &d->notes[k].where);
        cJSON_AddStringToObject(n, "message", d->notes[k].message);
        cJSON_AddItemToArray(notes, n);
    }
    if (d->fix) {
        cJSON *f = cJSON_AddObjectToObject(o, "fix");
        cJSON_AddStringToObject(f, "description", d->fix->description);
        cJSON *edits = cJSON_AddArrayToObject(f, "edits");
        for (size_t k = 0; k < d->fix->n_edits; k++) {
            cJSON *e = cJSON_CreateObject();
            add_raw_range(e, &d->fix->edits[k].where);
            cJSON_AddStringToObject(e, "replacement", d->fix->edits[k].replacement);
            cJSON_AddItemToArray(edits, e);
        }
    } else {
        cJSON_AddNullToObject(o, "fix");
    }
    if (d->function) cJSON_AddStringToObject(o, "function", d->function);
    else cJSON_AddNullToObject(o, "function");
    if (d->identity) cJSON_AddStringToObject(o, "identity", d->identity);
    else cJSON_AddNullToObject(o, "identity");
    return o;
}

/* A string member, or NULL with *bad set when it is neither a string nor
 * (nullable) null. */
static const char *str_of(const cJSON *o, const char *key, bool nullable, const char **bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v)) return v->valuestring;
    if (!(nullable && cJSON_IsNull(v)) && !*bad) *bad = key;
    return NULL;
}

static unsigned uint_of(const cJSON *o, const char *key, const char **bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 4294967295.0 ||
        v->valuedouble != (double)(unsigned)v->valuedouble) {
        if (!*bad) *bad = key;
        return 0;
    }
    return (unsigned)v->valuedouble;
}

static struct sl_range range_of(const cJSON *o, const char **bad)
{
    struct sl_range r = { str_of(o, "file", true, bad), uint_of(o, "line", bad),
                          uint_of(o, "column", bad), uint_of(o, "end_line", bad),
                          uint_of(o, "end_column", bad) };
    return r;
}

int sl_diag_raw_from_json(struct sl_diag_list *l, const struct cJSON *o, char *err, size_t errsz)
{
    const char *bad = NULL;
    if (!cJSON_IsObject(o)) {
        snprintf(err, errsz, "a diagnostic is not an object");
        return -1;
    }
    const char *rule = str_of(o, "rule", false, &bad);
    const char *kind = str_of(o, "kind", false, &bad);
    const char *sev = str_of(o, "severity", false, &bad);
    struct sl_range where = range_of(o, &bad);
    const char *message = str_of(o, "message", false, &bad);
    const char *function = str_of(o, "function", true, &bad);
    const char *identity = str_of(o, "identity", true, &bad);
    const cJSON *notes = cJSON_GetObjectItemCaseSensitive(o, "notes");
    const cJSON *fix = cJSON_GetObjectItemCaseSensitive(o, "fix");
    if (!bad && !cJSON_IsArray(notes)) bad = "notes";
    if (!bad && !cJSON_IsObject(fix) && !cJSON_IsNull(fix)) bad = "fix";
    enum sl_severity severity = SL_SEV_NOTE;
    if (!bad) {
        if (!strcmp(sev, "error")) severity = SL_SEV_ERROR;
        else if (!strcmp(sev, "warning")) severity = SL_SEV_WARNING;
        else if (strcmp(sev, "note")) bad = "severity";
    }
    if (!bad && strcmp(kind, "finding") && strcmp(kind, "tool")) bad = "kind";
    if (bad) {
        snprintf(err, errsz, "a diagnostic has no valid '%s'", bad);
        return -1;
    }
    /* check the notes and fix before anything is added */
    const cJSON *n;
    cJSON_ArrayForEach(n, notes) {
        if (!cJSON_IsObject(n)) bad = "notes";
        else { range_of(n, &bad); str_of(n, "message", false, &bad); }
    }
    if (cJSON_IsObject(fix)) {
        str_of(fix, "description", false, &bad);
        const cJSON *edits = cJSON_GetObjectItemCaseSensitive(fix, "edits"), *e;
        if (!cJSON_IsArray(edits) || cJSON_GetArraySize(edits) == 0) bad = "edits";
        else cJSON_ArrayForEach(e, edits) {
            if (!cJSON_IsObject(e)) { bad = "edits"; break; }
            range_of(e, &bad);
            str_of(e, "replacement", false, &bad);
        }
    }
    if (bad) {
        snprintf(err, errsz, "a diagnostic's note or fix has no valid '%s'", bad);
        return -1;
    }
    struct sl_diag *d = sl_diag_add(l, rule, severity, where, "%s", message);
    d->kind = !strcmp(kind, "tool") ? SL_DIAG_TOOL : SL_DIAG_FINDING;
    cJSON_ArrayForEach(n, notes)
        sl_diag_note(l, d, range_of(n, &bad), "%s", str_of(n, "message", false, &bad));
    if (cJSON_IsObject(fix)) {
        struct sl_fix *f = sl_fix_start(l, str_of(fix, "description", false, &bad));
        const cJSON *e;
        bool ok = true;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(fix, "edits"))
            ok = ok && sl_fix_add(l, f, range_of(e, &bad), str_of(e, "replacement", false, &bad)) == 0;
        if (!ok) {
            snprintf(err, errsz, "a diagnostic's fix has edits in two files or overlapping");
            return -1;
        }
        sl_fix_attach(l, d, f);
    }
    d->function = function ? sl_arena_strdup(&l->arena, function) : NULL;
    d->identity = identity ? sl_arena_strdup(&l->arena, identity) : NULL;
    return 0;
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
