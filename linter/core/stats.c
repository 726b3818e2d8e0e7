/* stats.c - the clock every phase time is read from (stats.h). */
#include "stats.h"

#include <time.h>

double sl_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
