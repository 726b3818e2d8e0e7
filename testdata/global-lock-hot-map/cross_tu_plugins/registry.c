/* Two keyed functions take the lock here (plugin_acquire, plugin_add); the
 * third (plugin_unload) is in loader.c: together three, so one finding, at
 * the lock's defining declaration. */
#include <string.h>
#include "plugins.h"

pthread_mutex_t g_plugins_mu = PTHREAD_MUTEX_INITIALIZER; // expect: global-lock-hot-map
static struct plugin *g_plugins;

struct plugin *plugin_find_locked(const char *name)
{
    for (struct plugin *p = g_plugins; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

struct plugin *plugin_remove_locked(const char *name)
{
    for (struct plugin **pp = &g_plugins; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->name, name) == 0) {
            struct plugin *hit = *pp;
            *pp = hit->next;
            return hit;
        }
    return NULL;
}

struct plugin *plugin_acquire(const char *name)
{
    struct plugin *p;
    pthread_mutex_lock(&g_plugins_mu);
    p = plugin_find_locked(name);
    if (p)
        p->refs++;
    pthread_mutex_unlock(&g_plugins_mu);
    return p;
}

int plugin_add(struct plugin *np)
{
    int rc = -1;
    pthread_mutex_lock(&g_plugins_mu);
    if (!plugin_find_locked(np->name)) {
        np->next = g_plugins;
        g_plugins = np;
        rc = 0;
    }
    pthread_mutex_unlock(&g_plugins_mu);
    return rc;
}

/* Every request calls into a plugin by name: the registry lock is on the
 * request path. */
int plugin_dispatch_request(const char *name, int (*call)(struct plugin *))
{
    struct plugin *p;
    pthread_mutex_lock(&g_plugins_mu);
    p = plugin_find_locked(name);
    if (p)
        p->refs++;
    pthread_mutex_unlock(&g_plugins_mu);
    return p ? call(p) : -1;
}
