/* diagjson.h - sync-lint's findings as LSP JSON: ranges in the client's
 * encoding, diagnostics with code, link, related information and tags. */
#ifndef SL_LSP_DIAGJSON_H
#define SL_LSP_DIAGJSON_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "text.h"

struct cJSON;
struct sl_source_cache;

/* Line indexes of the files a publish names: the document's own text, the
 * others from disk. */
struct sl_lsp_texts {
    const char *doc_path;
    struct sl_lines doc_lines;
    struct sl_source_cache *src;
    struct { const char *path; struct sl_lines li; } other[8];
    size_t n_other;
};

void sl_lsp_texts_init(struct sl_lsp_texts *t, const char *path, const char *text, size_t len);
void sl_lsp_texts_free(struct sl_lsp_texts *t);
/* The line index of path's text (the document's own, or from disk; NULL
 * when it cannot be read). */
const struct sl_lines *sl_lsp_texts_lines(struct sl_lsp_texts *t, const char *path);

/* The LSP range of r with lines li (NULL: byte columns as characters). */
struct cJSON *sl_lsp_range(const struct sl_lines *li, const struct sl_range *r, enum sl_pos_enc enc);
/* One diagnostic of the document t was made for. */
struct cJSON *sl_lsp_diagnostic(const struct sl_diag *d, struct sl_lsp_texts *t, enum sl_pos_enc enc);
/* The diagnostics array of a document's results: what a publish carries
 * (drop_parse_errors: in front of clangd, which reports them itself). */
struct cJSON *sl_lsp_diagnostics_json(const struct sl_diag_list *l, const char *path,
                                      const char *text, size_t len, enum sl_pos_enc enc,
                                      bool drop_parse_errors);

#endif
