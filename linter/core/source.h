/* source.h - the text of source files, read once and shared by the passes
 * after analysis (suppression comments, fingerprints).
 *
 * A cache is used by one thread.  Texts and lines stay valid until
 * sl_sources_free.  Files that cannot be read (or are over 64 MiB) are
 * remembered as absent: the callers then simply see no text.
 */
#ifndef SL_SOURCE_H
#define SL_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct sl_source_cache;

/* A new, empty cache; aborts on out-of-memory like the arena. */
struct sl_source_cache *sl_sources_new(void);
void sl_sources_free(struct sl_source_cache *c);

/* The NUL-terminated text of path (read on first use), or NULL when it
 * cannot be read.  *len (if len) is its size in bytes. */
const char *sl_sources_text(struct sl_source_cache *c, const char *path, size_t *len);

/* Use text[0..len) (copied) as the text of path from now on: an editor's
 * unsaved buffer, which the suppression comments and fingerprints must
 * read instead of the file on disk. */
void sl_sources_put(struct sl_source_cache *c, const char *path, const char *text, size_t len);

/* Line n (1-based) of path, without its newline: a pointer into the cached
 * text and its length in *len, or NULL when the file or line does not exist. */
const char *sl_sources_line(struct sl_source_cache *c, const char *path, unsigned n,
                            size_t *len);

/* FNV-1a over n bytes: how a file's text is recognised again (the text
 * libclang parsed against the text read later, --fix). */
uint64_t sl_text_hash(const char *p, size_t n);

/* Normalise a path in place, lexically: drop "." segments and empty ones,
 * fold "dir/.." pairs ("/.." is "/"; leading ".." of a relative path stay).
 * Symlinks are not resolved.  "" and "." become ".".  Returns path. */
char *sl_path_normalise(char *path);

#endif
