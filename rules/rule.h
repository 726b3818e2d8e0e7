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
};

/* The registry, sorted by id. */
extern const struct sl_rule *const sl_rules[];
extern const size_t sl_rule_count;
const struct sl_rule *sl_rule_find(const char *id);

#endif
