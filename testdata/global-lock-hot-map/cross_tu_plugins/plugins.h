/* A plugin registry keyed by name.  The lock is a non-static global defined
 * in registry.c; loader.c takes it too. */
#ifndef PLUGINS_H
#define PLUGINS_H
#include <pthread.h>

struct plugin { char name[32]; void *handle; int refs; struct plugin *next; };

extern pthread_mutex_t g_plugins_mu;

/* callers hold g_plugins_mu */
struct plugin *plugin_find_locked(const char *name);
struct plugin *plugin_remove_locked(const char *name);

struct plugin *plugin_acquire(const char *name);
int plugin_add(struct plugin *p);
#endif
