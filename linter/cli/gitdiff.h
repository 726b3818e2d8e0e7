/* gitdiff.h - the lines changed since a git revision, for --diff-base. */
#ifndef SL_GITDIFF_H
#define SL_GITDIFF_H

#include <stddef.h>
#include "diffrange.h"

/* The lines changed between the merge-base of rev and HEAD and the working
 * tree (committed, staged and unstaged changes; untracked files count as
 * wholly new; deleted files and pure renames add nothing), read with git
 * run from the current directory (fork/exec, no shell).  Paths are added
 * to out as absolute, symlink-free names under the repository root.
 * Returns 0, or -1 with err naming the problem (git missing, not a git
 * repository, an unknown revision, no common ancestor): a usage error. */
int sl_git_changes(const char *rev, struct sl_changes *out, char *err, size_t errsz);

/* Parse `git diff -U0` output: each hunk's new lines are added to out
 * under root/<path>.  Exposed for tests. */
void sl_git_parse_diff(const char *text, size_t len, const char *root, struct sl_changes *out);

#endif
