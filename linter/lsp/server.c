/* server.c - the language server: the message loop, documents, the worker
 * pool, diagnostics, code actions (lsp.h).
 *
 * One thread runs the loop and owns every document; it never waits on an
 * analysis.  Work goes to worker threads over libsynclint channels (each
 * document pinned to one worker, whose libclang index holds its parsed
 * unit) and comes back over a results channel, with a byte on a pipe to
 * wake poll().  An edit schedules an analysis after a debounce; at most one
 * analysis per document is in flight, and a result for a version the
 * client has since changed is dropped and the newest text analysed.
 */
#include "lsp.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <synclint/chan.h>

#include "actions.h"
#include "diagjson.h"
#include "docs.h"
#include "err.h"
#include "report.h"
#include "rpc.h"
#include "rule.h"
#include "server.h"
#include "settings.h"
#include "source.h"
#include "stats.h"
#include "suppress.h"
#include "arena.h"
#include "text.h"

#define SL_LSP_MAX_BODY (64u << 20)       /* messages over 64 MiB are skipped */
#define SL_LSP_DEFAULT_DEBOUNCE_MS 200
/* Parsed units (with their preambles, tens of MiB each on a big project)
 * kept for the documents analysed most recently; older ones are reparsed
 * from scratch when next edited. */
#define SL_LSP_MAX_PARSED 16

/* JSON-RPC and LSP error codes */
enum { RPC_PARSE_ERROR = -32700, RPC_INVALID_REQUEST = -32600, RPC_METHOD_NOT_FOUND = -32601,
       RPC_INVALID_PARAMS = -32602, LSP_SERVER_NOT_INITIALIZED = -32002 };

enum work_kind { W_ANALYZE, W_CLOSE, W_STOP };

struct work {
    enum work_kind kind;
    uint64_t doc_id;
    int version;
    struct sl_doc_state *state;
    struct sl_lsp_settings *settings;
    struct sl_job_list jobs;           /* jobs.jobs[0]: the document's job (a copy) */
    char *text;
    size_t len;
    double queued_at;
    /* the result */
    struct sl_diag_list diags;
    struct sl_doc_timing timing;
    int rc;
};

struct worker {
    struct sl_lsp_server *srv;
    pthread_t thread;
    sl_chan in;                        /* struct work * */
    /* Created on the server's thread before the workers start: libclang's
     * clang_createIndex must not run concurrently, and the thread that
     * first calls it gets LLVM's signal handlers and alternate stack. */
    struct sl_doc_engine *eng;
};

struct doc {
    uint64_t id;
    char *uri, *path;
    struct sl_text text;
    int version;
    int worker;
    struct sl_doc_state *state;
    struct sl_lsp_settings *settings;
    struct sl_job_list jobs;
    const struct sl_job *job;
    char *job_key;
    char *compdb_dir;
    struct timespec compdb_mtime;
    bool in_flight;
    bool parsed;                       /* its worker holds a parsed unit for it */
    bool not_c;                        /* C++, Objective-C, ...: not ours to analyse */
    uint64_t last_used;                /* when it was last sent for analysis (a tick) */
    double due;                        /* when to analyse; 0: nothing scheduled */
    /* the last published analysis */
    bool have_last;
    int last_version;
    struct sl_diag_list last;
};

struct sl_lsp_server {
    const struct sl_lsp_options *opts;
    int out_fd;
    bool initialized, shutdown;
    enum sl_pos_enc enc;
    int debounce_ms;
    char *client_checks;
    bool watch_registered;
    bool offset_encoding_ext;          /* the client spoke clangd's offsetEncoding */
    struct doc **docs;
    size_t n_docs, cap_docs;
    uint64_t next_doc_id;
    unsigned next_worker;
    uint64_t tick;
    struct worker *workers;
    int n_workers;
    sl_chan results;                   /* struct work *, from the workers */
    int wake[2];                       /* a byte per result */
    struct sl_doc_store *store;
    int next_request_id;
    /* the proxy's hook: publish through it instead of out_fd (proxy.c) */
    sl_lsp_publish_fn publish;
    void *publish_arg;
};

/* ---- logging: stderr only, never stdout ---- */

void sl_lsp_log(const char *who, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sync-lint %s: ", who);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

#define logf_(...) sl_lsp_log("lsp", __VA_ARGS__)

/* ---- sending ---- */

static void send_msg(struct sl_lsp_server *s, cJSON *msg)
{
    if (sl_rpc_write(s->out_fd, msg) != 0) logf_("cannot write to the client: %s", strerror(errno));
    cJSON_Delete(msg);
}

static cJSON *new_msg(void)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    return m;
}

/* A response to the request with this id (NULL: id null, as for a
 * message that could not be read). */
static cJSON *new_response(const cJSON *id)
{
    cJSON *m = new_msg();
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    return m;
}

static void reply(struct sl_lsp_server *s, const cJSON *id, cJSON *result)
{
    cJSON *m = new_response(id);
    cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
    send_msg(s, m);
}

static void reply_error(struct sl_lsp_server *s, const cJSON *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void reply_error(struct sl_lsp_server *s, const cJSON *id, int code, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cJSON *m = new_response(id);
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", text);
    send_msg(s, m);
}

static void notify(struct sl_lsp_server *s, const char *method, cJSON *params)
{
    cJSON *m = new_msg();
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params);
    send_msg(s, m);
}

static void show_message(struct sl_lsp_server *s, int type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void show_message(struct sl_lsp_server *s, int type, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "type", type);
    cJSON_AddStringToObject(p, "message", text);
    notify(s, "window/showMessage", p);
}

/* ---- documents ---- */

static struct doc *find_doc(struct sl_lsp_server *s, const char *uri)
{
    for (size_t i = 0; i < s->n_docs; i++)
        if (!strcmp(s->docs[i]->uri, uri)) return s->docs[i];
    return NULL;
}

static struct doc *find_doc_id(struct sl_lsp_server *s, uint64_t id)
{
    for (size_t i = 0; i < s->n_docs; i++)
        if (s->docs[i]->id == id) return s->docs[i];
    return NULL;
}

static void submit(struct sl_lsp_server *s, int worker, struct work *w)
{
    if (sl_chan_send(&s->workers[worker].in, w, NULL, -1) != 0) sl_bug("a worker channel closed early");
}

/* Hand the document's parsed state to its worker to free (after the work
 * queued before it). */
static void retire_state(struct sl_lsp_server *s, struct doc *d)
{
    if (!d->state) return;
    struct work *w = sl_xcalloc(1, sizeof *w);
    w->kind = W_CLOSE;
    w->state = d->state;
    d->state = NULL;
    submit(s, d->worker, w);
}

static struct timespec file_mtime(const char *dir, const char *name)
{
    char p[4096];
    struct stat st;
    struct timespec none = {0};
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0 ? st.st_mtim : none;
}

/* (Re)compute the document's settings and job; a changed job gets a fresh
 * parsed state. */
static void configure_doc(struct sl_lsp_server *s, struct doc *d, bool reload)
{
    if (reload || !d->settings || sl_lsp_settings_stale(d->settings, d->path)) {
        /* share the settings of another document under the same file */
        struct sl_lsp_settings *st = sl_lsp_settings_load(s->opts->base, d->path, s->client_checks);
        if (st->error && (!d->settings || !d->settings->error || strcmp(d->settings->error, st->error)))
            show_message(s, 1, "sync-lint: %s (the defaults are used until it is fixed)", st->error);
        sl_lsp_settings_unref(d->settings);
        d->settings = st;
    }
    char *dir = sl_lsp_find_compdb(d->path);
    struct timespec mt = dir ? file_mtime(dir, "compile_commands.json") : (struct timespec){0};
    bool same_db = d->job && ((!dir && !d->compdb_dir) || (dir && d->compdb_dir && !strcmp(dir, d->compdb_dir))) &&
                   mt.tv_sec == d->compdb_mtime.tv_sec && mt.tv_nsec == d->compdb_mtime.tv_nsec;
    if (same_db && !reload) {
        free(dir);
        return;
    }
    sl_jobs_free(&d->jobs);
    sl_jobs_init(&d->jobs);
    char *err = NULL;
    d->job = sl_lsp_job(&d->jobs, dir, d->path, &err);
    if (err) {
        show_message(s, 2, "sync-lint: %s; '%s' is analysed with the default flags", err, d->path);
        free(err);
    }
    free(d->compdb_dir);
    d->compdb_dir = dir;
    d->compdb_mtime = mt;
    char *key = sl_lsp_job_key(d->job);
    if (!d->job_key || strcmp(key, d->job_key)) {
        retire_state(s, d);
        d->state = sl_doc_state_new();
        d->parsed = false;
    }
    free(d->job_key);
    d->job_key = key;
}

static void schedule(struct doc *d, int delay_ms)
{
    if (d->not_c) return;
    double due = sl_now_s() + delay_ms / 1000.0;
    if (!d->due || due > d->due || delay_ms == 0) d->due = due;
}

/* A deep copy: the document's own job list is replaced when its database
 * changes, while this copy is still being analysed. */
static void copy_job(struct sl_job_list *dst, const struct sl_job *j)
{
    sl_jobs_init(dst);
    const char **args = sl_arena_alloc(&dst->arena, (j->n_args + 1) * sizeof *args);
    for (size_t i = 0; i < j->n_args; i++) args[i] = sl_arena_strdup(&dst->arena, j->args[i]);
    sl_jobs_add_file(dst, j->file, args, j->n_args);
    dst->jobs[0].directory = j->directory ? sl_arena_strdup(&dst->arena, j->directory) : NULL;
}

static void start_analysis(struct sl_lsp_server *s, struct doc *d)
{
    configure_doc(s, d, false);
    d->due = 0;
    if (sl_config_excluded(&d->settings->o, d->path)) {
        /* excluded by the configuration: nothing to say about it */
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "uri", d->uri);
        cJSON_AddNumberToObject(p, "version", d->version);
        cJSON_AddItemToObject(p, "diagnostics", cJSON_CreateArray());
        if (s->publish) s->publish(s->publish_arg, d->uri, d->version, p);
        else notify(s, "textDocument/publishDiagnostics", p);
        return;
    }
    /* keep at most SL_LSP_MAX_PARSED parsed units: drop the least recent */
    size_t n_parsed = 0;
    struct doc *lru = NULL;
    for (size_t i = 0; i < s->n_docs; i++) {
        struct doc *o = s->docs[i];
        if (o == d || !o->parsed) continue;
        n_parsed++;
        if (!o->in_flight && (!lru || o->last_used < lru->last_used)) lru = o;
    }
    if (n_parsed >= SL_LSP_MAX_PARSED && lru) {
        retire_state(s, lru);
        lru->state = sl_doc_state_new();
        lru->parsed = false;
    }
    d->last_used = ++s->tick;
    d->parsed = true;
    struct work *w = sl_xcalloc(1, sizeof *w);
    w->kind = W_ANALYZE;
    w->doc_id = d->id;
    w->version = d->version;
    w->state = d->state;
    w->settings = sl_lsp_settings_ref(d->settings);
    copy_job(&w->jobs, d->job);
    w->text = sl_xmalloc(d->text.len + 1);
    memcpy(w->text, d->text.s, d->text.len + 1);
    w->len = d->text.len;
    w->queued_at = sl_now_s();
    sl_diag_list_init(&w->diags);
    d->in_flight = true;
    submit(s, d->worker, w);
}

static void free_work(struct work *w)
{
    sl_lsp_settings_unref(w->settings);
    if (w->kind == W_ANALYZE) sl_jobs_free(&w->jobs);
    sl_diag_list_free(&w->diags);
    free(w->text);
    free(w);
}

static void publish(struct sl_lsp_server *s, struct doc *d, struct work *w)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "uri", d->uri);
    cJSON_AddNumberToObject(p, "version", w->version);
    cJSON_AddItemToObject(p, "diagnostics",
                          sl_lsp_diagnostics_json(&w->diags, d->path, w->text, w->len, s->enc,
                                                  s->publish != NULL));
    if (s->publish) s->publish(s->publish_arg, d->uri, w->version, p);
    else notify(s, "textDocument/publishDiagnostics", p);
    /* keep them for code actions and hover */
    sl_diag_list_free(&d->last);
    sl_diag_list_init(&d->last);
    sl_diag_list_move(&d->last, &w->diags);
    d->have_last = true;
    d->last_version = w->version;
}

static void on_result(struct sl_lsp_server *s, struct work *w)
{
    struct doc *d = find_doc_id(s, w->doc_id);
    if (d) {
        d->in_flight = false;
        if (w->version == d->version) {
            double ms = (sl_now_s() - w->queued_at) * 1000.0;
            logf_("%s v%d: %zu diagnostic%s in %.1f ms (parse %.1f ms%s, lowering %.1f ms, "
                  "analysis %.1f ms)", d->path, w->version, w->diags.n, w->diags.n == 1 ? "" : "s",
                  ms, w->timing.parse_s * 1000.0, w->timing.reparsed ? " reusing the preamble" : "",
                  w->timing.lower_s * 1000.0, (w->timing.analysis_s - w->timing.lower_s) * 1000.0);
            publish(s, d, w);
            /* its summary changed: the whole-program findings of the other
             * open documents may have too (a callee that now blocks) */
            if (w->timing.summary_changed)
                for (size_t i = 0; i < s->n_docs; i++)
                    if (s->docs[i] != d && !s->docs[i]->due) schedule(s->docs[i], 300);
        } else if (!d->due) {
            schedule(d, 0);     /* superseded: analyse the newest text now */
        }
    }
    free_work(w);
}

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    struct sl_doc_engine *eng = wk->eng;
    const struct sl_lsp_settings *eng_settings = NULL;
    for (;;) {
        void *item;
        if (sl_chan_recv(&wk->in, &item, NULL, -1) != 0) break;
        struct work *w = item;
        if (w->kind == W_STOP) { free(w); break; }
        if (w->kind == W_CLOSE) {
            sl_doc_state_free(eng, w->state);
            free(w);
            continue;
        }
        if (eng_settings != w->settings) sl_doc_engine_set_options(eng, &w->settings->so);
        eng_settings = w->settings;
        w->rc = sl_doc_analyze(eng, w->state, &w->jobs.jobs[0], w->text, w->len, wk->srv->store,
                               &w->diags, &w->timing);
        if (sl_chan_send(&wk->srv->results, w, NULL, -1) != 0) { free_work(w); continue; }
        char b = 1;
        while (write(wk->srv->wake[1], &b, 1) < 0 && errno == EINTR) {}
    }
    return NULL;
}

/* ---- requests and notifications ---- */

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static const char *get_str(const cJSON *o, const char *key)
{
    const cJSON *v = get(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool get_int(const cJSON *o, const char *key, int *out)
{
    const cJSON *v = get(o, key);
    if (!cJSON_IsNumber(v)) return false;
    *out = (int)v->valuedouble;
    return true;
}

static void apply_client_settings(struct sl_lsp_server *s, const cJSON *opts)
{
    if (!cJSON_IsObject(opts)) return;
    const cJSON *nested = get(opts, "sync-lint");
    if (cJSON_IsObject(nested)) opts = nested;
    int ms;
    if (get_int(opts, "debounceMs", &ms) && ms >= 0 && ms <= 10000) s->debounce_ms = ms;
    const char *checks = get_str(opts, "checks");
    if (checks) {
        free(s->client_checks);
        s->client_checks = sl_xstrdup(checks);
    }
}

void sl_lsp_server_take_init(struct sl_lsp_server *s, const cJSON *params)
{
    s->initialized = true;
    /* positionEncoding: UTF-8 when the client offers it (no conversion
     * cost, exact), else the mandatory UTF-16 */
    s->enc = SL_ENC_UTF16;
    const cJSON *encs = get(get(get(params, "capabilities"), "general"), "positionEncodings");
    const cJSON *e;
    if (cJSON_IsArray(encs)) cJSON_ArrayForEach(e, encs)
        if (cJSON_IsString(e) && !strcmp(e->valuestring, "utf-8")) s->enc = SL_ENC_UTF8;
    /* clangd's older extension, which clients before LSP 3.17 (Neovim 0.7)
     * offer instead */
    const cJSON *offs = get(get(params, "capabilities"), "offsetEncoding");
    s->offset_encoding_ext = cJSON_IsArray(offs) && !cJSON_IsArray(encs);
    if (s->offset_encoding_ext) cJSON_ArrayForEach(e, offs)
        if (cJSON_IsString(e) && !strcmp(e->valuestring, "utf-8")) s->enc = SL_ENC_UTF8;
    const cJSON *dyn = get(get(get(get(params, "capabilities"), "workspace"), "didChangeWatchedFiles"),
                           "dynamicRegistration");
    s->watch_registered = cJSON_IsTrue(dyn);
    apply_client_settings(s, get(params, "initializationOptions"));
}

void sl_lsp_server_set_encoding(struct sl_lsp_server *s, enum sl_pos_enc enc) { s->enc = enc; }

static void on_initialize(struct sl_lsp_server *s, const cJSON *id, const cJSON *params)
{
    if (s->initialized) {
        reply_error(s, id, RPC_INVALID_REQUEST, "initialize was already received");
        return;
    }
    sl_lsp_server_take_init(s, params);
    cJSON *r = cJSON_CreateObject();
    cJSON *caps = cJSON_AddObjectToObject(r, "capabilities");
    cJSON_AddStringToObject(caps, "positionEncoding", s->enc == SL_ENC_UTF8 ? "utf-8" : "utf-16");
    if (s->offset_encoding_ext)
        cJSON_AddStringToObject(r, "offsetEncoding", s->enc == SL_ENC_UTF8 ? "utf-8" : "utf-16");
    cJSON *sync = cJSON_AddObjectToObject(caps, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", 1);
    cJSON_AddNumberToObject(sync, "change", 2);   /* incremental */
    cJSON *save = cJSON_AddObjectToObject(sync, "save");
    cJSON_AddBoolToObject(save, "includeText", 0);
    cJSON *ca = cJSON_AddObjectToObject(caps, "codeActionProvider");
    cJSON *kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
    cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
    cJSON_AddBoolToObject(caps, "hoverProvider", 1);
    cJSON *ex = cJSON_AddObjectToObject(caps, "executeCommandProvider");
    cJSON *cmds = cJSON_AddArrayToObject(ex, "commands");
    cJSON_AddItemToArray(cmds, cJSON_CreateString("sync-lint.explain"));
    cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
    cJSON_AddStringToObject(info, "name", "sync-lint");
    cJSON_AddStringToObject(info, "version", SL_VERSION);
    reply(s, id, r);
}

static void on_initialized(struct sl_lsp_server *s)
{
    if (!s->watch_registered) return;
    /* ask to hear of config and database changes made outside the editor */
    cJSON *m = new_msg();
    char rid[32];
    snprintf(rid, sizeof rid, "sync-lint:%d", ++s->next_request_id);   /* never clashes with clangd's */
    cJSON_AddStringToObject(m, "id", rid);
    cJSON_AddStringToObject(m, "method", "client/registerCapability");
    cJSON *p = cJSON_AddObjectToObject(m, "params");
    cJSON *regs = cJSON_AddArrayToObject(p, "registrations");
    cJSON *reg = cJSON_CreateObject();
    cJSON_AddStringToObject(reg, "id", "sync-lint-watch");
    cJSON_AddStringToObject(reg, "method", "workspace/didChangeWatchedFiles");
    cJSON *ro = cJSON_AddObjectToObject(reg, "registerOptions");
    cJSON *ws = cJSON_AddArrayToObject(ro, "watchers");
    const char *globs[] = { "**/.sync-lint.json", "**/compile_commands.json" };
    for (size_t i = 0; i < 2; i++) {
        cJSON *w = cJSON_CreateObject();
        cJSON_AddStringToObject(w, "globPattern", globs[i]);
        cJSON_AddItemToArray(ws, w);
    }
    cJSON_AddItemToArray(regs, reg);
    send_msg(s, m);
}

static void reanalyse_all(struct sl_lsp_server *s, bool reload)
{
    for (size_t i = 0; i < s->n_docs; i++) {
        if (s->docs[i]->not_c) continue;
        configure_doc(s, s->docs[i], reload);
        schedule(s->docs[i], 0);
    }
}

/* Is the document C?  By its languageId, except that a .h the client calls
 * "cpp" (VS Code's default) is C; by its extension when there is none. */
static bool is_c_document(const char *path, const char *lang)
{
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base : path, '.');
    bool header = dot && !strcmp(dot, ".h");
    if (lang && *lang) return !strcmp(lang, "c") || (header && !strcmp(lang, "cpp"));
    return dot && (header || !strcmp(dot, ".c") || !strcmp(dot, ".i"));
}

static void on_did_open(struct sl_lsp_server *s, const cJSON *params)
{
    const cJSON *td = get(params, "textDocument");
    const char *uri = get_str(td, "uri"), *text = get_str(td, "text");
    int version = 0;
    get_int(td, "version", &version);
    if (!uri || !text) { logf_("didOpen without uri or text: ignored"); return; }
    char *path = sl_uri_to_path(uri);
    if (!path) { logf_("didOpen of '%s': not a local file, ignored", uri); return; }
    struct doc *d = find_doc(s, uri);
    if (!d) {
        d = sl_xcalloc(1, sizeof *d);
        d->id = ++s->next_doc_id;
        d->uri = sl_xstrdup(uri);
        d->path = path;
        d->worker = (int)(s->next_worker++ % (unsigned)s->n_workers);
        sl_jobs_init(&d->jobs);
        sl_diag_list_init(&d->last);
        if (s->n_docs == s->cap_docs) {
            s->cap_docs = s->cap_docs ? s->cap_docs * 2 : 16;
            s->docs = sl_xreallocarray(s->docs, s->cap_docs, sizeof *s->docs);
        }
        s->docs[s->n_docs++] = d;
    } else {
        free(path);
    }
    sl_text_set(&d->text, text, strlen(text));
    d->version = version;
    /* sync-lint is for C: a C++ or Objective-C buffer (clangd's too, in
     * proxy mode) gets no diagnostics from it, rather than an error */
    const char *lang = get_str(td, "languageId");
    d->not_c = !is_c_document(d->path, lang);
    if (d->not_c) {
        logf_("%s: language '%s' is not C: not analysed", d->path, lang ? lang : "?");
        return;
    }
    configure_doc(s, d, false);
    schedule(d, 0);
}

static bool apply_change(struct sl_lsp_server *s, struct doc *d, const cJSON *ch)
{
    const char *text = get_str(ch, "text");
    if (!text) return false;
    const cJSON *range = get(ch, "range");
    if (!range) {
        sl_text_set(&d->text, text, strlen(text));
        return true;
    }
    int l0, c0, l1, c1;
    if (!get_int(get(range, "start"), "line", &l0) || !get_int(get(range, "start"), "character", &c0) ||
        !get_int(get(range, "end"), "line", &l1) || !get_int(get(range, "end"), "character", &c1) ||
        l0 < 0 || c0 < 0 || l1 < 0 || c1 < 0)
        return false;
    size_t from = sl_lsp_offset(d->text.s, d->text.len, (unsigned)l0, (unsigned)c0, s->enc);
    size_t to = sl_lsp_offset(d->text.s, d->text.len, (unsigned)l1, (unsigned)c1, s->enc);
    if (to < from) { size_t t = from; from = to; to = t; }
    sl_text_replace(&d->text, from, to, text, strlen(text));
    return true;
}

static void on_did_change(struct sl_lsp_server *s, const cJSON *params)
{
    const cJSON *td = get(params, "textDocument");
    const char *uri = get_str(td, "uri");
    struct doc *d = uri ? find_doc(s, uri) : NULL;
    if (!d) { logf_("didChange of a document not open: ignored"); return; }
    int version;
    if (get_int(td, "version", &version)) {
        if (version <= d->version) {
            logf_("didChange of %s to version %d after %d: out of order, ignored", d->path, version,
                  d->version);
            return;
        }
        d->version = version;
    } else {
        d->version++;
    }
    const cJSON *ch;
    cJSON_ArrayForEach(ch, get(params, "contentChanges"))
        if (!apply_change(s, d, ch)) logf_("a malformed change to %s: ignored", d->path);
    schedule(d, s->debounce_ms);
}

static void on_did_save(struct sl_lsp_server *s, const cJSON *params)
{
    const char *uri = get_str(get(params, "textDocument"), "uri");
    struct doc *d = uri ? find_doc(s, uri) : NULL;
    if (!d) return;
    const char *text = get_str(params, "text");
    if (text) sl_text_set(&d->text, text, strlen(text));
    schedule(d, 0);
}

static void free_doc(struct sl_lsp_server *s, struct doc *d)
{
    retire_state(s, d);
    sl_lsp_settings_unref(d->settings);
    sl_jobs_free(&d->jobs);
    sl_diag_list_free(&d->last);
    sl_text_free(&d->text);
    free(d->job_key);
    free(d->compdb_dir);
    free(d->uri);
    free(d->path);
    free(d);
}

static void on_did_close(struct sl_lsp_server *s, const cJSON *params)
{
    const char *uri = get_str(get(params, "textDocument"), "uri");
    for (size_t i = 0; uri && i < s->n_docs; i++) {
        struct doc *d = s->docs[i];
        if (strcmp(d->uri, uri)) continue;
        /* clear what we published (in the proxy: what it merges into
         * clangd's); the file's summary stays for the whole-program rules
         * of the files still open */
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "uri", d->uri);
        cJSON_AddItemToObject(p, "diagnostics", cJSON_CreateArray());
        if (s->publish) {
            cJSON_AddNumberToObject(p, "version", d->version);
            s->publish(s->publish_arg, d->uri, d->version, p);
        } else {
            notify(s, "textDocument/publishDiagnostics", p);
        }
        free_doc(s, d);
        s->docs[i] = s->docs[--s->n_docs];
        return;
    }
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static void on_watched_files(struct sl_lsp_server *s, const cJSON *params)
{
    bool reload = false;
    const cJSON *c;
    cJSON_ArrayForEach(c, get(params, "changes")) {
        const char *uri = get_str(c, "uri");
        if (uri && (ends_with(uri, "/.sync-lint.json") || ends_with(uri, "/compile_commands.json")))
            reload = true;
    }
    if (reload) reanalyse_all(s, true);
}

/* The view of a document its findings are of; false (no view) while the
 * buffer has changed since: edits and positions would be off. */
static bool doc_view(struct sl_lsp_server *s, const cJSON *params, struct sl_lsp_doc_view *v)
{
    const char *uri = get_str(get(params, "textDocument"), "uri");
    struct doc *d = uri ? find_doc(s, uri) : NULL;
    if (!d || !d->have_last || d->last_version != d->version) return false;
    *v = (struct sl_lsp_doc_view){ d->uri, d->path, d->text.s, d->text.len, &d->last };
    return true;
}

static cJSON *code_actions(struct sl_lsp_server *s, const cJSON *params)
{
    struct sl_lsp_doc_view v;
    int l0 = 0, l1 = 0;
    const cJSON *range = get(params, "range");
    if (!doc_view(s, params, &v) || !get_int(get(range, "start"), "line", &l0) ||
        !get_int(get(range, "end"), "line", &l1))
        return cJSON_CreateArray();
    return sl_lsp_code_actions(&v, l0, l1, s->enc);
}

static cJSON *hover(struct sl_lsp_server *s, const cJSON *params)
{
    struct sl_lsp_doc_view v;
    int line, ch;
    const cJSON *pos = get(params, "position");
    if (!doc_view(s, params, &v) || !get_int(pos, "line", &line) || !get_int(pos, "character", &ch) ||
        line < 0 || ch < 0)
        return NULL;
    return sl_lsp_hover(&v, (unsigned)line, (unsigned)ch, s->enc);
}

static void on_code_action(struct sl_lsp_server *s, const cJSON *id, const cJSON *params)
{
    reply(s, id, code_actions(s, params));
}

static void on_execute_command(struct sl_lsp_server *s, const cJSON *id, const cJSON *params)
{
    const char *cmd = get_str(params, "command");
    const cJSON *args = get(params, "arguments");
    const cJSON *a0 = cJSON_IsArray(args) ? cJSON_GetArrayItem(args, 0) : NULL;
    if (!cmd || strcmp(cmd, "sync-lint.explain")) {
        reply_error(s, id, RPC_INVALID_PARAMS, "unknown command '%s'", cmd ? cmd : "");
        return;
    }
    const struct sl_rule *r = cJSON_IsString(a0) ? sl_rule_find(a0->valuestring) : NULL;
    if (!r) {
        reply_error(s, id, RPC_INVALID_PARAMS, "sync-lint.explain takes a rule id");
        return;
    }
    char *text = sl_rule_plaintext(r);
    show_message(s, 3, "%s", text);
    free(text);
    reply(s, id, NULL);
}

static void on_hover(struct sl_lsp_server *s, const cJSON *id, const cJSON *params)
{
    reply(s, id, hover(s, params));
}

static void dispatch(struct sl_lsp_server *s, const cJSON *msg, bool *exit_now);

void sl_lsp_server_code_actions(struct sl_lsp_server *s, const cJSON *params, cJSON *into)
{
    cJSON *arr = code_actions(s, params);
    cJSON *a;
    while ((a = cJSON_DetachItemFromArray(arr, 0))) cJSON_AddItemToArray(into, a);
    cJSON_Delete(arr);
}

cJSON *sl_lsp_server_hover(struct sl_lsp_server *s, const cJSON *params)
{
    return hover(s, params);
}

void sl_lsp_server_request(struct sl_lsp_server *s, const cJSON *msg)
{
    bool exit_now = false;
    dispatch(s, msg, &exit_now);
}

/* One message from the client. */
static void dispatch(struct sl_lsp_server *s, const cJSON *msg, bool *exit_now)
{
    const cJSON *id = get(msg, "id");
    const char *method = get_str(msg, "method");
    const cJSON *params = get(msg, "params");
    bool is_request = id != NULL;
    if (!method) {
        if (is_request && (get(msg, "result") || get(msg, "error"))) return;   /* a reply to us */
        reply_error(s, id, RPC_INVALID_REQUEST, "a message with no method");
        return;
    }
    if (id && !cJSON_IsNumber(id) && !cJSON_IsString(id)) {
        reply_error(s, NULL, RPC_INVALID_REQUEST, "request id must be a number or a string");
        return;
    }
    if (!strcmp(method, "exit")) { *exit_now = true; return; }
    if (!s->initialized && strcmp(method, "initialize")) {
        if (is_request) reply_error(s, id, LSP_SERVER_NOT_INITIALIZED, "'%s' before initialize", method);
        return;   /* notifications before initialize are dropped */
    }
    if (s->shutdown) {
        if (is_request) reply_error(s, id, RPC_INVALID_REQUEST, "'%s' after shutdown", method);
        return;
    }
    if (is_request) {
        if (!strcmp(method, "initialize")) on_initialize(s, id, params);
        else if (!strcmp(method, "shutdown")) { s->shutdown = true; reply(s, id, NULL); }
        else if (!strcmp(method, "textDocument/codeAction")) on_code_action(s, id, params);
        else if (!strcmp(method, "textDocument/hover")) on_hover(s, id, params);
        else if (!strcmp(method, "workspace/executeCommand")) on_execute_command(s, id, params);
        else reply_error(s, id, RPC_METHOD_NOT_FOUND, "method '%s' is not supported", method);
        return;
    }
    if (!strcmp(method, "initialized")) on_initialized(s);
    else if (!strcmp(method, "textDocument/didOpen")) on_did_open(s, params);
    else if (!strcmp(method, "textDocument/didChange")) on_did_change(s, params);
    else if (!strcmp(method, "textDocument/didSave")) on_did_save(s, params);
    else if (!strcmp(method, "textDocument/didClose")) on_did_close(s, params);
    else if (!strcmp(method, "workspace/didChangeConfiguration")) {
        apply_client_settings(s, get(params, "settings"));
        reanalyse_all(s, true);
    } else if (!strcmp(method, "workspace/didChangeWatchedFiles")) on_watched_files(s, params);
    /* $/cancelRequest: every request is answered at once, so there is
     * never one left to cancel; other notifications are ignored */
}

/* ---- the server object and the loop ---- */

struct sl_lsp_server *sl_lsp_server_new(const struct sl_lsp_options *o, int out_fd)
{
    struct sl_lsp_server *s = sl_xcalloc(1, sizeof *s);
    s->opts = o;
    s->out_fd = out_fd;
    s->debounce_ms = SL_LSP_DEFAULT_DEBOUNCE_MS;
    s->store = sl_doc_store_new();
    if (pipe(s->wake) != 0) sl_bug("pipe: %s", strerror(errno));
    fcntl(s->wake[0], F_SETFL, O_NONBLOCK);
    fcntl(s->wake[0], F_SETFD, FD_CLOEXEC);
    fcntl(s->wake[1], F_SETFD, FD_CLOEXEC);
    if (sl_chan_init(&s->results, 1024) != 0) sl_oom(0);
    int n = o->base && o->base->jobs > 0 ? o->base->jobs : 2;
    s->n_workers = n > 4 ? 4 : n;
    s->workers = sl_xcalloc((size_t)s->n_workers, sizeof *s->workers);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 16u << 20);   /* libclang recurses deeply */
    struct sl_session_options none = {0};   /* each work item brings its settings */
    for (int i = 0; i < s->n_workers; i++) s->workers[i].eng = sl_doc_engine_new(&none);
    for (int i = 0; i < s->n_workers; i++) {
        s->workers[i].srv = s;
        if (sl_chan_init(&s->workers[i].in, 256) != 0) sl_oom(0);
        if (pthread_create(&s->workers[i].thread, &attr, worker_main, &s->workers[i]) != 0)
            sl_bug("cannot start a worker thread");
    }
    pthread_attr_destroy(&attr);
    return s;
}

void sl_lsp_server_set_publish(struct sl_lsp_server *s, sl_lsp_publish_fn fn, void *arg)
{
    s->publish = fn;
    s->publish_arg = arg;
}

void sl_lsp_server_free(struct sl_lsp_server *s)
{
    while (s->n_docs) free_doc(s, s->docs[--s->n_docs]);
    /* a worker finishing an analysis sees the closed results channel and
     * drops it; then it takes the closes queued above and its stop */
    sl_chan_close(&s->results);
    for (int i = 0; i < s->n_workers; i++) {
        struct work *w = sl_xcalloc(1, sizeof *w);
        w->kind = W_STOP;
        submit(s, i, w);
    }
    for (int i = 0; i < s->n_workers; i++) {
        pthread_join(s->workers[i].thread, NULL);
        void *left;
        while (sl_chan_try_recv(&s->workers[i].in, &left) == 0) free(left);
        sl_chan_destroy(&s->workers[i].in);
        sl_doc_engine_free(s->workers[i].eng);
    }
    void *item;
    while (sl_chan_try_recv(&s->results, &item) == 0) free_work(item);
    sl_chan_destroy(&s->results);
    close(s->wake[0]);
    close(s->wake[1]);
    sl_doc_store_free(s->store);
    free(s->workers);
    free(s->docs);
    free(s->client_checks);
    free(s);
}

void sl_lsp_server_message(struct sl_lsp_server *s, const char *body, size_t len, bool *exit_now)
{
    cJSON *msg = cJSON_ParseWithLength(body, len);
    if (!msg) {
        reply_error(s, NULL, RPC_PARSE_ERROR, "the message is not valid JSON");
        return;
    }
    if (!cJSON_IsObject(msg)) reply_error(s, NULL, RPC_INVALID_REQUEST, "a message must be a JSON object");
    else dispatch(s, msg, exit_now);
    cJSON_Delete(msg);
}

int sl_lsp_server_wake_fd(const struct sl_lsp_server *s) { return s->wake[0]; }

void sl_lsp_server_poll_results(struct sl_lsp_server *s)
{
    char buf[256];
    while (read(s->wake[0], buf, sizeof buf) > 0) {}
    void *item;
    while (sl_chan_try_recv(&s->results, &item) == 0) on_result(s, item);
}

int sl_lsp_server_tick(struct sl_lsp_server *s)
{
    double now = sl_now_s(), next = 0;
    for (size_t i = 0; i < s->n_docs; i++) {
        struct doc *d = s->docs[i];
        if (!d->due) continue;
        if (d->due <= now && !d->in_flight) start_analysis(s, d);
        else if (!d->in_flight && (!next || d->due < next)) next = d->due;
    }
    if (!next) return -1;
    int ms = (int)((next - now) * 1000.0) + 1;
    return ms < 0 ? 0 : ms;
}

bool sl_lsp_server_shut_down(const struct sl_lsp_server *s) { return s->shutdown; }

int sl_lsp_serve(const struct sl_lsp_options *o)
{
    if (o->clangd) return sl_lsp_proxy(o);
    signal(SIGPIPE, SIG_IGN);
    struct sl_lsp_server *s = sl_lsp_server_new(o, o->out_fd);
    struct sl_rpc_in in;
    sl_rpc_in_init(&in, SL_LSP_MAX_BODY);
    bool exit_now = false, eof = false;
    char buf[65536];
    while (!exit_now && !eof) {
        int timeout = sl_lsp_server_tick(s);
        struct pollfd fds[2] = { { o->in_fd, POLLIN, 0 }, { s->wake[0], POLLIN, 0 } };
        int n = poll(fds, 2, timeout);
        if (n < 0 && errno != EINTR) sl_bug("poll: %s", strerror(errno));
        if (n <= 0) continue;
        if (fds[1].revents) sl_lsp_server_poll_results(s);
        if (fds[0].revents) {
            ssize_t r = read(o->in_fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) { eof = true; break; }
            sl_rpc_in_feed(&in, buf, (size_t)r);
            for (;;) {
                char *body, err[256];
                size_t len;
                enum sl_rpc_status st = sl_rpc_in_next(&in, &body, &len, err, sizeof err);
                if (st == SL_RPC_MORE) break;
                if (st == SL_RPC_BAD_FRAME) { logf_("%s", err); continue; }
                sl_lsp_server_message(s, body, len, &exit_now);
                free(body);
                if (exit_now) break;
            }
        }
    }
    bool clean = exit_now && s->shutdown;
    if (eof) logf_("the client closed the connection%s", s->shutdown ? "" : " without shutdown");
    sl_rpc_in_free(&in);
    sl_lsp_server_free(s);
    return clean ? 0 : 1;
}
