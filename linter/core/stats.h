/* stats.h - what one run analysed, for the reports' "stats" objects. */
#ifndef SL_STATS_H
#define SL_STATS_H

#include <stddef.h>

struct sl_stats {
    size_t files;              /* translation units attempted */
    size_t files_failed;       /* translation units that produced no model */
    size_t functions, lines;
    double seconds;
};

/* Monotonic seconds, for phase times (--time-report, stats.seconds). */
double sl_now_s(void);

#endif
