/* inventory_build.h - the inventory (core/inventory.h) from the merged,
 * finished whole-program project. */
#ifndef SL_INVENTORY_BUILD_H
#define SL_INVENTORY_BUILD_H

#include "inventory.h"
#include "project.h"

/* Fill inv (initialised by the caller) from p (finished); strings are
 * copied, so inv outlives p.  Never fails. */
void sl_inventory_build(struct sl_inventory *inv, const struct sl_project *p);

#endif
