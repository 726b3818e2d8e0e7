/* proxy.c - sync-lint in front of clangd, for editors that run one server
 * per language (Emacs eglot, several Vim set-ups).
 *
 * Every message is forwarded both ways as it came (the body bytes, ids
 * untouched), with three merges: clangd's publishDiagnostics gets
 * sync-lint's diagnostics of the same document and version appended; its
 * codeAction replies get sync-lint's actions appended; its initialize reply
 * learns the sync-lint.explain command, which the proxy answers itself.
 * The client's document notifications also go to an in-process server
 * (server.c) that analyses them.  If clangd dies, the client is told in a
 * window/showMessage, requests clangd left unanswered get errors, and the
 * in-process server answers from then on.
 */
#include "server.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "rpc.h"
#include "stats.h"

#define SL_PROXY_MAX_BODY (64u << 20)

/* A request the client sent clangd, awaiting its reply. */
struct pending {
    char *id;                   /* the id as JSON text */
    char *method;
    cJSON *params;              /* kept for the requests whose reply is merged */
};

/* The last diagnostics of a document, from each side. */
struct pub {
    char *uri;
    cJSON *clangd;              /* clangd's params, NULL: none yet */
    cJSON *ours;                /* our diagnostics array, NULL: none yet */
    int ours_version;
};

struct proxy {
    int client_in, client_out;
    int to_clangd, from_clangd;
    pid_t pid;
    bool clangd_alive;
    bool shutdown;              /* the client asked for shutdown */
    struct sl_lsp_server *srv;
    struct pending *pend;
    size_t n_pend, cap_pend;
    struct pub *pubs;
    size_t n_pubs, cap_pubs;
};

#define logf_(...) sl_lsp_log("lsp proxy", __VA_ARGS__)

static void to_client(struct proxy *p, cJSON *msg)
{
    if (sl_rpc_write(p->client_out, msg) != 0) logf_("cannot write to the client");
    cJSON_Delete(msg);
}

static struct pub *pub_of(struct proxy *p, const char *uri)
{
    for (size_t i = 0; i < p->n_pubs; i++)
        if (!strcmp(p->pubs[i].uri, uri)) return &p->pubs[i];
    if (p->n_pubs == p->cap_pubs) {
        p->cap_pubs = p->cap_pubs ? p->cap_pubs * 2 : 16;
        p->pubs = sl_xreallocarray(p->pubs, p->cap_pubs, sizeof *p->pubs);
    }
    struct pub *x = &p->pubs[p->n_pubs++];
    memset(x, 0, sizeof *x);
    x->uri = sl_xstrdup(uri);
    return x;
}

static int version_of(const cJSON *params, int dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, "version");
    return cJSON_IsNumber(v) ? (int)v->valuedouble : dflt;
}

/* Send the document's diagnostics: clangd's message with ours appended
 * when they are of the same version (or clangd said none), ours alone
 * while clangd is gone or has not spoken. */
static void publish_merged(struct proxy *p, struct pub *x)
{
    cJSON *params;
    if (x->clangd) {
        params = cJSON_Duplicate(x->clangd, 1);
        cJSON *diags = cJSON_GetObjectItemCaseSensitive(params, "diagnostics");
        if (!cJSON_IsArray(diags)) {
            cJSON_DeleteItemFromObjectCaseSensitive(params, "diagnostics");
            diags = cJSON_AddArrayToObject(params, "diagnostics");
        }
        if (x->ours && version_of(x->clangd, x->ours_version) == x->ours_version) {
            const cJSON *d;
            cJSON_ArrayForEach(d, x->ours) cJSON_AddItemToArray(diags, cJSON_Duplicate(d, 1));
        }
    } else {
        if (p->clangd_alive && !x->ours) return;
        params = cJSON_CreateObject();
        cJSON_AddStringToObject(params, "uri", x->uri);
        cJSON_AddNumberToObject(params, "version", x->ours_version);
        cJSON_AddItemToObject(params, "diagnostics", x->ours ? cJSON_Duplicate(x->ours, 1)
                                                             : cJSON_CreateArray());
    }
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddStringToObject(m, "method", "textDocument/publishDiagnostics");
    cJSON_AddItemToObject(m, "params", params);
    to_client(p, m);
}

/* The in-process server's publish hook. */
static void our_publish(void *arg, const char *uri, int version, cJSON *params)
{
    struct proxy *p = arg;
    struct pub *x = pub_of(p, uri);
    cJSON_Delete(x->ours);
    x->ours = cJSON_DetachItemFromObjectCaseSensitive(params, "diagnostics");
    x->ours_version = version;
    cJSON_Delete(params);
    /* publish now if clangd's are of this version (or carry none); else
     * ours go out with clangd's next publish */
    if (!x->clangd || !p->clangd_alive || version_of(x->clangd, version) == version)
        publish_merged(p, x);
}

static char *id_text(const cJSON *id)
{
    char *t = cJSON_PrintUnformatted(id);
    if (!t) sl_oom(0);
    return t;
}

static void add_pending(struct proxy *p, const cJSON *id, const char *method, const cJSON *params)
{
    if (p->n_pend == p->cap_pend) {
        p->cap_pend = p->cap_pend ? p->cap_pend * 2 : 32;
        p->pend = sl_xreallocarray(p->pend, p->cap_pend, sizeof *p->pend);
    }
    struct pending *x = &p->pend[p->n_pend++];
    x->id = id_text(id);
    x->method = sl_xstrdup(method);
    x->params = params && (!strcmp(method, "textDocument/codeAction") || !strcmp(method, "initialize"))
                    ? cJSON_Duplicate(params, 1) : NULL;
}

/* Take the pending request with this id (NULL if none); caller frees. */
static bool take_pending(struct proxy *p, const cJSON *id, struct pending *out)
{
    char *t = id_text(id);
    for (size_t i = 0; i < p->n_pend; i++) {
        if (strcmp(p->pend[i].id, t)) continue;
        *out = p->pend[i];
        p->pend[i] = p->pend[--p->n_pend];
        free(t);
        return true;
    }
    free(t);
    return false;
}

static void pending_free(struct pending *x)
{
    free(x->id);
    free(x->method);
    cJSON_Delete(x->params);
}

static void forward_raw(int fd, const char *body, size_t len, const char *to)
{
    if (sl_rpc_write_raw(fd, body, len) != 0) logf_("cannot write to %s", to);
}

static bool is_ours(const char *method)
{
    return !strcmp(method, "textDocument/didOpen") || !strcmp(method, "textDocument/didChange") ||
           !strcmp(method, "textDocument/didSave") || !strcmp(method, "textDocument/didClose") ||
           !strcmp(method, "workspace/didChangeConfiguration") ||
           !strcmp(method, "workspace/didChangeWatchedFiles") || !strcmp(method, "initialized");
}

static void clangd_gone(struct proxy *p, const char *why)
{
    if (!p->clangd_alive) return;
    p->clangd_alive = false;
    int status = 0;
    char how[128] = "";
    /* its stdout closes a moment before it can be reaped */
    pid_t got = 0;
    for (int i = 0; p->pid > 0 && i < 50 && (got = waitpid(p->pid, &status, WNOHANG)) == 0; i++) {
        struct timespec ts = { 0, 10 * 1000000 };
        nanosleep(&ts, NULL);
    }
    if (p->pid > 0 && got == p->pid) {
        if (WIFEXITED(status)) snprintf(how, sizeof how, " (exit status %d)", WEXITSTATUS(status));
        else if (WIFSIGNALED(status)) snprintf(how, sizeof how, " (killed by signal %d)", WTERMSIG(status));
        p->pid = -1;
    }
    logf_("clangd %s%s", why, how);
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddStringToObject(m, "method", "window/showMessage");
    cJSON *params = cJSON_AddObjectToObject(m, "params");
    cJSON_AddNumberToObject(params, "type", 1);
    char text[256];
    snprintf(text, sizeof text, "clangd %s%s; sync-lint goes on with its own diagnostics", why, how);
    cJSON_AddStringToObject(params, "message", text);
    to_client(p, m);
    /* what clangd will never answer */
    for (size_t i = 0; i < p->n_pend; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "jsonrpc", "2.0");
        cJSON_AddItemToObject(e, "id", cJSON_Parse(p->pend[i].id));
        cJSON *err = cJSON_AddObjectToObject(e, "error");
        cJSON_AddNumberToObject(err, "code", -32603);
        cJSON_AddStringToObject(err, "message", "clangd exited before answering");
        to_client(p, e);
        pending_free(&p->pend[i]);
    }
    p->n_pend = 0;
    close(p->to_clangd);
    close(p->from_clangd);
    p->to_clangd = p->from_clangd = -1;
    /* ours stand alone now */
    for (size_t i = 0; i < p->n_pubs; i++) {
        cJSON_Delete(p->pubs[i].clangd);
        p->pubs[i].clangd = NULL;
        if (p->pubs[i].ours) publish_merged(p, &p->pubs[i]);
    }
}

static void from_client(struct proxy *p, const char *body, size_t len, bool *exit_now)
{
    cJSON *msg = cJSON_ParseWithLength(body, len);
    const cJSON *method = msg ? cJSON_GetObjectItemCaseSensitive(msg, "method") : NULL;
    const cJSON *id = msg ? cJSON_GetObjectItemCaseSensitive(msg, "id") : NULL;
    const cJSON *params = msg ? cJSON_GetObjectItemCaseSensitive(msg, "params") : NULL;
    const char *m = cJSON_IsString(method) ? method->valuestring : NULL;
    if (!p->clangd_alive) {
        /* the in-process server answers everything now */
        sl_lsp_server_message(p->srv, body, len, exit_now);
        cJSON_Delete(msg);
        return;
    }
    /* a reply to a request of ours (string id "sync-lint:N") stays here */
    if (!m && cJSON_IsString(id) && !strncmp(id->valuestring, "sync-lint:", 10)) {
        cJSON_Delete(msg);
        return;
    }
    if (m && id && !strcmp(m, "workspace/executeCommand")) {
        const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(params, "command");
        if (cJSON_IsString(cmd) && !strncmp(cmd->valuestring, "sync-lint.", 10)) {
            sl_lsp_server_request(p->srv, msg);
            cJSON_Delete(msg);
            return;
        }
    }
    forward_raw(p->to_clangd, body, len, "clangd");
    if (m && id) add_pending(p, id, m, params);
    if (m && !strcmp(m, "initialize")) sl_lsp_server_take_init(p->srv, params);
    if (m && !id && is_ours(m)) sl_lsp_server_request(p->srv, msg);
    if (m && !strcmp(m, "exit")) *exit_now = true;
    if (m && id && !strcmp(m, "shutdown")) p->shutdown = true;
    cJSON_Delete(msg);
}

static enum sl_pos_enc encoding_of(const cJSON *result)
{
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(result, "capabilities");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(caps, "positionEncoding");
    if (!cJSON_IsString(e)) e = cJSON_GetObjectItemCaseSensitive(result, "offsetEncoding");
    if (cJSON_IsString(e) && !strcmp(e->valuestring, "utf-8")) return SL_ENC_UTF8;
    if (cJSON_IsString(e) && !strcmp(e->valuestring, "utf-32")) return SL_ENC_UTF32;
    return SL_ENC_UTF16;
}

static void from_clangd(struct proxy *p, const char *body, size_t len)
{
    cJSON *msg = cJSON_ParseWithLength(body, len);
    if (!msg) {
        forward_raw(p->client_out, body, len, "the client");
        return;
    }
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    if (cJSON_IsString(method) && !strcmp(method->valuestring, "textDocument/publishDiagnostics")) {
        cJSON *params = cJSON_DetachItemFromObjectCaseSensitive(msg, "params");
        const cJSON *uri = cJSON_GetObjectItemCaseSensitive(params, "uri");
        if (cJSON_IsString(uri)) {
            struct pub *x = pub_of(p, uri->valuestring);
            cJSON_Delete(x->clangd);
            x->clangd = params;
            publish_merged(p, x);
        } else {
            cJSON_Delete(params);
            forward_raw(p->client_out, body, len, "the client");
        }
        cJSON_Delete(msg);
        return;
    }
    struct pending pr;
    if (!method && id && take_pending(p, id, &pr)) {
        cJSON *result = cJSON_GetObjectItemCaseSensitive(msg, "result");
        if (!strcmp(pr.method, "initialize") && cJSON_IsObject(result)) {
            sl_lsp_server_set_encoding(p->srv, encoding_of(result));
            /* the explain command, which the proxy answers */
            cJSON *caps = cJSON_GetObjectItemCaseSensitive(result, "capabilities");
            cJSON *ex = cJSON_GetObjectItemCaseSensitive(caps, "executeCommandProvider");
            if (cJSON_IsObject(caps) && !ex) ex = cJSON_AddObjectToObject(caps, "executeCommandProvider");
            cJSON *cmds = cJSON_IsObject(ex) ? cJSON_GetObjectItemCaseSensitive(ex, "commands") : NULL;
            if (cJSON_IsObject(ex) && !cmds) cmds = cJSON_AddArrayToObject(ex, "commands");
            if (cJSON_IsArray(cmds)) cJSON_AddItemToArray(cmds, cJSON_CreateString("sync-lint.explain"));
            to_client(p, msg);
            pending_free(&pr);
            return;
        }
        if (!strcmp(pr.method, "textDocument/codeAction") && (cJSON_IsArray(result) || cJSON_IsNull(result))) {
            if (cJSON_IsNull(result)) {
                cJSON_ReplaceItemInObjectCaseSensitive(msg, "result", cJSON_CreateArray());
                result = cJSON_GetObjectItemCaseSensitive(msg, "result");
            }
            size_t before = (size_t)cJSON_GetArraySize(result);
            sl_lsp_server_code_actions(p->srv, pr.params, result);
            pending_free(&pr);
            if ((size_t)cJSON_GetArraySize(result) == before) {
                cJSON_Delete(msg);
                forward_raw(p->client_out, body, len, "the client");   /* unchanged */
            } else {
                to_client(p, msg);
            }
            return;
        }
        pending_free(&pr);
    }
    cJSON_Delete(msg);
    forward_raw(p->client_out, body, len, "the client");
}

static int spawn_clangd(struct proxy *p, const char *path)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]); close(in[1]); close(out[0]); close(out[1]);
        execlp(path, path, (char *)NULL);
        fprintf(stderr, "sync-lint lsp proxy: cannot run '%s': %s\n", path, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    p->to_clangd = in[1];
    p->from_clangd = out[0];
    fcntl(p->to_clangd, F_SETFD, FD_CLOEXEC);
    fcntl(p->from_clangd, F_SETFD, FD_CLOEXEC);
    p->pid = pid;
    p->clangd_alive = true;
    return 0;
}

int sl_lsp_proxy(const struct sl_lsp_options *o)
{
    signal(SIGPIPE, SIG_IGN);
    struct proxy p = { .client_in = o->in_fd, .client_out = o->out_fd, .to_clangd = -1,
                       .from_clangd = -1, .pid = -1 };
    if (spawn_clangd(&p, o->clangd) != 0) {
        fprintf(stderr, "sync-lint: error: cannot start clangd '%s': %s\n", o->clangd, strerror(errno));
        return 2;
    }
    struct sl_lsp_options so = *o;
    so.clangd = NULL;
    p.srv = sl_lsp_server_new(&so, o->out_fd);
    sl_lsp_server_set_publish(p.srv, our_publish, &p);
    struct sl_rpc_in cin, din;
    sl_rpc_in_init(&cin, SL_PROXY_MAX_BODY);
    sl_rpc_in_init(&din, SL_PROXY_MAX_BODY);
    bool exit_now = false;
    char buf[65536];
    double exit_at = 0;
    for (;;) {
        int timeout = sl_lsp_server_tick(p.srv);
        if (exit_now) {
            /* after exit: give clangd a moment to finish, then go */
            if (!p.clangd_alive) break;
            if (!exit_at) exit_at = sl_now_s() + 2.0;
            if (sl_now_s() >= exit_at) break;
            timeout = 100;
        }
        struct pollfd fds[3] = { { exit_now ? -1 : p.client_in, POLLIN, 0 },
                                 { p.clangd_alive ? p.from_clangd : -1, POLLIN, 0 },
                                 { sl_lsp_server_wake_fd(p.srv), POLLIN, 0 } };
        int n = poll(fds, 3, timeout);
        if (n < 0 && errno != EINTR) sl_bug("poll: %s", strerror(errno));
        if (n <= 0) continue;
        if (fds[2].revents) sl_lsp_server_poll_results(p.srv);
        if (fds[1].revents) {
            ssize_t r = read(p.from_clangd, buf, sizeof buf);
            if (r <= 0 && !(r < 0 && errno == EINTR)) {
                clangd_gone(&p, "exited");
            } else if (r > 0) {
                sl_rpc_in_feed(&din, buf, (size_t)r);
                char *body, err[256];
                size_t len;
                enum sl_rpc_status st;
                while ((st = sl_rpc_in_next(&din, &body, &len, err, sizeof err)) != SL_RPC_MORE) {
                    if (st == SL_RPC_BAD_FRAME) { logf_("from clangd: %s", err); continue; }
                    from_clangd(&p, body, len);
                    free(body);
                }
            }
        }
        if (fds[0].revents) {
            ssize_t r = read(p.client_in, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            sl_rpc_in_feed(&cin, buf, (size_t)r);
            char *body, err[256];
            size_t len;
            enum sl_rpc_status st;
            while (!exit_now && (st = sl_rpc_in_next(&cin, &body, &len, err, sizeof err)) != SL_RPC_MORE) {
                if (st == SL_RPC_BAD_FRAME) { logf_("from the client: %s", err); continue; }
                from_client(&p, body, len, &exit_now);
                free(body);
            }
        }
    }
    bool clean = exit_now && (p.shutdown || sl_lsp_server_shut_down(p.srv));
    /* a client that went away without shutdown: clangd's clean-up */
    if (p.clangd_alive) {
        close(p.to_clangd);
        close(p.from_clangd);
    }
    if (p.pid > 0) {
        for (int i = 0; i < 20 && waitpid(p.pid, NULL, WNOHANG) == 0; i++) {
            struct timespec ts = { 0, 50 * 1000000 };
            nanosleep(&ts, NULL);
        }
        if (waitpid(p.pid, NULL, WNOHANG) == 0) {
            kill(p.pid, SIGTERM);
            waitpid(p.pid, NULL, 0);
        }
    }
    for (size_t i = 0; i < p.n_pend; i++) pending_free(&p.pend[i]);
    free(p.pend);
    for (size_t i = 0; i < p.n_pubs; i++) {
        free(p.pubs[i].uri);
        cJSON_Delete(p.pubs[i].clangd);
        cJSON_Delete(p.pubs[i].ours);
    }
    free(p.pubs);
    sl_rpc_in_free(&cin);
    sl_rpc_in_free(&din);
    sl_lsp_server_free(p.srv);
    return clean ? 0 : 1;
}
