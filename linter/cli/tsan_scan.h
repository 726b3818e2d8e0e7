/* tsan_scan.h - where a repository's build enables ThreadSanitizer, for the
 * review checklist: a bounded search of its CMake files, Makefiles, meson
 * files and CI workflows for -fsanitize=thread (or meson's
 * b_sanitize=thread). */
#ifndef SL_TSAN_SCAN_H
#define SL_TSAN_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/* The limits keep a scan of a huge tree fast: it stops (truncated) rather
 * than walk it all. */
enum {
    SL_TSAN_MAX_DEPTH = 12,          /* directory levels below the root */
    SL_TSAN_MAX_ENTRIES = 50000,     /* directory entries looked at */
    SL_TSAN_MAX_FILES = 1000,        /* build files read */
    SL_TSAN_MAX_BYTES = 1 << 20,     /* read of each build file */
    SL_TSAN_MAX_PLACES = 8,          /* places kept */
};

struct sl_tsan_scan {
    char *places[SL_TSAN_MAX_PLACES];   /* "path:line", relative to the root, malloc'd */
    size_t n_places;
    bool more;                          /* found in more places than kept */
    size_t files;                       /* build files read */
    bool truncated;                     /* a limit stopped the search */
};

/* The repository root of the current directory (git rev-parse
 * --show-toplevel), else the current directory, resolved to an absolute
 * path in buf.  Returns 0, or -1 if neither could be determined. */
int sl_repo_root(char *buf, size_t bufsz);

/* Is this the name of a build file the scan reads?  in_workflows: the file
 * is directly under .github/workflows. */
bool sl_tsan_is_build_file(const char *name, bool in_workflows);

/* Does this line enable ThreadSanitizer? */
bool sl_tsan_line_enables(const char *line, size_t len);

/* Search root (skipping .git, build trees and other hidden directories
 * but .github); never fails: unreadable entries are skipped.  Free with
 * sl_tsan_scan_free. */
void sl_tsan_scan(const char *root, struct sl_tsan_scan *out);
void sl_tsan_scan_free(struct sl_tsan_scan *s);

#endif
