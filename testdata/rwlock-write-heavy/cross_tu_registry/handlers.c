/* Per-message handlers of the registry protocol: every message takes the
 * write lock.  Slots are addressed by the index carried in the message. */
#include <string.h>
#include "registry.h"

void handle_register(int slot, const char *name, unsigned addr, unsigned long now)
{
    pthread_rwlock_wrlock(&g_svc_rw);
    strncpy(g_svc[slot & 63].name, name, 31);
    g_svc[slot & 63].addr = addr;
    g_svc[slot & 63].last_beat = now;
    g_svc[slot & 63].live = 1;
    pthread_rwlock_unlock(&g_svc_rw);
}

void handle_deregister(int slot)
{
    pthread_rwlock_wrlock(&g_svc_rw);
    g_svc[slot & 63].live = 0;
    g_svc[slot & 63].addr = 0;
    pthread_rwlock_unlock(&g_svc_rw);
}

void on_heartbeat(int slot, unsigned long now)
{
    pthread_rwlock_wrlock(&g_svc_rw);
    g_svc[slot & 63].last_beat = now;
    g_svc[slot & 63].live = 1;
    pthread_rwlock_unlock(&g_svc_rw);
}
