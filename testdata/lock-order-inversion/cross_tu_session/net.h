/* Shared declarations of a small server: a global connection table
 * (conn.c) and sessions that live on connections (session.c). */
#ifndef NET_H
#define NET_H
#include <pthread.h>

struct session {
    pthread_mutex_t mu;
    int conn_id;
    unsigned long last_seen;
    int closing;
};

/* conn.c: takes g_conns_mu */
void conn_forget(int conn_id);
int conn_count_open(void);
/* session.c: takes struct session::mu */
void session_touch(struct session *s, unsigned long now);
#endif
