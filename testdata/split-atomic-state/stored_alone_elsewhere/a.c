/* split-atomic-state: stored together here and compared there ... */
#include "ticket.h"

void ticket_reset(struct ticket *t, unsigned v)
{
    atomic_store(&t->next, v);
    atomic_store(&t->serving, v);
}

bool ticket_idle(struct ticket *t)
{
    return atomic_load(&t->next) == atomic_load(&t->serving);
}
