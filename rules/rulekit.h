/* rulekit.h - what a rule's check function works with: the frozen model,
 * the lock-flow results, the shared facts, its scratch arena, and helpers to
 * report findings with notes.  See rule.h for the contract. */
#ifndef SL_RULEKIT_H
#define SL_RULEKIT_H

#include "diag.h"
#include "err.h"
#include "facts.h"
#include "lockflow.h"
#include "model.h"
#include "project.h"
#include "rule.h"

/* Options rules read, passed explicitly (later also from the config file). */
struct sl_rule_options {
    const char *const *extra_blocking;    /* NULL-terminated, may be NULL */
    const struct sl_wrapper *wrappers;    /* declared --wrapper functions */
    size_t n_wrappers;
};

struct sl_rule_ctx {
    const struct sl_rule *rule;
    const struct sl_model *model;
    const struct sl_flow *flow;
    const struct sl_facts *facts;
    const struct sl_rule_options *opts;
    struct sl_arena *scratch;             /* the rule's own, freed after check() */
    struct sl_diag_list *out;             /* only through sl_report / sl_note */
    struct sl_rule_exports *exports;      /* facts for the summary; NULL: not wanted */
};

/* State a fact about function f of this TU for the rule's own
 * check_project (it reads it, through the project, at calls from other
 * files): what (e.g. "blocks"), and the calls inside f that show it. */
void sl_export_fact(struct sl_rule_ctx *cx, const struct sl_func *f, const char *what,
                    const struct sl_expr *const *chain, uint32_t n_chain);
/* The same with string arguments of the rule's own (copied). */
void sl_export_fact_args(struct sl_rule_ctx *cx, const struct sl_func *f, const char *what,
                         const struct sl_expr *const *chain, uint32_t n_chain,
                         const char *const *args, uint32_t n_args);

/* Report a finding of cx->rule at loc.  Returns the diagnostic for notes. */
struct sl_diag *sl_report(struct sl_rule_ctx *cx, struct sl_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sl_note(struct sl_rule_ctx *cx, struct sl_diag *d, struct sl_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A note with no location (the replacement, an explanation). */
void sl_note_text(struct sl_rule_ctx *cx, struct sl_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What d is about beyond its place (a lock class, a record type), so that
 * dedupe across translation units keeps distinct findings at one place. */
void sl_set_identity(struct sl_rule_ctx *cx, struct sl_diag *d, const char *key);
/* Note "'<lock>' acquired here" at the acquisition site of h. */
void sl_note_held(struct sl_rule_ctx *cx, struct sl_diag *d, const struct sl_held *h);

struct sl_range sl_range_of(const struct sl_model *m, struct sl_loc loc);

/* What a whole-program rule's check_project works with. */
struct sl_project_ctx {
    const struct sl_rule *rule;
    const struct sl_project *project;     /* finished: canonical, read-only */
    const struct sl_rule_options *opts;
    struct sl_arena *scratch;
    struct sl_diag_list *out;
};

/* Report / note at a project site (file, line, column as summarised). */
struct sl_diag *sl_preport(struct sl_project_ctx *cx, const struct sl_site *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sl_pnote(struct sl_project_ctx *cx, struct sl_diag *d, const struct sl_site *at,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void sl_pnote_text(struct sl_project_ctx *cx, struct sl_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The function an expression / statement belongs to. */
static inline struct sl_func *sl_expr_func(const struct sl_expr *e)
{
    return e && e->stmt ? e->stmt->func : NULL;
}

/* Thread creation (thread-leak, unbounded-thread-spawn): pthread_create,
 * thrd_create, or a project's wrapper named for creating a thread
 * (xpthread_create, ovs_thread_create, Curl_thread_create, uv_thread_create)
 * that is handed a function to run. */
bool sl_is_thread_create_call(const struct sl_expr *c);

#endif
