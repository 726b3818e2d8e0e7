/* split-atomic-state: the reader in one file ... */
#include "lease.h"

bool lease_valid(struct lease *l, long now)
{
    long s = atomic_load(&l->start);
    long e = atomic_load(&l->expiry);   // expect: split-atomic-state
    return s <= now && now < e;
}
