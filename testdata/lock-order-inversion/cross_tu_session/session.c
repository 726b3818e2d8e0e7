/* Sessions.  Closing a session calls back into the connection table while
 * the session lock is held: session::mu -> conns, the reverse of
 * conn_sweep in conn.c.  session.c sorts after conn.c, so the finding is
 * here, at the call made while holding the session lock. */
#include "net.h"

void session_touch(struct session *s, unsigned long now)
{
    pthread_mutex_lock(&s->mu);
    if (!s->closing)
        s->last_seen = now;
    pthread_mutex_unlock(&s->mu);
}

/* positive: session::mu -> g_conns_mu (inside conn_forget, another file) */
void session_close(struct session *s)
{
    pthread_mutex_lock(&s->mu);
    s->closing = 1;
    conn_forget(s->conn_id); // expect: lock-order-inversion
    s->conn_id = -1;
    pthread_mutex_unlock(&s->mu);
}

/* negative: reads the connection count first, then locks the session:
 * the table lock is released inside conn_count_open before s->mu is taken */
int session_admit(struct session *s, int limit)
{
    int open = conn_count_open();
    int ok;
    pthread_mutex_lock(&s->mu);
    ok = !s->closing && open < limit;
    s->last_seen += ok;
    pthread_mutex_unlock(&s->mu);
    return ok;
}
