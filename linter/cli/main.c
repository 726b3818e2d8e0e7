/* main.c - sync-lint on the command line: options and jobs in, an
 * sl_session run, the report out, the exit code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <limits.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "fixes.h"
#include "checklist.h"
#include "compdb.h"
#include "diffrange.h"
#include "gitdiff.h"
#include "config.h"
#include "stats.h"
#include "err.h"
#include "lsp.h"
#include "options.h"
#include "report.h"
#include "rule.h"
#include "session.h"
#include "shard.h"
#include "status.h"
#include <unistd.h>

enum { EXIT_CLEAN = SL_EXIT_CLEAN, EXIT_FINDINGS = SL_EXIT_FINDINGS, EXIT_USAGE = SL_EXIT_USAGE };

/* The filters the options add to the session's chain: the baseline, then
 * the diff range (so baseline entries outside the diff still match). */
struct extra_filters {
    struct sl_baseline *baseline;
    struct sl_changes *changes;
    struct sl_diffrange diff;
    const struct sl_filter *chain[2];
    size_t n;
};

static void extra_filters_free(struct extra_filters *x)
{
    sl_baseline_free(x->baseline);
    if (x->changes) sl_diffrange_fini(&x->diff);
    sl_changes_free(x->changes);
}

/* 0, or -1 after printing the usage error. */
static int extra_filters_open(struct extra_filters *x, const struct sl_options *o)
{
    char err[1024], cwd[PATH_MAX];
    memset(x, 0, sizeof *x);
    if (!getcwd(cwd, sizeof cwd)) {
        fprintf(stderr, "sync-lint: error: cannot get the current directory: %s\n", strerror(errno));
        return -1;
    }
    if (o->baseline || o->write_baseline) {
        if (sl_baseline_open(&x->baseline, o->baseline, o->write_baseline, cwd, err, sizeof err) != 0) {
            fprintf(stderr, "sync-lint: error: %s\n", err);
            return -1;
        }
        x->chain[x->n++] = sl_baseline_filter(x->baseline);
    }
    if (o->diff_base) {
        x->changes = sl_changes_new();
        if (sl_git_changes(o->diff_base, x->changes, err, sizeof err) != 0) {
            fprintf(stderr, "sync-lint: error: %s\n", err);
            sl_changes_free(x->changes);
            x->changes = NULL;
            return -1;
        }
        sl_diffrange_init(&x->diff, x->changes, cwd);
        x->chain[x->n++] = &x->diff.filter;
    }
    return 0;
}

static const char *session_text(void *arg, const char *path, size_t *len)
{
    return sl_session_source(arg, path, len);
}

/* --fix, --fix-dry-run, --fix-suppress over the reported findings; what was
 * done on stderr.  *findings becomes whether findings remain.  Returns 0, or
 * -1 when some file could not be fixed. */
static int run_fixes(const struct sl_options *o, struct sl_session *session,
                     const struct sl_diag_list *all, bool *findings)
{
    struct sl_fix_request rq = {
        .apply = o->fix, .dry_run = o->fix_dry_run,
        .suppress = (const char *const *)o->fix_suppress, .n_suppress = o->n_fix_suppress,
    };
    bool *resolved = sl_xcalloc(all->n ? all->n : 1, sizeof *resolved);
    struct sl_fix_outcome oc;
    int rc = sl_fix_run(all, &rq, session_text, session, stdout, resolved, &oc);
    if (o->fix_dry_run && fflush(stdout) != 0) {
        sl_error("cannot write the diff to standard output");
        rc = -1;
    }
    bool remain = false;
    for (size_t i = 0; i < all->n; i++) {
        const struct sl_diag *d = &all->items[i];
        if (sl_diag_is_tool_error(d) || resolved[i]) continue;
        if (d->kind == SL_DIAG_FINDING || d->severity != SL_SEV_NOTE) remain = true;
    }
    free(resolved);
    *findings = remain;
    if (!o->quiet) {
        char what[160] = "";
        size_t n = 0;
        if (oc.fixed || !oc.suppressed)
            n += (size_t)snprintf(what + n, sizeof what - n, "%s %zu finding%s",
                                  o->fix_dry_run ? "would fix" : "fixed", oc.fixed,
                                  oc.fixed == 1 ? "" : "s");
        if (oc.suppressed)
            snprintf(what + n, sizeof what - n, "%s%s %zu finding%s", n ? ", " : "",
                     o->fix_dry_run ? "would suppress" : "suppressed", oc.suppressed,
                     oc.suppressed == 1 ? "" : "s");
        fprintf(stderr, "sync-lint: %s in %zu file%s%s", what, oc.files, oc.files == 1 ? "" : "s",
                oc.skipped ? "" : "\n");
        if (oc.skipped) fprintf(stderr, " (%zu skipped, see the notes)\n", oc.skipped);
    }
    return rc;
}

/* --shard: keep the jobs of shard k (1-based) of n, in order; *index[j]
 * receives kept job j's index in the whole list (malloc'd). */
static void shard_jobs(struct sl_job_list *jobs, unsigned k, unsigned n, size_t **index)
{
    *index = sl_xcalloc(jobs->n ? jobs->n : 1, sizeof **index);
    size_t kept = 0;
    for (size_t i = 0; i < jobs->n; i++) {
        char *abs = sl_shard_resolve(jobs->jobs[i].file);
        bool mine = sl_shard_of(abs, n) == k - 1;
        free(abs);
        if (!mine) continue;
        (*index)[kept] = i;
        jobs->jobs[kept++] = jobs->jobs[i];
    }
    jobs->n = kept;
}

/* The shard object for the report of a --shard run; NULL otherwise. */
static struct cJSON *shard_object(const struct sl_session *s, const struct sl_options *o,
                                  const struct sl_rule **rules, size_t n_rules,
                                  const size_t *index, size_t n, size_t total)
{
    if (!o->shard_n) return NULL;
    return sl_shard_object(s, o, (const struct sl_rule *const *)rules, n_rules, index, n, total);
}

/* The jobs of a run from the options (files, -p, excludes): -1 to go on,
 * or the exit code of a run that ends here (nothing to lint, usage error). */
static int collect_jobs(const struct sl_options *o, struct sl_job_list *jobs)
{
    char err[1024];
    if (o->compdb_dir) {
        if (o->has_flags)
            fprintf(stderr, "sync-lint: note: flags after '--' are ignored with -p\n");
        if (sl_jobs_from_compdb(jobs, o->compdb_dir, o->files, o->n_files, err, sizeof err) != 0) {
            fprintf(stderr, "sync-lint: error: %s\n", err);
            return EXIT_USAGE;
        }
    } else {
        for (size_t i = 0; i < o->n_files; i++)
            sl_jobs_add_file(jobs, o->files[i], o->has_flags ? o->flags : NULL, o->n_flags);
    }
    /* exclude globs (command line or config), also for database entries */
    size_t kept = 0, n_excluded = 0;
    for (size_t i = 0; i < jobs->n; i++) {
        if (sl_config_excluded(o, jobs->jobs[i].file)) { n_excluded++; continue; }
        jobs->jobs[kept++] = jobs->jobs[i];
    }
    jobs->n = kept;
    if (jobs->n == 0 && n_excluded) {
        fprintf(stderr, "sync-lint: note: every input file is excluded (%zu file%s)\n", n_excluded,
                n_excluded == 1 ? "" : "s");
        return EXIT_CLEAN;
    }
    if (jobs->n == 0 && o->compdb_dir) {
        fprintf(stderr, "sync-lint: error: '%s/compile_commands.json' lists no C source file\n",
                o->compdb_dir);
        return EXIT_USAGE;
    }
    if (jobs->n == 0) {
        fprintf(stderr, "sync-lint: error: no input files (name files, or -p DIR with a "
                "compile_commands.json; see --help)\n");
        return EXIT_USAGE;
    }
    return -1;
}

/* Jobs from the options, one session over them, the report out. */
static int lint(const struct sl_options *o, const struct sl_rule **rules, size_t n_rules,
                struct sl_job_list *jobs)
{
    char err[1024];
    double t_start = sl_now_s();
    size_t total_jobs = 0, *shard_index = NULL;
    if (!o->merge) {   /* with --merge, the shard reports bring the jobs */
        int done = collect_jobs(o, jobs);
        if (done >= 0) return done;
        /* --shard K/N: this run's part of the job list, each job's index in it kept */
        total_jobs = jobs->n;
        if (o->shard_n) shard_jobs(jobs, o->shard_k, o->shard_n, &shard_index);
    }
    struct extra_filters extra;
    if (extra_filters_open(&extra, o) != 0) {
        extra_filters_free(&extra);
        free(shard_index);
        return EXIT_USAGE;
    }
    /* --fix-dry-run: standard output is the patch alone */
    bool fixing = o->fix || o->fix_dry_run || o->n_fix_suppress;

    struct sl_session_options so = {
        .rules = (const struct sl_rule *const *)rules, .n_rules = n_rules,
        .wrappers = o->wrappers, .n_wrappers = o->n_wrappers,
        .blocking = (const char *const *)o->blocking, .jobs = o->jobs,
        .extra_filters = extra.chain, .n_extra_filters = extra.n,
        .io_locks = (const char *const *)o->io_locks,
        .rule_values = o->rule_values, .n_rule_values = o->n_rule_values,
        .inventory = o->format == SL_FMT_INVENTORY,
        .keep_jobs = o->shard_n > 0, .no_project_rules = o->shard_n > 0,
    };
    /* The progress line: the session calls it one job at a time, and
     * nothing else writes to stderr while the session runs. */
    struct sl_progress progress;
    bool show_progress = !o->quiet && sl_progress_wanted(STDERR_FILENO);
    if (show_progress) {
        sl_progress_init(&progress, stderr, STDERR_FILENO);
        so.progress = sl_progress_update;
        so.progress_arg = &progress;
    }
    struct sl_session *session = sl_session_open(&so);
    for (size_t i = 0; i < jobs->n; i++) sl_session_add_job(session, &jobs->jobs[i]);
    if (o->merge &&
        sl_merge_load(session, o, (const struct sl_rule *const *)rules, n_rules, err, sizeof err) != 0) {
        fprintf(stderr, "sync-lint: error: %s\n", err);
        sl_session_close(session);
        extra_filters_free(&extra);
        return EXIT_USAGE;
    }
    FILE *out = o->fix_dry_run ? stderr : stdout;
    if (o->output) {
        out = fopen(o->output, "w");
        if (!out) {
            fprintf(stderr, "sync-lint: error: cannot write '%s': %s\n", o->output, strerror(errno));
            sl_session_close(session);
            extra_filters_free(&extra);
            free(shard_index);
            return EXIT_USAGE;
        }
    }
    sl_session_run(session);
    if (show_progress) sl_progress_end(&progress);
    const struct sl_diag_list *all = sl_session_results(session);
    const struct sl_stats *stats = sl_session_stats(session);
    bool tool_error = sl_session_tool_error(session);
    bool findings = sl_session_has_findings(session);
    /* A CI log must show why a file failed, whatever the report's format and
     * destination. */
    sl_report_tool_errors(stderr, all);
    size_t bl_entries, bl_added, bl_removed;
    if (extra.baseline && sl_baseline_written(extra.baseline, &bl_entries, &bl_added, &bl_removed))
        sl_notice("wrote baseline '%s': %zu entr%s (%zu new, %zu removed)", o->write_baseline,
                  bl_entries, bl_entries == 1 ? "y" : "ies", bl_added, bl_removed);

    double t_out = sl_now_s();
    int rc = 0;
    switch (o->format) {
    case SL_FMT_TEXT: sl_report_text(out, all); break;
    case SL_FMT_JSON:
        rc = sl_report_json_with(out, all, stats, shard_object(session, o, rules, n_rules,
                                                               shard_index, jobs->n, total_jobs));
        break;
    case SL_FMT_SARIF: {
        /* each shard its own code-scanning category; the merge the plain one */
        char category[1024];
        snprintf(category, sizeof category, "%s", o->sarif_category ? o->sarif_category : "sync-lint/");
        size_t len = strlen(category);
        if (o->shard_n)
            snprintf(category + len, sizeof category - len, "%sshard-%u-of-%u/",
                     len && category[len - 1] == '/' ? "" : "/", o->shard_k, o->shard_n);
        rc = sl_report_sarif_with(out, all, stats, category,
                                  shard_object(session, o, rules, n_rules, shard_index, jobs->n,
                                               total_jobs));
        break;
    }
    case SL_FMT_CHECKLIST: {
        /* with --diff-base the answers cover the change, and say so */
        char scope[512];
        if (o->diff_base)
            snprintf(scope, sizeof scope, "the lines changed since the merge-base with '%s'",
                     o->diff_base);
        rc = sl_cli_checklist(out, all, (const struct sl_rule *const *)rules, n_rules,
                              o->diff_base ? scope : NULL);
        break;
    }
    case SL_FMT_INVENTORY: rc = sl_cli_inventory(out, sl_session_inventory(session)); break;
    }
    if (out != stdout && out != stderr && fclose(out) != 0) rc = -1;
    else if (out == stdout && fflush(stdout) != 0) rc = -1;
    if (rc != 0) {
        fprintf(stderr, "sync-lint: error: cannot write the report%s%s\n",
                o->output ? " to " : "", o->output ? o->output : "");
        tool_error = true;
    }
    if (fixing && run_fixes(o, session, all, &findings) != 0) tool_error = true;
    sl_session_add_output_time(session, sl_now_s() - t_out);
    if (o->time_report) sl_session_time_report(session, stderr);
    if (!o->quiet) {
        /* last on stderr, so a run that checked nothing (0 files) or could
         * not parse (tool errors) is told apart from a clean one */
        struct sl_run_counts counts;
        sl_run_count(all, stats->files, &counts);
        if (rc != 0) counts.tool_errors++;   /* the report could not be written */
        sl_run_summary(stderr, &counts, sl_now_s() - t_start);
    }
    sl_session_close(session);
    extra_filters_free(&extra);
    free(shard_index);
    return tool_error ? EXIT_USAGE : findings ? EXIT_FINDINGS : EXIT_CLEAN;
}

static int run(int argc, char **argv, struct sl_options *o)
{
    char err[1024];
    if (sl_cli_parse(argc, argv, o, err, sizeof err) != 0) {
        fprintf(stderr, "sync-lint: error: %s\n", err);
        return EXIT_USAGE;
    }
    if (o->help) { sl_cli_usage(stdout); return EXIT_CLEAN; }
    if (o->version) { printf("sync-lint %s\n", SL_VERSION); return EXIT_CLEAN; }
    if (o->list_rules) {
        if (o->format == SL_FMT_JSON) return sl_list_rules_json(stdout) == 0 ? EXIT_CLEAN : EXIT_USAGE;
        sl_list_rules(stdout);
        return EXIT_CLEAN;
    }
    if (o->explain) {
        const struct sl_rule *r = sl_rule_find(o->explain);
        if (!r) {
            fprintf(stderr, "sync-lint: error: unknown rule '%s' (see --list-rules)\n", o->explain);
            return EXIT_USAGE;
        }
        sl_explain(stdout, r);
        return EXIT_CLEAN;
    }
    if (o->clangd && !o->lsp) {
        fprintf(stderr, "sync-lint: error: --clangd goes with --lsp\n");
        return EXIT_USAGE;
    }
    if (o->lsp) {
        if (o->n_files || o->compdb_dir || o->output || o->format != SL_FMT_TEXT) {
            fprintf(stderr, "sync-lint: error: --lsp takes no files, -p, -o or --format: the "
                    "editor sends the documents\n");
            return EXIT_USAGE;
        }
        struct sl_lsp_options lo = { .in_fd = STDIN_FILENO, .out_fd = STDOUT_FILENO, .base = o,
                                     .clangd = o->clangd };
        return sl_lsp_serve(&lo);
    }
    /* the configuration file under the command line: it lives as long as o
     * points into it */
    struct sl_config cfg;
    if (sl_config_setup(&cfg, o, err, sizeof err) != 0) {
        fprintf(stderr, "sync-lint: error: %s\n", err);
        sl_config_free(&cfg);
        return EXIT_USAGE;
    }
    const struct sl_rule **rules;
    size_t n_rules;
    if (sl_checks_select(o->checks, &rules, &n_rules, err, sizeof err) != 0) {
        if (o->checks && o->checks == cfg.checks)
            fprintf(stderr, "sync-lint: error: config '%s': 'checks': %s\n", cfg.path,
                    strncmp(err, "--checks: ", 10) ? err : err + 10);
        else
            fprintf(stderr, "sync-lint: error: %s\n", err);
        sl_config_free(&cfg);
        return EXIT_USAGE;
    }

    struct sl_job_list jobs;
    sl_jobs_init(&jobs);
    int rc = lint(o, rules, n_rules, &jobs);
    free(rules);
    sl_jobs_free(&jobs);
    sl_config_free(&cfg);
    return rc;
}

int main(int argc, char **argv)
{
    struct sl_options o;
    int rc = run(argc, argv, &o);
    sl_cli_free(&o);
    return rc;
}
