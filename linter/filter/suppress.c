/* suppress.c - suppression comments: scan, filter findings, report stale ones. */
#define _GNU_SOURCE
#include "suppress.h"
#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fixedit.h"
#include "rule.h"

struct supp {
    const char *file;
    unsigned line, col, end_col;   /* where the pattern is written */
    unsigned first, last;          /* lines covered */
    const char *pattern;           /* rule id, glob or "*" */
    const char *form;              /* "ignore", "ignore-file", "NOLINT", ... for messages */
    unsigned used;
    bool report_unused;
    bool foreign;                  /* a bare NOLINT(*) entry: never reported */
};

struct file_rec { const char *path; bool report_unused; };

/* A problem found while scanning (unmatched NOLINTBEGIN ...). */
struct scan_problem { const char *file; unsigned line, col; const char *message; };

struct sl_suppressions {
    struct sl_arena arena;
    struct supp *s;
    size_t n, cap;
    struct file_rec *files;
    size_t n_files, cap_files;
    struct scan_problem *probs;
    size_t n_probs, cap_probs;
};

static void *grow_array(void *p, size_t *cap, size_t elem)
{
    *cap = *cap ? *cap * 2 : 16;
    p = sl_xrealloc(p, *cap * elem);
    return p;
}

struct sl_suppressions *sl_suppressions_new(void)
{
    struct sl_suppressions *s = sl_xcalloc(1, sizeof *s);
    sl_arena_init(&s->arena);
    return s;
}

void sl_suppressions_free(struct sl_suppressions *s)
{
    if (!s) return;
    free(s->s);
    free(s->files);
    free(s->probs);
    sl_arena_free(&s->arena);
    free(s);
}

bool sl_suppressions_scanned(const struct sl_suppressions *s, const char *file)
{
    for (size_t i = 0; i < s->n_files; i++)
        if (!strcmp(s->files[i].path, file)) return true;
    return false;
}

static void problem(struct sl_suppressions *s, const char *file, unsigned line, unsigned col,
                    const char *msg)
{
    if (s->n_probs == s->cap_probs) s->probs = grow_array(s->probs, &s->cap_probs, sizeof *s->probs);
    s->probs[s->n_probs++] = (struct scan_problem){ file, line, col, sl_arena_strdup(&s->arena, msg) };
}

/* ---- the directives of one file, before their lines are resolved ---- */

enum kind { K_IGNORE, K_IGNORE_FILE, K_NOLINT, K_NEXTLINE, K_BEGIN, K_END };
static const char *const kind_name[] = {
    "ignore", "ignore-file", "NOLINT", "NOLINTNEXTLINE", "NOLINTBEGIN", "NOLINTEND",
};

struct directive {
    enum kind kind;
    unsigned line, col, len;   /* the pattern */
    unsigned comment_end;      /* last line of the comment it is in */
    const char *pattern;
    bool foreign;
};

struct scan {
    struct sl_suppressions *s;
    const char *file;
    const char *text;
    struct directive *d;
    size_t n, cap;
};

static unsigned column_of(const char *text, const char *p)
{
    const char *b = p;
    while (b > text && b[-1] != '\n') b--;
    return (unsigned)(p - b) + 1;
}

/* Add each entry of the comma list [p, close); for NOLINT lists only the
 * `sync-lint-` entries (and a bare `*`, which clang-tidy reads as all). */
static void add_list(struct scan *sc, enum kind k, unsigned line, unsigned comment_end,
                     const char *p, const char *close)
{
    bool nolint = k >= K_NOLINT;
    while (p < close) {
        const char *comma = memchr(p, ',', (size_t)(close - p));
        const char *e = comma ? comma : close;
        const char *b = p;
        while (b < e && isspace((unsigned char)*b)) b++;
        const char *t = e;
        while (t > b && isspace((unsigned char)t[-1])) t--;
        bool foreign = false;
        if (nolint) {
            if (t - b == 1 && *b == '*') foreign = true;
            else if ((size_t)(t - b) > 10 && !strncmp(b, "sync-lint-", 10)) b += 10;
            else b = t;   /* another tool's check: not ours */
        }
        if (t > b) {
            if (sc->n == sc->cap) sc->d = grow_array(sc->d, &sc->cap, sizeof *sc->d);
            sc->d[sc->n++] = (struct directive){
                .kind = k, .line = line, .col = column_of(sc->text, b), .len = (unsigned)(t - b),
                .comment_end = comment_end,
                .pattern = sl_arena_strndup(&sc->s->arena, b, (size_t)(t - b)),
                .foreign = foreign,
            };
        }
        p = e + 1;
    }
}

static bool starts(const char *p, const char *e, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(e - p) >= n && !strncmp(p, word, n);
}

/* The directives in one line of a comment, text [p, e) on line ln. */
static void scan_comment_line(struct scan *sc, unsigned ln, unsigned comment_end,
                              const char *p, const char *e)
{
    for (const char *q = p; (q = memmem(q, (size_t)(e - q), "sync-lint:", 10)); ) {
        const char *r = q + 10;
        while (r < e && (*r == ' ' || *r == '\t')) r++;
        enum kind k = starts(r, e, "ignore-file[") ? K_IGNORE_FILE
                    : starts(r, e, "ignore[") ? K_IGNORE : (enum kind)-1;
        if (k == K_IGNORE || k == K_IGNORE_FILE) {
            const char *open = r + (k == K_IGNORE_FILE ? 12 : 7);
            const char *close = memchr(open, ']', (size_t)(e - open));
            if (close) add_list(sc, k, ln, comment_end, open, close);
            else problem(sc->s, sc->file, ln, column_of(sc->text, q),
                         "suppression comment has no closing ']'");
        } else if (starts(r, e, "ignore")) {
            problem(sc->s, sc->file, ln, column_of(sc->text, q),
                    "malformed suppression comment: expected 'sync-lint: ignore[rule-id] reason' "
                    "or 'sync-lint: ignore-file[rule-id]'");
        }
        q = r;
    }
    for (const char *q = p; (q = memmem(q, (size_t)(e - q), "NOLINT", 6)); q += 6) {
        const char *r = q + 6;
        enum kind k;
        if (starts(r, e, "NEXTLINE(")) { k = K_NEXTLINE; r += 9; }
        else if (starts(r, e, "BEGIN(")) { k = K_BEGIN; r += 6; }
        else if (starts(r, e, "END(")) { k = K_END; r += 4; }
        else if (starts(r, e, "(")) { k = K_NOLINT; r += 1; }
        else continue;   /* bare NOLINT: clang-tidy's, not a sync-lint suppression */
        const char *close = memchr(r, ')', (size_t)(e - r));
        if (close) add_list(sc, k, ln, comment_end, r, close);
    }
}

static unsigned count_lines(const char *p, const char *e)
{
    unsigned n = 0;
    for (; p < e; p++) n += *p == '\n';
    return n;
}

/* Lex just enough C to know comments from code and literals; for each
 * comment line, collect its directives; note which lines hold code. */
static void lex(struct scan *sc, bool *has_code, unsigned n_lines)
{
    const char *c = sc->text;
    unsigned ln = 1;
    while (*c) {
        if (c[0] == '/' && (c[1] == '/' || c[1] == '*')) {
            bool block = c[1] == '*';
            const char *body = c + 2, *end;
            if (block) {
                const char *close = strstr(body, "*/");
                end = close ? close : body + strlen(body);
            } else {
                end = body;   /* to the newline, joining backslash-continued lines */
                while (*end && !(*end == '\n' && !(end > body && end[-1] == '\\'))) end++;
            }
            unsigned last = ln + count_lines(body, end);
            const char *seg = body;
            unsigned segln = ln;
            for (const char *x = body; x <= end; x++) {
                if (x == end || *x == '\n') {
                    scan_comment_line(sc, segln, last, seg, x);
                    seg = x + 1;
                    segln++;
                }
            }
            ln = last;
            c = block && *end ? end + 2 : end;
            continue;
        }
        if (*c == '"' || *c == '\'') {
            char q = *c;
            if (ln <= n_lines) has_code[ln] = true;
            for (c++; *c && *c != q && *c != '\n'; c++)
                if (*c == '\\' && c[1]) { if (c[1] == '\n') ln++; c++; }
            if (*c == q) c++;
            continue;
        }
        if (*c == '\n') ln++;
        else if (!isspace((unsigned char)*c) && ln <= n_lines) has_code[ln] = true;
        c++;
    }
}

static void add_supp(struct sl_suppressions *s, const char *file, const struct directive *d,
                     unsigned first, unsigned last, bool report_unused)
{
    if (s->n == s->cap) s->s = grow_array(s->s, &s->cap, sizeof *s->s);
    s->s[s->n++] = (struct supp){
        .file = file, .line = d->line, .col = d->col, .end_col = d->col + d->len,
        .first = first, .last = last, .pattern = d->pattern, .form = kind_name[d->kind],
        .report_unused = report_unused && !d->foreign, .foreign = d->foreign,
    };
}

void sl_suppressions_scan(struct sl_suppressions *s, const char *file, const char *text,
                          bool report_unused)
{
    if (sl_suppressions_scanned(s, file)) return;
    if (s->n_files == s->cap_files) s->files = grow_array(s->files, &s->cap_files, sizeof *s->files);
    const char *path = sl_arena_strdup(&s->arena, file);
    s->files[s->n_files++] = (struct file_rec){ path, report_unused };
    if (!text || (!strstr(text, "sync-lint") && !strstr(text, "NOLINT"))) return;

    unsigned n_lines = count_lines(text, text + strlen(text)) + 1;
    bool *has_code = sl_xcalloc((size_t)n_lines + 2, sizeof *has_code);
    struct scan sc = { .s = s, .file = path, .text = text };
    lex(&sc, has_code, n_lines);

    for (size_t i = 0; i < sc.n; i++) {
        struct directive *d = &sc.d[i];
        switch (d->kind) {
        case K_IGNORE:
            /* alone on its line: the line after the comment; after code: its own */
            if (has_code[d->line]) add_supp(s, path, d, d->line, d->line, report_unused);
            else add_supp(s, path, d, d->line, d->comment_end + 1, report_unused);
            break;
        case K_IGNORE_FILE: add_supp(s, path, d, 1, UINT_MAX, report_unused); break;
        case K_NOLINT: add_supp(s, path, d, d->line, d->line, report_unused); break;
        case K_NEXTLINE: add_supp(s, path, d, d->line + 1, d->line + 1, report_unused); break;
        case K_BEGIN: {
            size_t j;
            for (j = i + 1; j < sc.n; j++)
                if (sc.d[j].kind == K_END && sc.d[j].pattern &&
                    !strcmp(sc.d[j].pattern, d->pattern)) break;
            if (j == sc.n) {
                problem(s, path, d->line, d->col, "NOLINTBEGIN has no matching NOLINTEND; "
                        "it suppresses nothing");
                break;
            }
            add_supp(s, path, d, d->line, sc.d[j].line, report_unused);
            sc.d[j].pattern = NULL;   /* consumed */
            break;
        }
        case K_END:
            if (d->pattern)
                problem(s, path, d->line, d->col, "NOLINTEND has no matching NOLINTBEGIN");
            break;
        }
    }
    free(sc.d);
    free(has_code);
}

/* ---- filtering ---- */

static bool pattern_matches(const char *pattern, const char *rule)
{
    return !strcmp(pattern, "*") || !strcmp(pattern, rule) || fnmatch(pattern, rule, 0) == 0;
}

static bool covers(const struct supp *s, const struct sl_diag *d)
{
    return d->where.file && !strcmp(s->file, d->where.file) && d->where.line >= s->first &&
           d->where.line <= s->last && pattern_matches(s->pattern, d->rule);
}

static bool names_enabled_rule(const char *pattern, const struct sl_rule *const *en, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (pattern_matches(pattern, en[i]->id)) return true;
    return false;
}

static bool names_known_rule(const char *pattern)
{
    if (!strcmp(pattern, "*")) return true;
    for (size_t i = 0; i < sl_rule_count; i++)
        if (pattern_matches(pattern, sl_rules[i]->id)) return true;
    return false;
}

static bool file_reports_unused(const struct sl_suppressions *s, const char *file)
{
    for (size_t i = 0; i < s->n_files; i++)
        if (!strcmp(s->files[i].path, file)) return s->files[i].report_unused;
    return false;
}

static bool file_failed(const struct sl_diag_list *l, size_t n, const char *file)
{
    for (size_t i = 0; i < n; i++)
        if (sl_diag_is_tool_error(&l->items[i]) &&
            l->items[i].where.file && !strcmp(l->items[i].where.file, file))
            return true;
    return false;
}

size_t sl_suppressions_filter(struct sl_suppressions *s, struct sl_diag_list *l,
                              const struct sl_rule *const *enabled, size_t n_enabled)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct sl_diag *d = &l->items[i];
        bool suppressed = false;
        if (d->kind != SL_DIAG_TOOL)
            for (size_t k = 0; k < s->n; k++)
                if (covers(&s->s[k], d)) { s->s[k].used++; suppressed = true; }
        if (!suppressed) l->items[w++] = *d;
    }
    size_t removed = l->n - w;
    l->n = w;
    size_t n_real = l->n;   /* reports added below are not findings to match */
    for (size_t k = 0; k < s->n; k++) {
        const struct supp *x = &s->s[k];
        struct sl_range r = { x->file, x->line, x->col, x->line, x->end_col };
        if (x->foreign) continue;
        if (!names_known_rule(x->pattern)) {
            sl_diag_tool(l, SL_SEV_WARNING, r,
                        "%s suppression names unknown rule '%s' (see --list-rules)", x->form,
                        x->pattern);
        } else if (!x->used && x->report_unused && file_reports_unused(s, x->file) &&
                   names_enabled_rule(x->pattern, enabled, n_enabled) &&
                   !file_failed(l, n_real, x->file)) {
            sl_diag_tool(l, SL_SEV_WARNING, r,
                        "suppression of '%s' matches no finding; remove it", x->pattern);
        }
    }
    for (size_t k = 0; k < s->n_probs; k++) {
        const struct scan_problem *p = &s->probs[k];
        struct sl_range r = { p->file, p->line, p->col, p->line, p->col + 1 };
        sl_diag_tool(l, SL_SEV_WARNING, r, "%s", p->message);
    }
    return removed;
}

void sl_suppress_apply(struct sl_diag_list *l, struct sl_source_cache *src,
                       const char *const *main_files, size_t n_main,
                       const struct sl_rule *const *enabled, size_t n_enabled)
{
    struct sl_suppressions *s = sl_suppressions_new();
    for (size_t i = 0; i < n_main; i++)
        sl_suppressions_scan(s, main_files[i], sl_sources_text(src, main_files[i], NULL), true);
    for (size_t i = 0; i < l->n; i++) {
        const char *f = l->items[i].where.file;
        if (f && !sl_suppressions_scanned(s, f))
            sl_suppressions_scan(s, f, sl_sources_text(src, f, NULL), false);
    }
    sl_suppressions_filter(s, l, enabled, n_enabled);
    sl_suppressions_free(s);
}

/* ---- writing a suppression (--fix-suppress, the language server) ---- */

enum lstate { LS_CODE, LS_BLOCK, LS_LINE, LS_STR };

/* For each line n (1-based): the lexical state where it starts and where
 * it ends (before its newline), and whether it is joined to the line before
 * by a backslash-newline. */
struct line_info { unsigned char start, end; bool spliced; };

static struct line_info *line_states(const char *text, size_t len, unsigned n_lines)
{
    struct line_info *li = sl_xcalloc((size_t)n_lines + 2, sizeof *li);
    enum lstate st = LS_CODE;
    char quote = 0;
    unsigned ln = 1;
    li[1].start = LS_CODE;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\\' && i + 1 < len &&
            (text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < len && text[i + 2] == '\n'))) {
            i += text[i + 1] == '\r' ? 2 : 1;   /* a splice: the state goes on */
            li[ln].end = (unsigned char)st;
            if (ln <= n_lines) { ln++; li[ln].start = (unsigned char)st; li[ln].spliced = true; }
            continue;
        }
        if (c == '\n') {
            li[ln].end = (unsigned char)st;
            if (st == LS_LINE || st == LS_STR) st = LS_CODE;   /* an unterminated literal ends too */
            if (ln <= n_lines) { ln++; li[ln].start = (unsigned char)st; }
            continue;
        }
        switch (st) {
        case LS_CODE:
            if (c == '/' && i + 1 < len && text[i + 1] == '/') { st = LS_LINE; i++; }
            else if (c == '/' && i + 1 < len && text[i + 1] == '*') { st = LS_BLOCK; i++; }
            else if (c == '"' || c == '\'') { st = LS_STR; quote = c; }
            break;
        case LS_BLOCK:
            if (c == '*' && i + 1 < len && text[i + 1] == '/') { st = LS_CODE; i++; }
            break;
        case LS_STR:
            if (c == '\\' && i + 1 < len) i++;
            else if (c == quote) st = LS_CODE;
            break;
        case LS_LINE: break;
        }
    }
    li[ln].end = (unsigned char)st;
    return li;
}

/* The reason as one comment-safe line: control characters become spaces,
 * a trailing backslash (a splice) and, in a block comment, a closing "* /"
 * are broken up. */
static char *clean_reason(struct sl_arena *a, const char *reason, bool block)
{
    if (!reason) reason = "";
    size_t n = strlen(reason);
    char *r = sl_arena_alloc(a, 2 * n + 1), *w = r;
    for (size_t i = 0; i < n; i++) {
        char c = reason[i];
        if ((unsigned char)c < 0x20 || c == 0x7f) c = ' ';
        if (block && c == '/' && w > r && w[-1] == '*') *w++ = ' ';
        *w++ = c;
    }
    while (w > r && (w[-1] == ' ' || w[-1] == '\\')) w--;
    *w = 0;
    return r;
}

static bool valid_rule_list(const char *ids)
{
    if (!ids || !*ids) return false;
    for (const char *p = ids; *p; p++)
        if (!(isalnum((unsigned char)*p) || strchr("-_*?,. ", *p))) return false;
    return true;
}

/* Does the ignore list starting at pattern entry d (its line's first entry
 * of this list) already name each id of ids? */
static bool list_covers_all(const struct scan *sc, size_t first, const char *ids)
{
    for (const char *p = ids; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char id[128];
        while (n && *p == ' ') p++, n--;
        while (n && p[n - 1] == ' ') n--;
        if (n >= sizeof id) return false;
        memcpy(id, p, n);
        id[n] = 0;
        bool found = !n;
        for (size_t k = first; k < sc->n && !found; k++) {
            const struct directive *d = &sc->d[k];
            if (d->kind != K_IGNORE || d->line != sc->d[first].line) break;
            found = pattern_matches(d->pattern, id);
        }
        if (!found) return false;
        if (e) p = e + 1;
        else break;
    }
    return true;
}

struct sl_supp_text {
    const char *text;
    size_t len;
    unsigned n_lines;
    size_t *start;                 /* start[n]: offset of line n (1-based), start[n_lines + 1] = len */
    bool *has_code;
    struct line_info *li;
    struct sl_suppressions *tmp;   /* owns the directives' patterns */
    struct scan sc;
    uint32_t *cover_head, *cover_next;   /* ignore lists by the line they cover (index + 1) */
    bool crlf_file;
};

struct sl_supp_text *sl_supp_text_new(const char *text, size_t len)
{
    struct sl_supp_text *t = sl_xcalloc(1, sizeof *t);
    t->text = text;
    t->len = len;
    unsigned n = 1;
    for (size_t i = 0; i < len; i++) n += text[i] == '\n';
    if (len && text[len - 1] == '\n') n--;   /* no line after the last newline */
    if (!len) n = 0;
    t->n_lines = n;
    t->start = sl_xcalloc((size_t)n + 2, sizeof *t->start);
    unsigned ln = 1;
    t->start[1] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' && ln <= n) t->start[++ln] = i + 1;
    t->start[n + 1] = len;
    t->has_code = sl_xcalloc((size_t)n + 2, sizeof *t->has_code);
    t->tmp = sl_suppressions_new();
    t->sc = (struct scan){ .s = t->tmp, .file = "", .text = text };
    lex(&t->sc, t->has_code, n);
    t->li = line_states(text, len, n ? n : 1);
    t->cover_head = sl_xcalloc((size_t)n + 2, sizeof *t->cover_head);
    t->cover_next = sl_xcalloc(t->sc.n + 1, sizeof *t->cover_next);
    for (size_t i = t->sc.n; i-- > 0;) {   /* prepended from the back: lists in text order */
        const struct directive *d = &t->sc.d[i];
        if (d->kind != K_IGNORE ||
            (i && t->sc.d[i - 1].kind == K_IGNORE && t->sc.d[i - 1].line == d->line))
            continue;   /* the first entry of each ignore list */
        unsigned covered = t->has_code[d->line] ? d->line : d->comment_end + 1;
        if (covered < 1 || covered > n) continue;
        t->cover_next[i] = t->cover_head[covered];
        t->cover_head[covered] = (uint32_t)i + 1;
    }
    const char *nl = memchr(text, '\n', len);
    t->crlf_file = nl && nl > text && nl[-1] == '\r';
    return t;
}

void sl_supp_text_free(struct sl_supp_text *t)
{
    if (!t) return;
    free(t->start);
    free(t->has_code);
    free(t->li);
    free(t->sc.d);
    sl_suppressions_free(t->tmp);
    free(t->cover_head);
    free(t->cover_next);
    free(t);
}

int sl_supp_text_edit(struct sl_supp_text *t, unsigned line, const char *rule_ids,
                      const char *reason, struct sl_arena *a, struct sl_edit *out)
{
    const char *text = t->text;
    size_t len = t->len;
    if (!line || line > t->n_lines || !valid_rule_list(rule_ids)) return -EINVAL;
    const char *lp = text + t->start[line];
    const char *le = memchr(lp, '\n', len - t->start[line]);
    if (!le) le = text + len;
    /* the last line, unterminated: the file's own line ending */
    bool crlf = le == text + len ? t->crlf_file : le > lp && le[-1] == '\r';
    const char *eol = crlf ? "\r\n" : "\n";
    const char *content_end = le > lp && le[-1] == '\r' ? le - 1 : le;

    /* An ignore comment that covers the line already: extend its list. */
    const struct scan *sc = &t->sc;
    for (uint32_t k = t->cover_head[line]; k; k = t->cover_next[k - 1]) {
        size_t i = k - 1;
        const struct directive *d = &sc->d[i];
        if (list_covers_all(sc, i, rule_ids)) return -EEXIST;
        /* the ']' after the list's last entry */
        size_t last = i;
        while (last + 1 < sc->n && sc->d[last + 1].kind == K_IGNORE && sc->d[last + 1].line == d->line)
            last++;
        size_t at = t->start[d->line] + sc->d[last].col - 1 + sc->d[last].len;
        const char *close = at <= len ? memchr(text + at, ']', len - at) : NULL;
        if (!close) continue;
        unsigned ccol = sc->d[last].col + sc->d[last].len + (unsigned)(close - (text + at));
        size_t n = strlen(rule_ids) + 2;
        char *rep = sl_arena_alloc(a, n);
        snprintf(rep, n, ",%s", rule_ids);
        *out = (struct sl_edit){ { NULL, d->line, ccol, d->line, ccol }, rep };
        return 0;
    }

    const struct line_info *L = &t->li[line];
    /* a NOLINTNEXTLINE (ours or clang-tidy's) on the line before would
     * cover the inserted line instead of this one */
    bool nextline_before = line > 1 &&
        memmem(text + t->start[line - 1], t->start[line] - t->start[line - 1], "NOLINTNEXTLINE", 14);
    int rc;
    if (L->start == LS_CODE && !L->spliced && !nextline_before) {
        /* its own line before, with the line's indentation */
        const char *ind = lp;
        while (ind < content_end && (*ind == ' ' || *ind == '\t')) ind++;
        const char *why = clean_reason(a, reason, false);
        size_t n = (size_t)(ind - lp) + strlen(rule_ids) + strlen(why) + 40;
        char *rep = sl_arena_alloc(a, n);
        snprintf(rep, n, "%.*s// sync-lint: ignore[%s]%s%s%s", (int)(ind - lp), lp, rule_ids,
                 *why ? " " : "", why, eol);
        *out = (struct sl_edit){ { NULL, line, 1, line, 1 }, rep };
        rc = 0;
    } else if (t->has_code[line] && (L->end == LS_CODE || L->end == LS_LINE)) {
        /* inside a macro body or after a comment or string that began on an
         * earlier line: a comment at the end of the line covers the line */
        bool splice = line < t->n_lines && t->li[line + 1].spliced;
        const char *at = content_end;
        if (splice) {   /* before the backslash, and the blanks before it */
            at = content_end - 1;
            while (at > lp && (at[-1] == ' ' || at[-1] == '\t')) at--;
        }
        bool block = splice || L->end == LS_LINE;
        const char *why = clean_reason(a, reason, block);
        size_t n = strlen(rule_ids) + strlen(why) + 40;
        char *rep = sl_arena_alloc(a, n);
        if (block)
            snprintf(rep, n, " /* sync-lint: ignore[%s]%s%s */", rule_ids, *why ? " " : "", why);
        else
            snprintf(rep, n, " // sync-lint: ignore[%s]%s%s", rule_ids, *why ? " " : "", why);
        unsigned col = (unsigned)(at - lp) + 1;
        *out = (struct sl_edit){ { NULL, line, col, line, col }, rep };
        rc = 0;
    } else {
        rc = -EINVAL;   /* no place where a comment is certain to be read as one */
    }
    return rc;
}

int sl_suppression_edit(const char *text, size_t len, unsigned line, const char *rule_ids,
                        const char *reason, struct sl_arena *a, struct sl_edit *out)
{
    if (!text) return -EINVAL;
    struct sl_supp_text *t = sl_supp_text_new(text, len);
    int rc = sl_supp_text_edit(t, line, rule_ids, reason, a, out);
    sl_supp_text_free(t);
    return rc;
}
