/* suppress.h - suppression comments: finding them, filtering findings, and
 * reporting suppressions that suppress nothing or name no rule.
 *
 * Forms (in // or block comments; never inside string literals):
 *   sync-lint: ignore[ID, ...] reason     a comment alone on its line covers
 *                                         the next line; after code, its own
 *   sync-lint: ignore-file[ID, ...]       the whole file
 *   NOLINT(sync-lint-ID, ...)             its own line
 *   NOLINTNEXTLINE(sync-lint-ID, ...)     the next line
 *   NOLINTBEGIN(sync-lint-ID) ... NOLINTEND(sync-lint-ID)   the lines between
 * ID is a rule id, a glob over rule ids (`cond-*`) or `*`.  NOLINT lists
 * may name clang-tidy checks too; only `sync-lint-` entries are ours.
 */
#ifndef SL_SUPPRESS_H
#define SL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "source.h"

struct sl_rule;
struct sl_suppressions;

/* A new, empty set; aborts on out-of-memory. */
struct sl_suppressions *sl_suppressions_new(void);
void sl_suppressions_free(struct sl_suppressions *s);

/* Record the suppressions in text, the contents of file (the path exactly as
 * diagnostics name it).  report_unused: whether suppressions here that
 * suppress nothing are reported (true for the files being linted, false for
 * headers, whose findings may come from translation units not in this run).
 * Scanning the same file twice is a no-op. */
void sl_suppressions_scan(struct sl_suppressions *s, const char *file, const char *text,
                          bool report_unused);
bool sl_suppressions_scanned(const struct sl_suppressions *s, const char *file);

/* Remove from l every finding a recorded suppression covers (tool
 * diagnostics of rule "sync-lint" are never suppressed).  Then add to l a
 * warning of rule "sync-lint" for each suppression naming no known rule,
 * each unmatched NOLINTBEGIN/NOLINTEND, and each suppression of an enabled
 * rule that suppressed nothing in a file scanned with report_unused and
 * without a tool error in l (a file that failed to parse has no findings
 * to match).  Returns the number of findings removed. */
size_t sl_suppressions_filter(struct sl_suppressions *s, struct sl_diag_list *l,
                              const struct sl_rule *const *enabled, size_t n_enabled);

/* The driver's pass: scan main_files (reporting unused) and every other file
 * a finding points into (not reporting unused), reading them through src,
 * then filter l as above. */
void sl_suppress_apply(struct sl_diag_list *l, struct sl_source_cache *src,
                       const char *const *main_files, size_t n_main,
                       const struct sl_rule *const *enabled, size_t n_enabled);

/* The edit that suppresses findings of rule_ids (one rule id or glob, or a
 * comma-separated list: "a,b") on line `line` of text (text[len] must be a
 * NUL; the file's contents as diagnostics saw them).  In order of
 * preference:
 *  - a `sync-lint: ignore[...]` comment already covering the line (after
 *    code on it, or alone on the line before) gets ",ID" added to its list;
 *  - a new line `// sync-lint: ignore[ID] reason` is inserted before the
 *    line, indented like it (its tabs and spaces copied), ending as the
 *    line does (CRLF or LF);
 *  - where a line of its own is not safe (the line continues a macro, a
 *    block comment or a string from the line before, or the line before
 *    holds a NOLINTNEXTLINE), a comment at the end of the line, before a
 *    trailing backslash (in a macro: a block comment).
 * reason is made comment-safe (one line, no "* /" closing a block).
 * Returns 0 with *out set (where.file NULL, strings in a), -EEXIST when
 * the line is suppressed for every id already, or -EINVAL when the line
 * does not exist, an id is malformed, or no place is safe. */
struct sl_edit;
struct sl_arena;
int sl_suppression_edit(const char *text, size_t len, unsigned line, const char *rule_ids,
                        const char *reason, struct sl_arena *a, struct sl_edit *out);

/* The same for many lines of one text: the text is scanned once by
 * sl_supp_text_new (which borrows text until free; aborts on out of
 * memory), then each sl_supp_text_edit costs about its line's length.
 * Edits are all against the original text (none is applied in between). */
struct sl_supp_text;
struct sl_supp_text *sl_supp_text_new(const char *text, size_t len);
void sl_supp_text_free(struct sl_supp_text *t);
int sl_supp_text_edit(struct sl_supp_text *t, unsigned line, const char *rule_ids,
                      const char *reason, struct sl_arena *a, struct sl_edit *out);

#endif
