/* config.c - .sync-lint.json: discovery, parsing and checking, and merging under the command line. */
#include "config.h"

#include <cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "rule.h"

static const char *const top_keys[] = {
    "$schema", "baseline", "blocking", "checks", "exclude", "io_locks", "rules", "wrappers", NULL,
};

static char *dup_n(const char *s, size_t n)
{
    char *p = sl_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

bool sl_is_c_name(const char *s)
{
    if (!s || !*s || (*s >= '0' && *s <= '9')) return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            return false;
    return true;
}

size_t sl_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = sl_xcalloc(lb + 1, sizeof *row);
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

/* The candidate nearest to word, if it is near enough to be a misspelling. */
static const char *nearest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n && cands[i]; i++) {
        size_t d = sl_edit_distance(word, cands[i]);
        if (d < best_d) { best_d = d; best = cands[i]; }
    }
    size_t len = strlen(word);
    return best && (best_d <= 2 || best_d * 3 <= len) && best_d < len ? best : NULL;
}

static void unknown(char *err, size_t errsz, const char *path, const char *what, const char *word,
                    const char *where, const char *near)
{
    if (near)
        snprintf(err, errsz, "config '%s': unknown %s '%s'%s (did you mean '%s'?)", path, what, word,
                 where, near);
    else
        snprintf(err, errsz, "config '%s': unknown %s '%s'%s", path, what, word, where);
}

char *sl_config_find(const char *start)
{
    char dir[PATH_MAX];
    if (!realpath(start ? start : ".", dir)) return NULL;
    size_t n = strlen(dir);
    for (;;) {
        char *p = sl_xmalloc(n + sizeof "/" SL_CONFIG_NAME);
        memcpy(p, dir, n);
        snprintf(p + n, sizeof "/" SL_CONFIG_NAME, "/%s", SL_CONFIG_NAME);
        if (access(p, F_OK) == 0) return p;
        free(p);
        while (n > 0 && dir[n - 1] != '/') n--;        /* drop the last component */
        while (n > 1 && dir[n - 1] == '/') n--;
        if (n == 0 || (n == 1 && dir[0] == '/' && dir[1] == 0)) return NULL;
        if (n == 1) {                                   /* now at the root: try it once */
            dir[1] = 0;
            char *q = sl_xmalloc(sizeof "/" SL_CONFIG_NAME);
            memcpy(q, "/" SL_CONFIG_NAME, sizeof "/" SL_CONFIG_NAME);
            if (access(q, F_OK) == 0) return q;
            free(q);
            return NULL;
        }
        dir[n] = 0;
    }
}

static char *read_file(const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errsz, "config '%s': cannot read: %s", path, strerror(errno)); return NULL; }
    size_t cap = 4096, n = 0;
    char *buf = sl_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) buf = sl_xrealloc(buf, cap *= 2);
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errsz, "config '%s': cannot read: %s", path, strerror(errno));
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    if (strlen(buf) != n) {
        snprintf(err, errsz, "config '%s': not valid JSON: the file contains a NUL byte", path);
        free(buf);
        return NULL;
    }
    return buf;
}

static const char *type_word(const cJSON *v)
{
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsArray(v)) return "a list";
    if (cJSON_IsObject(v)) return "an object";
    if (cJSON_IsNull(v)) return "null";
    return "a value";
}

/* A list of strings (or, with one_ok, a single string) into a
 * NULL-terminated array pointing into the JSON.  -1 with err on a wrong type. */
static int string_list(const char *path, const char *key, const cJSON *v, bool one_ok,
                       const char ***out, size_t *n, char *err, size_t errsz)
{
    if (one_ok && cJSON_IsString(v)) {
        *out = sl_xcalloc(2, sizeof **out);
        (*out)[0] = v->valuestring;
        *n = 1;
        return 0;
    }
    if (!cJSON_IsArray(v)) {
        snprintf(err, errsz, "config '%s': '%s' must be a list of strings%s, not %s", path, key,
                 one_ok ? " or a string" : "", type_word(v));
        return -1;
    }
    size_t len = (size_t)cJSON_GetArraySize(v), i = 0;
    *out = sl_xcalloc(len + 1, sizeof **out);
    *n = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        if (!cJSON_IsString(e) || !*e->valuestring) {
            snprintf(err, errsz, "config '%s': '%s'[%zu] must be a non-empty string, not %s", path,
                     key, i, cJSON_IsString(e) ? "an empty string" : type_word(e));
            return -1;
        }
        (*out)[(*n)++] = e->valuestring;
    }
    return 0;
}

static char *join_path(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir) return sl_xstrdup(rel);
    size_t a = strlen(dir), b = strlen(rel);
    char *p = sl_xmalloc(a + b + 2);
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, rel, b + 1);
    return p;
}

static int parse_rule_options(struct sl_config *c, const cJSON *rules, char *err, size_t errsz)
{
    const char *path = c->path;
    if (!cJSON_IsObject(rules)) {
        snprintf(err, errsz, "config '%s': 'rules' must be an object of rule ids, not %s", path,
                 type_word(rules));
        return -1;
    }
    size_t cap = 0;
    for (const cJSON *r = rules->child; r; r = r->next)
        for (const cJSON *o = r->child; o && cJSON_IsObject(r); o = o->next) cap++;
    c->values = sl_xcalloc(cap ? cap : 1, sizeof *c->values);
    const char **ids = sl_xcalloc(sl_rule_count + 1, sizeof *ids);
    for (size_t i = 0; i < sl_rule_count; i++) ids[i] = sl_rules[i]->id;
    int rc = -1;
    for (const cJSON *r = rules->child; r; r = r->next) {
        const struct sl_rule *rule = sl_rule_find(r->string);
        if (!rule) {
            unknown(err, errsz, path, "rule", r->string, " in 'rules'", nearest(r->string, ids, sl_rule_count));
            goto out;
        }
        if (!cJSON_IsObject(r)) {
            snprintf(err, errsz, "config '%s': 'rules'.'%s' must be an object of options, not %s",
                     path, r->string, type_word(r));
            goto out;
        }
        for (const cJSON *o = r->child; o; o = o->next) {
            const struct sl_rule_option *decl = NULL;
            const char *names[64];
            size_t n_names = 0;
            for (const struct sl_rule_option *d = rule->options; d && d->name; d++) {
                if (!strcmp(d->name, o->string)) decl = d;
                if (n_names < 64) names[n_names++] = d->name;
            }
            if (!decl) {
                const char *near = nearest(o->string, names, n_names);
                if (!n_names)
                    snprintf(err, errsz, "config '%s': unknown option '%s' of rule '%s' (it has no "
                             "options; see --explain %s)", path, o->string, rule->id, rule->id);
                else if (near)
                    snprintf(err, errsz, "config '%s': unknown option '%s' of rule '%s' (did you "
                             "mean '%s'?)", path, o->string, rule->id, near);
                else
                    snprintf(err, errsz, "config '%s': unknown option '%s' of rule '%s' (see "
                             "--explain %s)", path, o->string, rule->id, rule->id);
                goto out;
            }
            struct sl_rule_optval *v = &c->values[c->n_values];
            *v = (struct sl_rule_optval){ .rule = rule->id, .opt = decl };
            const char *want = NULL;
            switch (decl->type) {
            case SL_OPT_BOOL:
                if (!cJSON_IsBool(o)) want = "a boolean";
                else v->b = cJSON_IsTrue(o);
                break;
            case SL_OPT_INT:
                if (!cJSON_IsNumber(o) || o->valuedouble != (double)(long)o->valuedouble)
                    want = "an integer";
                else v->i = (long)o->valuedouble;
                break;
            case SL_OPT_STRING:
                if (!cJSON_IsString(o)) want = "a string";
                else v->s = o->valuestring;
                break;
            case SL_OPT_STRING_LIST: {
                char key[256];
                snprintf(key, sizeof key, "rules'.'%s'.'%s", rule->id, decl->name);
                const char **list = NULL;
                size_t n = 0;
                int lrc = string_list(path, key, o, false, &list, &n, err, errsz);
                v->list = list;
                c->n_values++;         /* freed with the others */
                if (lrc != 0) goto out;
                continue;
            }
            }
            if (want) {
                snprintf(err, errsz, "config '%s': 'rules'.'%s'.'%s' must be %s, not %s", path,
                         rule->id, decl->name, want, type_word(o));
                goto out;
            }
            c->n_values++;
        }
    }
    rc = 0;
out:
    free(ids);
    return rc;
}

int sl_config_load(struct sl_config *c, const char *path, char *err, size_t errsz)
{
    memset(c, 0, sizeof *c);
    c->path = sl_xstrdup(path);
    const char *slash = strrchr(path, '/');
    c->dir = slash ? dup_n(path, slash == path ? 1 : (size_t)(slash - path)) : sl_xstrdup(".");
    char *text = read_file(path, err, errsz);
    if (!text) return -1;
    const char *end = NULL;
    c->json = cJSON_ParseWithOpts(text, &end, 1);
    if (!c->json) {
        /* end is where parsing stopped: count lines and columns up to it */
        const char *at = end && end >= text ? end : text;
        unsigned line = 1, col = 1;
        for (const char *p = text; p < at && *p; p++) {
            if (*p == '\n') { line++; col = 1; } else col++;
        }
        snprintf(err, errsz, "config '%s': not valid JSON at line %u, column %u", path, line, col);
        free(text);
        return -1;
    }
    free(text);
    const char *cpath = c->path;
    if (!cJSON_IsObject(c->json)) {
        snprintf(err, errsz, "config '%s': the top level must be an object, not %s", cpath,
                 type_word(c->json));
        return -1;
    }
    for (const cJSON *k = c->json->child; k; k = k->next) {
        bool known = false;
        for (const char *const *t = top_keys; *t; t++) known |= !strcmp(*t, k->string);
        if (!known) {
            unknown(err, errsz, cpath, "key", k->string, "", nearest(k->string, top_keys, SIZE_MAX));
            return -1;
        }
        if (cJSON_GetObjectItemCaseSensitive(c->json, k->string) != k) {
            snprintf(err, errsz, "config '%s': key '%s' is given twice", cpath, k->string);
            return -1;
        }
        const char *key = k->string;
        if (!strcmp(key, "$schema")) {
            if (!cJSON_IsString(k)) {
                snprintf(err, errsz, "config '%s': '$schema' must be a string, not %s", cpath, type_word(k));
                return -1;
            }
        } else if (!strcmp(key, "checks")) {
            const char **list = NULL;
            size_t n = 0;
            int rc = string_list(cpath, key, k, true, &list, &n, err, errsz);
            if (rc == 0 && n == 0) {
                snprintf(err, errsz, "config '%s': 'checks' is an empty list", cpath);
                rc = -1;
            }
            if (rc == 0) {
                size_t len = 1;
                for (size_t i = 0; i < n; i++) len += strlen(list[i]) + 1;
                c->checks = sl_xcalloc(len, 1);
                for (size_t i = 0; i < n; i++) {
                    if (i) strcat(c->checks, ",");
                    strcat(c->checks, list[i]);
                }
            }
            free(list);
            if (rc != 0) return -1;
        } else if (!strcmp(key, "wrappers")) {
            const char **list = NULL;
            size_t n = 0;
            if (string_list(cpath, key, k, false, &list, &n, err, errsz) != 0) { free(list); return -1; }
            c->wrappers = sl_xcalloc(n + 1, sizeof *c->wrappers);
            for (size_t i = 0; i < n; i++) {
                char werr[512];
                if (sl_wrapper_parse(list[i], &c->wrappers[i], werr, sizeof werr) != 0) {
                    snprintf(err, errsz, "config '%s': 'wrappers'[%zu]: %s", cpath, i, werr);
                    free(list);
                    return -1;
                }
                c->n_wrappers++;
            }
            free(list);
        } else if (!strcmp(key, "blocking")) {
            if (string_list(cpath, key, k, false, &c->blocking, &c->n_blocking, err, errsz) != 0) return -1;
            for (size_t i = 0; i < c->n_blocking; i++)
                if (!sl_is_c_name(c->blocking[i])) {
                    snprintf(err, errsz, "config '%s': 'blocking'[%zu]: '%s' is not a function name",
                             cpath, i, c->blocking[i]);
                    return -1;
                }
        } else if (!strcmp(key, "io_locks")) {
            if (string_list(cpath, key, k, false, &c->io_locks, &c->n_io_locks, err, errsz) != 0) return -1;
        } else if (!strcmp(key, "exclude")) {
            if (string_list(cpath, key, k, false, &c->exclude, &c->n_exclude, err, errsz) != 0) return -1;
        } else if (!strcmp(key, "baseline")) {
            if (!cJSON_IsString(k) || !*k->valuestring) {
                snprintf(err, errsz, "config '%s': 'baseline' must be a file name, not %s", cpath,
                         cJSON_IsString(k) ? "an empty string" : type_word(k));
                return -1;
            }
            c->baseline = join_path(c->dir, k->valuestring);
        } else if (!strcmp(key, "rules")) {
            if (parse_rule_options(c, k, err, errsz) != 0) return -1;
        } else {
            sl_bug("config key '%s' listed but not handled", key);
        }
    }
    return 0;
}

void sl_config_free(struct sl_config *c)
{
    for (size_t i = 0; c->wrappers && i < c->n_wrappers; i++) sl_wrapper_free(&c->wrappers[i]);
    free(c->wrappers);
    free(c->blocking);
    free(c->io_locks);
    free(c->exclude);
    for (size_t i = 0; i < c->n_values; i++) free((void *)c->values[i].list);
    free(c->values);
    free(c->checks);
    free(c->baseline);
    free(c->path);
    free(c->dir);
    cJSON_Delete(c->json);
    memset(c, 0, sizeof *c);
}

/* Move the config's list into the option's when the command line gave none. */
#define TAKE_LIST(field, nfield)                        \
    do {                                                \
        if (!o->nfield && c->field) {                   \
            free(o->field);                             \
            o->field = c->field;                        \
            o->nfield = c->nfield;                      \
            c->field = NULL;                            \
            c->nfield = 0;                              \
        }                                               \
    } while (0)

int sl_config_setup(struct sl_config *c, struct sl_options *o, char *err, size_t errsz)
{
    memset(c, 0, sizeof *c);
    if (o->no_config) return 0;
    char *path = NULL;
    if (o->config) {
        path = sl_xstrdup(o->config);
    } else {
        char *start = NULL;
        if (o->n_files) {
            const char *f = o->files[0];
            const char *slash = strrchr(f, '/');
            start = slash ? dup_n(f, slash == f ? 1 : (size_t)(slash - f)) : sl_xstrdup(".");
        } else {
            start = sl_xstrdup(o->compdb_dir ? o->compdb_dir : ".");
        }
        path = sl_config_find(start);
        free(start);
        if (!path) return 0;
    }
    int rc = sl_config_load(c, path, err, errsz);
    free(path);
    if (rc != 0) return -1;
    if (!o->checks) o->checks = c->checks;
    if (!o->baseline) o->baseline = c->baseline;
    if (!o->n_exclude && c->exclude) o->exclude_base = c->dir;
    TAKE_LIST(blocking, n_blocking);
    TAKE_LIST(io_locks, n_io_locks);
    TAKE_LIST(exclude, n_exclude);
    TAKE_LIST(wrappers, n_wrappers);
    o->rule_values = c->values;
    o->n_rule_values = c->n_values;
    return 0;
}

/* An absolute, '.'-free spelling of path (the file need not exist). */
static char *absolute(const char *path)
{
    char buf[PATH_MAX];
    if (realpath(path, buf)) return sl_xstrdup(buf);
    if (path[0] == '/') return sl_xstrdup(path);
    if (!getcwd(buf, sizeof buf)) return sl_xstrdup(path);
    return join_path(buf, path);
}

static bool glob_matches(const char *glob, const char *rel)
{
    if (fnmatch(glob, rel, 0) == 0) return true;
    /* a leading directory: "third_party" excludes what is under it */
    char *copy = sl_xstrdup(rel);
    bool hit = false;
    for (char *s = strrchr(copy, '/'); s && !hit; s = strrchr(copy, '/')) {
        *s = 0;
        hit = *copy && (fnmatch(glob, copy, 0) == 0 ||
                        (strlen(glob) > 1 && glob[strlen(glob) - 1] == '/' &&
                         !strncmp(glob, copy, strlen(glob) - 1) && !copy[strlen(glob) - 1]));
    }
    free(copy);
    return hit;
}

bool sl_config_excluded(const struct sl_options *o, const char *file)
{
    if (!o->n_exclude) return false;
    char *abs = absolute(file);
    char *base = absolute(o->exclude_base ? o->exclude_base : ".");
    size_t bl = strlen(base);
    const char *rel = abs;
    if (bl == 1 && base[0] == '/') rel = abs + 1;
    else if (!strncmp(abs, base, bl) && abs[bl] == '/') rel = abs + bl + 1;
    bool hit = false;
    for (size_t i = 0; i < o->n_exclude && !hit; i++) {
        const char *g = o->exclude[i];
        while (g[0] == '.' && g[1] == '/') g += 2;          /* "./vendor" is "vendor" */
        hit = glob_matches(g, rel) || (rel != abs && g[0] == '/' && glob_matches(g, abs));
    }
    free(abs);
    free(base);
    return hit;
}
