/* check.h - the assertion macro of the driver's unit tests: count, report
 * with file:line and a printf-style explanation, keep going. */
#ifndef SL_TEST_CHECK_H
#define SL_TEST_CHECK_H

#include <stdio.h>

static int failures, checks;

#define CHECK(c, ...) do { \
    checks++; \
    if (!(c)) { \
        failures++; \
        fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #c); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
    } \
} while (0)

/* End of main: print the tally, exit status 1 if anything failed. */
#define CHECK_DONE() (printf("%d checks, %d failed\n", checks, failures), failures != 0)

#endif
