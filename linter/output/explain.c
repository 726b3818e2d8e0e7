/* explain.c - rule documentation rendered from struct sl_rule (one source). */
#include <cJSON.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "err.h"
#include "rule.h"

struct buf { char *p; size_t n, cap; };

static void bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(struct buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) { va_end(ap2); return; }
    if (b->n + (size_t)n + 1 > b->cap) {
        b->cap = (b->n + (size_t)n + 1) * 2;
        b->p = sl_xrealloc(b->p, b->cap);
    }
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->n += (size_t)n;
}

static void indent(struct buf *b, const char *text, const char *pad)
{
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        bprintf(b, "%s%.*s\n", pad, (int)l, p);
        p += l + (e ? 1 : 0);
    }
}

static void render(struct buf *b, const struct sl_rule *r, bool md)
{
    const char *h = md ? "### " : "";
    if (!md) bprintf(b, "%s (tier %d): %s\n\n", r->id, r->tier, r->summary);
    if (r->experimental) {  /* one wording for every experimental rule, in every output */
        bprintf(b, "%sStatus\n", h);
        indent(b, "experimental: off unless --checks names it (its id, or experimental-*).\n"
                  "Its hand-checked precision on real code is below 80% (docs/precision.md).",
               md ? "" : "  ");
        bprintf(b, "\n");
    }
    bprintf(b, "%sWhat it finds\n", h);
    indent(b, r->what, md ? "" : "  ");
    bprintf(b, "\n%sWhy it costs\n", h);
    indent(b, r->why, md ? "" : "  ");
    bprintf(b, "\n%sExample\n", h);
    bprintf(b, md ? "Before:\n```c\n" : "  Before:\n");
    indent(b, r->before, md ? "" : "    ");
    bprintf(b, md ? "```\nAfter:\n```c\n" : "  After:\n");
    indent(b, r->after, md ? "" : "    ");
    if (md) bprintf(b, "```\n");
    bprintf(b, "\n%sUse instead\n", h);
    indent(b, r->replacement, md ? "" : "  ");
    bprintf(b, "\n%sWhen not to change it\n", h);
    indent(b, r->when_not, md ? "" : "  ");
    if (r->options && r->options[0].name) {
        bprintf(b, "\n%sOptions\n", h);
        if (md) bprintf(b, "In `.sync-lint.json`: `\"rules\": {\"%s\": {\"<name>\": value}}`.\n\n", r->id);
        else bprintf(b, "  in .sync-lint.json: \"rules\": {\"%s\": {\"<name>\": value}}\n", r->id);
        for (const struct sl_rule_option *o = r->options; o->name; o++)
            bprintf(b, md ? "- `%s` (%s, default `%s`): %s\n" : "  %s (%s, default %s): %s\n",
                    o->name, sl_opt_type_name(o->type), o->def, o->doc);
    }
    bprintf(b, "\n%sSuppress\n", h);
    if (md) bprintf(b, "```c\n");
    bprintf(b, "%s// sync-lint: ignore[%s] reason  (after the code, or alone on the line before)\n",
            md ? "" : "  ", r->id);
    bprintf(b, "%s// NOLINT(sync-lint-%s)  (on the line)\n", md ? "" : "  ", r->id);
    bprintf(b, "%s// NOLINTNEXTLINE(sync-lint-%s)  (on the line before)\n", md ? "" : "  ", r->id);
    bprintf(b, "%s// sync-lint: ignore-file[%s]  (the whole file)\n", md ? "" : "  ", r->id);
    if (md) bprintf(b, "```\n");
}

char *sl_rule_markdown(const struct sl_rule *r)
{
    struct buf b = {0};
    render(&b, r, true);
    return b.p;
}

char *sl_rule_plaintext(const struct sl_rule *r)
{
    struct buf b = {0};
    render(&b, r, false);
    return b.p;
}

void sl_explain(FILE *out, const struct sl_rule *r)
{
    char *t = sl_rule_plaintext(r);
    fputs(t, out);
    free(t);
}

void sl_list_rules(FILE *out)
{
    for (size_t i = 0; i < sl_rule_count; i++)
        fprintf(out, "%-34s tier %d  %s%s\n", sl_rules[i]->id, sl_rules[i]->tier,
                sl_rules[i]->experimental ? "(experimental, off by default) " : "",
                sl_rules[i]->summary);
}

int sl_list_rules_json(FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "version", SL_VERSION);
    cJSON *arr = cJSON_AddArrayToObject(root, "rules");
    for (size_t i = 0; i < sl_rule_count; i++) {
        const struct sl_rule *r = sl_rules[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->id);
        cJSON_AddNumberToObject(o, "tier", r->tier);
        cJSON_AddBoolToObject(o, "experimental", r->experimental);
        if (r->precision) cJSON_AddStringToObject(o, "precision", r->precision);
        else cJSON_AddNullToObject(o, "precision");
        cJSON_AddStringToObject(o, "summary", r->summary);
        cJSON_AddStringToObject(o, "replacement", r->replacement);
        cJSON_AddStringToObject(o, "what", r->what);
        cJSON_AddStringToObject(o, "why", r->why);
        cJSON_AddStringToObject(o, "before", r->before);
        cJSON_AddStringToObject(o, "after", r->after);
        cJSON_AddStringToObject(o, "when_not", r->when_not);
        cJSON *opts = cJSON_AddArrayToObject(o, "options");
        for (const struct sl_rule_option *op = r->options; op && op->name; op++) {
            cJSON *jo = cJSON_CreateObject();
            cJSON_AddStringToObject(jo, "name", op->name);
            cJSON_AddStringToObject(jo, "type", sl_opt_type_name(op->type));
            cJSON *def = cJSON_ParseWithOpts(op->def, NULL, 1);
            if (!def) sl_bug("rule '%s' option '%s': default '%s' is not JSON", r->id, op->name, op->def);
            cJSON_AddItemToObject(jo, "default", def);
            cJSON_AddStringToObject(jo, "doc", op->doc);
            cJSON_AddItemToArray(opts, jo);
        }
        cJSON_AddItemToArray(arr, o);
    }
    return sl_json_emit(out, root);
}

void sl_rule_help_uri(const struct sl_rule *r, char *buf, size_t n)
{
    snprintf(buf, n, "https://github.com/sync-lint/sync-lint/blob/main/docs/rules/%s.md", r->id);
}
