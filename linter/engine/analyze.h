/* analyze.h - run the front end, lock-flow and rules over a set of jobs on
 * worker threads. */
#ifndef SL_ANALYZE_H
#define SL_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "job.h"
#include "lockops.h"
#include "stats.h"

struct sl_rule;

struct sl_analysis_config {
    const struct sl_rule *const *rules;   /* enabled rules */
    size_t n_rules;
    const struct sl_wrapper *wrappers;    /* user-declared lock wrappers */
    size_t n_wrappers;
    int jobs;                             /* worker threads, >= 1 */
    const char *clang_resource_dir;       /* NULL: the one found at build time */
};


/* Analyse jobs[0..n) with cfg->jobs workers (one CXIndex each, created
 * serially).  results must point to n initialised lists; job i's findings
 * and tool errors (rule "sync-lint", severity error, naming the file and
 * reason) go to results[i], so output order never depends on scheduling.
 * Returns the number of jobs that could not be parsed at all. */
size_t sl_analyze(const struct sl_job *jobs, size_t n,
                  const struct sl_analysis_config *cfg,
                  struct sl_diag_list *results, struct sl_stats *stats);

#endif
