/* main.c - sync-lint on the command line: options and jobs in, an
 * sl_session run, the report out, the exit code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "checklist.h"
#include "compdb.h"
#include "stats.h"
#include "err.h"
#include "options.h"
#include "report.h"
#include "rule.h"
#include "session.h"

enum { EXIT_CLEAN = SL_EXIT_CLEAN, EXIT_FINDINGS = SL_EXIT_FINDINGS, EXIT_USAGE = SL_EXIT_USAGE };

/* Jobs from the options, one session over them, the report out. */
static int lint(const struct sl_options *o, const struct sl_rule **rules, size_t n_rules,
                struct sl_job_list *jobs)
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

    FILE *out = stdout;
    if (o->output) {
        out = fopen(o->output, "w");
        if (!out) {
            fprintf(stderr, "sync-lint: error: cannot write '%s': %s\n", o->output, strerror(errno));
            return EXIT_USAGE;
        }
    }

    struct sl_session_options so = {
        .rules = (const struct sl_rule *const *)rules, .n_rules = n_rules,
        .wrappers = o->wrappers, .n_wrappers = o->n_wrappers,
        .blocking = (const char *const *)o->blocking, .jobs = o->jobs,
        .inventory = o->format == SL_FMT_INVENTORY,
    };
    struct sl_session *session = sl_session_open(&so);
    for (size_t i = 0; i < jobs->n; i++) sl_session_add_job(session, &jobs->jobs[i]);
    sl_session_run(session);
    const struct sl_diag_list *all = sl_session_results(session);
    const struct sl_stats *stats = sl_session_stats(session);
    bool tool_error = sl_session_tool_error(session);
    bool findings = sl_session_has_findings(session);
    /* A CI log must show why a file failed, whatever the report's format and
     * destination. */
    sl_report_tool_errors(stderr, all);

    double t_out = sl_now_s();
    int rc = 0;
    switch (o->format) {
    case SL_FMT_TEXT: sl_report_text(out, all); break;
    case SL_FMT_JSON: rc = sl_report_json(out, all, stats); break;
    case SL_FMT_SARIF: rc = sl_report_sarif(out, all, stats); break;
    case SL_FMT_CHECKLIST:
        rc = sl_cli_checklist(out, all, (const struct sl_rule *const *)rules, n_rules, NULL);
        break;
    case SL_FMT_INVENTORY: rc = sl_cli_inventory(out, sl_session_inventory(session)); break;
    }
    if (out != stdout && fclose(out) != 0) rc = -1;
    else if (out == stdout && fflush(stdout) != 0) rc = -1;
    if (rc != 0) {
        fprintf(stderr, "sync-lint: error: cannot write the report%s%s\n",
                o->output ? " to " : "", o->output ? o->output : "");
        tool_error = true;
    }
    sl_session_add_output_time(session, sl_now_s() - t_out);
    if (o->time_report) sl_session_time_report(session, stderr);
    sl_session_close(session);
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
    const struct sl_rule **rules;
    size_t n_rules;
    if (sl_checks_select(o->checks, &rules, &n_rules, err, sizeof err) != 0) {
        fprintf(stderr, "sync-lint: error: %s\n", err);
        return EXIT_USAGE;
    }

    struct sl_job_list jobs;
    sl_jobs_init(&jobs);
    int rc = lint(o, rules, n_rules, &jobs);
    free(rules);
    sl_jobs_free(&jobs);
    return rc;
}

int main(int argc, char **argv)
{
    struct sl_options o;
    int rc = run(argc, argv, &o);
    sl_cli_free(&o);
    return rc;
}
