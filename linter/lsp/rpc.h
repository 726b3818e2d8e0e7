/* rpc.h - JSON-RPC 2.0 messages framed as the Language Server Protocol
 * frames them: "Content-Length: N\r\n" headers, a blank line, N bytes.
 *
 * The reader is fed whatever bytes arrive and hands out whole message
 * bodies; a broken frame (no or bad Content-Length, a header block that
 * never ends, a body over the size limit) is reported and skipped, and
 * reading goes on with the next frame, so bad input never stops a server.
 */
#ifndef SL_RPC_H
#define SL_RPC_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

struct sl_rpc_in {
    char *buf;
    size_t len, cap;
    size_t max_body;        /* bodies larger than this are skipped */
    size_t skip;            /* bytes of an oversized body still to discard */
};

void sl_rpc_in_init(struct sl_rpc_in *in, size_t max_body);
void sl_rpc_in_free(struct sl_rpc_in *in);
void sl_rpc_in_feed(struct sl_rpc_in *in, const char *data, size_t n);

enum sl_rpc_status {
    SL_RPC_MORE,            /* no whole message yet: feed more */
    SL_RPC_MESSAGE,         /* *body (malloc'd, NUL-terminated) of *len bytes */
    SL_RPC_BAD_FRAME,       /* a frame was dropped; err says why; call again */
};

enum sl_rpc_status sl_rpc_in_next(struct sl_rpc_in *in, char **body, size_t *len,
                                  char *err, size_t errsz);

/* Write msg (not consumed) as one framed message to fd, retrying short
 * writes.  Returns 0, or -1 when the peer is gone. */
int sl_rpc_write(int fd, const struct cJSON *msg);
/* The same for a body already rendered. */
int sl_rpc_write_raw(int fd, const char *body, size_t len);

#endif
