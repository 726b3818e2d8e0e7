/* rpc.c - LSP framing (rpc.h). */
#include "rpc.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "err.h"
#include "fdio.h"

/* A header block longer than this is not LSP: drop it. */
#define SL_RPC_MAX_HEADER 8192

void sl_rpc_in_init(struct sl_rpc_in *in, size_t max_body)
{
    memset(in, 0, sizeof *in);
    in->max_body = max_body;
}

void sl_rpc_in_free(struct sl_rpc_in *in)
{
    free(in->buf);
    memset(in, 0, sizeof *in);
}

void sl_rpc_in_feed(struct sl_rpc_in *in, const char *data, size_t n)
{
    if (in->skip) {
        size_t k = n < in->skip ? n : in->skip;
        in->skip -= k;
        data += k;
        n -= k;
    }
    if (!n) return;
    if (in->len + n + 1 > in->cap) {
        size_t cap = in->cap ? in->cap : 4096;
        while (cap < in->len + n + 1) cap *= 2;
        in->buf = sl_xrealloc(in->buf, cap);
        in->cap = cap;
    }
    memcpy(in->buf + in->len, data, n);
    in->len += n;
}

static void consume(struct sl_rpc_in *in, size_t n)
{
    memmove(in->buf, in->buf + n, in->len - n);
    in->len -= n;
}

/* The end of the header block ("\r\n\r\n", or "\n\n" from a sloppy
 * client): offset of the first body byte, or 0 when not there yet. */
static size_t header_end(const char *b, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (b[i] != '\n') continue;
        if (b[i + 1] == '\n') return i + 2;
        if (i + 2 < len && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
    }
    return 0;
}

enum sl_rpc_status sl_rpc_in_next(struct sl_rpc_in *in, char **body, size_t *len,
                                  char *err, size_t errsz)
{
    /* blank lines between messages are harmless */
    size_t lead = 0;
    while (lead < in->len && (in->buf[lead] == '\r' || in->buf[lead] == '\n')) lead++;
    if (lead) consume(in, lead);
    if (!in->len) return SL_RPC_MORE;
    size_t hend = header_end(in->buf, in->len);
    if (!hend) {
        if (in->len <= SL_RPC_MAX_HEADER) return SL_RPC_MORE;
        snprintf(err, errsz, "no end of headers in %zu bytes: dropped", in->len);
        in->len = 0;
        return SL_RPC_BAD_FRAME;
    }
    /* parse the header lines */
    long long clen = -1;
    bool bad_len = false;
    for (size_t p = 0; p < hend;) {
        const char *line = in->buf + p;
        const char *nl = memchr(line, '\n', hend - p);
        size_t l = nl ? (size_t)(nl - line) : hend - p;
        p += l + 1;
        if (l && line[l - 1] == '\r') l--;
        if (l >= 15 && !strncasecmp(line, "Content-Length:", 15)) {
            const char *v = line + 15;
            while (v < line + l && (*v == ' ' || *v == '\t')) v++;
            char num[32];
            size_t nlen = (size_t)(line + l - v);
            if (nlen == 0 || nlen >= sizeof num) { bad_len = true; continue; }
            memcpy(num, v, nlen);
            num[nlen] = 0;
            char *endp;
            errno = 0;
            long long x = strtoll(num, &endp, 10);
            while (*endp == ' ' || *endp == '\t') endp++;
            if (errno || *endp || x < 0) bad_len = true;
            else clen = x;
        }
    }
    if (bad_len || clen < 0) {
        snprintf(err, errsz, "%s: frame dropped",
                 bad_len ? "invalid Content-Length header" : "no Content-Length header");
        consume(in, hend);
        return SL_RPC_BAD_FRAME;
    }
    if ((unsigned long long)clen > in->max_body) {
        snprintf(err, errsz, "message of %lld bytes is over the %zu-byte limit: skipped", clen,
                 in->max_body);
        size_t have = in->len - hend;
        if ((unsigned long long)have >= (unsigned long long)clen) {
            consume(in, hend + (size_t)clen);
        } else {
            in->skip = (size_t)clen - have;
            in->len = 0;
        }
        return SL_RPC_BAD_FRAME;
    }
    if (in->len - hend < (size_t)clen) return SL_RPC_MORE;
    char *b = sl_xmalloc((size_t)clen + 1);
    memcpy(b, in->buf + hend, (size_t)clen);
    b[clen] = 0;
    consume(in, hend + (size_t)clen);
    *body = b;
    *len = (size_t)clen;
    return SL_RPC_MESSAGE;
}

int sl_rpc_write_raw(int fd, const char *body, size_t len)
{
    char head[64];
    int hl = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
    if (sl_write_all(fd, head, (size_t)hl) != 0) return -1;
    return sl_write_all(fd, body, len);
}

int sl_rpc_write(int fd, const struct cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    if (!text) sl_oom(0);
    int rc = sl_rpc_write_raw(fd, text, strlen(text));
    cJSON_free(text);
    return rc;
}
