/* main.c - sync-lint: options, jobs, analysis, suppressions, report, exit code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "compdb.h"
#include "fingerprint.h"
#include "options.h"
#include "report.h"
#include "rule.h"
#include "source.h"
#include "suppress.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static size_t count_lines(struct sl_source_cache *src, const char *path)
{
    size_t len, lines = 0;
    const char *t = sl_sources_text(src, path, &len);
    for (size_t i = 0; t && i < len; i++) lines += t[i] == '\n';
    return lines;
}

static bool same_diag(const struct sl_diag *a, const struct sl_diag *b)
{
    return !strcmp(a->rule, b->rule) && a->where.line == b->where.line &&
           a->where.col == b->where.col && !strcmp(a->message, b->message) &&
           a->where.file && b->where.file && !strcmp(a->where.file, b->where.file);
}

/* A struct in a shared header is seen by every file that includes it:
 * keep one copy of identical findings (the list is sorted). */
static void dedupe(struct sl_diag_list *l)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++)
        if (w == 0 || !same_diag(&l->items[w - 1], &l->items[i])) l->items[w++] = l->items[i];
    l->n = w;
}

int main(int argc, char **argv)
{
    struct sl_options o;
    char err[1024];
    if (sl_cli_parse(argc, argv, &o, err, sizeof err) != 0) {
        fprintf(stderr, "sync-lint: error: %s\n", err);
        return EXIT_USAGE;
    }
    if (o.help) { sl_cli_usage(stdout); return EXIT_CLEAN; }
    if (o.version) { printf("sync-lint %s\n", SL_VERSION); return EXIT_CLEAN; }
    if (o.list_rules) {
        if (o.format == SL_FMT_JSON) return sl_list_rules_json(stdout) == 0 ? EXIT_CLEAN : EXIT_USAGE;
        sl_list_rules(stdout);
        return EXIT_CLEAN;
    }
    if (o.explain) {
        const struct sl_rule *r = sl_rule_find(o.explain);
        if (!r) {
            fprintf(stderr, "sync-lint: error: unknown rule '%s' (see --list-rules)\n", o.explain);
            return EXIT_USAGE;
        }
        sl_explain(stdout, r);
        return EXIT_CLEAN;
    }
    const struct sl_rule **rules;
    size_t n_rules;
    if (sl_checks_select(o.checks, &rules, &n_rules, err, sizeof err) != 0) {
        fprintf(stderr, "sync-lint: error: %s\n", err);
        return EXIT_USAGE;
    }

    struct sl_job_list jobs;
    sl_jobs_init(&jobs);
    if (o.compdb_dir) {
        if (o.has_flags)
            fprintf(stderr, "sync-lint: note: flags after '--' are ignored with -p\n");
        if (sl_jobs_from_compdb(&jobs, o.compdb_dir, o.files, o.n_files, err, sizeof err) != 0) {
            fprintf(stderr, "sync-lint: error: %s\n", err);
            return EXIT_USAGE;
        }
    } else {
        for (size_t i = 0; i < o.n_files; i++)
            sl_jobs_add_file(&jobs, o.files[i], o.has_flags ? o.flags : NULL, o.n_flags);
    }
    if (jobs.n == 0 && o.compdb_dir) {
        fprintf(stderr, "sync-lint: error: '%s/compile_commands.json' lists no C source file\n",
                o.compdb_dir);
        return EXIT_USAGE;
    }
    if (jobs.n == 0) {
        fprintf(stderr, "sync-lint: error: no input files (name files, or -p DIR with a "
                "compile_commands.json; see --help)\n");
        return EXIT_USAGE;
    }

    FILE *out = stdout;
    if (o.output) {
        out = fopen(o.output, "w");
        if (!out) {
            fprintf(stderr, "sync-lint: error: cannot write '%s': %s\n", o.output, strerror(errno));
            return EXIT_USAGE;
        }
    }

    struct sl_diag_list *results = calloc(jobs.n, sizeof *results);
    for (size_t i = 0; i < jobs.n; i++) sl_diag_list_init(&results[i]);
    struct sl_analysis_config cfg = {
        .rules = (const struct sl_rule *const *)rules, .n_rules = n_rules,
        .wrappers = o.wrappers, .n_wrappers = o.n_wrappers, .jobs = o.jobs,
    };
    struct sl_stats stats = {0};
    size_t failed = sl_analyze(jobs.jobs, jobs.n, &cfg, results, &stats);

    struct sl_diag_list all;
    sl_diag_list_init(&all);
    const char **mains = calloc(jobs.n, sizeof *mains);
    for (size_t i = 0; i < jobs.n; i++) {
        sl_diag_list_move(&all, &results[i]);
        sl_diag_list_free(&results[i]);
        mains[i] = jobs.jobs[i].file;
    }
    free(results);
    struct sl_source_cache *src = sl_sources_new();
    for (size_t i = 0; i < jobs.n; i++) stats.lines += count_lines(src, jobs.jobs[i].file);
    sl_suppress_apply(&all, src, mains, jobs.n, (const struct sl_rule *const *)rules, n_rules);
    sl_diag_sort(&all);
    dedupe(&all);
    sl_fingerprint_all(&all, src);
    sl_sources_free(src);

    bool tool_error = failed > 0, findings = false;
    for (size_t i = 0; i < all.n; i++) {
        if (!strcmp(all.items[i].rule, "sync-lint") && all.items[i].severity == SL_SEV_ERROR)
            tool_error = true;
        else
            findings = true;
    }
    int rc = 0;
    switch (o.format) {
    case SL_FMT_TEXT: sl_report_text(out, &all); break;
    case SL_FMT_JSON: rc = sl_report_json(out, &all, &stats); break;
    case SL_FMT_SARIF: rc = sl_report_sarif(out, &all, &stats); break;
    }
    if (out != stdout && fclose(out) != 0) rc = -1;
    else if (out == stdout && fflush(stdout) != 0) rc = -1;
    if (rc != 0) {
        fprintf(stderr, "sync-lint: error: cannot write the report%s%s\n",
                o.output ? " to " : "", o.output ? o.output : "");
        tool_error = true;
    }
    sl_diag_list_free(&all);
    free(mains);
    free(rules);
    sl_jobs_free(&jobs);
    return tool_error ? EXIT_USAGE : findings ? EXIT_FINDINGS : EXIT_CLEAN;
}
