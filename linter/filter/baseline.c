/* baseline.c - the --baseline / --write-baseline filter (baseline.h). */
#include "baseline.h"

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "sort.h"

#define BASELINE_VERSION 1
#define MAX_BASELINE_BYTES (256u << 20)

struct sl_baseline {
    struct sl_filter filter;
    char *check_path, *write_path, *root;
    cJSON *check;          /* --baseline's document, or NULL */
    cJSON *prior;          /* write_path's document as it was, or NULL */
    bool wrote;
    size_t written, added, removed;
};

/* One baseline entry as a sortable key: rule and fingerprint. */
struct key {
    const char *rule, *fp;
    size_t index;          /* in its array */
    bool used;
};

static int cmp_key(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = strcmp(x->fp, y->fp);
    if (!c) c = strcmp(x->rule, y->rule);
    if (!c) c = x->index < y->index ? -1 : x->index > y->index;
    return c;
}

static const char *str_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *read_all(const char *path, size_t *len, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "cannot read baseline '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = sl_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= MAX_BASELINE_BYTES) {
                snprintf(err, errsz, "baseline '%s' is larger than 256 MiB", path);
                free(buf);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = sl_xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        snprintf(err, errsz, "cannot read baseline '%s': read error", path);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static bool is_fingerprint(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n])) return false;
    return n == 16;
}

/* Parse and check a baseline; NULL with err on any problem. */
static cJSON *load(const char *path, char *err, size_t errsz)
{
    size_t len;
    char *text = read_all(path, &len, err, errsz);
    if (!text) return NULL;
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithOpts(text, &end, 1);
    if (!doc) {
        unsigned line = 1;
        for (const char *p = text; end && p < end && *p; p++) line += *p == '\n';
        snprintf(err, errsz, "baseline '%s' is not valid JSON (line %u)", path, line);
        free(text);
        return NULL;
    }
    free(text);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "version");
    const cJSON *entries = cJSON_GetObjectItemCaseSensitive(doc, "entries");
    if (!cJSON_IsObject(doc) || !cJSON_IsNumber(ver) || !cJSON_IsArray(entries)) {
        snprintf(err, errsz, "'%s' is not a sync-lint baseline (an object with \"version\" and "
                 "\"entries\")", path);
        goto bad;
    }
    if (ver->valuedouble != BASELINE_VERSION) {
        snprintf(err, errsz, "baseline '%s' has version %g; this sync-lint reads version %d", path,
                 ver->valuedouble, BASELINE_VERSION);
        goto bad;
    }
    int k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, entries) {
        k++;
        if (!cJSON_IsObject(e)) {
            snprintf(err, errsz, "baseline '%s': entry %d is not an object", path, k);
            goto bad;
        }
        static const char *const required[] = { "rule", "file", "fingerprint" };
        for (size_t r = 0; r < 3; r++) {
            const char *v = str_of(e, required[r]);
            if (!v || !*v) {
                snprintf(err, errsz, "baseline '%s': entry %d has no \"%s\" string", path, k,
                         required[r]);
                goto bad;
            }
        }
        if (!is_fingerprint(str_of(e, "fingerprint"))) {
            snprintf(err, errsz, "baseline '%s': entry %d: \"fingerprint\" must be 16 hex digits",
                     path, k);
            goto bad;
        }
        static const char *const optional[] = { "function", "code", "message" };
        for (size_t r = 0; r < 3; r++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, optional[r]);
            if (v && !cJSON_IsString(v)) {
                snprintf(err, errsz, "baseline '%s': entry %d: \"%s\" must be a string", path, k,
                         optional[r]);
                goto bad;
            }
        }
    }
    return doc;
bad:
    cJSON_Delete(doc);
    return NULL;
}

static void apply(const struct sl_filter *self, struct sl_diag_list *l,
                  const struct sl_filter_ctx *cx);

int sl_baseline_open(struct sl_baseline **out, const char *check_path, const char *write_path,
                     const char *root, char *err, size_t errsz)
{
    struct sl_baseline *b = sl_xcalloc(1, sizeof *b);
    b->root = sl_xstrdup(root ? root : ".");
    if (check_path) {
        b->check_path = sl_xstrdup(check_path);
        if (!(b->check = load(check_path, err, errsz))) goto fail;
    }
    if (write_path) {
        b->write_path = sl_xstrdup(write_path);
        if (access(write_path, F_OK) == 0 && !(b->prior = load(write_path, err, errsz))) goto fail;
    }
    b->filter.name = "baseline";
    b->filter.apply = apply;
    b->filter.state = b;
    *out = b;
    return 0;
fail:
    sl_baseline_free(b);
    *out = NULL;
    return -1;
}

void sl_baseline_free(struct sl_baseline *b)
{
    if (!b) return;
    cJSON_Delete(b->check);
    cJSON_Delete(b->prior);
    free(b->check_path);
    free(b->write_path);
    free(b->root);
    free(b);
}

const struct sl_filter *sl_baseline_filter(struct sl_baseline *b) { return &b->filter; }

bool sl_baseline_written(const struct sl_baseline *b, size_t *entries, size_t *added,
                         size_t *removed)
{
    if (!b->wrote) return false;
    *entries = b->written;
    *added = b->added;
    *removed = b->removed;
    return true;
}

/* path relative to root when under it, lexically normalised; malloc'd. */
static char *relative(const char *root, const char *path)
{
    char *p = sl_xstrdup(path);
    sl_path_normalise(p);
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/') n--;
    if (p[0] == '/' && !strncmp(p, root, n) && p[n] == '/') memmove(p, p + n + 1, strlen(p + n + 1) + 1);
    return p;
}

/* The set of file names (relative) a run can judge entries of. */
struct names { char **v; size_t n, cap; };

static void names_add(struct names *s, char *name)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = sl_xreallocarray(s->v, s->cap, sizeof *s->v);
    }
    s->v[s->n++] = name;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool names_has(const struct names *s, const char *name)
{
    return s->n && bsearch(&name, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

static void names_free(struct names *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
}

/* seen: the files a run looked at; failed: those that could not be read or
 * parsed (their findings are unknown, so their entries stay). */
struct judge { const struct names *seen, *failed; };

static bool judged(const struct sl_baseline *b, const struct judge *j, const char *file)
{
    if (names_has(j->failed, file)) return false;
    if (names_has(j->seen, file)) return true;
    char *path = NULL;
    if (file[0] == '/') path = sl_xstrdup(file);
    else {
        path = sl_xmalloc(strlen(b->root) + strlen(file) + 2);
        sprintf(path, "%s/%s", b->root, file);
    }
    bool gone = access(path, F_OK) != 0 && errno == ENOENT;
    free(path);
    return gone;
}

/* Keys of a document's entries, sorted. */
static struct key *keys_of(const cJSON *doc, size_t *n)
{
    const cJSON *entries = cJSON_GetObjectItemCaseSensitive(doc, "entries");
    *n = (size_t)cJSON_GetArraySize(entries);
    struct key *k = sl_xcalloc(*n ? *n : 1, sizeof *k);
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, entries) {
        k[i].rule = str_of(e, "rule");
        k[i].fp = str_of(e, "fingerprint");
        k[i].index = i;
        i++;
    }
    sl_sort(k, *n, sizeof *k, cmp_key);
    return k;
}

/* Mark and return the first unused key equal to (rule, fp), or NULL. */
static struct key *take(struct key *k, size_t n, const char *rule, const char *fp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {   /* first key >= (fp, rule) */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(k[mid].fp, fp);
        if (!c) c = strcmp(k[mid].rule, rule);
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    for (size_t i = lo; i < n && !strcmp(k[i].fp, fp) && !strcmp(k[i].rule, rule); i++)
        if (!k[i].used) { k[i].used = true; return &k[i]; }
    return NULL;
}

static bool is_finding(const struct sl_diag *d) { return d->kind == SL_DIAG_FINDING; }

static char *trimmed_line(struct sl_source_cache *src, const struct sl_diag *d)
{
    size_t len = 0;
    const char *line = d->where.file ? sl_sources_line(src, d->where.file, d->where.line, &len) : NULL;
    if (!line) return sl_xstrdup("");
    while (len && isspace((unsigned char)*line)) line++, len--;
    while (len && isspace((unsigned char)line[len - 1])) len--;
    char *s = sl_xmalloc(len + 1);
    memcpy(s, line, len);
    s[len] = 0;
    return s;
}

static cJSON *entry_of(const struct sl_diag *d, const char *rel, struct sl_source_cache *src)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "rule", d->rule);
    cJSON_AddStringToObject(e, "file", rel);
    if (d->function) cJSON_AddStringToObject(e, "function", d->function);
    cJSON_AddStringToObject(e, "fingerprint", d->fingerprint);
    char *code = trimmed_line(src, d);
    cJSON_AddStringToObject(e, "code", code);
    free(code);
    cJSON_AddStringToObject(e, "message", d->message);
    return e;
}

/* Write doc to path through a temporary file and rename(): a failed write
 * leaves the old baseline in place.  0 or -errno. */
static int write_doc(const char *path, cJSON *doc)
{
    char *text = cJSON_Print(doc);
    if (!text) return -ENOMEM;
    char *tmp = sl_xmalloc(strlen(path) + 16);
    sprintf(tmp, "%s.tmp%ld", path, (long)getpid());
    int rc = 0;
    FILE *f = fopen(tmp, "w");
    if (!f) rc = -errno;
    else {
        fputs(text, f);
        fputc('\n', f);
        if (ferror(f)) rc = -EIO;
        if (fclose(f) != 0 && !rc) rc = -errno;
        if (!rc && rename(tmp, path) != 0) rc = -errno;
        if (rc) remove(tmp);
    }
    cJSON_free(text);
    free(tmp);
    return rc;
}

/* --write-baseline: the prior entries still found (or not judged) in their
 * places, then the new findings in report order. */
static void write_baseline(struct sl_baseline *b, struct sl_diag_list *l, char **rel,
                           const struct judge *seen, struct sl_source_cache *src)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", BASELINE_VERSION);
    cJSON *entries = cJSON_AddArrayToObject(doc, "entries");
    size_t n_prior = 0;
    struct key *pk = b->prior ? keys_of(b->prior, &n_prior) : NULL;
    bool *fresh = sl_xcalloc(l->n ? l->n : 1, sizeof *fresh);
    for (size_t i = 0; i < l->n; i++)
        if (is_finding(&l->items[i]))
            fresh[i] = !take(pk, n_prior, l->items[i].rule, l->items[i].fingerprint);
    b->removed = 0;
    if (b->prior) {
        /* keys are sorted; walk the prior entries in file order */
        bool *keep = sl_xcalloc(n_prior ? n_prior : 1, sizeof *keep);
        const cJSON *pe = cJSON_GetObjectItemCaseSensitive(b->prior, "entries");
        for (size_t i = 0; i < n_prior; i++) {
            const cJSON *e = cJSON_GetArrayItem(pe, (int)pk[i].index);
            keep[pk[i].index] = pk[i].used || !judged(b, seen, str_of(e, "file"));
        }
        size_t i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, pe) {
            if (keep[i++]) cJSON_AddItemToArray(entries, cJSON_Duplicate(e, 1));
            else b->removed++;
        }
        free(keep);
    }
    b->added = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!fresh[i]) continue;
        cJSON_AddItemToArray(entries, entry_of(&l->items[i], rel[i], src));
        b->added++;
    }
    b->written = (size_t)cJSON_GetArraySize(entries);
    int rc = write_doc(b->write_path, doc);
    if (rc) {
        struct sl_range none = {0};
        sl_diag_tool(l, SL_SEV_ERROR, none, "cannot write baseline '%s': %s", b->write_path,
                     strerror(-rc));
    } else {
        b->wrote = true;
    }
    cJSON_Delete(doc);
    free(fresh);
    free(pk);
}

static void apply(const struct sl_filter *self, struct sl_diag_list *l,
                  const struct sl_filter_ctx *cx)
{
    struct sl_baseline *b = self->state;
    size_t n = l->n;
    /* relative names of every finding's file, and the files a run judges */
    char **rel = sl_xcalloc(n ? n : 1, sizeof *rel);
    struct names seen = {0};
    for (size_t i = 0; i < n; i++)
        if (is_finding(&l->items[i]) && l->items[i].where.file) {
            rel[i] = relative(b->root, l->items[i].where.file);
            names_add(&seen, sl_xstrdup(rel[i]));
        } else {
            rel[i] = sl_xstrdup("");
        }
    for (size_t i = 0; i < cx->n_main; i++) names_add(&seen, relative(b->root, cx->main_files[i]));
    sl_sort(seen.v, seen.n, sizeof *seen.v, cmp_str);
    struct names failed = {0};
    for (size_t i = 0; i < n; i++)
        if (sl_diag_is_tool_error(&l->items[i]) && l->items[i].where.file)
            names_add(&failed, relative(b->root, l->items[i].where.file));
    sl_sort(failed.v, failed.n, sizeof *failed.v, cmp_str);
    struct judge jd = { &seen, &failed };

    if (b->write_path) write_baseline(b, l, rel, &jd, cx->sources);

    bool *drop = sl_xcalloc(l->n ? l->n : 1, sizeof *drop);
    if (b->check) {
        size_t nk;
        struct key *k = keys_of(b->check, &nk);
        for (size_t i = 0; i < n; i++)
            if (is_finding(&l->items[i]) && take(k, nk, l->items[i].rule, l->items[i].fingerprint)) {
                drop[i] = true;
                if (cx->stats) cx->stats->baseline_matched++;
            }
        /* stale entries, in the baseline's order */
        bool *stale = sl_xcalloc(nk ? nk : 1, sizeof *stale);
        for (size_t i = 0; i < nk; i++) stale[k[i].index] = !k[i].used;
        const cJSON *entries = cJSON_GetObjectItemCaseSensitive(b->check, "entries");
        size_t i = 0;
        const cJSON *e;
        struct sl_range none = {0};
        cJSON_ArrayForEach(e, entries) {
            if (!stale[i++]) continue;
            const char *file = str_of(e, "file"), *fn = str_of(e, "function");
            const char *code = str_of(e, "code");
            if (!judged(b, &jd, file)) continue;
            sl_diag_tool(l, SL_SEV_NOTE, none,
                         "baseline '%s' lists a finding that is gone: %s in '%s'%s%s%s%s%s "
                         "(rewrite the baseline with --write-baseline to drop it)",
                         b->check_path, str_of(e, "rule"), file, fn ? ", function '" : "",
                         fn ? fn : "", fn ? "'" : "", code && *code ? ": " : "",
                         code && *code ? code : "");
            if (cx->stats) cx->stats->baseline_stale++;
        }
        free(stale);
        free(k);
    } else if (b->write_path) {
        /* the findings are the baseline now */
        for (size_t i = 0; i < n; i++) drop[i] = is_finding(&l->items[i]);
    }
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++)
        if (i >= n || !drop[i]) l->items[w++] = l->items[i];
    l->n = w;
    free(drop);
    for (size_t i = 0; i < n; i++) free(rel[i]);
    free(rel);
    names_free(&seen);
    names_free(&failed);
}
