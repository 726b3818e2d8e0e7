/* server.h - the language server as an object, for the stand-alone loop
 * (server.c) and the clangd proxy (proxy.c), which feeds it the client's
 * messages and routes its diagnostics into clangd's. */
#ifndef SL_LSP_SERVER_H
#define SL_LSP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "lsp.h"
#include "text.h"

struct cJSON;
struct sl_lsp_server;

/* Called instead of writing a publishDiagnostics notification: params is
 * the notification's params ({uri, version, diagnostics}), owned by the
 * callee. */
typedef void (*sl_lsp_publish_fn)(void *arg, const char *uri, int version, struct cJSON *params);

/* A server writing its replies to out_fd (the proxy passes a descriptor
 * whose replies it discards or forwards). */
struct sl_lsp_server *sl_lsp_server_new(const struct sl_lsp_options *o, int out_fd);
void sl_lsp_server_free(struct sl_lsp_server *s);
void sl_lsp_server_set_publish(struct sl_lsp_server *s, sl_lsp_publish_fn fn, void *arg);

/* One message body from the client; *exit_now set on "exit". */
void sl_lsp_server_message(struct sl_lsp_server *s, const char *body, size_t len, bool *exit_now);
/* The descriptor that becomes readable when analyses finish, and the call
 * that publishes them. */
int sl_lsp_server_wake_fd(const struct sl_lsp_server *s);
void sl_lsp_server_poll_results(struct sl_lsp_server *s);
/* Start analyses that are due; returns the poll timeout until the next
 * (ms), or -1 when none is scheduled. */
int sl_lsp_server_tick(struct sl_lsp_server *s);
bool sl_lsp_server_shut_down(const struct sl_lsp_server *s);

/* Proxy mode: take the client's initialize params (capabilities, options)
 * without replying (clangd replies); use the encoding clangd chose. */
void sl_lsp_server_take_init(struct sl_lsp_server *s, const struct cJSON *params);
void sl_lsp_server_set_encoding(struct sl_lsp_server *s, enum sl_pos_enc enc);
/* Handle a parsed client message (the proxy's copy of a notification, or a
 * request it answers itself). */
void sl_lsp_server_request(struct sl_lsp_server *s, const struct cJSON *msg);
/* sync-lint's code actions for codeAction params, appended to into; its
 * hover for hover params (NULL: none). */
void sl_lsp_server_code_actions(struct sl_lsp_server *s, const struct cJSON *params, struct cJSON *into);
struct cJSON *sl_lsp_server_hover(struct sl_lsp_server *s, const struct cJSON *params);


/* A log line on stderr, "sync-lint WHO: ...": never on stdout, which is
 * the protocol's. */
void sl_lsp_log(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* proxy.c */
int sl_lsp_proxy(const struct sl_lsp_options *o);

#endif
