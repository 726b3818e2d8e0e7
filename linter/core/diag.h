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

/* One textual replacement: the text of where (end exclusive) becomes
 * replacement.  An empty range (end == start) is an insertion, an empty
 * replacement a deletion. */
struct sl_edit {
    struct sl_range where;
    const char *replacement;
};

/* A mechanical fix (SARIF "fixes", JSON "fix", --fix, LSP code actions):
 * a description and one or more edits, all in one file (file; every
 * edits[i].where.file is the same string), sorted by position and
 * pairwise non-overlapping (two insertions at one point count as
 * overlapping: their order would be ambiguous).  The builders below keep
 * these invariants; a fix with no edits is never attached. */
struct sl_fix {
    const char *description;
    const char *file;
    struct sl_edit *edits;
    size_t n_edits;
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

/* Give d a fix of one edit (replacing any fix it had).  Strings are copied.
 * where.file NULL means d->where.file. */
void sl_diag_set_fix(struct sl_diag_list *l, struct sl_diag *d,
                     const char *description, struct sl_range where,
                     const char *replacement);

/* Build a fix of several edits: sl_fix_start, then sl_fix_add per edit,
 * then sl_fix_attach.  A draft lives in l's arena (strings copied there).
 * sl_fix_add returns 0, or -EINVAL (and adds nothing) when the edit is in
 * another file than the draft's first one, has end before start, or
 * overlaps an edit already added; callers then usually give up the fix
 * (a draft never attached costs nothing but arena space).  Edits may be
 * added in any order; they are kept sorted. */
struct sl_fix *sl_fix_start(struct sl_diag_list *l, const char *description);
int sl_fix_add(struct sl_diag_list *l, struct sl_fix *f, struct sl_range where,
               const char *replacement);
/* Attach f to d (f must have at least one edit, else sl_bug).  A draft with
 * where.file NULL in its edits takes d->where.file. */
void sl_fix_attach(struct sl_diag_list *l, struct sl_diag *d, struct sl_fix *f);

/* Position order of two edits' starts, then ends: <0, 0, >0. */
int sl_range_cmp(const struct sl_range *a, const struct sl_range *b);
/* Do two edits of one file conflict (overlap, or insert at one point)? */
bool sl_edits_overlap(const struct sl_range *a, const struct sl_range *b);

/* Sort by file, line, column, rule: output order never depends on -j. */
void sl_diag_sort(struct sl_diag_list *l);

/* Move every diagnostic of src into dst (strings are re-copied into dst's
 * arena); src is left empty. */
void sl_diag_list_move(struct sl_diag_list *dst, struct sl_diag_list *src);
/* Append a copy of every diagnostic of src to dst (strings copied into
 * dst's arena); src is unchanged. */
void sl_diag_list_append(struct sl_diag_list *dst, const struct sl_diag_list *src);

#endif
