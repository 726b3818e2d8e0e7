/* frontend.h - parse one job with libclang and lower it into an sl_model.
 *
 * The only layer that includes <clang-c/Index.h>; nothing of libclang shows
 * in this header.  A front end wraps one CXIndex: create every front end a
 * run needs from one thread before workers start (clang_createIndex is not
 * safe to call concurrently), then use each from one thread at a time.
 */
#ifndef SL_FRONTEND_H
#define SL_FRONTEND_H

#include "diag.h"
#include "job.h"
#include "model.h"

struct sl_frontend;

/* A new front end; resource_dir is clang's resource directory (stddef.h,
 * stdatomic.h), NULL for the one found at build time.  Never NULL. */
struct sl_frontend *sl_frontend_new(const char *resource_dir);
void sl_frontend_free(struct sl_frontend *fe);

/* Parse job->file and lower the TU into m (initialised by the caller).
 * Parse errors are added to errs as tool diagnostics naming the file and the
 * reason; lowering continues on what clang could parse.  The TU is disposed
 * before returning; every CXString is disposed.  Returns 0 when a model was
 * built (possibly with errors reported), or -1 when the file could not be
 * parsed at all (the reason is in errs). */
int sl_frontend_lower(struct sl_frontend *fe, const struct sl_job *job,
                      struct sl_model *m, struct sl_diag_list *errs);

/* Seconds this front end spent in libclang's parser and in lowering, over
 * every job it handled (for --time-report). */
void sl_frontend_times(const struct sl_frontend *fe, double *parse_s, double *lower_s);

#endif
