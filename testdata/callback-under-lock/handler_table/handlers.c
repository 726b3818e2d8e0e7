/* A table of message handlers indexed by type: the reply handler sends on
 * a socket, the others only update memory. */
#include <sys/socket.h>
#include <stddef.h>

struct conn { int fd; int state; char out[64]; size_t out_len; };
typedef void (*msg_handler)(struct conn *c, int arg);

static void on_hello(struct conn *c, int arg) { c->state = arg; }
static void on_bye(struct conn *c, int arg) { c->state = -arg; }
static void on_ping(struct conn *c, int arg)
{
    (void)arg;
    send(c->fd, c->out, c->out_len, 0);
}

msg_handler msg_handlers[3] = { on_hello, on_bye, on_ping };
msg_handler quiet_handlers[2] = { on_hello, on_bye };
