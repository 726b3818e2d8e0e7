/* fixedit.h - fixes as text: apply a fix's edits to a buffer, and show the
 * change as a unified diff.
 *
 * The pure half of --fix / --fix-dry-run, shared with the language server's
 * code actions: no file system, no globals.  Positions are those of
 * struct sl_range: 1-based lines, 1-based byte columns, end exclusive.  A
 * line ends at "\n"; a "\r" before it belongs to the line's text, so a
 * column never points between "\r" and "\n" unless an edit says so.
 *
 * For the language server (LSP TextEdit, 0-based UTF-16 positions): take
 * the fix's edits from struct sl_fix (diag.h) and convert each end with
 * sl_text_offset plus the client's encoding; a suppression's edit comes from
 * sl_suppression_edit (suppress.h) in the same form.
 */
#ifndef SL_FIXEDIT_H
#define SL_FIXEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "diag.h"

/* The byte offset of (line, col) in text[0, len): col may be one past the
 * line's last character (before its "\n", or the end of the text); line may
 * be one past the last line when the text ends with "\n" and col is 1.
 * Returns the offset, or -1 when the position is not in the text. */
long sl_text_offset(const char *text, size_t len, unsigned line, unsigned col);

/* Apply edits (sorted by position, pairwise non-overlapping, as an sl_fix
 * keeps them; where.file is not read) to text.  On success returns 0 and
 * *out is a malloc'd NUL-terminated copy with the edits made (the caller
 * frees it), *out_len its length.  Returns -EINVAL, *out untouched, when an
 * edit lies outside the text, ends before it starts, or overlaps or
 * precedes the one before it. */
int sl_edits_apply(const char *text, size_t len, const struct sl_edit *edits, size_t n,
                   char **out, size_t *out_len);

/* Write to out the unified diff (3 lines of context) from old to new as
 * `--- a/PATH` / `+++ b/PATH` with @@ hunks, which `git apply` and
 * `patch -p1` accept for a relative path; a file that does or does not end
 * with a newline gets "\ No newline at end of file" where diff(1) puts it.
 * Identical texts write nothing.  Returns 0, or -1 when writing failed. */
int sl_unified_diff(FILE *out, const char *path, const char *old, size_t old_len,
                    const char *new_text, size_t new_len);

#endif
