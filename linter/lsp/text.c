/* text.c - document text, positions and URIs (text.h). */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

void sl_text_set(struct sl_text *t, const char *s, size_t len)
{
    if (len + 1 > t->cap) {
        t->cap = len + 1;
        t->s = sl_xrealloc(t->s, t->cap);
    }
    memcpy(t->s, s, len);
    t->s[len] = 0;
    t->len = len;
}

void sl_text_free(struct sl_text *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* Length of the UTF-8 sequence at p (at most n bytes), and its code point
 * width in UTF-16 units; invalid bytes are one byte, one unit. */
static size_t utf8_step(const unsigned char *p, size_t n, unsigned *u16)
{
    unsigned char c = p[0];
    size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (k == 0 || k > n) { *u16 = 1; return 1; }
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80) { *u16 = 1; return 1; }
    *u16 = k == 4 ? 2 : 1;
    return k;
}

unsigned sl_text_units(const char *line, size_t nbytes, enum sl_pos_enc enc)
{
    if (enc == SL_ENC_UTF8) return (unsigned)nbytes;
    const unsigned char *p = (const unsigned char *)line;
    unsigned units = 0;
    for (size_t i = 0; i < nbytes;) {
        unsigned u16;
        i += utf8_step(p + i, nbytes - i, &u16);
        units += enc == SL_ENC_UTF16 ? u16 : 1;
    }
    return units;
}

/* The end of the line starting at b (before "\r\n" or "\n"). */
static size_t line_len(const char *b, size_t avail)
{
    const char *nl = memchr(b, '\n', avail);
    size_t l = nl ? (size_t)(nl - b) : avail;
    if (l && b[l - 1] == '\r') l--;
    return l;
}

size_t sl_lsp_offset(const char *s, size_t len, unsigned line, unsigned ch, enum sl_pos_enc enc)
{
    size_t off = 0;
    for (unsigned k = 0; k < line; k++) {
        const char *nl = memchr(s + off, '\n', len - off);
        if (!nl) return len;
        off = (size_t)(nl - s) + 1;
    }
    size_t l = line_len(s + off, len - off);
    const unsigned char *p = (const unsigned char *)s + off;
    size_t i = 0;
    unsigned units = 0;
    while (i < l && units < ch) {
        unsigned u16;
        size_t k = utf8_step(p + i, l - i, &u16);
        unsigned w = enc == SL_ENC_UTF8 ? (unsigned)k : enc == SL_ENC_UTF16 ? u16 : 1;
        /* a position inside a character (half a surrogate pair, a byte of a
         * sequence in UTF-8) moves to its end, never splitting it */
        i += k;
        units += w;
    }
    return off + i;
}

void sl_text_replace(struct sl_text *t, size_t from, size_t to, const char *repl, size_t n)
{
    if (from > t->len) from = t->len;
    if (to > t->len) to = t->len;
    if (to < from) to = from;
    size_t nlen = t->len - (to - from) + n;
    if (nlen + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap < nlen + 1) cap *= 2;
        t->s = sl_xrealloc(t->s, cap);
        t->cap = cap;
    }
    memmove(t->s + from + n, t->s + to, t->len - to);
    memcpy(t->s + from, repl, n);
    t->len = nlen;
    t->s[nlen] = 0;
}

void sl_lines_build(struct sl_lines *li, const char *s, size_t len)
{
    li->s = s;
    li->len = len;
    size_t cap = 64;
    li->start = sl_xmalloc(cap * sizeof *li->start);
    li->n = 0;
    li->start[li->n++] = 0;
    for (const char *p = s, *e = s + len; (p = memchr(p, '\n', (size_t)(e - p))); p++) {
        if (li->n == cap) li->start = sl_xreallocarray(li->start, cap *= 2, sizeof *li->start);
        li->start[li->n++] = (size_t)(p - s) + 1;
    }
}

void sl_lines_free(struct sl_lines *li)
{
    free(li->start);
    memset(li, 0, sizeof *li);
}

unsigned sl_lines_char(const struct sl_lines *li, unsigned line, unsigned col, enum sl_pos_enc enc)
{
    if (line == 0 || line > li->n || col <= 1) return 0;
    size_t b = li->start[line - 1];
    size_t l = line_len(li->s + b, li->len - b);
    size_t bytes = col - 1;
    if (bytes > l) bytes = l;
    return sl_text_units(li->s + b, bytes, enc);
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *sl_uri_to_path(const char *uri)
{
    if (strncmp(uri, "file://", 7)) return NULL;
    const char *p = uri + 7;
    if (!strncmp(p, "localhost/", 10)) p += 9;
    if (*p != '/') return NULL;               /* file://host/...: not ours */
    size_t n = strlen(p);
    char *out = sl_xmalloc(n + 1), *w = out;
    for (; *p && *p != '?' && *p != '#'; p++) {
        int h1, h2;
        if (*p == '%' && (h1 = hexval(p[1])) >= 0 && (h2 = hexval(p[2])) >= 0) {
            *w++ = (char)(h1 * 16 + h2);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = 0;
    if (memchr(out, 0, (size_t)(w - out))) { free(out); return NULL; }   /* %00 */
    return out;
}

char *sl_path_to_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *out = sl_xmalloc(7 + 3 * n + 1), *w = out;
    memcpy(w, "file://", 7);
    w += 7;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (plain) *w++ = (char)c;
        else { *w++ = '%'; *w++ = hex[c >> 4]; *w++ = hex[c & 15]; }
    }
    *w = 0;
    return out;
}
