/* diag.h - a finding, with its notes and optional fix, as every reporter sees it.
 *
 * Diagnostics are produced per translation unit by the rules (or by the
 * driver for tool errors) and collected in an sl_diag_list.  All strings a
 * diagnostic points to are owned by the list's arena; freeing the list frees
 * them.  A list is filled by one thread at a time.
 */
#ifndef SL_DIAG_H
#define SL_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"

enum sl_severity { SL_SEV_NOTE, SL_SEV_WARNING, SL_SEV_ERROR };

/* Who a diagnostic is from: a rule's finding, or sync-lint about its own
 * run (a file it could not read or parse, an unused suppression or
 * wrapper).  Tool diagnostics carry the rule id SL_TOOL_RULE in every
 * output format, but code tests the kind, never the id. */
enum sl_diag_kind { SL_DIAG_FINDING, SL_DIAG_TOOL };
#define SL_TOOL_RULE "sync-lint"

/* A source range.  Lines and columns are 1-based; end_col is one past the
 * last character (exclusive, as SARIF's endColumn). */
struct sl_range {
    const char *file;          /* path as given to / resolved by the driver */
    unsigned line, col, end_line, end_col;
};

struct sl_note {
    struct sl_range where;     /* where.file == NULL: a note with no location */
    const char *message;
};

/* A textual replacement of one range (SARIF "fixes", --fix). */
struct sl_fix {
    const char *description;
    struct sl_range where;
    const char *replacement;
};

struct sl_diag {
    const char *rule;          /* rule id, or SL_TOOL_RULE for tool diagnostics */
    enum sl_diag_kind kind;
    enum sl_severity severity;
    struct sl_range where;
    const char *message;       /* one sentence: what is wrong and why it costs */
    struct sl_note *notes;
    size_t n_notes;
    struct sl_fix *fix;        /* NULL when no mechanical fix exists */
    /* Filled by the driver: a hash of (rule, file, function, normalised
     * source line text, occurrence index) that survives line shifts. */
    char fingerprint[17];
    const char *function;      /* enclosing function name or NULL */
    /* What the finding is about beyond its place (a lock class, a record
     * type), for dedupe across translation units; NULL: the place alone. */
    const char *identity;
};

struct sl_diag_list {
    struct sl_arena arena;
    struct sl_diag *items;
    size_t n, cap;
    /* the last file name and rule id copied: a TU's findings name a
     * handful of files and rules, so most copies are reused */
    const char *last_copy[2];
};

void sl_diag_list_init(struct sl_diag_list *l);
void sl_diag_list_free(struct sl_diag_list *l);

/* Append a diagnostic; message is printf-formatted and copied, and so is
 * where.file (callers pass strings owned by a model that is freed later).  Returns the
 * new entry (valid until the next add) so the caller can attach notes. */
struct sl_diag *sl_diag_add(struct sl_diag_list *l, const char *rule,
                            enum sl_severity sev, struct sl_range where,
                            const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The same with a va_list (the rule kit's reporting helpers). */
struct sl_diag *sl_diag_vadd(struct sl_diag_list *l, const char *rule,
                             enum sl_severity sev, struct sl_range where,
                             const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Append a tool diagnostic (kind SL_DIAG_TOOL, rule SL_TOOL_RULE). */
struct sl_diag *sl_diag_tool(struct sl_diag_list *l, enum sl_severity sev, struct sl_range where,
                             const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static inline bool sl_diag_is_tool_error(const struct sl_diag *d)
{
    return d->kind == SL_DIAG_TOOL && d->severity == SL_SEV_ERROR;
}

/* Attach a note to d (which must belong to l); where.file is copied. */
void sl_diag_note(struct sl_diag_list *l, struct sl_diag *d,
                  struct sl_range where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void sl_diag_vnote(struct sl_diag_list *l, struct sl_diag *d,
                   struct sl_range where, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* Strings are copied. */
void sl_diag_set_fix(struct sl_diag_list *l, struct sl_diag *d,
                     const char *description, struct sl_range where,
                     const char *replacement);

/* Sort by file, line, column, rule: output order never depends on -j. */
void sl_diag_sort(struct sl_diag_list *l);

/* Move every diagnostic of src into dst (strings are re-copied into dst's
 * arena); src is left empty. */
void sl_diag_list_move(struct sl_diag_list *dst, struct sl_diag_list *src);
/* Append a copy of every diagnostic of src to dst (strings copied into
 * dst's arena); src is unchanged. */
void sl_diag_list_append(struct sl_diag_list *dst, const struct sl_diag_list *src);

#endif
