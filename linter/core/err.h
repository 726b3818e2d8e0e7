/* err.h - the one error taxonomy (after git's usage.h).
 *
 *   internal bug         sl_bug(): print the broken invariant, abort.
 *   out of memory        sl_oom(): the one allocation-failure path; every
 *                        allocation in the linter goes through the arena or
 *                        sl_xmalloc & co, which call it.
 *   usage / config error the caller prints "sync-lint: error: ..." with
 *                        sl_error() and exits SL_EXIT_USAGE.
 *   per-file failure     a tool diagnostic (SL_DIAG_TOOL_ERROR in diag.h)
 *                        naming the file; the run goes on.
 * Messages are lowercase, problem first, subject quoted:
 *   cannot parse 'src/x.c': 'foo.h' file not found
 */
#ifndef SL_ERR_H
#define SL_ERR_H

#include <stddef.h>

enum sl_exit { SL_EXIT_CLEAN = 0, SL_EXIT_FINDINGS = 1, SL_EXIT_USAGE = 2 };

/* An invariant of sync-lint itself does not hold: report it and abort. */
_Noreturn void sl_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define SL_ASSERT(cond) \
    ((cond) ? (void)0 : sl_bug("%s:%d: assertion '%s' failed", __FILE__, __LINE__, #cond))

/* Allocation of bytes failed: report and exit (there is nothing useful an
 * analyser can do without memory). */
_Noreturn void sl_oom(size_t bytes);

/* "sync-lint: error: <message>" on stderr. */
void sl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "sync-lint: note: <message>" on stderr. */
void sl_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* malloc & co that never return NULL (sl_oom instead).  Free with free(). */
void *sl_xmalloc(size_t n);
void *sl_xcalloc(size_t n, size_t size);
void *sl_xrealloc(void *p, size_t n);
/* realloc of an array of n elements of size each, checked for overflow. */
void *sl_xreallocarray(void *p, size_t n, size_t size);
char *sl_xstrdup(const char *s);

#endif
