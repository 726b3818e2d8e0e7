/* inventory.c - the inventory's life cycle (the data is filled by the engine). */
#include "inventory.h"

#include <string.h>

void sl_inventory_init(struct sl_inventory *inv)
{
    memset(inv, 0, sizeof *inv);
    sl_arena_init(&inv->arena);
}

void sl_inventory_free(struct sl_inventory *inv)
{
    if (!inv) return;
    sl_arena_free(&inv->arena);
    memset(inv, 0, sizeof *inv);
}
