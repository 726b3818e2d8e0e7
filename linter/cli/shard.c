/* shard.c - --shard: the partition, the canonical settings and the shard
 * object a shard writes with its report (shard.h). */
#include "shard.h"

#include <cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "options.h"
#include "report.h"
#include "rule.h"
#include "session.h"
#include "source.h"

int sl_shard_parse(const char *spec, unsigned *k, unsigned *n)
{
    char *end;
    if (!spec || *spec < '0' || *spec > '9') return -1;
    errno = 0;
    unsigned long a = strtoul(spec, &end, 10);
    if (errno || *end != '/' || end[1] < '0' || end[1] > '9') return -1;
    unsigned long b = strtoul(end + 1, &end, 10);
    if (errno || *end || a < 1 || b < 1 || a > b || b > 100000) return -1;
    *k = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

uint64_t sl_fnv1a64(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
    }
    return h;
}

unsigned sl_shard_of(const char *abs_path, unsigned n)
{
    return n ? (unsigned)(sl_fnv1a64(abs_path) % n) : 0;
}

char *sl_shard_resolve(const char *file)
{
    char buf[PATH_MAX];
    if (realpath(file, buf)) return sl_xstrdup(buf);
    char cwd[PATH_MAX];
    if (file[0] != '/' && getcwd(cwd, sizeof cwd)) {
        char *r = sl_xmalloc(strlen(cwd) + strlen(file) + 2);
        sprintf(r, "%s/%s", cwd, file);
        return sl_path_normalise(r);
    }
    return sl_path_normalise(sl_xstrdup(file));
}

static cJSON *strings(const char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "rule.option=value", the value as JSON text. */
static char *option_text(const struct sl_rule_optval *v)
{
    cJSON *j = NULL;
    switch (v->opt->type) {
    case SL_OPT_BOOL: j = cJSON_CreateBool(v->b); break;
    case SL_OPT_INT: j = cJSON_CreateNumber((double)v->i); break;
    case SL_OPT_STRING: j = cJSON_CreateString(v->s ? v->s : ""); break;
    case SL_OPT_STRING_LIST:
        j = cJSON_CreateArray();
        for (size_t i = 0; v->list && v->list[i]; i++) cJSON_AddItemToArray(j, cJSON_CreateString(v->list[i]));
        break;
    }
    char *val = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!val) sl_oom(0);
    char *t = sl_xmalloc(strlen(v->rule) + strlen(v->opt->name) + strlen(val) + 3);
    sprintf(t, "%s.%s=%s", v->rule, v->opt->name, val);
    cJSON_free(val);
    return t;
}

cJSON *sl_shard_settings(const struct sl_options *o, const struct sl_rule *const *rules,
                         size_t n_rules)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "version", SL_VERSION);
    cJSON *checks = cJSON_AddArrayToObject(s, "checks");
    for (size_t r = 0; r < n_rules; r++) cJSON_AddItemToArray(checks, cJSON_CreateString(rules[r]->id));
    cJSON *wr = cJSON_AddArrayToObject(s, "wrappers");
    for (size_t k = 0; k < o->n_wrappers; k++) {
        const struct sl_wrapper *w = &o->wrappers[k];
        char buf[512];
        if (w->global)
            snprintf(buf, sizeof buf, "%s:%s:@%s", w->name, sl_lockop_name(w->op), w->global);
        else
            snprintf(buf, sizeof buf, "%s:%s:%d:%d", w->name, sl_lockop_name(w->op), w->arg[0], w->arg[1]);
        cJSON_AddItemToArray(wr, cJSON_CreateString(buf));
    }
    cJSON_AddItemToObject(s, "blocking", strings((const char *const *)o->blocking, o->n_blocking));
    cJSON_AddItemToObject(s, "io_locks", strings((const char *const *)o->io_locks, o->n_io_locks));
    char **opts = sl_xcalloc(o->n_rule_values ? o->n_rule_values : 1, sizeof *opts);
    for (size_t i = 0; i < o->n_rule_values; i++) opts[i] = option_text(&o->rule_values[i]);
    qsort(opts, o->n_rule_values, sizeof *opts, cmp_str);
    cJSON_AddItemToObject(s, "rule_options", strings((const char *const *)opts, o->n_rule_values));
    for (size_t i = 0; i < o->n_rule_values; i++) free(opts[i]);
    free(opts);
    return s;
}

cJSON *sl_shard_object(const struct sl_session *s, const struct sl_options *o,
                       const struct sl_rule *const *rules, size_t n_rules,
                       const size_t *index, size_t n, size_t total)
{
    cJSON *sh = cJSON_CreateObject();
    cJSON_AddNumberToObject(sh, "index", o->shard_k);
    cJSON_AddNumberToObject(sh, "count", o->shard_n);
    cJSON_AddNumberToObject(sh, "total_jobs", (double)total);
    cJSON_AddItemToObject(sh, "settings", sl_shard_settings(o, rules, n_rules));
    cJSON *used = cJSON_AddArrayToObject(sh, "wrappers_used");
    for (size_t k = 0; k < o->n_wrappers; k++)
        if (sl_session_wrapper_used(s, k))
            cJSON_AddItemToArray(used, cJSON_CreateString(o->wrappers[k].name));
    const struct sl_stats *st = sl_session_stats(s);
    cJSON *stats = cJSON_AddObjectToObject(sh, "stats");
    cJSON_AddNumberToObject(stats, "functions", (double)st->functions);
    cJSON_AddNumberToObject(stats, "lines", (double)st->lines);
    cJSON *jobs = cJSON_AddArrayToObject(sh, "jobs");
    for (size_t j = 0; j < n; j++) {
        cJSON *job = cJSON_CreateObject();
        cJSON_AddNumberToObject(job, "index", (double)index[j]);
        cJSON_AddStringToObject(job, "file", sl_session_job_file(s, j));
        cJSON *diags = cJSON_AddArrayToObject(job, "diagnostics");
        const struct sl_diag_list *raw = sl_session_job_diags(s, j);
        for (size_t i = 0; i < raw->n; i++) cJSON_AddItemToArray(diags, sl_diag_raw_to_json(&raw->items[i]));
        const char *sum = sl_session_job_summary(s, j);
        /* the summary's own text, printed once by the worker */
        cJSON_AddItemToObject(job, "summary", sum ? cJSON_CreateRaw(sum) : cJSON_CreateNull());
        cJSON_AddItemToArray(jobs, job);
    }
    return sh;
}
