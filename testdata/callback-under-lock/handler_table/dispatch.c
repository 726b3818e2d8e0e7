#include <pthread.h>

struct conn { int fd; int state; char out[64]; unsigned long out_len; };
typedef void (*msg_handler)(struct conn *c, int arg);
extern msg_handler msg_handlers[3];
extern msg_handler quiet_handlers[2];

static pthread_spinlock_t conn_lock;

void dispatch(struct conn *c, int type, int arg)
{
    pthread_spin_lock(&conn_lock);
    msg_handlers[type % 3](c, arg); // expect: callback-under-lock
    pthread_spin_unlock(&conn_lock);
}

void dispatch_quiet(struct conn *c, int type, int arg)
{
    pthread_spin_lock(&conn_lock);
    quiet_handlers[type & 1](c, arg);
    pthread_spin_unlock(&conn_lock);
}

#ifdef CONN_DEBUG
void dispatch_debug(struct conn *c, int type, int arg)
{
    msg_handlers[type % 3](c, arg);
}
#endif
