/* baseline.h - the baseline filter: --baseline FILE reports only findings
 * a recorded baseline does not list; --write-baseline FILE records them.
 *
 * A baseline is JSON written by sync-lint:
 *   {"version": 1, "entries": [{"rule", "file", "function", "fingerprint",
 *                               "code", "message"}, ...]}
 * An entry matches a finding with the same rule and fingerprint
 * (fingerprint.h: rule, file base name, enclosing function, the flagged
 * line without white space, occurrence index), so line shifts and edits
 * elsewhere in the function keep it matched.  "file" is relative to the
 * root the caller names (the working directory); "function", "code" (the
 * flagged line, trimmed) and "message" are for the reader of a review diff.
 *
 * Which entries a run can judge: those whose file is a translation unit of
 * the run, a file some finding of the run points into, or a file that no
 * longer exists.  Others (another shard's files, a header no TU of this run
 * reported in) are neither reported stale nor dropped when writing.
 */
#ifndef SL_BASELINE_H
#define SL_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include "filter.h"

struct sl_baseline;

/* Prepare the filter.  check_path (--baseline, or NULL) must exist and be a
 * valid baseline; write_path (--write-baseline, or NULL) is read for the
 * order of its entries when it exists and must then be valid too.  root is
 * the directory recorded paths are relative to (copied).  Returns 0 with
 * *out owned by the caller (sl_baseline_free), or -1 with err naming the
 * file and the problem (a usage error). */
int sl_baseline_open(struct sl_baseline **out, const char *check_path, const char *write_path,
                     const char *root, char *err, size_t errsz);
void sl_baseline_free(struct sl_baseline *b);

/* The filter for the session's chain (after fingerprints; before the diff
 * range, so that entries outside the diff are still matched); valid until
 * sl_baseline_free.  It
 *  - with check_path: drops the findings the baseline lists (counted in
 *    stats->baseline_matched) and adds a tool note for each judged entry
 *    that matched nothing (stats->baseline_stale);
 *  - with write_path: writes every finding to it (replacing it atomically),
 *    keeping the existing entries that still match (or cannot be judged) in
 *    their places and appending new ones in report order; a write failure
 *    is a tool error.  Without check_path it then drops every finding: they
 *    are the baseline now. */
const struct sl_filter *sl_baseline_filter(struct sl_baseline *b);

/* After the run, with write_path: what was written.  False when nothing was
 * written (no write_path, or the write failed). */
bool sl_baseline_written(const struct sl_baseline *b, size_t *entries, size_t *added,
                         size_t *removed);

#endif
