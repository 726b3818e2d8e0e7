/* The finding is at the defining declaration below: the rwlock is read
 * here (svc_lookup is per request: 4; svc_live_count: 1) but written per
 * message in handlers.c (4 + 4 + 4 = 12).  This file alone shows only
 * reads. */
#include <string.h>
#include "registry.h"

pthread_rwlock_t g_svc_rw = PTHREAD_RWLOCK_INITIALIZER; // expect: rwlock-write-heavy
struct service g_svc[64];

unsigned svc_lookup(const char *name)
{
    unsigned addr = 0;
    pthread_rwlock_rdlock(&g_svc_rw);
    for (int i = 0; i < 64; i++) {
        if (g_svc[i].live && strcmp(g_svc[i].name, name) == 0) {
            addr = g_svc[i].addr;
            break;
        }
    }
    pthread_rwlock_unlock(&g_svc_rw);
    return addr;
}

int svc_live_count(void)
{
    int n = 0;
    pthread_rwlock_rdlock(&g_svc_rw);
    for (int i = 0; i < 64; i++)
        n += g_svc[i].live;
    pthread_rwlock_unlock(&g_svc_rw);
    return n;
}
