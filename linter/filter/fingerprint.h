/* fingerprint.h - finding identities that survive unrelated edits, for
 * SARIF partialFingerprints, JSON and baselines. */
#ifndef SL_FINGERPRINT_H
#define SL_FINGERPRINT_H

#include "diag.h"
#include "source.h"

/* Fill d->fingerprint (16 hex digits) for every diagnostic of l: a 64-bit
 * hash of the rule id, the file's base name, the enclosing function, the
 * finding's source line with all white space removed, and the occurrence
 * index among diagnostics of l with that same key (in l's order, so sort l
 * first).  Lines inserted or removed elsewhere, re-indentation and moving
 * the tree to another directory leave it unchanged; editing the flagged
 * line changes it.  Source lines are read through src.  Never fails. */
void sl_fingerprint_all(struct sl_diag_list *l, struct sl_source_cache *src);

#endif
