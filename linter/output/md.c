/* md.c - markdown pieces shared by the checklist and the inventory: escaped text, file:line links. */
#include "md.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Markdown-escape text inside one list item (newlines become spaces): the
 * characters GitHub's markdown would read as markup there, with '_' only
 * where it could open or close emphasis (not inside 'g_lock'). */
void sl_md_text(FILE *out, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        if (*p == '\n' || *p == '\r') { putc(' ', out); continue; }
        bool intraword_ = *p == '_' && p > s && (is_word(p[-1]) || p[-1] == '_') &&
                          (is_word(p[1]) || p[1] == '_');
        if ((*p == '_' && !intraword_) || strchr("\\`*[]<|~", *p)) putc('\\', out);
        putc(*p, out);
    }
}

/* path relative to root when it lies under it (resolved through the file
 * system, so "./a.c" and an absolute path agree), else as given.  buf
 * holds the result. */
const char *sl_md_rel_path(const char *path, const char *root, char *buf, size_t bufsz)
{
    char real[PATH_MAX];
    if (root && *root && realpath(path, real)) {
        size_t n = strlen(root);
        while (n > 1 && root[n - 1] == '/') n--;
        if (!strncmp(real, root, n) && real[n] == '/') {
            snprintf(buf, bufsz, "%s", real + n + 1);
            return buf;
        }
    }
    snprintf(buf, bufsz, "%s", path);
    return buf;
}

void sl_md_link(FILE *out, const char *file, unsigned line, const char *root)
{
    char rel[PATH_MAX];
    const char *p = sl_md_rel_path(file, root, rel, sizeof rel);
    fputc('[', out);
    sl_md_text(out, p);
    fprintf(out, ":%u](", line);
    for (const char *c = p; *c; c++) {   /* a link target: spaces and parentheses encoded */
        if (*c == ' ') fputs("%20", out);
        else if (*c == '(' || *c == ')') fprintf(out, "%%%02X", (unsigned char)*c);
        else putc(*c, out);
    }
    fprintf(out, "#L%u)", line);
}

