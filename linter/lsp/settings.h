/* settings.h - what a document is analysed with: the rules and options of
 * the nearest .sync-lint.json under the server's command line, and the
 * compile flags of the nearest compile_commands.json.
 *
 * Settings are shared by the documents under one configuration file and
 * by the work items in flight (reference counted: a reload makes new ones
 * while old analyses finish with the old).
 */
#ifndef SL_LSP_SETTINGS_H
#define SL_LSP_SETTINGS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>
#include "compdb.h"
#include "config.h"
#include "options.h"
#include "session.h"

struct sl_lsp_settings {
    atomic_int refs;
    char *config_path;                 /* NULL: no file (defaults) */
    struct timespec config_mtime;
    struct sl_options o;               /* the command line with the file applied */
    struct sl_config cfg;
    const struct sl_rule **rules;
    size_t n_rules;
    struct sl_session_options so;
    char *error;                       /* the file's problem (then defaults are used), or NULL */
    const struct sl_options *base;
};

/* Settings for a document at path under the command line base, with
 * checks (NULL: base's / the file's) from the client's configuration.
 * Never NULL; a broken config file gives the defaults with ->error set. */
struct sl_lsp_settings *sl_lsp_settings_load(const struct sl_options *base, const char *path,
                                             const char *client_checks);
struct sl_lsp_settings *sl_lsp_settings_ref(struct sl_lsp_settings *s);
void sl_lsp_settings_unref(struct sl_lsp_settings *s);
/* The config file the settings came from changed on disk (or appeared). */
bool sl_lsp_settings_stale(const struct sl_lsp_settings *s, const char *path);

/* The nearest directory at or above path's directory holding a
 * compile_commands.json (also in its build/ subdirectory, as clangd looks),
 * malloc'd; NULL when there is none. */
char *sl_lsp_find_compdb(const char *path);

/* The job for path into jobs: its first configuration in the database of
 * dir (NULL: the defaults).  On a database error the defaults are used and
 * *err (malloc'd) says why. */
const struct sl_job *sl_lsp_job(struct sl_job_list *jobs, const char *dir, const char *path,
                                char **err);

/* A key that changes when a job's arguments do. */
char *sl_lsp_job_key(const struct sl_job *job);

#endif
