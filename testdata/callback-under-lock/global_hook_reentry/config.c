/* A global change hook, set here to a function that re-enters the config
 * module and takes its lock again: called under that lock it deadlocks. */
#include <pthread.h>
#include <string.h>

pthread_mutex_t config_mu = PTHREAD_MUTEX_INITIALIZER;
char config_name[64];
int config_gen;
void (*config_on_change)(void);

void config_snapshot(char *out, size_t n)
{
    pthread_mutex_lock(&config_mu);
    strncpy(out, config_name, n);
    config_gen++;
    pthread_mutex_unlock(&config_mu);
}

static void refresh_view(void)
{
    char name[64];
    config_snapshot(name, sizeof name);
}

void config_init(void)
{
    config_on_change = refresh_view;
}
