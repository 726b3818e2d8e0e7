/* md.h - markdown helpers of the reports (internal to output/). */
#ifndef SL_MD_H
#define SL_MD_H

#include <stddef.h>
#include <stdio.h>

/* Text escaped for one markdown list item; newlines become spaces. */
void sl_md_text(FILE *out, const char *s);

/* path relative to root (absolute, resolved) when it lies under it,
 * resolved through the file system, else as given; the result is in buf. */
const char *sl_md_rel_path(const char *path, const char *root, char *buf, size_t bufsz);

/* "[rel/path:line](rel/path#Lline)" with rel/path relative to root. */
void sl_md_link(FILE *out, const char *file, unsigned line, const char *root);

#endif
