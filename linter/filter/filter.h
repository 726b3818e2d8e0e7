/* filter.h - the chain every finding passes between the analysis and a
 * reporter: one interface, filters applied in order.
 *
 * The default chain is suppressions -> sort -> dedupe (by identity) ->
 * fingerprints.  The baseline (baseline.h) and diff-range (diffrange.h)
 * filters are further entries a session adds after it
 * (sl_session_options.extra_filters).  A filter may drop diagnostics, add tool diagnostics (an unused
 * suppression) or fill fields (fingerprints); it never reorders what it
 * keeps except the sort.  Filters run on one thread.
 */
#ifndef SL_FILTER_H
#define SL_FILTER_H

#include <stddef.h>
#include "diag.h"
#include "source.h"
#include "stats.h"

struct sl_rule;

/* What a filter may read about the run. */
struct sl_filter_ctx {
    struct sl_source_cache *sources;        /* file texts, read once */
    const char *const *main_files;          /* the translation units linted */
    size_t n_main;
    const struct sl_rule *const *enabled;   /* the enabled rules */
    size_t n_enabled;
    struct sl_stats *stats;                 /* the run's counters a filter adds to */
};

struct sl_filter {
    const char *name;
    void (*apply)(const struct sl_filter *self, struct sl_diag_list *l,
                  const struct sl_filter_ctx *cx);
    void *state;                            /* the filter's own (baseline file, ...) */
};

extern const struct sl_filter sl_filter_suppressions;   /* suppress.h's comments */
extern const struct sl_filter sl_filter_sort;           /* file, line, column, rule */
extern const struct sl_filter sl_filter_dedupe;         /* one finding per identity */
extern const struct sl_filter sl_filter_fingerprints;   /* fingerprint.h */

/* The default chain above, in order; *n receives its length. */
const struct sl_filter *const *sl_filter_default_chain(size_t *n);

void sl_filter_run(const struct sl_filter *const *chain, size_t n, struct sl_diag_list *l,
                   const struct sl_filter_ctx *cx);

/* Keep one diagnostic per identity: rule, file, range and the rule's own
 * identity key (what the finding is about: a record type, a lock class).
 * The same finding seen by several translation units (a header struct, an
 * inline function) is one; a message that differs by TU does not split it.
 * l must be sorted; the first of each run is kept. */
void sl_dedupe(struct sl_diag_list *l);

#endif
