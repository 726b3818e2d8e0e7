/* fixedit.c - apply a fix's edits to a text; the change as a unified diff (Myers). */
#include "fixedit.h"
#include "err.h"
#include "source.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

long sl_text_offset(const char *text, size_t len, unsigned line, unsigned col)
{
    if (!line || !col) return -1;
    size_t p = 0;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(text + p, '\n', len - p);
        if (!nl) return -1;
        p = (size_t)(nl - text) + 1;
    }
    const char *nl = memchr(text + p, '\n', len - p);
    size_t line_end = nl ? (size_t)(nl - text) : len;   /* offset of the '\n' or the end */
    if ((size_t)col - 1 > line_end - p) return -1;
    return (long)(p + col - 1);
}

int sl_edits_apply(const char *text, size_t len, const struct sl_edit *edits, size_t n,
                   char **out, size_t *out_len)
{
    long *off = sl_xcalloc(n ? 2 * n : 1, sizeof *off);
    size_t total = len;
    for (size_t i = 0; i < n; i++) {
        off[2 * i] = sl_text_offset(text, len, edits[i].where.line, edits[i].where.col);
        off[2 * i + 1] = sl_text_offset(text, len, edits[i].where.end_line, edits[i].where.end_col);
        if (off[2 * i] < 0 || off[2 * i + 1] < off[2 * i] ||
            (i && off[2 * i] < off[2 * i - 1]) ||
            (i && off[2 * i] == off[2 * i + 1] && off[2 * i - 2] == off[2 * i - 1] &&
             off[2 * i] == off[2 * i - 1])) {
            free(off);   /* outside, reversed, out of order, or two insertions at one point */
            return -EINVAL;
        }
        total += strlen(edits[i].replacement);
    }
    char *buf = sl_xmalloc(total + 1), *w = buf;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = (size_t)off[2 * i], e = (size_t)off[2 * i + 1];
        memcpy(w, text + at, s - at);
        w += s - at;
        size_t rl = strlen(edits[i].replacement);
        memcpy(w, edits[i].replacement, rl);
        w += rl;
        at = e;
    }
    memcpy(w, text + at, len - at);
    w += len - at;
    *w = 0;
    free(off);
    *out = buf;
    *out_len = (size_t)(w - buf);
    return 0;
}

/* ---- unified diff ---- */

struct line { const char *p; size_t len; uint64_t hash; };   /* len includes the '\n' */

static struct line *split_lines(const char *t, size_t len, size_t *n)
{
    size_t cap = 16, k = 0;
    struct line *v = sl_xmalloc(cap * sizeof *v);
    for (size_t p = 0; p < len;) {
        const char *nl = memchr(t + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - t) + 1 : len;
        if (k == cap) v = sl_xreallocarray(v, cap *= 2, sizeof *v);
        v[k++] = (struct line){ t + p, e - p, sl_text_hash(t + p, e - p) };
        p = e;
    }
    *n = k;
    return v;
}

static bool same(const struct line *a, const struct line *b)
{
    return a->hash == b->hash && a->len == b->len && !memcmp(a->p, b->p, a->len);
}

#define MAX_D 4096   /* beyond this many changed lines, one hunk for the middle */

/* The shortest edit script from a[0, n) to b[0, m) (Myers 1986, greedy,
 * with the V of every step kept for the walk back): written to ops as 'E'
 * (same), 'D' (delete a line of a), 'I' (insert a line of b), in order;
 * returns its length.  When the script needs more than MAX_D changes, all
 * of a is deleted and all of b inserted (correct, not minimal). */
static size_t myers(const struct line *a, long n, const struct line *b, long m, char *ops)
{
    long max = n + m < MAX_D ? n + m : MAX_D;
    int32_t *v = sl_xcalloc((size_t)(2 * max + 3), sizeof *v);
    int32_t **trace = sl_xcalloc((size_t)max + 1, sizeof *trace);
    long off = max + 1, found = -1;
    for (long d = 0; d <= max && found < 0; d++) {
        trace[d] = sl_xmalloc((size_t)(2 * d + 1) * sizeof **trace);
        memcpy(trace[d], v + off - d, (size_t)(2 * d + 1) * sizeof **trace);
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                           : v[off + k - 1] + 1;
            long y = x - k;
            while (x < n && y < m && same(&a[x], &b[y])) x++, y++;
            v[off + k] = (int32_t)x;
            if (x >= n && y >= m) { found = d; break; }
        }
    }
    size_t len = 0;
    if (found < 0) {
        for (long i = 0; i < n; i++) ops[len++] = 'D';
        for (long i = 0; i < m; i++) ops[len++] = 'I';
    } else {
        long x = n, y = m;
        for (long d = found; d > 0; d--) {
            const int32_t *V = trace[d] + d;   /* V[k] for k in [-d, d] */
            long k = x - y;
            long pk = (k == -d || (k != d && V[k - 1] < V[k + 1])) ? k + 1 : k - 1;
            long px = V[pk], py = px - pk;
            while (x > px && y > py && (pk == k + 1 ? y > py + 1 : x > px + 1)) {
                ops[len++] = 'E';
                x--, y--;
            }
            if (pk == k + 1) { ops[len++] = 'I'; y--; }
            else { ops[len++] = 'D'; x--; }
        }
        while (x > 0 && y > 0) { ops[len++] = 'E'; x--, y--; }
        for (size_t i = 0; i < len / 2; i++) {
            char t = ops[i];
            ops[i] = ops[len - 1 - i];
            ops[len - 1 - i] = t;
        }
    }
    for (long d = 0; d <= max; d++) free(trace[d]);
    free(trace);
    free(v);
    return len;
}

static int put_line(FILE *out, char tag, const struct line *l)
{
    fputc(tag, out);
    fwrite(l->p, 1, l->len, out);
    if (!l->len || l->p[l->len - 1] != '\n') fputs("\n\\ No newline at end of file\n", out);
    return 0;
}

#define CONTEXT 3

int sl_unified_diff(FILE *out, const char *path, const char *old, size_t old_len,
                    const char *new_text, size_t new_len)
{
    if (old_len == new_len && !memcmp(old, new_text, old_len)) return 0;
    size_t n, m;
    struct line *a = split_lines(old, old_len, &n);
    struct line *b = split_lines(new_text, new_len, &m);
    size_t pre = 0, suf = 0;
    while (pre < n && pre < m && same(&a[pre], &b[pre])) pre++;
    while (suf < n - pre && suf < m - pre && same(&a[n - 1 - suf], &b[m - 1 - suf])) suf++;
    char *ops = sl_xmalloc(n + m + 1);
    size_t k = 0;
    for (size_t i = 0; i < pre; i++) ops[k++] = 'E';
    k += myers(a + pre, (long)(n - pre - suf), b + pre, (long)(m - pre - suf), ops + k);
    for (size_t i = 0; i < suf; i++) ops[k++] = 'E';

    fprintf(out, "--- a/%s\n+++ b/%s\n", path, path);
    /* ai[j], bi[j]: the line of a and of b at op j */
    size_t *ai = sl_xmalloc((k + 1) * sizeof *ai), *bi = sl_xmalloc((k + 1) * sizeof *bi);
    for (size_t j = 0, x = 0, y = 0; j <= k; j++) {
        ai[j] = x;
        bi[j] = y;
        if (j < k) { x += ops[j] != 'I'; y += ops[j] != 'D'; }
    }
    for (size_t j = 0; j < k;) {
        if (ops[j] == 'E') { j++; continue; }
        /* a hunk: from CONTEXT lines before this change to CONTEXT after the
         * last change no more than 2*CONTEXT same lines from the next */
        size_t start = j >= CONTEXT ? j - CONTEXT : 0, end = j;
        for (size_t q = j; q < k; q++) {
            if (ops[q] != 'E') { end = q + 1; continue; }
            if (q - end >= 2 * CONTEXT) break;
        }
        size_t stop = end + CONTEXT < k ? end + CONTEXT : k;
        size_t alen = ai[stop] - ai[start], blen = bi[stop] - bi[start];
        fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", alen ? ai[start] + 1 : ai[start], alen,
                blen ? bi[start] + 1 : bi[start], blen);
        for (size_t q = start; q < stop; q++) {
            if (ops[q] == 'E') put_line(out, ' ', &a[ai[q]]);
            else if (ops[q] == 'D') put_line(out, '-', &a[ai[q]]);
            else put_line(out, '+', &b[bi[q]]);
        }
        j = stop;
    }
    free(ai);
    free(bi);
    free(ops);
    free(a);
    free(b);
    return ferror(out) ? -1 : 0;
}
