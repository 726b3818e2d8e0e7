/* unbounded-thread-spawn: look-alike correct code that must stay clean. */
#include <pthread.h>

void clean(void)
{
}
