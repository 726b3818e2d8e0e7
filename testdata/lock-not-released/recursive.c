/* lock-not-released negative: a recursive mutex set up in this file may be
 * taken twice on one path on purpose. */
#include <pthread.h>

static pthread_mutex_t reg_mu;
static int reg_depth;

void reg_init(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&reg_mu, &a);
    pthread_mutexattr_destroy(&a);
}

void reg_enter(void)
{
    pthread_mutex_lock(&reg_mu);
    reg_depth++;
    pthread_mutex_lock(&reg_mu);
    reg_depth++;
    pthread_mutex_unlock(&reg_mu);
    pthread_mutex_unlock(&reg_mu);
}
