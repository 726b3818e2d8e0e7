/* Plugins resolved by name at run time: what the pointer holds comes from
 * dlsym, so nothing in the program says what it runs. */
#include <dlfcn.h>

struct plugin { void *dl; int (*filter)(const char *line); };

void plugin_load(struct plugin *p, const char *path)
{
    p->dl = dlopen(path, RTLD_NOW);
    p->filter = (int (*)(const char *))dlsym(p->dl, "filter");
}
