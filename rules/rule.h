/* rule.h - what a rule is: identity, text, and a check over the model.
 *
 * A rule is one file rules/<id>.c exporting one `const struct sl_rule`.
 * Rules read the program model and lock-flow results (model.h, lockflow.h);
 * they never call libclang.  All user-facing text about a rule (--explain,
 * --list-rules, SARIF rules[]) is rendered from this struct.
 */
#ifndef SL_RULE_H
#define SL_RULE_H

#include <stddef.h>
#include "diag.h"

struct sl_model;
struct sl_rule_ctx;

struct sl_rule {
    const char *id;            /* public API: spelled exactly as in RULES.md */
    int tier;                  /* 1, 2 or 3 */
    const char *summary;       /* one line: what it flags */
    const char *replacement;   /* what to use instead, one line */
    /* --explain sections (plain text, may span lines) */
    const char *what;          /* What it finds */
    const char *why;           /* Why it costs */
    const char *before;        /* Example: the flagged C */
    const char *after;         /* Example: the replacement C */
    const char *when_not;      /* When not to change it */
    /* Suppress is rendered from the id (ignore comment / NOLINT forms). */
    void (*check)(const struct sl_model *m, struct sl_rule_ctx *cx);
};

/* The registry, sorted by id. */
extern const struct sl_rule *const sl_rules[];
extern const size_t sl_rule_count;
const struct sl_rule *sl_rule_find(const char *id);

#endif
