/* test_harness.c - sl-bench's decisions, fed figures a loaded machine
 * produces: the lost-cpu share of a worker and the calibration of the op
 * count (the 0.06x counter-vs-c11atomic came from a calibration that a
 * single 10 ms scheduling delay ended at 16 ops). */
#include <stdio.h>

#include "harness.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

#define MS 1000000LL
#define US 1000LL

static void lost_share(void)
{
    int64_t waited = -1;
    /* schedstat: 30 ms of 100 ms runnable but waiting */
    CHECK(sl_bench_worker_lost(100 * MS, 70 * MS, 30 * MS, 100 * MS, 3, 0, &waited) > 0.29);
    CHECK(waited == 30 * MS);
    /* no schedstat (-1): a worker that never slept but got half the cpu */
    double l = sl_bench_worker_lost(100 * MS, 50 * MS, -1, 100 * MS, 7, 0, &waited);
    CHECK(l > 0.49 && l < 0.51);
    CHECK(waited == 50 * MS);
    /* schedstat says little, CPU against wall says more: the larger wins */
    l = sl_bench_worker_lost(100 * MS, 60 * MS, 1 * MS, 100 * MS, 2, 0, &waited);
    CHECK(l > 0.39 && l < 0.41);
    CHECK(waited == 40 * MS);
    /* a worker that sleeps on its own (a blocking primitive) is not
     * descheduled just because its cpu time is below its wall time */
    CHECK(sl_bench_worker_lost(100 * MS, 10 * MS, 0, 100 * MS, 2, 500, &waited) == 0);
    CHECK(waited == 0);
    /* never switched out: nothing lost */
    CHECK(sl_bench_worker_lost(100 * MS, 99 * MS, -1, 100 * MS, 0, 0, &waited) == 0);
    /* never over the whole */
    CHECK(sl_bench_worker_lost(1 * MS, 0, 5 * MS, 2 * MS, 1, 0, &waited) <= 1.0);
    CHECK(waited <= 1 * MS);
}

static void calibration(void)
{
    const int64_t target = 100 * MS;
    /* The bug: 16 ops whose run took 10 ms of wall time because the last
     * thread waited for a cpu, while the longest worker ran 5 us of its own.
     * That size must not be the one to scale from (it set 300 ops a run). */
    uint64_t next = sl_bench_calib_grow(16, 10 * MS, 5 * US, target);
    CHECK(next > 16);
    CHECK(next == 16 * 8);   /* far off: the big step */
    /* A size whose run took a tenth of the target, on its own: done. */
    CHECK(sl_bench_calib_grow(1 << 20, 12 * MS, 11 * MS, target) == 0);
    /* Long in wall time (threads took turns on busy cpus) and long enough
     * on its own: done too; the scale comes from wall time. */
    CHECK(sl_bench_calib_grow(1 << 20, 40 * MS, 3 * MS, target) == 0);
    /* Close: the small step. */
    CHECK(sl_bench_calib_grow(1 << 20, 8 * MS, 8 * MS, target) == 1 << 21);
    /* Without an end: stops at 2^40. */
    CHECK(sl_bench_calib_grow(1ull << 40, 0, 0, target) == 0);

    /* The scale: the median of three, not the fastest.  Under load a chan
     * run flows (0.5 ms) or stalls (15-30 ms); the lucky fastest one gave
     * every later run a few thousand ops. */
    int64_t w[3] = { 20 * MS, 0 * MS + 500 * US, 25 * MS };
    uint64_t n = sl_bench_calib_scale(10000, w, target);
    CHECK(n == 10000 * 5);   /* 100 ms / 20 ms */
    int64_t same[3] = { 10 * MS, 10 * MS, 10 * MS };
    CHECK(sl_bench_calib_scale(1000, same, target) == 10000);
    int64_t zero[3] = { 0, 0, 0 };
    CHECK(sl_bench_calib_scale(1, zero, target) >= 1);
    int64_t huge[3] = { 1000 * MS, 1000 * MS, 1000 * MS };
    CHECK(sl_bench_calib_scale(1, huge, target) == 1);   /* never 0 ops */
}

int main(void)
{
    lost_share();
    calibration();
    if (failures) {
        fprintf(stderr, "test_harness: %d failures\n", failures);
        return 1;
    }
    printf("test_harness: ok\n");
    return 0;
}
