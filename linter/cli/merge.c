/* merge.c - --merge: read the shard reports, check that they are the N
 * shards of one run, and hand their jobs to the session in job order
 * (shard.h). */
#include "shard.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "err.h"
#include "options.h"
#include "report.h"
#include "session.h"

/* A report read whole; NULL with err set when it cannot be. */
static char *slurp(const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    size_t len = 0, cap = 1 << 16;
    char *buf = sl_xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) buf = sl_xrealloc(buf, cap *= 2);
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        snprintf(err, errsz, "%s: cannot read: %s", path, strerror(errno));
        free(buf);
        return NULL;
    }
    buf[len] = 0;
    return buf;
}

/* A number member that is a whole number in [lo, hi]; false otherwise. */
static bool whole(const cJSON *o, const char *key, double lo, double hi, size_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
        v->valuedouble != (double)(size_t)v->valuedouble)
        return false;
    *out = (size_t)v->valuedouble;
    return true;
}

/* The shard object of a JSON or SARIF report, or NULL. */
static const cJSON *shard_of(const cJSON *root)
{
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(root, "shard");
    if (cJSON_IsObject(sh)) return sh;
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(root, "runs");
    const cJSON *run = cJSON_IsArray(runs) ? cJSON_GetArrayItem(runs, 0) : NULL;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(run, "properties");
    sh = cJSON_GetObjectItemCaseSensitive(props, "sync-lint/shard");
    return cJSON_IsObject(sh) ? sh : NULL;
}

/* The first settings key where theirs differs from ours, or NULL. */
static const char *settings_differ(const cJSON *ours, const cJSON *theirs)
{
    if (!cJSON_IsObject(theirs)) return "all of them";
    const cJSON *k;
    cJSON_ArrayForEach(k, ours) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(theirs, k->string);
        if (!t || !cJSON_Compare(k, t, true)) return k->string;
    }
    cJSON_ArrayForEach(k, theirs)
        if (!cJSON_GetObjectItemCaseSensitive(ours, k->string)) return k->string;
    return NULL;
}

/* One report at a time is parsed, checked and handed over, so memory holds
 * one report's tree, not all of them. */
struct merge {
    struct sl_session *session;
    const struct sl_options *o;
    size_t count, total;            /* N and T, from the first report */
    const char **shard_report;      /* [count]: which report is shard k+1 */
    const char **job_report;        /* [total]: which report brought job i */
    cJSON *settings;
    size_t functions, lines;
    bool *wrapper_used;
};

static int add_job(struct sl_session *s, const cJSON *job, const char *report, size_t i,
                   char *err, size_t errsz);

/* Check one report's shard object and hand its jobs to the session.  0 or
 * -1 with err. */
static int take(struct merge *m, const char *path, const cJSON *sh, char *err, size_t errsz)
{
    size_t k, n, t;
    if (!whole(sh, "count", 1, 100000, &n) || !whole(sh, "index", 1, (double)n, &k) ||
        !whole(sh, "total_jobs", 0, 1e7, &t)) {
        snprintf(err, errsz, "%s: not a sync-lint shard report (its shard object has no valid "
                 "index, count and total_jobs)", path);
        return -1;
    }
    if (!m->count) {
        m->count = n;
        m->total = t;
        m->shard_report = sl_xcalloc(n, sizeof *m->shard_report);
        m->job_report = sl_xcalloc(t ? t : 1, sizeof *m->job_report);
        sl_session_expect_analysed(m->session, t);
    } else if (n != m->count || t != m->total) {
        snprintf(err, errsz, "%s: shard %zu/%zu of %zu jobs, but '%s' is a shard of %zu/%zu jobs: "
                 "not the same sharded run", path, k, n, t, m->o->files[0], m->count, m->total);
        return -1;
    }
    if (m->shard_report[k - 1]) {
        snprintf(err, errsz, "%s: shard %zu/%zu again ('%s' is shard %zu/%zu too)", path, k, n,
                 m->shard_report[k - 1], k, n);
        return -1;
    }
    m->shard_report[k - 1] = path;
    const char *diff = settings_differ(m->settings, cJSON_GetObjectItemCaseSensitive(sh, "settings"));
    if (diff) {
        snprintf(err, errsz, "%s: run with different settings (%s) than this merge: give the "
                 "merge the shards' checks, wrappers, blocking functions, I/O locks and rule "
                 "options (the same config)", path, diff);
        return -1;
    }
    const cJSON *used = cJSON_GetObjectItemCaseSensitive(sh, "wrappers_used");
    const cJSON *stats = cJSON_GetObjectItemCaseSensitive(sh, "stats");
    const cJSON *jobs = cJSON_GetObjectItemCaseSensitive(sh, "jobs");
    size_t fns, lines;
    if (!cJSON_IsArray(used) || !cJSON_IsArray(jobs) || !whole(stats, "functions", 0, 1e15, &fns) ||
        !whole(stats, "lines", 0, 1e15, &lines)) {
        snprintf(err, errsz, "%s: not a sync-lint shard report (its shard object lacks "
                 "wrappers_used, stats or jobs)", path);
        return -1;
    }
    m->functions += fns;
    m->lines += lines;
    const cJSON *w;
    cJSON_ArrayForEach(w, used) {
        if (!cJSON_IsString(w)) continue;
        for (size_t i = 0; i < m->o->n_wrappers; i++)
            if (!strcmp(m->o->wrappers[i].name, w->valuestring)) m->wrapper_used[i] = true;
    }
    const cJSON *job;
    cJSON_ArrayForEach(job, jobs) {
        size_t i;
        const cJSON *file = cJSON_GetObjectItemCaseSensitive(job, "file");
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(job, "summary");
        if (!whole(job, "index", 0, t ? (double)t - 1 : -1, &i) || !cJSON_IsString(file) ||
            !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(job, "diagnostics")) ||
            !(cJSON_IsObject(sum) || cJSON_IsNull(sum))) {
            snprintf(err, errsz, "%s: a job of shard %zu/%zu has no valid index (0..%zu), file, "
                     "diagnostics or summary", path, k, n, t ? t - 1 : 0);
            return -1;
        }
        if (m->job_report[i]) {
            snprintf(err, errsz, "%s: job %zu ('%s') is also in '%s': the shards were not cut "
                     "from the same job list (same files, same checkout directory)", path, i,
                     file->valuestring, m->job_report[i]);
            return -1;
        }
        m->job_report[i] = path;
        if (add_job(m->session, job, path, i, err, errsz) != 0) return -1;
    }
    return 0;
}

/* Every shard and every job present.  0 or -1 with err. */
static int complete(const struct merge *m, char *err, size_t errsz)
{
    for (size_t k = 0; k < m->count; k++)
        if (!m->shard_report[k]) {
            snprintf(err, errsz, "shard %zu/%zu missing: --merge needs the reports of all %zu "
                     "shards", k + 1, m->count, m->count);
            return -1;
        }
    for (size_t i = 0; i < m->total; i++)
        if (!m->job_report[i]) {
            snprintf(err, errsz, "job %zu of %zu is in no shard report: the shards were not cut "
                     "from the same job list (same files, same checkout directory)", i, m->total);
            return -1;
        }
    return 0;
}

/* Hand job i (checked by take) to the session.  0 or -1 with err. */
static int add_job(struct sl_session *s, const cJSON *job, const char *report, size_t i,
                   char *err, size_t errsz)
{
    const char *file = cJSON_GetObjectItemCaseSensitive(job, "file")->valuestring;
    const cJSON *diags = cJSON_GetObjectItemCaseSensitive(job, "diagnostics");
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(job, "summary");
    char why[512];
    /* the filters read the sources (suppressions, fingerprints): a file the
     * shard parsed must be there, at the same path */
    if (cJSON_IsObject(sum) && access(file, R_OK) != 0) {
        snprintf(err, errsz, "%s: job %zu: cannot read '%s' (%s): run the merge in the checkout "
                 "and directory the shards ran in", report, i, file, strerror(errno));
        return -1;
    }
    struct sl_diag_list raw;
    sl_diag_list_init(&raw);
    const cJSON *d;
    int rc = 0;
    cJSON_ArrayForEach(d, diags) {
        if (sl_diag_raw_from_json(&raw, d, why, sizeof why) != 0) {
            snprintf(err, errsz, "%s: job %zu ('%s'): %s", report, i, file, why);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && sl_session_add_analysed(s, i, file, &raw, cJSON_IsObject(sum) ? sum : NULL, why,
                                           sizeof why) != 0) {
        snprintf(err, errsz, "%s: job %zu ('%s'): bad summary: %s", report, i, file, why);
        rc = -1;
    }
    sl_diag_list_free(&raw);
    return rc;
}

int sl_merge_load(struct sl_session *s, const struct sl_options *o,
                  const struct sl_rule *const *rules, size_t n_rules, char *err, size_t errsz)
{
    struct merge m = { .session = s, .o = o };
    m.settings = sl_shard_settings(o, rules, n_rules);
    m.wrapper_used = sl_xcalloc(o->n_wrappers ? o->n_wrappers : 1, sizeof *m.wrapper_used);
    int rc = 0;
    for (size_t f = 0; f < o->n_files && rc == 0; f++) {
        const char *path = o->files[f];
        char *text = slurp(path, err, errsz);
        if (!text) { rc = -1; break; }
        const char *end = NULL;
        cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
        free(text);
        if (!root) {
            snprintf(err, errsz, "%s: not JSON: not a sync-lint shard report (--shard K/N "
                     "--format=json or sarif writes one)", path);
            rc = -1;
            break;
        }
        const cJSON *sh = shard_of(root);
        if (!sh) {
            snprintf(err, errsz, "%s: not a sync-lint shard report (no \"shard\" object: was it "
                     "written by a --shard K/N run?)", path);
            rc = -1;
        } else {
            rc = take(&m, path, sh, err, errsz);
        }
        cJSON_Delete(root);
    }
    if (rc == 0) rc = complete(&m, err, errsz);
    if (rc == 0) {
        for (size_t k = 0; k < o->n_wrappers; k++)
            if (m.wrapper_used[k]) sl_session_set_wrapper_used(s, k);
        sl_session_add_counts(s, m.functions, m.lines);
    }
    cJSON_Delete(m.settings);
    free(m.wrapper_used);
    free((void *)m.shard_report);
    free((void *)m.job_report);
    return rc;
}
