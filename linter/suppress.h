/* suppress.h - suppression comments, unused-suppression reports, and
 * fingerprints that survive line shifts. */
#ifndef SL_SUPPRESS_H
#define SL_SUPPRESS_H

#include <stdbool.h>
#include "diag.h"

struct sl_rule;

/* Apply the suppression comments of every file a finding points into (and
 * of main_files, for unused-suppression reports):
 *   // sync-lint: ignore[rule-id, ...] reason   (its line and the next)
 *   NOLINT(sync-lint-rule-id) / NOLINTNEXTLINE(sync-lint-rule-id)
 *   // sync-lint: ignore-file[rule-id]          (the whole file)
 * `*` matches every rule.  Suppressed findings are removed from l.  A
 * suppression of an enabled rule that suppresses nothing, or one naming an
 * unknown rule, becomes a warning of rule "sync-lint" in l. */
void sl_suppress_apply(struct sl_diag_list *l, const char *const *main_files, size_t n_main,
                       const struct sl_rule *const *enabled, size_t n_enabled);

/* Fill d->fingerprint for every finding: a hash of the rule, the file's
 * name, the enclosing source line's text (trimmed) and the occurrence
 * index among findings with the same key, so it is stable when lines move. */
void sl_fingerprint_all(struct sl_diag_list *l);

#endif
