/* session.c - an analysis run: jobs, the worker pool, the filter chain. */
#include "session.h"
#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "arena.h"
#include "err.h"
#include "filter.h"
#include "inventory_build.h"
#include "project.h"
#include "rulekit.h"
#include "rule.h"
#include "source.h"
#include "summary.h"

struct sl_session {
    struct sl_session_options opts;
    struct sl_arena arena;          /* job copies */
    struct sl_job *jobs;
    size_t n_jobs, cap_jobs;
    struct sl_diag_list results;
    struct sl_stats stats;
    struct sl_analysis_extra extra;
    struct sl_inventory *inventory;   /* opts.inventory: built from the project */
    struct sl_source_cache *sources;  /* the texts the filters read, kept for fixes */
    double filter_s, output_s, wall_s, project_s;
    bool ran, tool_error, findings;
    /* analysed jobs (sl_session_add_analysed): their raw diagnostics, in job
     * order, and the counts they bring */
    bool analysed;
    struct sl_diag_list *given;
    bool *given_set;
    size_t given_functions, given_lines;
    /* .keep_jobs: each job's raw diagnostics after run */
    struct sl_diag_list *kept;
};

/* Do the whole-program pass and its per-TU summaries run? */
static bool wants_project(const struct sl_session *s)
{
    if (s->opts.inventory) return true;   /* the inventory reads the project too */
    if (s->opts.no_project_rules) return false;
    for (size_t r = 0; r < s->opts.n_rules; r++)
        if (s->opts.rules[r]->check_project) return true;
    return false;
}

struct sl_session *sl_session_open(const struct sl_session_options *o)
{
    struct sl_session *s = sl_xcalloc(1, sizeof *s);
    s->opts = *o;
    sl_arena_init(&s->arena);
    sl_diag_list_init(&s->results);
    s->extra.rule_s = sl_xcalloc(o->n_rules, sizeof *s->extra.rule_s);
    s->extra.wrapper_used = sl_xcalloc(o->n_wrappers, sizeof *s->extra.wrapper_used);
    return s;
}

void sl_session_close(struct sl_session *s)
{
    if (!s) return;
    for (size_t i = 0; s->kept && i < s->n_jobs; i++) sl_diag_list_free(&s->kept[i]);
    free(s->kept);
    for (size_t i = 0; s->given && i < s->n_jobs; i++)
        if (s->given_set[i]) sl_diag_list_free(&s->given[i]);
    free(s->given);
    free(s->given_set);
    for (size_t i = 0; s->extra.summary_json && i < s->n_jobs; i++) free(s->extra.summary_json[i]);
    free(s->extra.summary_json);
    if (s->extra.project) {
        sl_project_free(s->extra.project);
        free(s->extra.project);
    }
    sl_diag_list_free(&s->results);
    sl_inventory_free(s->inventory);
    free(s->inventory);
    if (s->sources) sl_sources_free(s->sources);
    sl_arena_free(&s->arena);
    free(s->jobs);
    free(s->extra.rule_s);
    free(s->extra.wrapper_used);
    free(s->extra.main_hash);
    free(s->extra.main_size);
    free(s->extra.main_hashed);
    free(s);
}

static struct sl_job *new_job(struct sl_session *s)
{
    if (s->n_jobs == s->cap_jobs) {
        s->cap_jobs = s->cap_jobs ? s->cap_jobs * 2 : 16;
        s->jobs = sl_xreallocarray(s->jobs, s->cap_jobs, sizeof *s->jobs);
    }
    return &s->jobs[s->n_jobs++];
}

void sl_session_add_job(struct sl_session *s, const struct sl_job *job)
{
    if (s->ran) sl_bug("sl_session_add_job after sl_session_run");
    if (s->analysed) sl_bug("sl_session_add_job in a session of analysed jobs");
    struct sl_job *j = new_job(s);
    j->file = sl_arena_strdup(&s->arena, job->file);
    j->directory = job->directory ? sl_arena_strdup(&s->arena, job->directory) : NULL;
    j->n_args = job->n_args;
    const char **args = sl_arena_alloc(&s->arena, (job->n_args + 1) * sizeof *args);
    for (size_t i = 0; i < job->n_args; i++) args[i] = sl_arena_strdup(&s->arena, job->args[i]);
    j->args = args;
}

void sl_session_expect_analysed(struct sl_session *s, size_t n)
{
    if (s->ran || s->n_jobs || s->analysed) sl_bug("sl_session_expect_analysed: not a fresh session");
    s->analysed = true;
    s->n_jobs = s->cap_jobs = n;
    s->jobs = sl_xcalloc(n ? n : 1, sizeof *s->jobs);
    s->given = sl_xcalloc(n ? n : 1, sizeof *s->given);
    s->given_set = sl_xcalloc(n ? n : 1, sizeof *s->given_set);
}

int sl_session_add_analysed(struct sl_session *s, size_t index, const char *file,
                            const struct sl_diag_list *raw, const struct cJSON *summary,
                            char *err, size_t errsz)
{
    if (s->ran) sl_bug("sl_session_add_analysed after sl_session_run");
    if (!s->analysed || index >= s->n_jobs || s->given_set[index])
        sl_bug("sl_session_add_analysed: job %zu of %zu not expected or added twice", index, s->n_jobs);
    struct sl_tu_summary sum = {0};
    if (summary && sl_summary_from_cjson(&sum, summary, err, errsz) != 0) return -1;
    if (summary && wants_project(s)) {
        if (!s->extra.project) {
            s->extra.project = sl_xcalloc(1, sizeof *s->extra.project);
            sl_project_init(s->extra.project);
        }
        /* keyed by the job index: the project does not depend on add order */
        sl_project_add_keyed(s->extra.project, &sum, (uint32_t)index);
    }
    if (summary) sl_summary_free(&sum);
    s->jobs[index] = (struct sl_job){ .file = sl_arena_strdup(&s->arena, file) };
    sl_diag_list_init(&s->given[index]);
    sl_diag_list_append(&s->given[index], raw);
    s->given_set[index] = true;
    return 0;
}

void sl_session_set_wrapper_used(struct sl_session *s, size_t k)
{
    if (k >= s->opts.n_wrappers) sl_bug("wrapper index out of range");
    s->extra.wrapper_used[k] = true;
}

void sl_session_add_counts(struct sl_session *s, size_t functions, size_t lines)
{
    s->given_functions += functions;
    s->given_lines += lines;
}

static size_t count_lines(struct sl_source_cache *src, const char *path)
{
    size_t len, lines = 0;
    const char *t = sl_sources_text(src, path, &len);
    for (size_t i = 0; t && i < len; i++) lines += t[i] == '\n';
    return lines;
}

/* A --wrapper that matched no call anywhere is a macro name (expanded away
 * before analysis) or a typo: say so rather than ignore it silently. */
static void note_unused_wrappers(struct sl_session *s)
{
    struct sl_range none = {0};
    for (size_t k = 0; k < s->opts.n_wrappers; k++) {
        if (s->extra.wrapper_used[k]) continue;
        sl_diag_tool(&s->results, SL_SEV_NOTE, none,
                     "wrapper '%s' (--wrapper) matched no call in the %zu file%s analysed: a "
                     "macro (name the function it expands to) or a misspelling?",
                     s->opts.wrappers[k].name, s->n_jobs, s->n_jobs == 1 ? "" : "s");
    }
}

/* The analysis settings of session options o. */
struct sl_analysis_config sl_session_analysis_config(const struct sl_session_options *o)
{
    return (struct sl_analysis_config){
        .rules = o->rules, .n_rules = o->n_rules,
        .wrappers = o->wrappers, .n_wrappers = o->n_wrappers,
        .blocking = o->blocking, .jobs = o->jobs, .clang_resource_dir = o->clang_resource_dir,
        .progress = o->progress, .progress_arg = o->progress_arg,
        .io_locks = o->io_locks, .rule_values = o->rule_values,
        .n_rule_values = o->n_rule_values,
    };
}

/* A shard's run-level note: which rules it left to the merge. */
static void note_project_rules_skipped(struct sl_session *s)
{
    char names[1024];
    size_t len = 0, n = 0;
    names[0] = 0;
    for (size_t r = 0; r < s->opts.n_rules; r++) {
        if (!s->opts.rules[r]->check_project) continue;
        n++;
        if (len < sizeof names - 64) {
            int w = snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
                             s->opts.rules[r]->id);
            if (w > 0) len += (size_t)w;
            if (len >= sizeof names - 64) {
                snprintf(names + len, sizeof names - len, ", ...");
                len = sizeof names;
            }
        }
    }
    struct sl_range none = {0};
    sl_diag_tool(&s->results, SL_SEV_NOTE, none,
                 "shard report: the whole-program part of %zu rule%s (%s) did not run here, as its "
                 "findings need every translation unit: 'sync-lint --merge' over all the shards' "
                 "reports gives them", n, n == 1 ? "" : "s", names);
}

/* The whole-program pass: the project the workers merged, put in order; the project rules. */
static void run_project_rules(struct sl_session *s)
{
    struct sl_project *proj = s->extra.project;   /* merged by the workers */
    s->extra.project = NULL;
    sl_project_finish(proj);
    struct sl_analysis_config cfg = sl_session_analysis_config(&s->opts);
    sl_analyze_project(&cfg, proj, &s->results);
    if (s->opts.inventory) {
        s->inventory = sl_xcalloc(1, sizeof *s->inventory);
        sl_inventory_init(s->inventory);
        sl_inventory_build(s->inventory, proj);
    }
    sl_project_free(proj);
    free(proj);
}

int sl_session_run(struct sl_session *s)
{
    if (s->ran) sl_bug("sl_session_run called twice");
    s->ran = true;
    double t0 = sl_now_s();
    struct sl_diag_list *per_job = sl_xcalloc(s->n_jobs, sizeof *per_job);
    for (size_t i = 0; i < s->n_jobs; i++) sl_diag_list_init(&per_job[i]);
    struct sl_analysis_config cfg = sl_session_analysis_config(&s->opts);
    bool whole_program = wants_project(s);
    if (whole_program && !s->extra.project) {
        s->extra.project = sl_xcalloc(1, sizeof *s->extra.project);
        sl_project_init(s->extra.project);
    }
    s->extra.main_hash = sl_xcalloc(s->n_jobs ? s->n_jobs : 1, sizeof *s->extra.main_hash);
    s->extra.main_size = sl_xcalloc(s->n_jobs ? s->n_jobs : 1, sizeof *s->extra.main_size);
    s->extra.main_hashed = sl_xcalloc(s->n_jobs ? s->n_jobs : 1, sizeof *s->extra.main_hashed);
    size_t no_model = 0;
    if (s->analysed) {
        /* the workers ran elsewhere: their results, in job order */
        for (size_t i = 0; i < s->n_jobs; i++) {
            if (!s->given_set[i]) sl_bug("analysed job %zu of %zu never added", i, s->n_jobs);
            sl_diag_list_move(&per_job[i], &s->given[i]);
        }
        s->stats.files = s->n_jobs;
        s->stats.functions = s->given_functions;
    } else {
        if (s->opts.keep_jobs || s->opts.no_project_rules)
            s->extra.summary_json = sl_xcalloc(s->n_jobs ? s->n_jobs : 1, sizeof *s->extra.summary_json);
        no_model = sl_analyze(s->jobs, s->n_jobs, &cfg, per_job, &s->stats, &s->extra);
    }
    if (whole_program) {
        double tp = sl_now_s();
        run_project_rules(s);
        s->project_s = sl_now_s() - tp;
    }
    double t1 = sl_now_s();

    /* A file failed when it produced a tool error, whether or not clang
     * still built a partial model from it. */
    const char **mains = sl_xcalloc(s->n_jobs, sizeof *mains);
    s->stats.files_failed = 0;
    for (size_t i = 0; i < s->n_jobs; i++) {
        bool failed = false;
        for (size_t k = 0; k < per_job[i].n && !failed; k++)
            failed = sl_diag_is_tool_error(&per_job[i].items[k]);
        s->stats.files_failed += failed;
        sl_diag_list_append(&s->results, &per_job[i]);
        if (!s->opts.keep_jobs) sl_diag_list_free(&per_job[i]);
        mains[i] = s->jobs[i].file;
    }
    if (s->opts.keep_jobs) s->kept = per_job;
    else free(per_job);
    if (no_model > s->stats.files_failed) sl_bug("a job without a model reported no tool error");
    note_unused_wrappers(s);

    /* a shard: the rules that need every TU did not run, and suppressions of
     * their findings are not "unused" here */
    const struct sl_rule **enabled = sl_xcalloc(s->opts.n_rules ? s->opts.n_rules : 1, sizeof *enabled);
    size_t n_enabled = 0;
    for (size_t r = 0; r < s->opts.n_rules; r++)
        if (!s->opts.no_project_rules || !s->opts.rules[r]->check_project)
            enabled[n_enabled++] = s->opts.rules[r];
    if (n_enabled < s->opts.n_rules) note_project_rules_skipped(s);

    struct sl_source_cache *src = sl_sources_new();
    if (s->analysed) s->stats.lines = s->given_lines;
    else
        for (size_t i = 0; i < s->n_jobs; i++) s->stats.lines += count_lines(src, s->jobs[i].file);
    struct sl_filter_ctx fcx = {
        .sources = src, .main_files = mains, .n_main = s->n_jobs,
        .enabled = enabled, .n_enabled = n_enabled, .stats = &s->stats,
    };
    size_t n_chain;
    const struct sl_filter *const *chain = sl_filter_default_chain(&n_chain);
    sl_filter_run(chain, n_chain, &s->results, &fcx);
    sl_filter_run(s->opts.extra_filters, s->opts.n_extra_filters, &s->results, &fcx);
    s->sources = src;
    free(mains);
    free(enabled);

    s->tool_error = s->stats.files_failed > 0;
    for (size_t i = 0; i < s->results.n; i++) {
        const struct sl_diag *d = &s->results.items[i];
        if (sl_diag_is_tool_error(d)) s->tool_error = true;
        else if (d->kind == SL_DIAG_FINDING || d->severity != SL_SEV_NOTE) s->findings = true;
    }
    double t2 = sl_now_s();
    s->filter_s = t2 - t1;
    s->wall_s = t2 - t0;
    s->stats.seconds = s->wall_s;
    return 0;
}

const struct sl_diag_list *sl_session_results(const struct sl_session *s) { return &s->results; }
const struct sl_stats *sl_session_stats(const struct sl_session *s) { return &s->stats; }
const struct sl_inventory *sl_session_inventory(const struct sl_session *s) { return s->inventory; }
bool sl_session_tool_error(const struct sl_session *s) { return s->tool_error; }

const struct sl_diag_list *sl_session_job_diags(const struct sl_session *s, size_t i)
{
    if (!s->kept || i >= s->n_jobs) sl_bug("sl_session_job_diags without keep_jobs or out of range");
    return &s->kept[i];
}

const char *sl_session_job_summary(const struct sl_session *s, size_t i)
{
    if (!s->opts.keep_jobs || i >= s->n_jobs) sl_bug("sl_session_job_summary without keep_jobs");
    return s->extra.summary_json ? s->extra.summary_json[i] : NULL;
}

const char *sl_session_job_file(const struct sl_session *s, size_t i)
{
    if (i >= s->n_jobs) sl_bug("sl_session_job_file: job %zu of %zu", i, s->n_jobs);
    return s->jobs[i].file;
}

bool sl_session_wrapper_used(const struct sl_session *s, size_t k)
{
    return k < s->opts.n_wrappers && s->extra.wrapper_used[k];
}

const char *sl_session_source(struct sl_session *s, const char *path, size_t *len)
{
    if (!s->sources) s->sources = sl_sources_new();
    size_t n = 0;
    const char *t = sl_sources_text(s->sources, path, &n);
    if (!t) {
        errno = ENOENT;
        return NULL;
    }
    /* a job's main file must still be what libclang parsed */
    for (size_t i = 0; s->extra.main_hashed && i < s->n_jobs; i++)
        if (s->extra.main_hashed[i] && !strcmp(s->jobs[i].file, path) &&
            (s->extra.main_size[i] != n || s->extra.main_hash[i] != sl_text_hash(t, n))) {
            errno = ESTALE;
            return NULL;
        }
    if (len) *len = n;
    return t;
}
bool sl_session_has_findings(const struct sl_session *s) { return s->findings; }

void sl_session_add_output_time(struct sl_session *s, double seconds)
{
    s->output_s += seconds;
}

static void row(FILE *out, const char *name, double sec, double total)
{
    fprintf(out, "  %-46s %9.4f  %5.1f%%\n", name, sec, total > 0 ? 100.0 * sec / total : 0.0);
}

void sl_session_time_report(const struct sl_session *s, FILE *out)
{
    const struct sl_analysis_extra *x = &s->extra;
    double total = x->parse_s + x->lower_s + x->flow_s + x->facts_s + x->summary_s + s->project_s +
                   s->filter_s + s->output_s;
    for (size_t r = 0; r < s->opts.n_rules; r++) total += x->rule_s[r];
    size_t workers = s->opts.jobs > 0 ? (size_t)s->opts.jobs : 1;
    if (workers > s->n_jobs && s->n_jobs) workers = s->n_jobs;
    fprintf(out, "===-- sync-lint time report: %zu file%s, %zu worker%s, %.3f s wall --===\n",
            s->n_jobs, s->n_jobs == 1 ? "" : "s", workers, workers == 1 ? "" : "s",
            s->wall_s + s->output_s);
    fprintf(out, "  %-46s %9s  %6s\n", "phase (seconds summed over workers)", "time", "share");
    row(out, "parse (libclang)", x->parse_s, total);
    row(out, "lowering", x->lower_s, total);
    row(out, "lock-flow", x->flow_s, total);
    row(out, "facts", x->facts_s, total);
    char name[96];
    for (size_t r = 0; r < s->opts.n_rules; r++) {
        snprintf(name, sizeof name, "rule %s", s->opts.rules[r]->id);
        row(out, name, x->rule_s[r], total);
    }
    row(out, "per-TU summaries", x->summary_s, total);
    row(out, "project pass (whole-program rules)", s->project_s, total);
    row(out, "filters (suppressions, dedupe, fingerprints)", s->filter_s, total);
    row(out, "output", s->output_s, total);
    double analysis = x->lower_s + x->flow_s + x->facts_s + x->summary_s + s->project_s;
    for (size_t r = 0; r < s->opts.n_rules; r++) analysis += x->rule_s[r];
    fprintf(out, "  analysis (lowering to rules) / parse: %.1f%%\n",
            x->parse_s > 0 ? 100.0 * analysis / x->parse_s : 0.0);
}
