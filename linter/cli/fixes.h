/* fixes.h - --fix, --fix-dry-run and --fix-suppress: turn the findings of a
 * run into edits per file and apply them (or print them as a diff).
 *
 * For each file: the fixes of its findings (in report order) and, for the
 * findings of a --fix-suppress rule, suppression comments instead
 * (sl_suppression_edit, one comment per line naming every such rule on
 * it).  An edit that overlaps one already taken skips its whole fix with a
 * note (an identical edit is shared, not a conflict); the rest are made in
 * one write, the lines they insert ending in CRLF in a CRLF file.  A file
 * with a tool error (it did not parse cleanly) is not fixed, with a note.  The text edited is the one the analysis saw
 * (sl_session_source); before writing, the file on disk is read again and
 * compared with it byte for byte, and a file that changed is refused (a
 * tool error naming it, nothing written to it).  Writing: a temporary file
 * in the same directory, the original's mode (and owner where allowed),
 * fsync, rename over the original (a symlink's target is replaced, the
 * link kept), fsync of the directory.
 *
 * Test hook: SL_TEST_FIX_BEFORE_WRITE=cmd in the environment runs cmd
 * through the shell (with SL_FIX_FILE set to the file's path) just before
 * the comparison, so a test can change a file between analysis and write.
 */
#ifndef SL_CLI_FIXES_H
#define SL_CLI_FIXES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "diag.h"

struct sl_fix_request {
    bool apply;                      /* --fix: make the fixes */
    bool dry_run;                    /* --fix-dry-run: print, write nothing */
    const char *const *suppress;     /* --fix-suppress globs over rule ids */
    size_t n_suppress;
    const char *reason;              /* the suppressions' reason; NULL: a default */
};

/* The text of a file as the analysis read it; NULL: cannot be read, or
 * (errno ESTALE) it is no longer the text the analysis read. */
typedef const char *(*sl_fix_text_fn)(void *arg, const char *path, size_t *len);

struct sl_fix_outcome {
    size_t fixed, suppressed;        /* findings resolved (or, dry run, that would be) */
    size_t files;                    /* files written (or diffed) */
    size_t skipped;                  /* fixes skipped: overlap, no safe place */
    size_t failed_files;             /* files refused or not writable (tool errors) */
};

/* Does rule match one of rq's --fix-suppress globs? */
bool sl_fix_suppresses(const struct sl_fix_request *rq, const char *rule);

/* Apply rq to the findings of l (tool diagnostics are never fixed).
 * resolved (l->n entries, may be NULL) is set true for each finding a fix
 * or suppression was made for (left false in a dry run).  The diff of a dry
 * run goes to diff_out.  Errors and notes go to stderr.  Returns 0, or -1
 * when some file could not be fixed (the others still are). */
int sl_fix_run(const struct sl_diag_list *l, const struct sl_fix_request *rq, sl_fix_text_fn text,
               void *text_arg, FILE *diff_out, bool *resolved, struct sl_fix_outcome *out);

#endif
