/* session.h - one analysis run as a library: open with options, add jobs,
 * run, collect.  The CLI is its first client; the language server and the
 * review checklist drive it the same way.  No global state: sessions are
 * independent (one at a time per thread).
 *
 * run() analyses every job added (in parallel), then passes the findings
 * through the filter chain (suppressions, sort, dedupe by identity,
 * fingerprints; baseline and diff filters plug in there) and adds tool
 * notes for declared wrappers that matched no call in any file.
 */
#ifndef SL_SESSION_H
#define SL_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "diag.h"
#include "job.h"
#include "lockops.h"
#include "stats.h"

struct sl_rule;
struct sl_filter;

/* Progress of a run, for a front end's progress line (see progress below). */
typedef void (*sl_progress_fn)(void *arg, size_t started, size_t total, const char *file);
struct sl_rule_optval;

struct sl_session_options {
    const struct sl_rule *const *rules;   /* enabled rules (borrowed until close) */
    size_t n_rules;
    const struct sl_wrapper *wrappers;    /* declared wrappers (borrowed) */
    size_t n_wrappers;
    const char *const *blocking;          /* project blocking functions, NULL-terminated or NULL */
    const char *const *io_locks;          /* declared output locks, NULL-terminated or NULL */
    const struct sl_rule_optval *rule_values;   /* configured rule options (borrowed) */
    size_t n_rule_values;
    int jobs;                             /* worker threads; <= 0: 1 */
    const char *clang_resource_dir;       /* NULL: the one found at build time */
    /* Called as each job starts (NULL: not called): started jobs so far
     * (1-based), the total, and the job's file.  Calls come from the
     * workers but one at a time, in increasing order of started, so the
     * callback may write to a terminal without locking of its own. */
    sl_progress_fn progress;
    void *progress_arg;
    /* Filters run after the default chain, in order (baseline, diff range);
     * borrowed until close. */
    const struct sl_filter *const *extra_filters;
    size_t n_extra_filters;
    bool inventory;                       /* build the inventory (sl_session_inventory) */
    /* Keep each job's raw diagnostics (before the filter chain) and its
     * per-TU summary as JSON, for a shard report (sl_session_job_diags,
     * sl_session_job_summary). */
    bool keep_jobs;
    /* A shard of a run (--shard): summaries are built but no whole-program
     * rule runs (their findings need every TU, see sl_session_add_analysed);
     * a run-level note says so, and suppressions naming those rules are not
     * reported as unused. */
    bool no_project_rules;
};

struct sl_session;

/* A new session; never NULL (out of memory ends the process). */
struct sl_session *sl_session_open(const struct sl_session_options *o);
void sl_session_close(struct sl_session *s);

/* Add one translation unit; job's strings are copied. */
void sl_session_add_job(struct sl_session *s, const struct sl_job *job);

/* Instead of jobs to analyse, jobs analysed elsewhere (the shards of a
 * --merge): first say how many there are (n, the whole job list), then add
 * each, in any order, by its index in that list: file is the job's file,
 * raw its diagnostics as the workers produced them (copied), summary its
 * summary, the object sl_summary_to_json wrote, parsed (NULL: the job had no
 * model; not kept).  run() then goes on from where workers end, in job
 * order: the whole-program rules over these summaries, unused-wrapper
 * notes, stats and the filter chain, so the result is the one an unsharded
 * run gives.  add returns 0, or -1 with err saying what is wrong with
 * summary (nothing is added then).  A session takes jobs of one kind only;
 * every index must be added once before run (a broken invariant otherwise). */
struct cJSON;
void sl_session_expect_analysed(struct sl_session *s, size_t n);
int sl_session_add_analysed(struct sl_session *s, size_t index, const char *file,
                            const struct sl_diag_list *raw, const struct cJSON *summary,
                            char *err, size_t errsz);
/* For analysed jobs: declared wrapper k matched a call in one of them. */
void sl_session_set_wrapper_used(struct sl_session *s, size_t k);
/* For analysed jobs: the functions and source lines they counted. */
void sl_session_add_counts(struct sl_session *s, size_t functions, size_t lines);

/* Analyse every job added since open (once).  Returns 0. */
int sl_session_run(struct sl_session *s);

/* After run: the filtered findings and tool diagnostics, sorted; valid
 * until close. */
const struct sl_diag_list *sl_session_results(const struct sl_session *s);
const struct sl_stats *sl_session_stats(const struct sl_session *s);
/* After run of a session opened with .inventory: every lock, condvar,
 * atomic and thread of the jobs (core/inventory.h), valid until close;
 * NULL otherwise. */
struct sl_inventory;
const struct sl_inventory *sl_session_inventory(const struct sl_session *s);
/* After run of a session opened with .keep_jobs: job i's diagnostics as the
 * workers produced them (before suppressions, dedupe and fingerprints), and
 * its summary as JSON (NULL when the job had no model).  Valid until close. */
const struct sl_diag_list *sl_session_job_diags(const struct sl_session *s, size_t i);
const char *sl_session_job_summary(const struct sl_session *s, size_t i);
/* Job i's file, as added. */
const char *sl_session_job_file(const struct sl_session *s, size_t i);
/* After run: declared wrapper k matched a call in some job. */
bool sl_session_wrapper_used(const struct sl_session *s, size_t k);
/* Some file could not be read or parsed (exit code 2 territory). */
bool sl_session_tool_error(const struct sl_session *s);
/* Findings, or tool warnings such as unused suppressions (exit code 1). */
bool sl_session_has_findings(const struct sl_session *s);

/* After run: the text of path as the filters (suppressions, fingerprints)
 * read it when the analysis ended, NUL-terminated, *len its size; read now
 * if no filter needed it; valid until close.  NULL with errno ESTALE when
 * path is a job's main file and that text is not what libclang parsed (it
 * changed during the analysis), ENOENT when it cannot be read.  What --fix
 * edits and compares with the file on disk before writing. */
const char *sl_session_source(struct sl_session *s, const char *path, size_t *len);

/* Record how long the caller's own output phase took, for the time report. */
void sl_session_add_output_time(struct sl_session *s, double seconds);
/* --time-report: per-phase seconds (summed over workers) on out. */
void sl_session_time_report(const struct sl_session *s, FILE *out);

#endif
