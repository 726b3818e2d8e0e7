// sync-lint-args: --wrapper=ovs_mutex_lock:lock --wrapper=ovs_mutex_unlock:unlock --wrapper=ovs_mutex_trylock:trylock
/* lock-not-released: annotated acquire and release functions are contracts;
 * an unannotated early return is still the finding. */
#include <stdbool.h>
#include "thread_safety.h"

struct port { struct ovs_mutex mutex; int mtu; int up; };

/* negative: acquires by contract, even though one path gives up */
int port_lock_if_up(struct port *p) OVS_ACQUIRES(p->mutex);
int port_lock_if_up(struct port *p)
{
    ovs_mutex_lock(&p->mutex);
    if (!p->up) {
        ovs_mutex_unlock(&p->mutex);
        return 0;
    }
    return p->mtu;
}

/* negative: releases the caller's lock by contract */
void port_done(struct port *p) OVS_REQUIRES(p->mutex);
void port_done(struct port *p)
{
    p->up = 0;
    ovs_mutex_unlock(&p->mutex);
}

int port_set_mtu(struct port *p, int mtu)
{
    ovs_mutex_lock(&p->mutex);
    if (mtu < 68)
        return -1; // expect: lock-not-released
    p->mtu = mtu;
    ovs_mutex_unlock(&p->mutex);
    return 0;
}

/* negative: a try-acquire contract returns holding the lock when it says so */
#define OVS_TRY_LOCK(RETVAL, ...) __attribute__((exclusive_trylock_function(RETVAL, __VA_ARGS__)))
int ovs_mutex_trylock(const struct ovs_mutex *m);

bool port_try_claim(struct port *old, struct port *new) OVS_TRY_LOCK(true, new->mutex);
bool port_try_claim(struct port *old, struct port *new)
{
    bool claimed = false;
    if (!ovs_mutex_trylock(&old->mutex)) {
        if (!old->up) {
            ovs_mutex_lock(&new->mutex);
            claimed = true;
        }
        ovs_mutex_unlock(&old->mutex);
    }
    return claimed;
}
