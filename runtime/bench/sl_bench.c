/* sl_bench.c - sl-bench main: run every pair (or the named ones) and print
 * one pair=... line per pair and thread count. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define SL_BENCH_PAIR(id) extern const sl_bench_pair sl_bench_##id;
#include "pairs.def"
#undef SL_BENCH_PAIR

static const sl_bench_pair *const pairs[] = {
#define SL_BENCH_PAIR(id) &sl_bench_##id,
#include "pairs.def"
#undef SL_BENCH_PAIR
};

#define NPAIRS (sizeof pairs / sizeof pairs[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: sl-bench [--list] [NAME...]\n"
               "  runs every before/after pair (or the named ones) for 1 thread and every\n"
               "  online core, re-running repetitions another process disturbed; prints a\n"
               "  machine line, then per pair and thread count two stat lines (min/median/max)\n"
               "  and a pair=... speedup=... line (' unstable=1' appended when it is)\n"
               "environment:\n"
               "  SL_BENCH_LOAD=N       N spinning threads beside the run; pairs unpinned at\n"
               "                        2x the cores (throughput per wall- and CPU-second)\n"
               "  SL_BENCH_THREADS=N,M  thread counts instead of the defaults\n"
               "  SL_BENCH_BUDGET_MS=T  time per pair and thread count, re-runs included\n"
               "  SL_BENCH_SPREAD=X     max/min of repetitions above which a pair is\n"
               "                        unstable (default 1.30; 1.50 under load)\n"
               "  SL_BENCH_QUICK=1      tiny runs (format checks)\n"
               "  SL_BENCH_VERBOSE=1    every repetition on stderr ('!' marks disturbed)\n"
               "  SL_BENCH_NOPIN=1      leave placement to the scheduler (default: thread i\n"
               "                        on CPU i when there are no more threads than cores)\n");
}

int main(int argc, char **argv)
{
    int rc = 0;
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage(stdout);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "--list")) {
        for (size_t i = 0; i < NPAIRS; i++)
            printf("%-24s before: %s; after: %s\n", pairs[i]->name,
                   pairs[i]->before_desc, pairs[i]->after_desc);
        return 0;
    }
    for (int a = 1; a < argc; a++) {
        size_t i;
        for (i = 0; i < NPAIRS; i++)
            if (!strcmp(pairs[i]->name, argv[a])) break;
        if (i == NPAIRS) {
            fprintf(stderr, "sl-bench: unknown pair '%s' (see sl-bench --list)\n", argv[a]);
            return 2;
        }
    }
    if (sl_bench_begin(stdout) != 0) {
        fprintf(stderr, "sl-bench: cannot start the load threads\n");
        rc = 1;
    }
    if (argc == 1) {
        for (size_t i = 0; i < NPAIRS; i++)
            if (sl_bench_run_pair(pairs[i], stdout) != 0) rc = 1;
    }
    for (int a = 1; a < argc; a++)   /* in the order named; all known by now */
        for (size_t i = 0; i < NPAIRS; i++)
            if (!strcmp(pairs[i]->name, argv[a]) && sl_bench_run_pair(pairs[i], stdout) != 0) rc = 1;
    sl_bench_end(stdout);
    return rc;
}
