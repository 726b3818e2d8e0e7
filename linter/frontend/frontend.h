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

/* A document an editor holds open, kept parsed between analyses: its
 * translation unit stays alive with a precompiled preamble (the includes
 * at its top), so reanalysing after an edit reparses only the rest.  A
 * document belongs to the front end that first lowers it (libclang's TU
 * lives in that front end's index): use it with that one only, from one
 * thread at a time, and free it before the front end. */
struct sl_frontend_doc;
struct sl_frontend_doc *sl_frontend_doc_new(void);
void sl_frontend_doc_free(struct sl_frontend *fe, struct sl_frontend_doc *doc);

/* As sl_frontend_lower, with text[0..len) as the contents of job->file
 * (an unsaved buffer; job's arguments must be those of the first call).
 * The first call parses plainly (diagnostics for a file opened only to
 * read come at the cost of a cold parse); the second builds the preamble;
 * later ones reparse reusing it.  The preamble's declarations are lowered
 * when the file refers to them, not all up front: the model then lacks a
 * header's functions, variables and function-pointer tables the file never
 * names (which no finding of the file can be about).  The document keeps
 * a copy of each header's bytes between calls. */
int sl_frontend_doc_lower(struct sl_frontend *fe, struct sl_frontend_doc *doc,
                          const struct sl_job *job, const char *text, size_t len,
                          struct sl_model *m, struct sl_diag_list *errs);
/* How often doc was parsed afresh and reparsed (tests, the benchmark). */
void sl_frontend_doc_counts(const struct sl_frontend_doc *doc, unsigned *parses, unsigned *reparses);

/* Seconds this front end spent in libclang's parser and in lowering, over
 * every job it handled (for --time-report). */
void sl_frontend_times(const struct sl_frontend *fe, double *parse_s, double *lower_s);

#endif
