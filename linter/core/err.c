/* err.c - bugs, out-of-memory, errors and checked allocation (err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sl_bug(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sync-lint: internal error (a bug in sync-lint, please report it): ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void sl_oom(size_t bytes)
{
    fprintf(stderr, "sync-lint: error: out of memory (allocating %zu bytes)\n", bytes);
    exit(SL_EXIT_USAGE);
}

static void vsay(const char *what, const char *fmt, va_list ap)
{
    fprintf(stderr, "sync-lint: %s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void sl_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("error", fmt, ap);
    va_end(ap);
}

void sl_notice(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("note", fmt, ap);
    va_end(ap);
}

void *sl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) sl_oom(n);
    return p;
}

void *sl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) sl_oom(n * size);
    return p;
}

void *sl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) sl_oom(n);
    return q;
}

void *sl_xreallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) sl_oom(SIZE_MAX);
    return sl_xrealloc(p, n * size);
}

char *sl_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = sl_xmalloc(n);
    memcpy(p, s, n);
    return p;
}
