/* docs.h - analysis of the documents an editor holds open: the engine the
 * language server drives.
 *
 * A document is analysed from its unsaved text with the compile flags of
 * its job.  Its translation unit stays parsed with a precompiled preamble,
 * so reanalysis after an edit reparses only what follows the includes.
 * The whole-program rules run over the summaries of the documents analysed
 * last (a project store shared by the engines of one server).
 *
 * Threads: an engine (one front end) is used by one thread at a time; a
 * document belongs to the engine that analysed it first.  The store is
 * safe to share between engines.
 */
#ifndef SL_DOCS_H
#define SL_DOCS_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "job.h"
#include "session.h"

struct sl_doc_engine;
struct sl_doc_state;
struct sl_doc_store;

/* The summaries of the analysed documents, by file; never NULL. */
struct sl_doc_store *sl_doc_store_new(void);
void sl_doc_store_free(struct sl_doc_store *st);
/* Forget file's summary (its document closed and the file is gone). */
void sl_doc_store_forget(struct sl_doc_store *st, const char *file);

/* An engine with the settings of o (rules, wrappers, blocking functions,
 * output locks, rule options: borrowed until free; jobs, progress, filters
 * and inventory are ignored); never NULL. */
struct sl_doc_engine *sl_doc_engine_new(const struct sl_session_options *o);
void sl_doc_engine_free(struct sl_doc_engine *e);
/* New settings (a reloaded configuration); the documents stay parsed. */
void sl_doc_engine_set_options(struct sl_doc_engine *e, const struct sl_session_options *o);

/* A new document, parsed on first analysis. */
struct sl_doc_state *sl_doc_state_new(void);
/* Free d; e is the engine that analysed it (or any, if it never was). */
void sl_doc_state_free(struct sl_doc_engine *e, struct sl_doc_state *d);

struct sl_doc_timing {
    double parse_s;          /* libclang: the parse or reparse */
    double lower_s;          /* lowering the parsed unit into the model */
    double analysis_s;       /* lowering, passes, rules, project pass, filters */
    bool reparsed;           /* the preamble was reused */
    bool summary_changed;    /* what the whole-program rules read of it changed: the
                                other open documents' findings may have too */
};

/* Analyse job->file with text[0..len) as its contents.  out (initialised)
 * receives the findings in job->file (per-TU and whole-program, over the
 * store's summaries with this document's new one), filtered as a session
 * filters them (suppressions read from text, sort, dedupe, fingerprints),
 * and the tool errors.  job's arguments must not change between calls
 * for one document (free it and start a new one when they do).  Returns
 * 0, or -1 when the file could not be parsed at all (the reason is in out). */
int sl_doc_analyze(struct sl_doc_engine *e, struct sl_doc_state *d, const struct sl_job *job,
                   const char *text, size_t len, struct sl_doc_store *st,
                   struct sl_diag_list *out, struct sl_doc_timing *timing);

#endif
