/* source.c - a read-once cache of source texts with line indexes; lexical path normalisation. */
#include "source.h"
#include "err.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SL_SOURCE_MAX (64L << 20)

struct source {
    char *path;
    char *data;          /* NULL: unreadable */
    size_t len;
    size_t *starts;      /* offset of line k+1 at starts[k]; built on first line lookup */
    size_t n_lines;
};

struct sl_source_cache {
    struct source *slots;   /* open addressing on the path hash */
    size_t cap, n;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

uint64_t sl_text_hash(const char *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

struct sl_source_cache *sl_sources_new(void)
{
    struct sl_source_cache *c = sl_xcalloc(1, sizeof *c);
    c->cap = 64;
    c->slots = sl_xcalloc(c->cap, sizeof *c->slots);
    return c;
}

void sl_sources_free(struct sl_source_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slots[i].path);
        free(c->slots[i].data);
        free(c->slots[i].starts);
    }
    free(c->slots);
    free(c);
}

static struct source *find_slot(struct source *slots, size_t cap, const char *path)
{
    size_t i = (size_t)hash(path) & (cap - 1);
    while (slots[i].path && strcmp(slots[i].path, path)) i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void grow(struct sl_source_cache *c)
{
    size_t ncap = c->cap * 2;
    struct source *ns = sl_xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].path) *find_slot(ns, ncap, c->slots[i].path) = c->slots[i];
    free(c->slots);
    c->slots = ns;
    c->cap = ncap;
}

static void load(struct source *s)
{
    FILE *f = fopen(s->path, "rb");
    if (!f) return;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > SL_SOURCE_MAX) {
        fclose(f);
        return;
    }
    s->data = sl_xmalloc((size_t)st.st_size + 1);
    s->len = fread(s->data, 1, (size_t)st.st_size, f);
    s->data[s->len] = 0;
    fclose(f);
}

static struct source *get(struct sl_source_cache *c, const char *path)
{
    struct source *s = find_slot(c->slots, c->cap, path);
    if (s->path) return s;
    if ((c->n + 1) * 2 > c->cap) {
        grow(c);
        s = find_slot(c->slots, c->cap, path);
    }
    s->path = sl_xstrdup(path);
    c->n++;
    load(s);
    return s;
}

void sl_sources_put(struct sl_source_cache *c, const char *path, const char *text, size_t len)
{
    struct source *s = find_slot(c->slots, c->cap, path);
    if (!s->path) {
        if ((c->n + 1) * 2 > c->cap) {
            grow(c);
            s = find_slot(c->slots, c->cap, path);
        }
        s->path = sl_xstrdup(path);
        c->n++;
    }
    free(s->data);
    free(s->starts);
    s->starts = NULL;
    s->n_lines = 0;
    s->data = sl_xmalloc(len + 1);
    memcpy(s->data, text, len);
    s->data[len] = 0;
    s->len = len;
}

const char *sl_sources_text(struct sl_source_cache *c, const char *path, size_t *len)
{
    struct source *s = get(c, path);
    if (len) *len = s->len;
    return s->data;
}

const char *sl_sources_line(struct sl_source_cache *c, const char *path, unsigned n,
                            size_t *len)
{
    struct source *s = get(c, path);
    if (!s->data || n == 0) return NULL;
    if (!s->starts) {
        size_t lines = 1;
        for (size_t i = 0; i < s->len; i++) lines += s->data[i] == '\n';
        s->starts = sl_xcalloc(lines, sizeof *s->starts);
        s->n_lines = 0;
        s->starts[s->n_lines++] = 0;
        for (size_t i = 0; i < s->len; i++)
            if (s->data[i] == '\n' && i + 1 < s->len) s->starts[s->n_lines++] = i + 1;
    }
    if (n > s->n_lines) return NULL;
    const char *b = s->data + s->starts[n - 1];
    const char *e = memchr(b, '\n', s->len - s->starts[n - 1]);
    size_t l = e ? (size_t)(e - b) : s->len - s->starts[n - 1];
    if (l && b[l - 1] == '\r') l--;
    if (len) *len = l;
    return b;
}

/* Drop "." segments and fold "dir/.." pairs in place (lexically: the
 * paths are for people and for comparing; symlinks are left alone). */
char *sl_path_normalise(char *path)
{
    bool abs = path[0] == '/';
    char *segs[PATH_MAX / 2];
    size_t n = 0, lead_up = 0;
    for (char *save = NULL, *t = strtok_r(path, "/", &save); t && n < PATH_MAX / 2;
         t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, ".")) continue;
        if (!strcmp(t, "..")) {
            if (n > lead_up) { n--; continue; }
            if (abs) continue;           /* "/.." is "/" */
            lead_up++;
        }
        segs[n++] = t;
    }
    char out[PATH_MAX];
    size_t o = 0;
    if (abs) out[o++] = '/';
    for (size_t i = 0; i < n && o + strlen(segs[i]) + 2 < sizeof out; i++) {
        if (i) out[o++] = '/';
        memcpy(out + o, segs[i], strlen(segs[i]));
        o += strlen(segs[i]);
    }
    if (o == 0) out[o++] = '.';
    out[o] = 0;
    memcpy(path, out, o + 1);   /* never longer than the input */
    return path;
}
