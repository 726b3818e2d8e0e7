/* report.h - render findings as text, JSON or SARIF 2.1.0, and rule docs. */
#ifndef SL_REPORT_H
#define SL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "diag.h"
#include "stats.h"

struct sl_rule;

/* Compiler-style text: `file:line:col: warning: message [rule]` then
 * `file:line:col: note: ...` lines. */
void sl_report_text(FILE *out, const struct sl_diag_list *l);

/* The tool errors of l alone (files that could not be read or parsed), in
 * compiler style: for stderr, whatever the report's format and place. */
void sl_report_tool_errors(FILE *out, const struct sl_diag_list *l);

/* DESIGN.md's JSON: {"version", "diagnostics":[...], "stats":{...}}.
 * Returns 0, or -1 if the document could not be built. */
int sl_report_json(FILE *out, const struct sl_diag_list *l, const struct sl_stats *st);

/* One SARIF 2.1.0 run with every rule's metadata in tool.driver.rules[],
 * automationDetails.id = category (GitHub code scanning's category: one
 * per analysis or shard; it ends with '/' by convention, "sync-lint/").
 * Tool errors (rule "sync-lint", severity error) and any diagnostic with
 * no file become invocations[0].toolExecutionNotifications: every result
 * has a physical location.  Returns 0, or -1 on failure. */
int sl_report_sarif(FILE *out, const struct sl_diag_list *l, const struct sl_stats *st,
                    const char *category);

/* What the review checklist needs beyond the findings: the rules that ran
 * (a question whose rules all ran clean is "no finding", one with none
 * enabled "needs a reviewer"), the directory links are relative to, and
 * where the build enables ThreadSanitizer (searched by the caller: the
 * reporter does no repository scan).  Strings are borrowed. */
struct sl_checklist_input {
    const struct sl_rule *const *enabled;
    size_t n_enabled;
    const char *root;            /* absolute, resolved; NULL: paths as given */
    const char *scope;           /* "the change since origin/main"; NULL: "this run" */
    const char *const *tsan;     /* "path:line" of each -fsanitize=thread found */
    size_t n_tsan;
    bool tsan_more;              /* more places than listed */
    size_t tsan_files;           /* build files searched */
    bool tsan_truncated;         /* the search stopped at its limits */
};

/* The pre-merge review checklist in markdown (a pull-request comment):
 * each question answered from the findings of l with file:line links and
 * rule ids, "no finding", or "needs a reviewer".  Returns 0, or -1 on a
 * write error. */
int sl_report_checklist(FILE *out, const struct sl_diag_list *l, const struct sl_checklist_input *in);

/* Every lock, condvar, atomic and thread of a run (core/inventory.h) in
 * markdown, with links relative to root (NULL: paths as given).  Returns 0,
 * or -1 on a write error or when inv is NULL. */
struct sl_inventory;
int sl_report_inventory(FILE *out, const struct sl_inventory *inv, const char *root);

/* The JSON and SARIF reports with a shard's object for --merge (cli/shard.h)
 * attached: the JSON report's top-level "shard", the SARIF run's
 * properties["sync-lint/shard"].  They take ownership of shard (NULL: the
 * plain report). */
struct cJSON;
int sl_report_json_with(FILE *out, const struct sl_diag_list *l, const struct sl_stats *st,
                        struct cJSON *shard);
int sl_report_sarif_with(FILE *out, const struct sl_diag_list *l, const struct sl_stats *st,
                         const char *category, struct cJSON *shard);

/* A diagnostic as the workers produced it, before any filter: rule, kind,
 * severity, range, message, notes (with or without a place), fix, function
 * and identity; no fingerprint (the merge's filters compute it).  The
 * caller owns the object.  from_json appends what to_json wrote to l;
 * returns 0, or -1 with err naming the member that is missing or has the
 * wrong type (l is unchanged then). */
struct cJSON *sl_diag_raw_to_json(const struct sl_diag *d);
int sl_diag_raw_from_json(struct sl_diag_list *l, const struct cJSON *o, char *err, size_t errsz);

/* Print a cJSON document to out (pretty, newline-terminated) and delete it.
 * Returns 0, or -1 if it could not be rendered. */
int sl_json_emit(FILE *out, struct cJSON *doc);

/* --explain and --list-rules (text: "id  tier N  summary" lines; JSON:
 * {"version", "rules":[{"id","tier","summary","replacement","what","why",
 * "before","after","when_not"}]}, returning 0 or -1 if it could not be
 * rendered). */
void sl_explain(FILE *out, const struct sl_rule *r);
void sl_list_rules(FILE *out);
int sl_list_rules_json(FILE *out);

/* The help text of a rule in markdown (SARIF help.markdown), malloc'd. */
char *sl_rule_markdown(const struct sl_rule *r);
/* The rule's page (SARIF helpUri, LSP codeDescription.href). */
void sl_rule_help_uri(const struct sl_rule *r, char *buf, size_t n);
char *sl_rule_plaintext(const struct sl_rule *r);

#endif
