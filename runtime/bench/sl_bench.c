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
               "  runs every before/after pair (or the named ones) for 1 thread and\n"
               "  every online core; SL_BENCH_QUICK=1 makes each run tiny (format checks),\n"
               "  SL_BENCH_VERBOSE=1 prints every repetition to stderr, SL_BENCH_NOPIN=1\n"
               "  leaves thread placement to the scheduler (default: thread i on CPU i)\n");
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
    printf("# sl-bench: %u online cpus, median of %d interleaved repetitions%s\n",
           sl_bench_ncpu(), SL_BENCH_REPS, sl_bench_quick() ? " (SL_BENCH_QUICK)" : "");
    fflush(stdout);
    if (argc == 1) {
        for (size_t i = 0; i < NPAIRS; i++)
            if (sl_bench_run_pair(pairs[i], stdout) != 0) rc = 1;
        return rc;
    }
    for (int a = 1; a < argc; a++) {
        size_t i;
        for (i = 0; i < NPAIRS; i++)
            if (!strcmp(pairs[i]->name, argv[a])) break;
        if (i == NPAIRS) {
            fprintf(stderr, "sl-bench: unknown pair '%s' (see sl-bench --list)\n", argv[a]);
            rc = 2;
            continue;
        }
        if (sl_bench_run_pair(pairs[i], stdout) != 0) rc = 1;
    }
    return rc;
}
