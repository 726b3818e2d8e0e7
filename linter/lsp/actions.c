/* actions.c - code actions and hover (actions.h). */
#include "actions.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diagjson.h"
#include "report.h"
#include "rule.h"
#include "suppress.h"

/* Does finding d cover LSP line (0-based) range [l0, l1]? */
static bool on_lines(const struct sl_diag *d, int l0, int l1)
{
    int a = (int)d->where.line - 1, b = (int)(d->where.end_line ? d->where.end_line : d->where.line) - 1;
    return a <= l1 && b >= l0;
}

static cJSON *text_edit(const struct sl_lines *li, const struct sl_range *r, const char *text,
                        enum sl_pos_enc enc)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddItemToObject(e, "range", sl_lsp_range(li, r, enc));
    cJSON_AddStringToObject(e, "newText", text);
    return e;
}

static cJSON *workspace_edit(const char *uri, cJSON *edits)
{
    cJSON *we = cJSON_CreateObject();
    cJSON *changes = cJSON_AddObjectToObject(we, "changes");
    cJSON_AddItemToObject(changes, uri, edits);
    return we;
}

cJSON *sl_lsp_code_actions(const struct sl_lsp_doc_view *d, int l0, int l1, enum sl_pos_enc enc)
{
    cJSON *actions = cJSON_CreateArray();
    struct sl_lsp_texts t;
    sl_lsp_texts_init(&t, d->path, d->text, d->len);
    struct sl_arena scratch;            /* the suppression edits' strings */
    sl_arena_init(&scratch);
    for (size_t i = 0; i < d->findings->n; i++) {
        const struct sl_diag *g = &d->findings->items[i];
        if (g->kind != SL_DIAG_FINDING || !on_lines(g, l0, l1)) continue;
        cJSON *diag = sl_lsp_diagnostic(g, &t, enc);
        if (g->fix && g->fix->file && !strcmp(g->fix->file, d->path)) {
            cJSON *a = cJSON_CreateObject();
            char title[512];
            snprintf(title, sizeof title, "Fix: %s", g->fix->description);
            cJSON_AddStringToObject(a, "title", title);
            cJSON_AddStringToObject(a, "kind", "quickfix");
            cJSON_AddBoolToObject(a, "isPreferred", 1);
            cJSON *ds = cJSON_AddArrayToObject(a, "diagnostics");
            cJSON_AddItemToArray(ds, cJSON_Duplicate(diag, 1));
            cJSON *edits = cJSON_CreateArray();
            for (size_t k = 0; k < g->fix->n_edits; k++)
                cJSON_AddItemToArray(edits, text_edit(&t.doc_lines, &g->fix->edits[k].where,
                                                      g->fix->edits[k].replacement, enc));
            cJSON_AddItemToObject(a, "edit", workspace_edit(d->uri, edits));
            cJSON_AddItemToArray(actions, a);
        }
        struct sl_edit se;
        if (sl_suppression_edit(d->text, d->len, g->where.line, g->rule,
                                "TODO: why this is safe", &scratch, &se) == 0) {
            cJSON *a = cJSON_CreateObject();
            char title[256];
            snprintf(title, sizeof title, "Suppress %s on this line", g->rule);
            cJSON_AddStringToObject(a, "title", title);
            cJSON_AddStringToObject(a, "kind", "quickfix");
            cJSON *ds = cJSON_AddArrayToObject(a, "diagnostics");
            cJSON_AddItemToArray(ds, cJSON_Duplicate(diag, 1));
            cJSON *edits = cJSON_CreateArray();
            cJSON_AddItemToArray(edits, text_edit(&t.doc_lines, &se.where, se.replacement, enc));
            cJSON_AddItemToObject(a, "edit", workspace_edit(d->uri, edits));
            cJSON_AddItemToArray(actions, a);
        }
        cJSON *a = cJSON_CreateObject();
        char title[256];
        snprintf(title, sizeof title, "Explain %s", g->rule);
        cJSON_AddStringToObject(a, "title", title);
        cJSON *cmd = cJSON_AddObjectToObject(a, "command");
        cJSON_AddStringToObject(cmd, "title", title);
        cJSON_AddStringToObject(cmd, "command", "sync-lint.explain");
        cJSON *args = cJSON_AddArrayToObject(cmd, "arguments");
        cJSON_AddItemToArray(args, cJSON_CreateString(g->rule));
        cJSON_AddItemToArray(actions, a);
        cJSON_Delete(diag);
    }
    sl_arena_free(&scratch);
    sl_lsp_texts_free(&t);
    return actions;
}

cJSON *sl_lsp_hover(const struct sl_lsp_doc_view *d, unsigned line, unsigned ch, enum sl_pos_enc enc)
{
    size_t off = sl_lsp_offset(d->text, d->len, line, ch, enc);
    size_t bol = off;
    while (bol > 0 && d->text[bol - 1] != '\n') bol--;
    unsigned col = (unsigned)(off - bol) + 1;   /* 1-based byte column */
    cJSON *result = NULL;
    for (size_t i = 0; i < d->findings->n && !result; i++) {
        const struct sl_diag *g = &d->findings->items[i];
        if (g->kind != SL_DIAG_FINDING) continue;
        unsigned el = g->where.end_line ? g->where.end_line : g->where.line;
        unsigned ec = g->where.end_line ? g->where.end_col : g->where.col + 1;
        unsigned ln = line + 1;
        if (ln < g->where.line || ln > el) continue;
        if ((ln == g->where.line && col < g->where.col) || (ln == el && col >= ec)) continue;
        const struct sl_rule *r = sl_rule_find(g->rule);
        if (!r) continue;
        char *md = sl_rule_markdown(r);
        result = cJSON_CreateObject();
        cJSON *c = cJSON_AddObjectToObject(result, "contents");
        cJSON_AddStringToObject(c, "kind", "markdown");
        cJSON_AddStringToObject(c, "value", md);
        free(md);
    }
    return result;
}

