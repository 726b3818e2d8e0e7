/* harness.h - sl-bench: one harness for every before/after pair.
 *
 * Interface:
 *   sl_bench_pair                    one pair: the "before" shape and its
 *                                    replacement, measured side by side
 *   pairs.def                        X-macro list: SL_BENCH_PAIR(ident)
 *                                    names `const sl_bench_pair sl_bench_<ident>`
 *   sl_bench_begin(out)              print the method and the `machine` line
 *                                    (was it idle?), start SL_BENCH_LOAD threads
 *   sl_bench_run_pair(p, out)        measure p at each thread count, print
 *                                    two `stat` lines and one `pair=` line each
 *   sl_bench_end(out)                stop the load, print the `summary` line
 *   sl_bench_quick()                 true under SL_BENCH_QUICK=1 (tiny runs)
 *   sl_bench_verbose()               true under SL_BENCH_VERBOSE=1 (every
 *                                    repetition on stderr, '!' if disturbed)
 *   sl_bench_load()                  SL_BENCH_LOAD: spinning threads to run beside
 *   sl_bench_spread_limit()          SL_BENCH_SPREAD (default 1.30, under load 1.50):
 *                                    max/min of a variant's repetitions above
 *                                    which the pair is unstable
 *   sl_bench_ncpu()                  online cores
 *   sl_bench_sink(v)                 keep v alive against the optimiser
 *   sl_bench_zalloc(size)            zeroed memory aligned to a cache line
 *                                    (state holding SL_ALIGNED_LINE fields
 *                                    needs it: malloc aligns to 16), free()
 *
 * Method.  For each thread count, every repetition measures before and after
 * back to back (alternating which goes first), each for about 100 ms of wall
 * time with an op count calibrated per variant (grown until a run takes
 * 10 ms of wall time and its longest worker 2.5 ms of its own, not counting
 * its waits for a cpu; then the median of three runs sets the scale: on
 * wall time alone a 16-op run whose last thread waited 10 ms for a busy cpu
 * ended the growth and made every later run a few hundred ops, measuring
 * thread start-up, not the primitive).  ns/op = wall time / total ops of
 * all threads (Go's RunParallel), wall time running from the first thread's
 * start to the last one's end; cpu_ns = CPU time of the whole process
 * (load threads excluded) / ops.  Threads start together on a gate they wait at with sched_yield.
 *
 * Interference.  Each worker reads its schedstat run delay (time runnable but
 * waiting for a cpu), its getrusage(RUSAGE_THREAD) context switches and its
 * CPU time around its run, and /proc/stat's steal is read around each
 * repetition.  A worker's lost share is its run delay over its time, or,
 * when it never slept on its own (no voluntary switch) but was switched out,
 * 1 - its CPU time / its wall time if that is more.  A pinned repetition
 * where any worker lost over SL_BENCH_MAX_LOST, or whose last worker started
 * over SL_BENCH_MAX_STAGGER of the wall time after the first, or
 * any repetition with over SL_BENCH_MAX_STEAL of the cpus stolen or over
 * SL_BENCH_MAX_OTHERS of them busy with other processes (/proc/stat's busy
 * ticks minus this process's CPU time: coarse, 10 ms ticks) is disturbed:
 * it is kept aside and another one run, until SL_BENCH_REPS are undisturbed,
 * SL_BENCH_MAX_RUNS were run, or SL_BENCH_BUDGET_MS (default 4000) has
 * passed.  Figures come from the undisturbed repetitions if there
 * are SL_BENCH_MIN_KEPT, else from all of them and the pair is unstable; it
 * is unstable too when a variant's max/min exceeds sl_bench_spread_limit().
 * The `pair=` line carries the medians and ends in ` unstable=1` then.
 *
 * Placement.  With no more threads than cores and no load, thread i is
 * pinned to online CPU i mod ncpu, so a contended run always measures
 * contention between cores, not the scheduler's placement
 * (SL_BENCH_NOPIN=1 leaves it to the scheduler).  Under SL_BENCH_LOAD=N
 * the pairs run unpinned at twice the cores (SL_BENCH_THREADS=N,M
 * overrides the counts), beside N spinning threads: sharing cpus is the
 * point there, so only steal and other processes disturb a repetition, and
 * the figures to read are throughput per wall-second and per CPU-second
 * (wall_mops, cpu_mops), beside load_cpus: the cpus the load threads got
 * meanwhile (their CPU time over the repetition's wall time), since a
 * variant can win wall time by taking cpu from the work beside it.
 *
 * Writing a pair: setup(nthreads) builds shared state (outside the timed
 * region; may be NULL), each variant fn(state, tid, nthreads, iters) runs
 * `iters` operations on thread tid and returns how many ops it did (a pair
 * driven from one thread returns 0 on tid != 0), teardown(state) frees.
 * Name third-party comparisons "<name>-vs-<library>" with the library as
 * "before" and ours as "after".
 */
#ifndef SL_BENCH_HARNESS_H
#define SL_BENCH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t (*sl_bench_fn)(void *state, unsigned tid, unsigned nthreads, uint64_t iters);

typedef struct sl_bench_pair {
    const char *name;              /* "counter", "snapshot-vs-urcu", ... */
    const char *before_desc;       /* what "before" runs, for --list */
    const char *after_desc;
    unsigned threads;              /* 0: 1 and every online core; N: only N */
    void *(*setup)(unsigned nthreads);
    void (*teardown)(void *state);
    sl_bench_fn before;
    sl_bench_fn after;
    bool helpers;                  /* variants start threads of their own (which
                                    * inherit a pinned creator's cpu): never pinned,
                                    * and the workers' run delay is theirs, not
                                    * interference */
} sl_bench_pair;

#define SL_BENCH_REPS 5          /* undisturbed repetitions wanted per variant */
#define SL_BENCH_MIN_KEPT 3      /* fewer: figures from every repetition, unstable */
#define SL_BENCH_MAX_RUNS 15     /* repetitions per variant at most */
#define SL_BENCH_MAX_LOST 0.01   /* share of thread time waiting for a cpu */
#define SL_BENCH_MAX_STEAL 0.01  /* share of cpu time stolen by the hypervisor */
#define SL_BENCH_MAX_OTHERS 0.10 /* share of cpu time other processes used (in ticks) */
#define SL_BENCH_MAX_STAGGER 0.10 /* last worker's start after the first's, share of wall */
#define SL_BENCH_MAX_LOAD 64

void *sl_bench_zalloc(size_t size);
bool sl_bench_quick(void);
bool sl_bench_verbose(void);
unsigned sl_bench_ncpu(void);
unsigned sl_bench_load(void);
double sl_bench_spread_limit(void);
int sl_bench_begin(FILE *out);
int sl_bench_run_pair(const sl_bench_pair *p, FILE *out);
int sl_bench_end(FILE *out);

/* The harness's decisions, pure functions (tested in bench/tests):
 * sl_bench_worker_lost: a worker's share of its time lost to waiting for a
 *   cpu, from its own wall time, CPU time, schedstat run delay (-1 when not
 *   reported) over `window` ns, involuntary and voluntary switches; sets
 *   *waited to the ns it waited.
 * sl_bench_calib_grow: after a calibration run of `iters` ops per thread
 *   that took `wall` ns (its longest worker `eff` ns of its own), the next
 *   size to try, or 0 when this size is the one to scale from.
 * sl_bench_calib_scale: ops per thread for a `target` ns run, from three
 *   runs of `iters` (their median: under load a run flows or stalls). */
double sl_bench_worker_lost(int64_t own, int64_t cpu, int64_t delay, int64_t window, long inv,
                            long vol, int64_t *waited);
uint64_t sl_bench_calib_grow(uint64_t iters, int64_t wall, int64_t eff, int64_t target);
uint64_t sl_bench_calib_scale(uint64_t iters, const int64_t wall[3], int64_t target);

static inline void sl_bench_sink(uint64_t v)
{
    __asm__ __volatile__("" : : "r"(v) : "memory");
}

#endif
