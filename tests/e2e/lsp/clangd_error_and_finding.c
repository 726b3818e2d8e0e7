/* The proxy tests' document: a sync-lint finding on line 12 (a condvar
 * wait with no loop) and a clangd error on line 16 (an undeclared name). */
#include <pthread.h>
#include <stdbool.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool ready;
void consume(void)
{
    pthread_mutex_lock(&mu);
    if (!ready)
        pthread_cond_wait(&cv, &mu);
    ready = false;
    pthread_mutex_unlock(&mu);
}
int broken(void) { return undeclared_thing; }
