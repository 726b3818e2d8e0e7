#include <pthread.h>
#include <string.h>

extern pthread_mutex_t config_mu;
extern char config_name[64];
extern int config_gen;
extern void (*config_on_change)(void);

#define CONFIG_LOCK() pthread_mutex_lock(&config_mu)
#define CONFIG_UNLOCK() pthread_mutex_unlock(&config_mu)

void config_rename(const char *name)
{
    CONFIG_LOCK();
    strncpy(config_name, name, sizeof config_name - 1);
    config_gen++;
    if (config_on_change)
        config_on_change(); // expect: callback-under-lock
    CONFIG_UNLOCK();
}

/* the same hook called after the unlock: fine */
void config_rename_then_notify(const char *name)
{
    void (*hook)(void);
    CONFIG_LOCK();
    strncpy(config_name, name, sizeof config_name - 1);
    config_gen++;
    hook = config_on_change;
    CONFIG_UNLOCK();
    if (hook) hook();
}
