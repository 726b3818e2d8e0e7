#include <stdatomic.h>
#include <stdbool.h>
struct lease { atomic_long start, expiry; };
void lease_renew(struct lease *l, long now, long ttl);
bool lease_valid(struct lease *l, long now);
