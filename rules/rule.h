/* rule.h - what a rule is: identity, text, and a check over the model.
 *
 * A rule is one file rules/<id>.c exporting one `const struct sl_rule`.
 * All user-facing text about a rule (--explain, --list-rules, SARIF
 * rules[]) is rendered from this struct.
 *
 * The contract of check(cx) (the rule kit, rulekit.h, gives what it needs):
 *  - it reads only cx->model (frozen), cx->flow (lock-flow results),
 *    cx->facts (exactly the facts named in .needs) and cx->opts; it never
 *    includes libclang (the build stops it) and never writes any of them;
 *  - it allocates in cx->scratch (freed when it returns) or with
 *    sl_xmalloc & co freed before it returns; findings go through
 *    sl_report / sl_note, which copy into the result list;
 *  - it is pure: no globals, no I/O, no dependence on other rules or on
 *    which thread runs it; the same model gives the same findings in the
 *    same order.
 */
#ifndef SL_RULE_H
#define SL_RULE_H

#include <stddef.h>
#include "diag.h"

struct sl_rule_ctx;
struct sl_project_ctx;

/* The type of a rule option (config "rules": {"<id>": {"<name>": value}}). */
enum sl_opt_type { SL_OPT_BOOL, SL_OPT_INT, SL_OPT_STRING, SL_OPT_STRING_LIST };

/* One option a rule declares in its own file; a table ends with a NULL
 * name.  def is the default as JSON text ("false", "8", "\"x\"", "[]"):
 * --explain and --list-rules --format=json render it, the config parser
 * checks values against type, and the rule kit's sl_opt_* read them. */
struct sl_rule_option {
    const char *name;          /* lower_snake_case */
    enum sl_opt_type type;
    const char *def;
    const char *doc;           /* one line */
};

struct sl_rule {
    const char *id;            /* public API: spelled exactly as in RULES.md */
    int tier;                  /* 1, 2 or 3 */
    /* Below the precision bar on real code (docs/precision.md): off unless
     * named (its id, or --checks=experimental-*); --explain says so. */
    bool experimental;
    /* Hand-checked precision on real code (docs/precision.md), in the
     * words GitHub code scanning reads from SARIF properties.precision:
     * "very-high" (>= 95% of >= 20 checked), "high" (>= 80%), "medium"
     * (>= 50%), "low"; NULL while no finding on real code was checked. */
    const char *precision;
    const char *summary;       /* one line: what it flags */
    const char *replacement;   /* what to use instead, one line */
    /* --explain sections (plain text, may span lines) */
    const char *what;          /* What it finds */
    const char *why;           /* Why it costs */
    const char *before;        /* Example: the flagged C */
    const char *after;         /* Example: the replacement C */
    const char *when_not;      /* When not to change it */
    /* Suppress is rendered from the id (ignore comment / NOLINT forms). */
    unsigned needs;            /* SL_NEED_* shared facts it reads (facts.h) */
    void (*check)(struct sl_rule_ctx *cx);           /* per TU; may be NULL */
    /* Whole-program rules: once per run over the merged project (project.h),
     * after every TU; the same contract with cx->project for the model. */
    void (*check_project)(struct sl_project_ctx *cx);
    const struct sl_rule_option *options;   /* NULL, or a table ending with a NULL name */
};

/* A value given for a declared option (from the config file), by the
 * option's type; strings are borrowed from whoever parsed them. */
struct sl_rule_optval {
    const char *rule;                     /* rule id */
    const struct sl_rule_option *opt;     /* the rule's declaration */
    bool b;
    long i;
    const char *s;
    const char *const *list;              /* NULL-terminated */
};

/* The JSON word for an option type: "bool", "int", "string", "string-list". */
const char *sl_opt_type_name(enum sl_opt_type t);

/* The registry, sorted by id. */
extern const struct sl_rule *const sl_rules[];
extern const size_t sl_rule_count;
const struct sl_rule *sl_rule_find(const char *id);

#endif
