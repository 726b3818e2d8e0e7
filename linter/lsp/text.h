/* text.h - an open document's text: positions in the client's encoding,
 * incremental edits, file URIs.
 *
 * LSP positions are (line, character) from 0, where a character is a
 * UTF-16 code unit unless the client and server agreed on UTF-8 or UTF-32
 * (positionEncoding); sync-lint's columns are bytes from 1.  Lines end at
 * "\n" (a "\r" before it belongs to the line end).  Invalid UTF-8 counts
 * one unit per byte.  Positions past a line's end clamp to it, lines past
 * the end to the end of the text, as the specification asks.
 */
#ifndef SL_LSP_TEXT_H
#define SL_LSP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum sl_pos_enc { SL_ENC_UTF16, SL_ENC_UTF8, SL_ENC_UTF32 };

struct sl_text {
    char *s;                 /* NUL-terminated */
    size_t len, cap;
};

void sl_text_set(struct sl_text *t, const char *s, size_t len);
void sl_text_free(struct sl_text *t);

/* Byte offset of LSP position (line, ch). */
size_t sl_lsp_offset(const char *s, size_t len, unsigned line, unsigned ch, enum sl_pos_enc enc);

/* Replace bytes [from, to) of t by repl[0..n). */
void sl_text_replace(struct sl_text *t, size_t from, size_t to, const char *repl, size_t n);

/* Units of enc in bytes [0, nbytes) of one line's text. */
unsigned sl_text_units(const char *line, size_t nbytes, enum sl_pos_enc enc);

/* A line index over a text, for converting many positions. */
struct sl_lines {
    const char *s;
    size_t len;
    size_t *start;           /* start[k]: offset of line k (0-based) */
    size_t n;
};
void sl_lines_build(struct sl_lines *li, const char *s, size_t len);
void sl_lines_free(struct sl_lines *li);
/* The LSP character of 1-based byte column col on 1-based line (clamped). */
unsigned sl_lines_char(const struct sl_lines *li, unsigned line, unsigned col, enum sl_pos_enc enc);

/* file:// URI <-> path.  to_path returns NULL for a URI that is not a
 * local file (untitled:, https:, a host other than localhost). Both malloc'd. */
char *sl_uri_to_path(const char *uri);
char *sl_path_to_uri(const char *path);

#endif
