/* suppress.c - suppression comments and stable fingerprints. */
#define _GNU_SOURCE
#include "suppress.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

/* ---- file text cache ---- */

struct text {
    const char *path;
    char *data;           /* NULL if unreadable */
    const char **lines;   /* line starts, 1-based index */
    size_t n_lines;
};

static struct text *texts;
static size_t n_texts, cap_texts;

static struct text *text_of(const char *path)
{
    for (size_t i = 0; i < n_texts; i++)
        if (!strcmp(texts[i].path, path)) return &texts[i];
    if (n_texts == cap_texts) {
        cap_texts = cap_texts ? cap_texts * 2 : 16;
        texts = realloc(texts, cap_texts * sizeof *texts);
        if (!texts) { fputs("sync-lint: out of memory\n", stderr); abort(); }
    }
    struct text *t = &texts[n_texts++];
    memset(t, 0, sizeof *t);
    t->path = strdup(path);
    FILE *f = fopen(path, "rb");
    if (!f) return t;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n < 0 || n > (64L << 20)) { fclose(f); return t; }
    t->data = malloc((size_t)n + 1);
    size_t got = t->data ? fread(t->data, 1, (size_t)n, f) : 0;
    fclose(f);
    if (!t->data) return t;
    t->data[got] = 0;
    size_t cap = 1024;
    t->lines = malloc(cap * sizeof *t->lines);
    t->lines[0] = NULL;
    t->n_lines = 0;
    for (char *p = t->data; *p || p == t->data;) {
        if (t->n_lines + 2 >= cap) {
            cap *= 2;
            t->lines = realloc(t->lines, cap * sizeof *t->lines);
        }
        t->lines[++t->n_lines] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        p = nl + 1;
        if (!*p) break;
    }
    return t;
}

static void texts_free(void)
{
    for (size_t i = 0; i < n_texts; i++) {
        free((void *)texts[i].path);
        free(texts[i].data);
        free(texts[i].lines);
    }
    free(texts);
    texts = NULL;
    n_texts = cap_texts = 0;
}

/* ---- suppression entries ---- */

struct supp {
    const char *file;
    unsigned line;          /* the comment's line */
    bool whole_file, next_line_only;
    char rule[96];          /* id or "*" */
    unsigned used;
};

static struct supp *supps;
static size_t n_supps, cap_supps;

static void add_supp(const char *file, unsigned line, bool whole, bool next_only,
                     const char *rule, size_t len)
{
    while (len && isspace((unsigned char)*rule)) { rule++; len--; }
    while (len && isspace((unsigned char)rule[len - 1])) len--;
    if (!len) return;
    if (n_supps == cap_supps) {
        cap_supps = cap_supps ? cap_supps * 2 : 32;
        supps = realloc(supps, cap_supps * sizeof *supps);
        if (!supps) { fputs("sync-lint: out of memory\n", stderr); abort(); }
    }
    struct supp *s = &supps[n_supps++];
    memset(s, 0, sizeof *s);
    s->file = file;
    s->line = line;
    s->whole_file = whole;
    s->next_line_only = next_only;
    snprintf(s->rule, sizeof s->rule, "%.*s", (int)len, rule);
}

/* Parse a comma list "a, b" between open and close. */
static void add_list(const char *file, unsigned line, bool whole, bool next_only,
                     const char *p, const char *close, const char *strip_prefix)
{
    while (p < close) {
        const char *comma = memchr(p, ',', (size_t)(close - p));
        const char *e = comma ? comma : close;
        const char *s = p;
        while (s < e && isspace((unsigned char)*s)) s++;
        size_t pl = strip_prefix ? strlen(strip_prefix) : 0;
        if (!strip_prefix || ((size_t)(e - s) > pl && !strncmp(s, strip_prefix, pl)))
            add_supp(file, line, whole, next_only, s + pl, (size_t)(e - s) - pl);
        p = e + 1;
    }
}

/* Suppressions inside one comment's text [p, e) found on line ln. */
static void scan_comment(const char *path, unsigned ln, const char *p, const char *e)
{
    const char *q = p;
    while ((q = memmem(q, (size_t)(e - q), "sync-lint:", 10))) {
        const char *r = q + 10;
        while (r < e && *r == ' ') r++;
        bool whole = (size_t)(e - r) >= 12 && !strncmp(r, "ignore-file[", 12);
        if (whole || ((size_t)(e - r) >= 7 && !strncmp(r, "ignore[", 7))) {
            const char *open = r + (whole ? 12 : 7);
            const char *close = memchr(open, ']', (size_t)(e - open));
            if (close) add_list(path, ln, whole, false, open, close, NULL);
        }
        q = r;
    }
    q = p;
    while ((q = memmem(q, (size_t)(e - q), "NOLINT", 6))) {
        bool next = (size_t)(e - q) >= 15 && !strncmp(q, "NOLINTNEXTLINE(", 15);
        const char *open = next ? q + 15 : ((size_t)(e - q) > 6 && q[6] == '(' ? q + 7 : NULL);
        if (open) {
            const char *close = memchr(open, ')', (size_t)(e - open));
            if (close) add_list(path, ln, false, next, open, close, "sync-lint-");
        }
        q += 6;
    }
}

/* Lex the file just enough to find comments (not string or character
 * literals) and scan each comment line for suppressions. */
static void scan_file(const char *path)
{
    struct text *t = text_of(path);
    if (!t->data) return;
    enum { CODE, STR, CHR, LINE, BLOCK } st = CODE;
    unsigned ln = 1;
    const char *seg = NULL;   /* start of the current comment segment */
    for (const char *c = t->data; *c; c++) {
        switch (st) {
        case CODE:
            if (c[0] == '/' && c[1] == '/') { st = LINE; seg = c + 2; c++; }
            else if (c[0] == '/' && c[1] == '*') { st = BLOCK; seg = c + 2; c++; }
            else if (*c == '"') st = STR;
            else if (*c == '\'') st = CHR;
            break;
        case STR:
        case CHR:
            if (*c == '\\' && c[1]) { if (c[1] == '\n') ln++; c++; }
            else if ((st == STR && *c == '"') || (st == CHR && *c == '\'') || *c == '\n') st = CODE;
            break;
        case LINE:
            if (*c == '\n') { scan_comment(path, ln, seg, c); st = CODE; }
            break;
        case BLOCK:
            if (*c == '\n') { scan_comment(path, ln, seg, c); seg = c + 1; }
            else if (c[0] == '*' && c[1] == '/') { scan_comment(path, ln, seg, c); st = CODE; c++; }
            break;
        }
        if (*c == '\n') ln++;
    }
    if ((st == LINE || st == BLOCK) && seg) scan_comment(path, ln, seg, seg + strlen(seg));
}

static bool rule_matches(const char *pattern, const char *rule)
{
    return !strcmp(pattern, "*") || !strcmp(pattern, rule);
}

static bool covers(const struct supp *s, const struct sl_diag *d)
{
    if (!d->where.file || strcmp(s->file, d->where.file)) return false;
    if (!rule_matches(s->rule, d->rule)) return false;
    if (s->whole_file) return true;
    if (s->next_line_only) return d->where.line == s->line + 1;
    return d->where.line == s->line || d->where.line == s->line + 1;
}

static bool enabled_rule(const char *id, const struct sl_rule *const *en, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(en[i]->id, id)) return true;
    return false;
}

void sl_suppress_apply(struct sl_diag_list *l, const char *const *main_files, size_t n_main,
                       const struct sl_rule *const *enabled, size_t n_enabled)
{
    /* Scan each distinct file once. */
    for (size_t i = 0; i < n_main; i++) {
        bool seen = false;
        for (size_t k = 0; k < n_texts && !seen; k++) seen = !strcmp(texts[k].path, main_files[i]);
        if (!seen) scan_file(main_files[i]);
    }
    for (size_t i = 0; i < l->n; i++) {
        const char *f = l->items[i].where.file;
        if (!f) continue;
        bool seen = false;
        for (size_t k = 0; k < n_texts && !seen; k++) seen = !strcmp(texts[k].path, f);
        if (!seen) scan_file(f);
    }
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct sl_diag *d = &l->items[i];
        bool suppressed = false;
        if (strcmp(d->rule, "sync-lint") != 0)
            for (size_t k = 0; k < n_supps; k++)
                if (covers(&supps[k], d)) { supps[k].used++; suppressed = true; }
        if (!suppressed) l->items[w++] = *d;
    }
    l->n = w;
    for (size_t k = 0; k < n_supps; k++) {
        const struct supp *s = &supps[k];
        struct sl_range r = { s->file, s->line, 1, s->line, 2 };
        if (strcmp(s->rule, "*") && !sl_rule_find(s->rule)) {
            sl_diag_add(l, "sync-lint", SL_SEV_WARNING, r,
                        "suppression names unknown rule '%s' (see --list-rules)", s->rule);
        } else if (!s->used && (!strcmp(s->rule, "*") ? n_enabled > 0
                                                       : enabled_rule(s->rule, enabled, n_enabled))) {
            sl_diag_add(l, "sync-lint", SL_SEV_WARNING, r,
                        "suppression of '%s' matches no finding; remove it", s->rule);
        }
    }
    free(supps);
    supps = NULL;
    n_supps = cap_supps = 0;
    (void)texts_free;
}

/* ---- fingerprints ---- */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull;
}

static uint64_t line_hash(const struct sl_diag *d)
{
    uint64_t h = 14695981039346656037ull;
    h = fnv(h, d->rule);
    const char *f = d->where.file ? d->where.file : "";
    const char *base = strrchr(f, '/');
    h = fnv(h, base ? base + 1 : f);
    h = fnv(h, d->function);
    if (d->where.file) {
        struct text *t = text_of(d->where.file);
        if (t->data && d->where.line >= 1 && d->where.line <= t->n_lines) {
            const char *s = t->lines[d->where.line];
            const char *e = strchr(s, '\n');
            if (!e) e = s + strlen(s);
            while (s < e && isspace((unsigned char)*s)) s++;
            while (e > s && isspace((unsigned char)e[-1])) e--;
            for (; s < e; s++)
                if (!isspace((unsigned char)*s)) h = (h ^ (unsigned char)*s) * 1099511628211ull;
        }
    }
    return h;
}

void sl_fingerprint_all(struct sl_diag_list *l)
{
    uint64_t *keys = calloc(l->n ? l->n : 1, sizeof *keys);
    for (size_t i = 0; i < l->n; i++) {
        keys[i] = line_hash(&l->items[i]);
        unsigned occ = 0;
        for (size_t k = 0; k < i; k++)
            if (keys[k] == keys[i]) occ++;
        uint64_t h = keys[i] ^ ((uint64_t)occ * 0x9e3779b97f4a7c15ull);
        snprintf(l->items[i].fingerprint, sizeof l->items[i].fingerprint, "%016llx",
                 (unsigned long long)h);
    }
    free(keys);
    texts_free();
}
