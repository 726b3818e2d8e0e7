/* report_sarif.c - SARIF 2.1.0 output (one run) through cJSON. */
#include <cJSON.h>
#include <stdbool.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "report.h"
#include "source.h"
#include "rule.h"

#define SL_INFO_URI "https://github.com/sync-lint/sync-lint"


static char *percent_encode(const char *s)
{
    size_t n = strlen(s);
    char *o = sl_xmalloc(n * 3 + 1), *p = o;
    if (!o) return NULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || strchr("-._~/", c)) *p++ = (char)c;
        else p += sprintf(p, "%%%02X", c);
    }
    *p = 0;
    return o;
}

/* artifactLocation: relative to %SRCROOT% (root, the working directory)
 * when the file is under it, else an absolute file:// URI. */
static cJSON *artifact(const char *file, const char *root)
{
    cJSON *a = cJSON_CreateObject();
    char abs[2 * PATH_MAX + 2];
    if (file[0] == '/') snprintf(abs, sizeof abs, "%s", file);
    else snprintf(abs, sizeof abs, "%s/%s", root, file);
    sl_path_normalise(abs);
    const char *rel = NULL;
    size_t cl = strlen(root);
    if (cl > 1 && !strncmp(abs, root, cl) && abs[cl] == '/') rel = abs + cl + 1;
    char *enc = percent_encode(rel ? rel : abs);
    if (rel) {
        cJSON_AddStringToObject(a, "uri", enc);
        cJSON_AddStringToObject(a, "uriBaseId", "%SRCROOT%");
    } else {
        char *u = sl_xmalloc(strlen(enc) + 8);
        sprintf(u, "file://%s", enc);
        cJSON_AddStringToObject(a, "uri", u);
        free(u);
    }
    free(enc);
    return a;
}

static cJSON *region(const struct sl_range *r)
{
    cJSON *g = cJSON_CreateObject();
    unsigned line = r->line ? r->line : 1, col = r->col ? r->col : 1;
    unsigned eline = r->end_line >= line ? r->end_line : line;
    unsigned ecol = r->end_col;
    if (eline == line && ecol <= col) ecol = col + 1;
    cJSON_AddNumberToObject(g, "startLine", line);
    cJSON_AddNumberToObject(g, "startColumn", col);
    cJSON_AddNumberToObject(g, "endLine", eline);
    cJSON_AddNumberToObject(g, "endColumn", ecol ? ecol : col + 1);
    return g;
}

/* An edit's region exactly as it is: an empty one (end == start) is an
 * insertion point, which SARIF allows for a deletedRegion. */
static cJSON *edit_region(const struct sl_range *r)
{
    cJSON *g = cJSON_CreateObject();
    cJSON_AddNumberToObject(g, "startLine", r->line);
    cJSON_AddNumberToObject(g, "startColumn", r->col);
    cJSON_AddNumberToObject(g, "endLine", r->end_line);
    cJSON_AddNumberToObject(g, "endColumn", r->end_col);
    return g;
}

static cJSON *location(const struct sl_range *r, const char *root)
{
    cJSON *loc = cJSON_CreateObject();
    cJSON *pl = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON_AddItemToObject(pl, "artifactLocation", artifact(r->file, root));
    cJSON_AddItemToObject(pl, "region", region(r));
    return loc;
}

static cJSON *text_msg(const char *t)
{
    cJSON *m = cJSON_CreateObject();
    /* SARIF guidance: messages are sentences ending with a period. */
    size_t n = strlen(t);
    if (n && t[n - 1] != '.' && t[n - 1] != '?' && t[n - 1] != '!') {
        char *s = sl_xmalloc(n + 2);
        memcpy(s, t, n);
        s[n] = '.';
        s[n + 1] = 0;
        cJSON_AddStringToObject(m, "text", s);
        free(s);
    } else {
        cJSON_AddStringToObject(m, "text", t);
    }
    return m;
}

static const char *level_of(enum sl_severity s)
{
    return s == SL_SEV_ERROR ? "error" : s == SL_SEV_WARNING ? "warning" : "note";
}

/* PascalCase name from an id: cond-wait-not-in-loop -> CondWaitNotInLoop. */
static char *pascal(const char *id)
{
    char *o = sl_xmalloc(strlen(id) + 1), *p = o;
    bool up = true;
    for (; *id; id++) {
        if (*id == '-') { up = true; continue; }
        *p++ = up ? (char)toupper((unsigned char)*id) : *id;
        up = false;
    }
    *p = 0;
    return o;
}

static cJSON *rule_descriptor(const struct sl_rule *r)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "id", r->id);
    char *name = pascal(r->id);
    cJSON_AddStringToObject(d, "name", name);
    free(name);
    cJSON_AddItemToObject(d, "shortDescription", text_msg(r->summary));
    cJSON_AddItemToObject(d, "fullDescription", text_msg(r->what));
    cJSON *help = cJSON_AddObjectToObject(d, "help");
    char *pt = sl_rule_plaintext(r), *md = sl_rule_markdown(r);
    cJSON_AddStringToObject(help, "text", pt);
    cJSON_AddStringToObject(help, "markdown", md);
    free(pt);
    free(md);
    char uri[256];
    sl_rule_help_uri(r, uri, sizeof uri);
    cJSON_AddStringToObject(d, "helpUri", uri);
    cJSON *cfg = cJSON_AddObjectToObject(d, "defaultConfiguration");
    cJSON_AddStringToObject(cfg, "level", "warning");
    cJSON *props = cJSON_AddObjectToObject(d, "properties");
    cJSON_AddNumberToObject(props, "tier", r->tier);
    /* no precision for a rule not yet checked on real code (rule.h) */
    if (r->precision) cJSON_AddStringToObject(props, "precision", r->precision);
    cJSON_AddStringToObject(props, "problem.severity", "warning");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, cJSON_CreateString("concurrency"));
    cJSON_AddItemToArray(tags, cJSON_CreateString(r->tier == 1 ? "performance" : "maintainability"));
    return d;
}

static cJSON *tool_rule_descriptor(void)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "id", SL_TOOL_RULE);
    cJSON_AddStringToObject(d, "name", "SyncLintTool");
    cJSON_AddItemToObject(d, "shortDescription", text_msg("Messages from sync-lint itself"));
    cJSON_AddItemToObject(d, "fullDescription",
        text_msg("Suppression comments that suppress nothing or name an unknown rule, and "
                 "problems reading or parsing a file"));
    cJSON *help = cJSON_AddObjectToObject(d, "help");
    cJSON_AddStringToObject(help, "text", "Remove stale suppressions; fix the file or the "
                            "compiler flags sync-lint was given.");
    cJSON_AddStringToObject(d, "helpUri", SL_INFO_URI "#suppressing-a-finding");
    cJSON *cfg = cJSON_AddObjectToObject(d, "defaultConfiguration");
    cJSON_AddStringToObject(cfg, "level", "warning");
    cJSON *props = cJSON_AddObjectToObject(d, "properties");
    cJSON_AddStringToObject(props, "precision", "very-high");   /* stale suppressions are exact */
    cJSON_AddStringToObject(props, "problem.severity", "warning");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, cJSON_CreateString("maintainability"));
    return d;
}

int sl_report_sarif(FILE *out, const struct sl_diag_list *l, const struct sl_stats *st,
                    const char *category)
{
    return sl_report_sarif_with(out, l, st, category, NULL);
}

int sl_report_sarif_with(FILE *out, const struct sl_diag_list *l, const struct sl_stats *st,
                         const char *category, struct cJSON *shard)
{
    (void)st;
    char src_root[PATH_MAX];   /* %SRCROOT%: the working directory, per call */
    if (!getcwd(src_root, sizeof src_root)) strcpy(src_root, "/");
    const char *root = src_root;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(doc, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(runs, run);
    cJSON *tool = cJSON_AddObjectToObject(run, "tool");
    cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
    cJSON_AddStringToObject(driver, "name", "sync-lint");
    cJSON_AddStringToObject(driver, "version", SL_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", SL_VERSION);
    cJSON_AddStringToObject(driver, "informationUri", SL_INFO_URI);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    for (size_t i = 0; i < sl_rule_count; i++)
        cJSON_AddItemToArray(rules, rule_descriptor(sl_rules[i]));
    cJSON_AddItemToArray(rules, tool_rule_descriptor());

    char root_uri[3 * PATH_MAX + 16];
    char *enc = percent_encode(root);
    snprintf(root_uri, sizeof root_uri, "file://%s/", enc);
    free(enc);
    /* GitHub code scanning keeps the results of each category (an
     * analysis, a shard) apart and replaces them upload by upload. */
    cJSON *auto_details = cJSON_AddObjectToObject(run, "automationDetails");
    cJSON_AddStringToObject(auto_details, "id", category);

    cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
    cJSON *src = cJSON_AddObjectToObject(bases, "%SRCROOT%");
    cJSON_AddStringToObject(src, "uri", root_uri);

    cJSON *inv = cJSON_CreateObject();
    cJSON *invs = cJSON_AddArrayToObject(run, "invocations");
    cJSON_AddItemToArray(invs, inv);
    cJSON *notes = cJSON_CreateArray();
    bool ok = true;
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        bool tool_error = sl_diag_is_tool_error(d);
        /* Code scanning rejects a result with no physical location: a
         * diagnostic about the run rather than a place (an unused
         * --wrapper), like a file that could not be parsed, is a
         * notification of the invocation. */
        if (tool_error || !d->where.file) {
            if (tool_error) ok = false;
            cJSON *n = cJSON_CreateObject();
            cJSON_AddStringToObject(n, "level", level_of(d->severity));
            cJSON_AddItemToObject(n, "message", text_msg(d->message));
            long nidx = (long)sl_rule_count;
            for (size_t k = 0; d->kind == SL_DIAG_FINDING && k < sl_rule_count; k++)
                if (!strcmp(sl_rules[k]->id, d->rule)) nidx = (long)k;
            cJSON *assoc = cJSON_AddObjectToObject(n, "associatedRule");
            cJSON_AddStringToObject(assoc, "id", d->rule);
            cJSON_AddNumberToObject(assoc, "index", (double)nidx);
            if (d->where.file) {
                cJSON *locs = cJSON_AddArrayToObject(n, "locations");
                cJSON_AddItemToArray(locs, location(&d->where, root));
            }
            cJSON_AddItemToArray(notes, n);
            continue;
        }
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "ruleId", d->rule);
        long idx = -1;
        for (size_t k = 0; k < sl_rule_count; k++)
            if (!strcmp(sl_rules[k]->id, d->rule)) idx = (long)k;
        if (d->kind == SL_DIAG_TOOL) idx = (long)sl_rule_count;
        if (idx >= 0) cJSON_AddNumberToObject(r, "ruleIndex", (double)idx);
        cJSON_AddStringToObject(r, "level", level_of(d->severity));
        cJSON_AddItemToObject(r, "message", text_msg(d->message));
        cJSON *locs = cJSON_AddArrayToObject(r, "locations");
        cJSON_AddItemToArray(locs, location(&d->where, root));
        int rid = 0;
        cJSON *rel = NULL;
        for (size_t k = 0; k < d->n_notes; k++) {
            if (!d->notes[k].where.file) continue;
            if (!rel) rel = cJSON_AddArrayToObject(r, "relatedLocations");
            cJSON *loc = location(&d->notes[k].where, root);
            cJSON_AddNumberToObject(loc, "id", ++rid);
            cJSON_AddItemToObject(loc, "message", text_msg(d->notes[k].message));
            cJSON_AddItemToArray(rel, loc);
        }
        cJSON *fp = cJSON_AddObjectToObject(r, "partialFingerprints");
        cJSON_AddStringToObject(fp, "syncLint/v1", d->fingerprint);
        if (d->fix && d->fix->n_edits && (d->fix->file || d->where.file)) {
            const char *fix_file = d->fix->file ? d->fix->file : d->where.file;
            cJSON *fixes = cJSON_AddArrayToObject(r, "fixes");
            cJSON *fx = cJSON_CreateObject();
            cJSON_AddItemToObject(fx, "description", text_msg(d->fix->description));
            cJSON *changes = cJSON_AddArrayToObject(fx, "artifactChanges");
            cJSON *ch = cJSON_CreateObject();
            cJSON_AddItemToObject(ch, "artifactLocation", artifact(fix_file, root));
            cJSON *reps = cJSON_AddArrayToObject(ch, "replacements");
            for (size_t k = 0; k < d->fix->n_edits; k++) {
                const struct sl_edit *e = &d->fix->edits[k];
                cJSON *rep = cJSON_CreateObject();
                cJSON_AddItemToObject(rep, "deletedRegion", edit_region(&e->where));
                cJSON *ins = cJSON_AddObjectToObject(rep, "insertedContent");
                cJSON_AddStringToObject(ins, "text", e->replacement);
                cJSON_AddItemToArray(reps, rep);
            }
            cJSON_AddItemToArray(changes, ch);
            cJSON_AddItemToArray(fixes, fx);
        }
        cJSON_AddItemToArray(results, r);
    }
    if (shard) {
        /* a property bag (SARIF 3.8): what --merge reads back */
        cJSON *props = cJSON_AddObjectToObject(run, "properties");
        cJSON_AddItemToObject(props, "sync-lint/shard", shard);
    }
    cJSON_AddBoolToObject(inv, "executionSuccessful", ok);
    if (cJSON_GetArraySize(notes) > 0) cJSON_AddItemToObject(inv, "toolExecutionNotifications", notes);
    else cJSON_Delete(notes);
    return sl_json_emit(out, doc);
}
