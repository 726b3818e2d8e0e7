/* analyze.c - the worker pool: parse, lower, lock-flow and rules per job. */
#include "analyze.h"
#include "err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <synclint/counter.h>

#include "err.h"
#include "facts.h"
#include "frontend.h"
#include "lockflow.h"
#include "model.h"
#include "rulekit.h"

/* libclang's parser recurses deeply on nested expressions. */
#define SL_WORKER_STACK (16u * 1024 * 1024)

struct pool {
    const struct sl_job *jobs;
    size_t n;
    const struct sl_analysis_config *cfg;
    struct sl_diag_list *results;
    sl_counter next;              /* next job index to take */
    sl_counter failed;
    sl_counter functions;
};

struct worker {
    struct pool *pool;
    struct sl_frontend *fe;
    pthread_t thread;
};

static void analyse_one(struct pool *p, struct sl_frontend *fe, size_t i)
{
    const struct sl_job *job = &p->jobs[i];
    struct sl_diag_list *out = &p->results[i];
    struct sl_model m;
    sl_model_init(&m, job->file);
    if (sl_frontend_lower(fe, job, &m, out) != 0) {
        sl_counter_inc(&p->failed);
        sl_model_free(&m);
        return;
    }
    /* From here on the model is frozen: every pass gets it const. */
    const struct sl_model *frozen = &m;
    struct sl_lockflow_config lf = { p->cfg->wrappers, p->cfg->n_wrappers };
    struct sl_flow flow;
    sl_lockflow_run(&flow, frozen, &lf);
    unsigned needs = 0;
    for (size_t r = 0; r < p->cfg->n_rules; r++) needs |= p->cfg->rules[r]->needs;
    struct sl_facts facts;
    sl_facts_compute(&facts, frozen, &flow, needs);
    sl_counter_add(&p->functions, m.n_funcs);
    struct sl_rule_options opts = { .wrappers = p->cfg->wrappers, .n_wrappers = p->cfg->n_wrappers };
    for (size_t r = 0; r < p->cfg->n_rules; r++) {
        struct sl_arena scratch;
        sl_arena_init(&scratch);
        struct sl_rule_ctx cx = {
            .rule = p->cfg->rules[r], .model = frozen, .flow = &flow, .facts = &facts,
            .opts = &opts, .scratch = &scratch, .out = out,
        };
        p->cfg->rules[r]->check(&cx);
        sl_arena_free(&scratch);
    }
    sl_facts_free(&facts);
    sl_flow_free(&flow);
    sl_model_free(&m);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct pool *p = w->pool;
    for (;;) {
        size_t i = (size_t)sl_counter_inc(&p->next);
        if (i >= p->n) break;
        analyse_one(p, w->fe, i);
    }
    return NULL;
}

size_t sl_analyze(const struct sl_job *jobs, size_t n, const struct sl_analysis_config *cfg,
                  struct sl_diag_list *results, struct sl_stats *stats)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct pool p = { .jobs = jobs, .n = n, .cfg = cfg, .results = results };
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
    for (int i = 0; i < nw; i++) sl_frontend_free(ws[i].fe);
    free(ws);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (stats) {
        stats->files = n;
        stats->files_failed = (size_t)sl_counter_load(&p.failed);
        stats->functions = (size_t)sl_counter_load(&p.functions);
        stats->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    }
    return (size_t)sl_counter_load(&p.failed);
}
