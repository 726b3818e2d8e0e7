/* analyze.c - the worker pool: parse, lower, lock-flow, facts and rules per job. */
#include "analyze.h"
#include "stats.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <synclint/counter.h>

#include "err.h"
#include "facts.h"
#include "frontend.h"
#include "lockflow.h"
#include "model.h"
#include "project.h"
#include "rulekit.h"
#include "summary.h"

/* libclang's parser recurses deeply on nested expressions. */
#define SL_WORKER_STACK (16u * 1024 * 1024)

struct pool {
    const struct sl_job *jobs;
    size_t n;
    const struct sl_analysis_config *cfg;
    struct sl_diag_list *results;
    struct sl_project *project;          /* NULL: no whole-program rule enabled */
    char **summary_json;                 /* NULL, or each job's summary as JSON */
    struct sl_analysis_extra *extra;     /* NULL: no per-job hashes wanted */
    pthread_mutex_t project_mu;          /* held while a summary is merged into it */
    /* Held around the progress callback: one caller at a time, so its
     * output (one terminal line) has a single writer; started counts under it. */
    pthread_mutex_t progress_mu;
    size_t started;
    sl_counter next;              /* next job index to take */
    sl_counter failed;
    sl_counter functions;
};

/* Each worker's own tallies, summed after the join (no sharing). */
struct worker {
    struct pool *pool;
    struct sl_frontend *fe;
    pthread_t thread;
    double flow_s, facts_s, summary_s;
    double *rule_s;
    bool *wrapper_used;
};

void sl_analyze_model(const struct sl_model *frozen, const struct sl_analysis_config *cfg,
                      struct sl_diag_list *out, struct sl_tu_summary *sum, struct sl_pass_times *t)
{
    /* From here on the model is frozen: every pass gets it const. */
    double t0 = sl_now_s();
    struct sl_lockflow_config lf = { cfg->wrappers, cfg->n_wrappers };
    struct sl_flow flow;
    sl_lockflow_run(&flow, frozen, &lf);
    for (size_t k = 0; k < cfg->n_wrappers; k++) t->wrapper_used[k] |= flow.wrapper_used[k];
    double t1 = sl_now_s();
    unsigned needs = sum ? SL_SUMMARY_NEEDS : 0;
    for (size_t r = 0; r < cfg->n_rules; r++) needs |= cfg->rules[r]->needs;
    struct sl_facts facts;
    sl_facts_compute(&facts, frozen, &flow, needs);
    double t2 = sl_now_s();
    t->flow_s += t1 - t0;
    t->facts_s += t2 - t1;
    struct sl_rule_options opts = { .extra_blocking = cfg->blocking, .wrappers = cfg->wrappers,
                                    .n_wrappers = cfg->n_wrappers, .io_locks = cfg->io_locks,
                                    .values = cfg->rule_values, .n_values = cfg->n_rule_values };
    /* facts rules state for the summary (only when a summary is built) */
    struct sl_arena export_arena;
    sl_arena_init(&export_arena);
    struct sl_rule_exports exports = { .arena = &export_arena };
    for (size_t r = 0; r < cfg->n_rules; r++) {
        if (!cfg->rules[r]->check) continue;
        double ts = sl_now_s();
        struct sl_arena scratch;
        sl_arena_init(&scratch);
        struct sl_rule_ctx cx = {
            .rule = cfg->rules[r], .model = frozen, .flow = &flow, .facts = &facts,
            .opts = &opts, .scratch = &scratch, .out = out,
            .exports = sum ? &exports : NULL,
        };
        cfg->rules[r]->check(&cx);
        sl_arena_free(&scratch);
        t->rule_s[r] += sl_now_s() - ts;
    }
    double ts = sl_now_s();
    if (sum) sl_summary_build(sum, frozen, &flow, &facts, &exports);
    t->summary_s += sl_now_s() - ts;
    sl_arena_free(&export_arena);
    sl_facts_free(&facts);
    sl_flow_free(&flow);
}

void sl_analyze_project(const struct sl_analysis_config *cfg, const struct sl_project *proj,
                        struct sl_diag_list *out)
{
    struct sl_rule_options opts = { .extra_blocking = cfg->blocking,
                                    .wrappers = cfg->wrappers, .n_wrappers = cfg->n_wrappers,
                                    .io_locks = cfg->io_locks, .values = cfg->rule_values,
                                    .n_values = cfg->n_rule_values };
    for (size_t r = 0; r < cfg->n_rules; r++) {
        if (!cfg->rules[r]->check_project) continue;
        struct sl_arena scratch;
        sl_arena_init(&scratch);
        struct sl_project_ctx cx = { cfg->rules[r], proj, &opts, &scratch, out };
        cfg->rules[r]->check_project(&cx);
        sl_arena_free(&scratch);
    }
}

static void analyse_one(struct worker *w, size_t i)
{
    struct pool *p = w->pool;
    const struct sl_analysis_config *cfg = p->cfg;
    const struct sl_job *job = &p->jobs[i];
    struct sl_diag_list *out = &p->results[i];
    struct sl_model m;
    sl_model_init(&m, job->file);
    if (sl_frontend_lower(w->fe, job, &m, out) != 0) {
        sl_counter_inc(&p->failed);
        sl_model_free(&m);
        return;
    }
    if (p->extra && p->extra->main_hashed && m.main_hashed) {   /* job i is this worker's alone */
        p->extra->main_hash[i] = m.main_hash;
        p->extra->main_size[i] = m.main_size;
        p->extra->main_hashed[i] = true;
    }
    sl_counter_add(&p->functions, m.n_funcs);
    struct sl_tu_summary sum = {0};
    struct sl_pass_times t = { .rule_s = w->rule_s, .wrapper_used = w->wrapper_used };
    sl_analyze_model(&m, cfg, out, p->project || p->summary_json ? &sum : NULL, &t);
    w->flow_s += t.flow_s;
    w->facts_s += t.facts_s;
    w->summary_s += t.summary_s;
    /* the summary owns its strings: the model goes before the merge, so a
     * big TU's model, summary and project copy are never all alive at once */
    sl_model_free(&m);
    if (p->project || p->summary_json) {
        double ts = sl_now_s();
        if (p->summary_json) {
            p->summary_json[i] = sl_summary_to_json(&sum);
            if (!p->summary_json[i]) sl_bug("a summary could not be rendered as JSON");
        }
        if (p->project) {
            pthread_mutex_lock(&p->project_mu);
            sl_project_add_keyed(p->project, &sum, (uint32_t)i);
            pthread_mutex_unlock(&p->project_mu);
        }
        sl_summary_free(&sum);
        w->summary_s += sl_now_s() - ts;
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct pool *p = w->pool;
    for (;;) {
        size_t i = (size_t)sl_counter_inc(&p->next);
        if (i >= p->n) break;
        if (p->cfg->progress) {
            pthread_mutex_lock(&p->progress_mu);
            p->cfg->progress(p->cfg->progress_arg, ++p->started, p->n, p->jobs[i].file);
            pthread_mutex_unlock(&p->progress_mu);
        }
        analyse_one(w, i);
    }
    return NULL;
}

size_t sl_analyze(const struct sl_job *jobs, size_t n, const struct sl_analysis_config *cfg,
                  struct sl_diag_list *results, struct sl_stats *stats,
                  struct sl_analysis_extra *extra)
{
    double t0 = sl_now_s();
    struct pool p = { .jobs = jobs, .n = n, .cfg = cfg, .results = results,
                      .project = extra ? extra->project : NULL,
                      .summary_json = extra ? extra->summary_json : NULL, .extra = extra };
    pthread_mutex_init(&p.project_mu, NULL);
    pthread_mutex_init(&p.progress_mu, NULL);
    sl_counter_init(&p.next, 0);
    sl_counter_init(&p.failed, 0);
    sl_counter_init(&p.functions, 0);
    int nw = cfg->jobs > 0 ? cfg->jobs : 1;
    if ((size_t)nw > n) nw = n ? (int)n : 1;
    struct worker *ws = sl_xcalloc((size_t)nw, sizeof *ws);
    /* clang_createIndex is not safe to call concurrently: create them all
     * here, before any worker starts. */
    for (int i = 0; i < nw; i++) {
        ws[i].pool = &p;
        ws[i].fe = sl_frontend_new(cfg->clang_resource_dir);
        ws[i].rule_s = sl_xcalloc(cfg->n_rules, sizeof *ws[i].rule_s);
        ws[i].wrapper_used = sl_xcalloc(cfg->n_wrappers, sizeof *ws[i].wrapper_used);
    }
    if (nw == 1) {
        worker_main(&ws[0]);
    } else {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, SL_WORKER_STACK);
        int started = 0;
        for (int i = 0; i < nw; i++) {
            if (pthread_create(&ws[i].thread, &attr, worker_main, &ws[i]) != 0) break;
            started++;
        }
        pthread_attr_destroy(&attr);
        if (started == 0) worker_main(&ws[0]);   /* no threads: do it here */
        for (int i = 0; i < started; i++) pthread_join(ws[i].thread, NULL);
    }
    for (int i = 0; i < nw; i++) {
        if (extra) {
            double ps, ls;
            sl_frontend_times(ws[i].fe, &ps, &ls);
            extra->parse_s += ps;
            extra->lower_s += ls;
            extra->flow_s += ws[i].flow_s;
            extra->facts_s += ws[i].facts_s;
            extra->summary_s += ws[i].summary_s;
            for (size_t r = 0; r < cfg->n_rules; r++) extra->rule_s[r] += ws[i].rule_s[r];
            for (size_t k = 0; k < cfg->n_wrappers; k++)
                extra->wrapper_used[k] |= ws[i].wrapper_used[k];
        }
        sl_frontend_free(ws[i].fe);
        free(ws[i].rule_s);
        free(ws[i].wrapper_used);
    }
    free(ws);
    pthread_mutex_destroy(&p.project_mu);
    pthread_mutex_destroy(&p.progress_mu);
    if (stats) {
        stats->files = n;
        stats->files_failed = (size_t)sl_counter_load(&p.failed);
        stats->functions = (size_t)sl_counter_load(&p.functions);
        stats->seconds = sl_now_s() - t0;
    }
    return (size_t)sl_counter_load(&p.failed);
}
