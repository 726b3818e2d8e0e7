/* ... the writer in another. */
#include "lease.h"

void lease_renew(struct lease *l, long now, long ttl)
{
    atomic_store(&l->start, now);
    atomic_store(&l->expiry, now + ttl);
}
