/* harness.h - sl-bench: one harness for every before/after pair.
 *
 * Interface:
 *   sl_bench_pair                    one pair: the "before" shape and its
 *                                    replacement, measured side by side
 *   pairs.def                        X-macro list: SL_BENCH_PAIR(ident)
 *                                    names `const sl_bench_pair sl_bench_<ident>`
 *   sl_bench_run_pair(p, out)        measure p for 1 thread and for every
 *                                    online core (or p->threads), print lines
 *   sl_bench_quick()                 true under SL_BENCH_QUICK=1 (tiny runs)
 *   sl_bench_verbose()               true under SL_BENCH_VERBOSE=1 (every
 *                                    repetition's ns/op on stderr)
 *   sl_bench_ncpu()                  online cores
 *   sl_bench_sink(v)                 keep v alive against the optimiser
 *   sl_bench_zalloc(size)            zeroed memory aligned to a cache line
 *                                    (state holding SL_ALIGNED_LINE fields
 *                                    needs it: malloc aligns to 16), free()
 *
 * Method: for each thread count, every repetition measures before and
 * after back to back (alternating which goes first), each for about
 * SL_BENCH_TARGET_NS of wall time with an op count calibrated per variant;
 * the reported ns/op is the median over SL_BENCH_REPS (>= 5) repetitions,
 * ns/op = wall time / total ops of all threads (Go's RunParallel), and
 * speedup = before_ns / after_ns from the same run.  Threads start together
 * on a spin gate; wall time runs from the gate to the last thread's end.
 * Thread i is pinned to online CPU i mod ncpu, so a contended run always
 * measures contention between cores, not the scheduler's placement.
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
} sl_bench_pair;

#define SL_BENCH_REPS 5

void *sl_bench_zalloc(size_t size);
bool sl_bench_quick(void);
bool sl_bench_verbose(void);
unsigned sl_bench_ncpu(void);
int sl_bench_run_pair(const sl_bench_pair *p, FILE *out);

static inline void sl_bench_sink(uint64_t v)
{
    __asm__ __volatile__("" : : "r"(v) : "memory");
}

#endif
