/* A packet forwarder: the fast path (dataplane.c) and the admin/CLI side
 * with main (admin.c). */
#ifndef DP_H
#define DP_H
#include <pthread.h>

struct fwd_cfg { unsigned mtu; int mode; unsigned char mac[6]; };
struct flow { unsigned key; unsigned long pkts, last; };
struct frame { unsigned len; unsigned flow_key; int out_port; };

extern pthread_rwlock_t g_fwd_rw;
extern struct fwd_cfg g_fwd;

extern pthread_rwlock_t g_flows_rw;
extern struct flow g_flows[256];

void *ager_thread(void *arg);
void forward_per_packet(struct frame *f, int n);
#endif
