/* stats.h - what one run analysed, for the reports' "stats" objects. */
#ifndef SL_STATS_H
#define SL_STATS_H

#include <stddef.h>

struct sl_stats {
    size_t files;              /* translation units attempted */
    size_t files_failed;       /* translation units that produced no model */
    size_t functions, lines;
    double seconds;
    size_t baseline_matched;   /* findings hidden because --baseline lists them */
    size_t baseline_stale;     /* --baseline entries that matched no finding */
    size_t outside_diff;       /* findings dropped by --diff-base (not on a changed line) */
};

/* Monotonic seconds, for phase times (--time-report, stats.seconds). */
double sl_now_s(void);

#endif
