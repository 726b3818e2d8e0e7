/* diffrange.h - the --diff-base filter: keep only findings on changed lines.
 *
 * The changed lines arrive as data (the CLI reads them from git): per file,
 * by absolute normalised path, either "every line" (a new, untracked file)
 * or a set of line ranges.  A finding is kept when its range or the place
 * of any of its notes (where the lock was taken, the other side of a lock
 * order, the call chain) touches a changed line: a change that adds the
 * lock above an existing blocking call is what causes that finding.  Tool
 * errors and tool diagnostics without a place are always kept; tool
 * warnings with a place (an unused suppression) follow the place.
 */
#ifndef SL_DIFFRANGE_H
#define SL_DIFFRANGE_H

#include <stdbool.h>
#include <stddef.h>
#include "filter.h"

struct sl_changes;

/* A new, empty set of changed lines; never NULL. */
struct sl_changes *sl_changes_new(void);
void sl_changes_free(struct sl_changes *c);

/* Lines first .. first+count-1 of path (absolute) changed; count 0 is a
 * no-op.  Every line of path changed (a new file). */
void sl_changes_add(struct sl_changes *c, const char *path, unsigned first, unsigned count);
void sl_changes_add_file(struct sl_changes *c, const char *path);

/* Whether line of path (absolute, normalised) changed.  Call after the
 * last add. */
bool sl_changes_has(struct sl_changes *c, const char *path, unsigned line);

/* The filter over c (borrowed; valid while c lives): files of diagnostics
 * are made absolute against cwd (and resolved through symlinks when they
 * exist).  Dropped findings are counted in stats->outside_diff. */
struct sl_diffrange {
    struct sl_filter filter;
    struct sl_changes *changes;
    char *cwd;
};
void sl_diffrange_init(struct sl_diffrange *f, struct sl_changes *c, const char *cwd);
void sl_diffrange_fini(struct sl_diffrange *f);

#endif
