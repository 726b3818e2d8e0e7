/* docs.c - the documents an editor holds open (docs.h). */
#include "docs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "err.h"
#include "filter.h"
#include "frontend.h"
#include "model.h"
#include "project.h"
#include "rule.h"
#include "source.h"
#include "stats.h"
#include "summary.h"

struct stored { char *file; struct sl_tu_summary *sum; uint64_t hash; };

struct sl_doc_store {
    pthread_mutex_t mu;          /* held while a summary is replaced or the project is built */
    struct stored *v;
    size_t n, cap;
};

struct sl_doc_engine {
    struct sl_session_options opts;
    struct sl_analysis_config cfg;
    struct sl_frontend *fe;
    double *rule_s;
    bool *wrapper_used;
    bool whole_program;
};

struct sl_doc_state {
    struct sl_frontend_doc *fdoc;
};

struct sl_doc_store *sl_doc_store_new(void)
{
    struct sl_doc_store *st = sl_xcalloc(1, sizeof *st);
    pthread_mutex_init(&st->mu, NULL);
    return st;
}

static void stored_free(struct stored *x)
{
    free(x->file);
    if (x->sum) sl_summary_free(x->sum);
    free(x->sum);
}

void sl_doc_store_free(struct sl_doc_store *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->n; i++) stored_free(&st->v[i]);
    free(st->v);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

/* Under st->mu. */
static struct stored *store_find(struct sl_doc_store *st, const char *file)
{
    for (size_t i = 0; i < st->n; i++)
        if (!strcmp(st->v[i].file, file)) return &st->v[i];
    return NULL;
}

void sl_doc_store_forget(struct sl_doc_store *st, const char *file)
{
    pthread_mutex_lock(&st->mu);
    struct stored *x = store_find(st, file);
    if (x) {
        stored_free(x);
        *x = st->v[--st->n];
    }
    pthread_mutex_unlock(&st->mu);
}

/* Replace file's summary by sum (taken over) and copy every stored one into
 * proj, in one critical section, so the project is one consistent view. */
static bool store_put_and_collect(struct sl_doc_store *st, const char *file,
                                  struct sl_tu_summary *sum, struct sl_project *proj)
{
    bool changed = true;
    uint64_t hash = sl_summary_hash(sum);
    pthread_mutex_lock(&st->mu);
    struct stored *x = store_find(st, file);
    if (!x) {
        if (st->n == st->cap) {
            st->cap = st->cap ? st->cap * 2 : 8;
            st->v = sl_xreallocarray(st->v, st->cap, sizeof *st->v);
        }
        x = &st->v[st->n++];
        x->file = sl_xstrdup(file);
        x->sum = NULL;
    }
    if (x->sum) {
        /* what other files' whole-program findings read: did it change? */
        changed = x->hash != hash;
        sl_summary_free(x->sum);
        free(x->sum);
    }
    x->sum = sum;
    x->hash = hash;
    for (size_t i = 0; i < st->n; i++) sl_project_add(proj, st->v[i].sum);
    pthread_mutex_unlock(&st->mu);
    return changed;
}

struct sl_doc_engine *sl_doc_engine_new(const struct sl_session_options *o)
{
    struct sl_doc_engine *e = sl_xcalloc(1, sizeof *e);
    e->opts = *o;
    e->cfg = sl_session_analysis_config(&e->opts);
    e->cfg.jobs = 1;
    e->cfg.progress = NULL;
    e->fe = sl_frontend_new(o->clang_resource_dir);
    e->rule_s = sl_xcalloc(o->n_rules ? o->n_rules : 1, sizeof *e->rule_s);
    e->wrapper_used = sl_xcalloc(o->n_wrappers ? o->n_wrappers : 1, sizeof *e->wrapper_used);
    for (size_t r = 0; r < o->n_rules; r++) e->whole_program |= o->rules[r]->check_project != NULL;
    return e;
}

void sl_doc_engine_set_options(struct sl_doc_engine *e, const struct sl_session_options *o)
{
    e->opts = *o;
    e->cfg = sl_session_analysis_config(&e->opts);
    e->cfg.jobs = 1;
    e->cfg.progress = NULL;
    free(e->rule_s);
    free(e->wrapper_used);
    e->rule_s = sl_xcalloc(o->n_rules ? o->n_rules : 1, sizeof *e->rule_s);
    e->wrapper_used = sl_xcalloc(o->n_wrappers ? o->n_wrappers : 1, sizeof *e->wrapper_used);
    e->whole_program = false;
    for (size_t r = 0; r < o->n_rules; r++) e->whole_program |= o->rules[r]->check_project != NULL;
}

void sl_doc_engine_free(struct sl_doc_engine *e)
{
    if (!e) return;
    sl_frontend_free(e->fe);
    free(e->rule_s);
    free(e->wrapper_used);
    free(e);
}

struct sl_doc_state *sl_doc_state_new(void)
{
    struct sl_doc_state *d = sl_xcalloc(1, sizeof *d);
    d->fdoc = sl_frontend_doc_new();
    return d;
}

void sl_doc_state_free(struct sl_doc_engine *e, struct sl_doc_state *d)
{
    if (!d) return;
    sl_frontend_doc_free(e ? e->fe : NULL, d->fdoc);
    free(d);
}

/* Keep the diagnostics located in file (the document's own). */
static void keep_file(struct sl_diag_list *l, const char *file)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].where.file && !strcmp(l->items[i].where.file, file)) l->items[w++] = l->items[i];
    l->n = w;
}

int sl_doc_analyze(struct sl_doc_engine *e, struct sl_doc_state *d, const struct sl_job *job,
                   const char *text, size_t len, struct sl_doc_store *st,
                   struct sl_diag_list *out, struct sl_doc_timing *timing)
{
    double t0 = sl_now_s(), p0, l0, p1, l1;
    sl_frontend_times(e->fe, &p0, &l0);
    unsigned parses0, reparses0, parses1, reparses1;
    sl_frontend_doc_counts(d->fdoc, &parses0, &reparses0);
    struct sl_diag_list raw;
    sl_diag_list_init(&raw);
    struct sl_model m;
    sl_model_init(&m, job->file);
    int rc = sl_frontend_doc_lower(e->fe, d->fdoc, job, text, len, &m, &raw);
    bool summary_changed = false;
    sl_frontend_doc_counts(d->fdoc, &parses1, &reparses1);
    if (rc == 0) {
        struct sl_tu_summary *sum = e->whole_program ? sl_xcalloc(1, sizeof *sum) : NULL;
        struct sl_pass_times t = { .rule_s = e->rule_s, .wrapper_used = e->wrapper_used };
        sl_analyze_model(&m, &e->cfg, &raw, sum, &t);
        sl_model_free(&m);
        if (sum) {
            struct sl_project proj;
            sl_project_init(&proj);
            summary_changed = store_put_and_collect(st, job->file, sum, &proj);
            sl_project_finish(&proj);
            sl_analyze_project(&e->cfg, &proj, &raw);
            sl_project_free(&proj);
        }
    } else {
        sl_model_free(&m);
    }
    /* the session's filter chain, reading the unsaved text */
    struct sl_source_cache *src = sl_sources_new();
    sl_sources_put(src, job->file, text, len);
    struct sl_stats stats = {0};
    const char *mains[1] = { job->file };
    struct sl_filter_ctx fcx = {
        .sources = src, .main_files = mains, .n_main = 1,
        .enabled = e->opts.rules, .n_enabled = e->opts.n_rules, .stats = &stats,
    };
    size_t n_chain;
    const struct sl_filter *const *chain = sl_filter_default_chain(&n_chain);
    keep_file(&raw, job->file);
    sl_filter_run(chain, n_chain, &raw, &fcx);
    sl_sources_free(src);
    sl_diag_list_move(out, &raw);
    sl_diag_list_free(&raw);
    sl_frontend_times(e->fe, &p1, &l1);
    if (timing) {
        timing->parse_s = p1 - p0;
        timing->lower_s = l1 - l0;
        timing->analysis_s = sl_now_s() - t0 - timing->parse_s;
        timing->reparsed = reparses1 > reparses0 && parses1 == parses0;
        timing->summary_changed = summary_changed;
    }
    return rc;
}
