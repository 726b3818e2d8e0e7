/* frontend.h - parse one job with libclang and lower it into an sl_model. */
#ifndef SL_FRONTEND_H
#define SL_FRONTEND_H

#include <clang-c/Index.h>
#include "diag.h"
#include "job.h"
#include "model.h"

/* Parse job->file with idx and lower the TU into m (initialised by the
 * caller).  Parse errors are added to errs as rule "sync-lint" diagnostics
 * naming the file and the reason; lowering continues on what clang could
 * parse.  The TU is disposed before returning; every CXString is disposed.
 * Returns 0 when a model was built (possibly with errors reported), or -1
 * when the file could not be parsed at all (the reason is in errs). */
int sl_frontend_lower(CXIndex idx, const struct sl_job *job,
                      const char *resource_dir, struct sl_model *m,
                      struct sl_diag_list *errs);

#endif
