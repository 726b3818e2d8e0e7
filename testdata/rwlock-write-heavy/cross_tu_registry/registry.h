/* A service registry: the table and its rwlock are defined in registry.c;
 * the per-message handlers that change it live in handlers.c. */
#ifndef REGISTRY_H
#define REGISTRY_H
#include <pthread.h>

struct service { char name[32]; unsigned addr; unsigned long last_beat; int live; };

extern pthread_rwlock_t g_svc_rw;
extern struct service g_svc[64];

unsigned svc_lookup(const char *name);
int svc_live_count(void);
#endif
