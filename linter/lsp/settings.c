/* settings.c - per-document settings for the language server (settings.h). */
#include "settings.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "rule.h"

static struct timespec mtime_of(const char *path)
{
    struct stat st;
    struct timespec none = {0};
    return path && stat(path, &st) == 0 ? st.st_mtim : none;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return sl_xstrdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = sl_xmalloc(n + 1);
    memcpy(d, path, n);
    d[n] = 0;
    return d;
}

struct sl_lsp_settings *sl_lsp_settings_load(const struct sl_options *base, const char *path,
                                             const char *client_checks)
{
    struct sl_lsp_settings *s = sl_xcalloc(1, sizeof *s);
    atomic_init(&s->refs, 1);
    s->base = base;
    s->o = *base;
    if (client_checks && !base->checks) s->o.checks = client_checks;
    char err[1024];
    if (!base->no_config) {
        if (base->config) {
            s->config_path = sl_xstrdup(base->config);
        } else {
            char *dir = dir_of(path);
            s->config_path = sl_config_find(dir);
            free(dir);
        }
    }
    s->o.no_config = s->config_path == NULL;
    s->o.config = s->config_path;
    s->config_mtime = mtime_of(s->config_path);
    if (sl_config_setup(&s->cfg, &s->o, err, sizeof err) != 0) {
        s->error = sl_xstrdup(err);
        sl_config_free(&s->cfg);
        memset(&s->cfg, 0, sizeof s->cfg);
        s->o = *base;
        if (client_checks && !base->checks) s->o.checks = client_checks;
    }
    if (sl_checks_select(s->o.checks, &s->rules, &s->n_rules, err, sizeof err) != 0) {
        if (!s->error) s->error = sl_xstrdup(err);
        s->o.checks = NULL;
        if (sl_checks_select(NULL, &s->rules, &s->n_rules, err, sizeof err) != 0)
            sl_bug("the default rule selection failed: %s", err);
    }
    s->so = (struct sl_session_options){
        .rules = (const struct sl_rule *const *)s->rules, .n_rules = s->n_rules,
        .wrappers = s->o.wrappers, .n_wrappers = s->o.n_wrappers,
        .blocking = (const char *const *)s->o.blocking,
        .io_locks = (const char *const *)s->o.io_locks,
        .rule_values = s->o.rule_values, .n_rule_values = s->o.n_rule_values,
        .jobs = 1,
    };
    return s;
}

struct sl_lsp_settings *sl_lsp_settings_ref(struct sl_lsp_settings *s)
{
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    return s;
}

void sl_lsp_settings_unref(struct sl_lsp_settings *s)
{
    if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1) return;
    /* the lists the file gave were moved into o; the command line's are the base's */
    if (s->o.wrappers != s->base->wrappers) {
        for (size_t i = 0; i < s->o.n_wrappers; i++) sl_wrapper_free(&s->o.wrappers[i]);
        free(s->o.wrappers);
    }
    if (s->o.blocking != s->base->blocking) free(s->o.blocking);
    if (s->o.io_locks != s->base->io_locks) free(s->o.io_locks);
    if (s->o.exclude != s->base->exclude) free(s->o.exclude);
    sl_config_free(&s->cfg);
    free(s->rules);
    free(s->config_path);
    free(s->error);
    free(s);
}

bool sl_lsp_settings_stale(const struct sl_lsp_settings *s, const char *path)
{
    if (s->base->no_config) return false;
    if (s->config_path) {
        struct timespec t = mtime_of(s->config_path);
        return t.tv_sec != s->config_mtime.tv_sec || t.tv_nsec != s->config_mtime.tv_nsec;
    }
    if (s->base->config) return false;
    char *dir = dir_of(path);
    char *found = sl_config_find(dir);   /* a file that appeared since */
    free(dir);
    free(found);
    return found != NULL;
}

static bool has_db(const char *dir)
{
    char p[PATH_MAX + 32];
    struct stat st;
    snprintf(p, sizeof p, "%s/compile_commands.json", dir);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *sl_lsp_find_compdb(const char *path)
{
    char *dir = dir_of(path);
    char sub[PATH_MAX];
    for (;;) {
        if (has_db(dir)) return dir;
        snprintf(sub, sizeof sub, "%s/build", dir);
        if (has_db(sub)) {
            free(dir);
            return sl_xstrdup(sub);
        }
        char *slash = strrchr(dir, '/');
        if (!slash || (slash == dir && !dir[1])) break;
        if (slash == dir) slash[1] = 0;
        else *slash = 0;
    }
    free(dir);
    return NULL;
}

const struct sl_job *sl_lsp_job(struct sl_job_list *jobs, const char *dir, const char *path,
                                char **err)
{
    *err = NULL;
    if (dir) {
        char e[1024];
        const char *files[1] = { path };
        size_t before = jobs->n;
        jobs->borrow_nearest = true;
        if (sl_jobs_from_compdb(jobs, dir, files, 1, e, sizeof e) == 0 && jobs->n > before)
            return &jobs->jobs[before];
        if (jobs->n == before) *err = sl_xstrdup(e);
        jobs->n = before;
    }
    sl_jobs_add_file(jobs, path, NULL, 0);
    return &jobs->jobs[jobs->n - 1];
}

char *sl_lsp_job_key(const struct sl_job *job)
{
    size_t n = strlen(job->file) + 2 + (job->directory ? strlen(job->directory) : 0);
    for (size_t i = 0; i < job->n_args; i++) n += strlen(job->args[i]) + 1;
    char *k = sl_xmalloc(n + 1), *w = k;
    w += sprintf(w, "%s\n%s", job->file, job->directory ? job->directory : "");
    for (size_t i = 0; i < job->n_args; i++) w += sprintf(w, "\n%s", job->args[i]);
    return k;
}
