/* actions.h - what the editor offers on a finding: code actions (apply its
 * fix, insert a suppression comment, explain the rule) and the hover. */
#ifndef SL_LSP_ACTIONS_H
#define SL_LSP_ACTIONS_H

#include <stddef.h>
#include "diag.h"
#include "text.h"

struct cJSON;

/* A document as its last analysis saw it: the text the findings are of. */
struct sl_lsp_doc_view {
    const char *uri, *path;
    const char *text;
    size_t len;
    const struct sl_diag_list *findings;
};

/* The code actions for the findings on LSP lines [l0, l1] (an array,
 * possibly empty). */
struct cJSON *sl_lsp_code_actions(const struct sl_lsp_doc_view *d, int l0, int l1, enum sl_pos_enc enc);
/* The rule's explanation for a finding under the position, or NULL. */
struct cJSON *sl_lsp_hover(const struct sl_lsp_doc_view *d, unsigned line, unsigned ch, enum sl_pos_enc enc);

#endif
