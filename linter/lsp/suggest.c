/* suggest.c - suppression edits for code actions (suggest.h). */
#include "suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* Offset of 1-based line n, or (size_t)-1. */
static size_t line_start(const char *t, size_t len, unsigned n)
{
    size_t off = 0;
    for (unsigned k = 1; k < n; k++) {
        const char *nl = memchr(t + off, '\n', len - off);
        if (!nl) return (size_t)-1;
        off = (size_t)(nl - t) + 1;
    }
    return off <= len ? off : (size_t)-1;
}

int sl_suggest_suppression(const char *text, size_t len, unsigned line, const char *rule,
                           struct sl_suggest_edit *out)
{
    memset(out, 0, sizeof *out);
    if (line == 0) return -1;
    size_t b = line_start(text, len, line);
    if (b == (size_t)-1) return -1;
    const char *nl = memchr(text + b, '\n', len - b);
    size_t e = nl ? (size_t)(nl - text) : len;
    bool crlf = e > b && text[e - 1] == '\r';
    size_t ind = b;
    while (ind < e && (text[ind] == ' ' || text[ind] == '\t')) ind++;
    /* a suppression comment alone on the line before: add the rule to it */
    if (line > 1) {
        size_t pb = line_start(text, len, line - 1);
        size_t pe = b ? b - 1 : 0;
        if (pe > pb && text[pe - 1] == '\r') pe--;
        size_t p = pb;
        while (p < pe && (text[p] == ' ' || text[p] == '\t')) p++;
        const char *tag = "// sync-lint: ignore[";
        size_t tl = strlen(tag);
        if (pe - p > tl && !strncmp(text + p, tag, tl)) {
            const char *close = memchr(text + p + tl, ']', pe - p - tl);
            if (close) {
                size_t at = (size_t)(close - text);
                out->where = (struct sl_range){ NULL, line - 1, (unsigned)(at - pb) + 1,
                                                line - 1, (unsigned)(at - pb) + 1 };
                size_t n = strlen(rule) + 2;
                out->text = sl_xmalloc(n);
                snprintf(out->text, n, ",%s", rule);
                return 0;
            }
        }
    }
    size_t n = (ind - b) + strlen(rule) + 64;
    out->text = sl_xmalloc(n);
    snprintf(out->text, n, "%.*s// sync-lint: ignore[%s] TODO: why this is safe%s", (int)(ind - b),
             text + b, rule, crlf ? "\r\n" : "\n");
    out->where = (struct sl_range){ NULL, line, 1, line, 1 };
    return 0;
}
