/* test_counter.c - sl_counter and sl_striped_counter: units, error paths,
 * and a contended stress test with no lost increments (run under TSan too). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "synclint/counter.h"
#include "synclint/pad.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

struct two { long a; SL_PAD(pad, sizeof(long)); long b; };
SL_ASSERT_APART(struct two, a, b);

#define THREADS 8
#define ITERS 200000

static sl_counter shared = SL_COUNTER_INIT;
static sl_striped_counter striped;

static void *hammer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERS; i++) {
        sl_counter_inc(&shared);
        sl_striped_counter_add(&striped, 2);
    }
    return NULL;
}

int main(void)
{
    sl_counter c;
    sl_counter_init(&c, 5);
    CHECK(sl_counter_load(&c) == 5);
    CHECK(sl_counter_add(&c, 10) == 5);
    CHECK(sl_counter_inc(&c) == 15);
    CHECK(sl_counter_load(&c) == 16);
    sl_counter_store(&c, 0);
    CHECK(sl_counter_load(&c) == 0);
    CHECK(sl_counter_add_acq_rel(&c, 3) == 0);

    sl_striped_counter s;
    CHECK(sl_striped_counter_init(&s, 100000) == -EINVAL);
    CHECK(sl_striped_counter_init(&s, 3) == 0);
    CHECK(s.nstripes == 3);
    CHECK(((uintptr_t)s.stripes % SL_CACHELINE) == 0);
    CHECK(sizeof s.stripes[0] == SL_CACHELINE);
    sl_striped_counter_add(&s, 7);
    CHECK(sl_striped_counter_sum(&s) == 7);
    sl_striped_counter_reset(&s);
    CHECK(sl_striped_counter_sum(&s) == 0);
    sl_striped_counter_destroy(&s);
    CHECK(s.stripes == NULL);

    /* Two stripes for eight threads per round: most share the overflow
     * stripe; three rounds reuse the slots of exited threads. */
    CHECK(sl_striped_counter_init(&striped, 2) == 0);
    pthread_t t[THREADS];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, hammer, NULL) == 0);
        for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    }
    CHECK(sl_counter_load(&shared) == 3ull * THREADS * ITERS);
    CHECK(sl_striped_counter_sum(&striped) == 3ull * THREADS * ITERS * 2);
    sl_striped_counter_destroy(&striped);
    CHECK(sl_striped_counter_init(&striped, 0) == 0);
    CHECK(striped.nstripes >= 64);
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, hammer, NULL) == 0);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    CHECK(sl_striped_counter_sum(&striped) == (uint64_t)THREADS * ITERS * 2);
    sl_striped_counter_destroy(&striped);

    printf("counter: %d failures\n", failures);
    return failures != 0;
}
