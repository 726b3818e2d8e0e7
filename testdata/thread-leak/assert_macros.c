/* thread-leak: test-suite shapes, creation and join inside do { } while (0)
 * assertion macros that abort on failure; a wrapper taking the handle's
 * address for join (uv_thread_join(&t)). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef pthread_t my_thread_t;
int my_thread_create(my_thread_t *t, void (*fn)(void *), void *arg);
int my_thread_join(my_thread_t *t);
int check_state(void);
void worker(void *arg);

#define ASSERT_OK(a)                                  \
    do {                                              \
        int64_t const eval_a = (a);                   \
        if (eval_a) {                                 \
            fprintf(stderr, "failed: %s\n", #a);      \
            abort();                                  \
        }                                             \
    } while (0)

#define RETURN_IF(cond, v) do { if (cond) return (v); } while (0)

/* negative: every failure aborts, the join is reached */
int test_ok(void)
{
    my_thread_t t;
    ASSERT_OK(my_thread_create(&t, worker, NULL));
    ASSERT_OK(check_state());
    ASSERT_OK(my_thread_join(&t));
    return 0;
}

/* positive: a soft check returns before the join */
int test_soft(void)
{
    my_thread_t t;
    ASSERT_OK(my_thread_create(&t, worker, NULL)); // expect: thread-leak
    RETURN_IF(check_state() != 0, -1);
    ASSERT_OK(my_thread_join(&t));
    return 0;
}
