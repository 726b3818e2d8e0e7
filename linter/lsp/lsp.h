/* lsp.h - sync-lint as a language server (the editor front end).
 *
 * sl_lsp_serve speaks the Language Server Protocol on in_fd/out_fd: it
 * analyses each open C document from its unsaved text with the flags of
 * the nearest compile_commands.json (or the defaults) and the settings of
 * the nearest .sync-lint.json, on a pool of worker threads, and publishes
 * the findings as diagnostics; code actions apply a finding's fix, insert
 * a suppression comment, or explain the rule.  Nothing but protocol
 * messages is written to out_fd; logs go to stderr.
 *
 * With clangd set, it runs in front of clangd (proxy.c): every message is
 * forwarded both ways unchanged and sync-lint's diagnostics are merged into
 * clangd's publishDiagnostics for the same document.
 */
#ifndef SL_LSP_H
#define SL_LSP_H

#include "options.h"

struct sl_lsp_options {
    int in_fd, out_fd;
    const struct sl_options *base;   /* the command line: --checks, --config, --wrapper, -j... */
    const char *clangd;              /* NULL: stand-alone; else the clangd to run */
};

/* Serve until the client sends exit (or closes the connection).  Returns
 * the process exit code: 0 after shutdown then exit, 1 otherwise. */
int sl_lsp_serve(const struct sl_lsp_options *o);

#endif
