/* diagjson.c - findings as LSP JSON (diagjson.h). */
#include "diagjson.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "report.h"
#include "rule.h"
#include "source.h"

static cJSON *position(unsigned line, unsigned ch)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", line);
    cJSON_AddNumberToObject(p, "character", ch);
    return p;
}

cJSON *sl_lsp_range(const struct sl_lines *li, const struct sl_range *r, enum sl_pos_enc enc)
{
    unsigned l0 = r->line ? r->line : 1, c0 = r->col ? r->col : 1;
    unsigned l1 = r->end_line ? r->end_line : l0, c1 = r->end_line ? r->end_col : c0 + 1;
    if (l1 < l0 || (l1 == l0 && c1 < c0)) l1 = l0, c1 = c0;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "start", position(l0 - 1, li ? sl_lines_char(li, l0, c0, enc) : c0 - 1));
    cJSON_AddItemToObject(o, "end", position(l1 - 1, li ? sl_lines_char(li, l1, c1, enc) : c1 - 1));
    return o;
}

const struct sl_lines *sl_lsp_texts_lines(struct sl_lsp_texts *t, const char *path)
{
    if (!path || !strcmp(path, t->doc_path)) return &t->doc_lines;
    for (size_t i = 0; i < t->n_other; i++)
        if (!strcmp(t->other[i].path, path)) return &t->other[i].li;
    size_t len;
    const char *text = sl_sources_text(t->src, path, &len);
    if (!text || t->n_other == sizeof t->other / sizeof t->other[0]) return NULL;
    t->other[t->n_other].path = path;
    sl_lines_build(&t->other[t->n_other].li, text, len);
    return &t->other[t->n_other++].li;
}

void sl_lsp_texts_init(struct sl_lsp_texts *t, const char *path, const char *text, size_t len)
{
    memset(t, 0, sizeof *t);
    t->doc_path = path;
    sl_lines_build(&t->doc_lines, text, len);
    t->src = sl_sources_new();
}

void sl_lsp_texts_free(struct sl_lsp_texts *t)
{
    sl_lines_free(&t->doc_lines);
    for (size_t i = 0; i < t->n_other; i++) sl_lines_free(&t->other[i].li);
    sl_sources_free(t->src);
}

static void rule_uri(const char *rule, char *buf, size_t n)
{
    const struct sl_rule *r = sl_rule_find(rule);
    if (r) sl_rule_help_uri(r, buf, n);
    else snprintf(buf, n, "%s", "");
}

cJSON *sl_lsp_diagnostic(const struct sl_diag *d, struct sl_lsp_texts *t, enum sl_pos_enc enc)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "range", sl_lsp_range(&t->doc_lines, &d->where, enc));
    int sev = d->kind == SL_DIAG_TOOL ? (d->severity == SL_SEV_ERROR ? 3 : 2)
            : d->severity == SL_SEV_ERROR ? 1 : d->severity == SL_SEV_WARNING ? 2 : 3;
    cJSON_AddNumberToObject(o, "severity", sev);
    cJSON_AddStringToObject(o, "code", d->rule);
    char uri[512];
    rule_uri(d->rule, uri, sizeof uri);
    if (*uri) {
        cJSON *cd = cJSON_AddObjectToObject(o, "codeDescription");
        cJSON_AddStringToObject(cd, "href", uri);
    }
    cJSON_AddStringToObject(o, "source", "sync-lint");
    /* notes without a place go into the message; the others are related information */
    size_t mlen = strlen(d->message) + 1;
    for (size_t k = 0; k < d->n_notes; k++)
        if (!d->notes[k].where.file) mlen += strlen(d->notes[k].message) + 1;
    char *msg = sl_xmalloc(mlen);
    strcpy(msg, d->message);
    for (size_t k = 0; k < d->n_notes; k++)
        if (!d->notes[k].where.file) strcat(strcat(msg, "\n"), d->notes[k].message);
    cJSON_AddStringToObject(o, "message", msg);
    free(msg);
    cJSON *rel = NULL;
    for (size_t k = 0; k < d->n_notes; k++) {
        const struct sl_note *n = &d->notes[k];
        if (!n->where.file) continue;
        if (!rel) rel = cJSON_AddArrayToObject(o, "relatedInformation");
        cJSON *ri = cJSON_CreateObject();
        cJSON *loc = cJSON_AddObjectToObject(ri, "location");
        char *u = sl_path_to_uri(n->where.file);
        cJSON_AddStringToObject(loc, "uri", u);
        free(u);
        cJSON_AddItemToObject(loc, "range", sl_lsp_range(sl_lsp_texts_lines(t, n->where.file), &n->where, enc));
        cJSON_AddStringToObject(ri, "message", n->message);
        cJSON_AddItemToArray(rel, ri);
    }
    /* an unused suppression is code to delete */
    if (d->kind == SL_DIAG_TOOL && strstr(d->message, "matches no finding")) {
        cJSON *tags = cJSON_AddArrayToObject(o, "tags");
        cJSON_AddItemToArray(tags, cJSON_CreateNumber(1));   /* Unnecessary */
    }
    cJSON *data = cJSON_AddObjectToObject(o, "data");
    cJSON_AddStringToObject(data, "fingerprint", d->fingerprint);
    return o;
}

/* The diagnostics array of a document's results: what a publish carries. */
cJSON *sl_lsp_diagnostics_json(const struct sl_diag_list *l, const char *path, const char *text,
                               size_t len, enum sl_pos_enc enc, bool drop_parse_errors)
{
    struct sl_lsp_texts t;
    sl_lsp_texts_init(&t, path, text, len);
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        if (drop_parse_errors && sl_diag_is_tool_error(d)) continue;   /* clangd shows them */
        cJSON_AddItemToArray(arr, sl_lsp_diagnostic(d, &t, enc));
    }
    sl_lsp_texts_free(&t);
    return arr;
}

