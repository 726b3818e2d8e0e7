/* unbounded-thread-spawn: shapes that must be flagged. */
#include <pthread.h>

void flagged(void)
{
    /* TODO: a real-world shape, the flagged line ending with a comment:
     * // expect: unbounded-thread-spawn */
}
