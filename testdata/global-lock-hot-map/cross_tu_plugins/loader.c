/* The loader unloads a plugin by name under the registry's global lock: the
 * third keyed function of g_plugins_mu (reported in registry.c). */
#include <dlfcn.h>
#include "plugins.h"

int plugin_unload(const char *name, void **handle)
{
    struct plugin *p;
    pthread_mutex_lock(&g_plugins_mu);
    p = plugin_remove_locked(name);
    if (p && p->refs == 0) {
        *handle = p->handle;
        p->handle = 0;
    }
    pthread_mutex_unlock(&g_plugins_mu);
    return p ? 0 : -1;
}
