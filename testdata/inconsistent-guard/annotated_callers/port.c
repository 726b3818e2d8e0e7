// sync-lint-args: --wrapper=lock_acquire:lock --wrapper=lock_release:unlock
/* A port table guarded by its lock; helpers annotated REQUIRES(p->lock) run
 * with it held by contract (their callers may be in other files), a
 * function exempt from the analysis is unguarded on purpose; a plain
 * accessor that skips the lock is the finding. */
#include "thread_safety.h"

struct port { struct lock lock; int mtu; int state; };

void port_set_mtu(struct port *p, int mtu)
{
    lock_acquire(&p->lock);
    p->mtu = mtu;
    lock_release(&p->lock);
}

void port_bump_mtu(struct port *p)
{
    lock_acquire(&p->lock);
    p->mtu += 4;
    lock_release(&p->lock);
}

int port_read_mtu(struct port *p)
{
    lock_acquire(&p->lock);
    int m = p->mtu;
    lock_release(&p->lock);
    return m;
}

/* negative: called with p->lock held, by its annotation */
void port_reset_mtu(struct port *p) REQUIRES(p->lock);
void port_reset_mtu(struct port *p) REQUIRES(p->lock)
{
    p->mtu = 1500;
}

/* negative: exempt from thread-safety analysis, deliberately lockless */
int port_mtu_hint(const struct port *p) NO_THREAD_SAFETY_ANALYSIS
{
    return p->mtu;
}

/* positive: an accessor that forgot the lock */
int port_mtu(const struct port *p)
{
    return p->mtu; // expect: inconsistent-guard
}
