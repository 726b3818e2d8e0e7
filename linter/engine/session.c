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
};

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

void sl_session_add_job(struct sl_session *s, const struct sl_job *job)
{
    if (s->ran) sl_bug("sl_session_add_job after sl_session_run");
    if (s->n_jobs == s->cap_jobs) {
        s->cap_jobs = s->cap_jobs ? s->cap_jobs * 2 : 16;
        s->jobs = sl_xreallocarray(s->jobs, s->cap_jobs, sizeof *s->jobs);
    }
    struct sl_job *j = &s->jobs[s->n_jobs++];
    j->file = sl_arena_strdup(&s->arena, job->file);
    j->directory = job->directory ? sl_arena_strdup(&s->arena, job->directory) : NULL;
    j->n_args = job->n_args;
    const char **args = sl_arena_alloc(&s->arena, (job->n_args + 1) * sizeof *args);
    for (size_t i = 0; i < job->n_args; i++) args[i] = sl_arena_strdup(&s->arena, job->args[i]);
    j->args = args;
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

/* The whole-program pass: the project the workers merged, put in order; the project rules. */
static void run_project_rules(struct sl_session *s)
{
    struct sl_project *proj = s->extra.project;   /* merged by the workers */
    s->extra.project = NULL;
    sl_project_finish(proj);
    struct sl_rule_options opts = { .extra_blocking = s->opts.blocking,
                                    .wrappers = s->opts.wrappers, .n_wrappers = s->opts.n_wrappers,
                                    .io_locks = s->opts.io_locks, .values = s->opts.rule_values,
                                    .n_values = s->opts.n_rule_values };
    for (size_t r = 0; r < s->opts.n_rules; r++) {
        if (!s->opts.rules[r]->check_project) continue;
        struct sl_arena scratch;
        sl_arena_init(&scratch);
        struct sl_project_ctx cx = { s->opts.rules[r], proj, &opts, &scratch, &s->results };
        s->opts.rules[r]->check_project(&cx);
        sl_arena_free(&scratch);
    }
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
    struct sl_analysis_config cfg = {
        .rules = s->opts.rules, .n_rules = s->opts.n_rules,
        .wrappers = s->opts.wrappers, .n_wrappers = s->opts.n_wrappers,
        .blocking = s->opts.blocking, .jobs = s->opts.jobs, .clang_resource_dir = s->opts.clang_resource_dir,
        .progress = s->opts.progress, .progress_arg = s->opts.progress_arg,
        .io_locks = s->opts.io_locks, .rule_values = s->opts.rule_values,
        .n_rule_values = s->opts.n_rule_values,
    };
    bool whole_program = s->opts.inventory;   /* the inventory reads the project too */
    for (size_t r = 0; r < s->opts.n_rules; r++) whole_program |= s->opts.rules[r]->check_project != NULL;
    if (whole_program) {
        s->extra.project = sl_xcalloc(1, sizeof *s->extra.project);
        sl_project_init(s->extra.project);
    }
    s->extra.main_hash = sl_xcalloc(s->n_jobs ? s->n_jobs : 1, sizeof *s->extra.main_hash);
    s->extra.main_size = sl_xcalloc(s->n_jobs ? s->n_jobs : 1, sizeof *s->extra.main_size);
    s->extra.main_hashed = sl_xcalloc(s->n_jobs ? s->n_jobs : 1, sizeof *s->extra.main_hashed);
    size_t no_model = sl_analyze(s->jobs, s->n_jobs, &cfg, per_job, &s->stats, &s->extra);
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
        sl_diag_list_move(&s->results, &per_job[i]);
        sl_diag_list_free(&per_job[i]);
        mains[i] = s->jobs[i].file;
    }
    free(per_job);
    if (no_model > s->stats.files_failed) sl_bug("a job without a model reported no tool error");
    note_unused_wrappers(s);

    struct sl_source_cache *src = sl_sources_new();
    for (size_t i = 0; i < s->n_jobs; i++) s->stats.lines += count_lines(src, s->jobs[i].file);
    struct sl_filter_ctx fcx = {
        .sources = src, .main_files = mains, .n_main = s->n_jobs,
        .enabled = s->opts.rules, .n_enabled = s->opts.n_rules, .stats = &s->stats,
    };
    size_t n_chain;
    const struct sl_filter *const *chain = sl_filter_default_chain(&n_chain);
    sl_filter_run(chain, n_chain, &s->results, &fcx);
    sl_filter_run(s->opts.extra_filters, s->opts.n_extra_filters, &s->results, &fcx);
    s->sources = src;
    free(mains);

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
