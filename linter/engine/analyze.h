/* analyze.h - the per-job pipeline on a pool of worker threads: parse,
 * lower, lock-flow, facts and the rules.  Used by session.c; front ends
 * (CLI, language server) use session.h. */
#ifndef SL_ANALYZE_H
#define SL_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "job.h"
#include "lockops.h"
#include "stats.h"

struct sl_rule;
struct sl_rule_optval;

struct sl_analysis_config {
    const struct sl_rule *const *rules;   /* enabled rules */
    size_t n_rules;
    const struct sl_wrapper *wrappers;    /* user-declared lock wrappers */
    size_t n_wrappers;
    const char *const *blocking;          /* project blocking functions, NULL-terminated or NULL */
    const char *const *io_locks;          /* declared output locks, NULL-terminated or NULL */
    const struct sl_rule_optval *rule_values;   /* configured rule options (borrowed) */
    size_t n_rule_values;
    int jobs;                             /* worker threads, >= 1 */
    const char *clang_resource_dir;       /* NULL: the one found at build time */
    /* NULL, or called as each job starts, serialised (session.h). */
    void (*progress)(void *arg, size_t started, size_t total, const char *file);
    void *progress_arg;
};

struct sl_project;
struct sl_model;
struct sl_tu_summary;

/* What the passes after lowering measured, added to (rule_s[n_rules] and
 * wrapper_used[n_wrappers] caller-allocated). */
struct sl_pass_times {
    double flow_s, facts_s, summary_s;
    double *rule_s;
    bool *wrapper_used;
};

/* The passes after lowering, on one frozen model: lock-flow, facts, the
 * rules (findings to out), and the per-TU summary into sum (NULL: none,
 * and no rule exports facts). */
void sl_analyze_model(const struct sl_model *m, const struct sl_analysis_config *cfg,
                      struct sl_diag_list *out, struct sl_tu_summary *sum, struct sl_pass_times *t);

/* What the pool measured and learnt besides the findings. */
struct sl_analysis_extra {
    double parse_s, lower_s, flow_s, facts_s, summary_s;   /* summed over workers */
    double *rule_s;                             /* [n_rules], caller-allocated */
    bool *wrapper_used;                         /* [n_wrappers], caller-allocated */
    /* Caller-initialised, or NULL: each job's summary is merged into it as
     * its worker finishes (and freed then, so memory does not grow with
     * the run), for the whole-program pass.  The merge is independent of
     * the order jobs finish in (sl_project_finish puts it in order). */
    struct sl_project *project;
    /* Caller-allocated [n] (zeroed), or NULL: each job's summary as JSON
     * (sl_summary_to_json's text, malloc'd; stays NULL for a job that has
     * no model), for a shard report.  Summaries are built when either
     * this or project is set. */
    char **summary_json;
    /* Caller-allocated [n], or NULL: what each job's main file was when
     * libclang parsed it (sl_text_hash, size; hashed false: unknown). */
    uint64_t *main_hash, *main_size;
    bool *main_hashed;
};

/* Analyse jobs[0..n) with cfg->jobs workers (one front end each, created
 * serially).  results must point to n initialised lists; job i's findings
 * and tool errors go to results[i], so output order never depends on
 * scheduling.  extra (may be NULL) receives times and wrapper use.
 * Returns the number of jobs that could not be parsed at all. */
size_t sl_analyze(const struct sl_job *jobs, size_t n, const struct sl_analysis_config *cfg,
                  struct sl_diag_list *results, struct sl_stats *stats,
                  struct sl_analysis_extra *extra);

/* The analysis settings of session options (session.h). */
struct sl_session_options;
struct sl_analysis_config sl_session_analysis_config(const struct sl_session_options *o);

/* The whole-program rules of cfg over a finished project; findings to out. */
void sl_analyze_project(const struct sl_analysis_config *cfg, const struct sl_project *proj,
                        struct sl_diag_list *out);

#endif
