/* suggest.h - the suppression comment a code action inserts. */
#ifndef SL_LSP_SUGGEST_H
#define SL_LSP_SUGGEST_H

#include <stddef.h>
#include "diag.h"

struct sl_suggest_edit {
    struct sl_range where;     /* the range to replace (empty: an insertion); file unset */
    char *text;                /* malloc'd */
};

/* The edit that suppresses rule on 1-based line of text: the rule added to
 * a `// sync-lint: ignore[...]` comment alone on the line before, or a new
 * such line before it with its indentation (and its line ending, "\r\n"
 * in a CRLF file).  Returns 0, or -1 when line is not in text. */
int sl_suggest_suppression(const char *text, size_t len, unsigned line, const char *rule,
                           struct sl_suggest_edit *out);

#endif
