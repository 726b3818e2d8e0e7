/* status.h - what a run says about itself on stderr: the ninja-style
 * progress line while it runs (terminals only) and the one-line summary
 * at the end. */
#ifndef SL_STATUS_H
#define SL_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "diag.h"

/* The progress line: "[started/total] file", rewritten in place, cut to
 * the terminal's width, erased by sl_progress_end.  The session calls
 * sl_progress_update one call at a time (its progress callback). */
struct sl_progress {
    FILE *out;
    int fd;
    unsigned width;            /* columns; refreshed on each update */
    bool shown;                /* a line is on the screen */
};

/* Whether out (a terminal, file descriptor fd) gets a progress line:
 * a terminal that is not TERM=dumb. */
bool sl_progress_wanted(int fd);
void sl_progress_init(struct sl_progress *p, FILE *out, int fd);
void sl_progress_update(void *p, size_t started, size_t total, const char *file);
void sl_progress_end(struct sl_progress *p);

/* The counts of the summary line, from the run's results. */
struct sl_run_counts {
    size_t files, warnings, errors, notes, tool_errors;
};
void sl_run_count(const struct sl_diag_list *l, size_t files, struct sl_run_counts *c);

/* "sync-lint: 3 files, 2 warnings, 0 errors, 0 tool errors in 0.4 s"
 * (", N notes" after the errors when there are notes). */
void sl_run_summary(FILE *out, const struct sl_run_counts *c, double seconds);

#endif
