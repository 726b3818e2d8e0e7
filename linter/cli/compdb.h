/* compdb.h - turn compile_commands.json entries, or bare files, into jobs
 * with sanitised compiler arguments. */
#ifndef SL_COMPDB_H
#define SL_COMPDB_H

#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "job.h"

struct sl_job_list {
    struct sl_arena arena;      /* owns every string of every job */
    struct sl_job *jobs;
    size_t n, cap;
    /* A named file the database does not list gets the flags of the entry
     * nearest to it by path (a header, a new file), as clangd does, instead
     * of the defaults.  Set by the language server. */
    bool borrow_nearest;
};

void sl_jobs_init(struct sl_job_list *l);
void sl_jobs_free(struct sl_job_list *l);

/* Load DIR/compile_commands.json.  With n_files == 0, one job per distinct
 * configuration of each C source of the database; otherwise, for each named
 * file in turn, one job per distinct configuration of it in the database,
 * or one with the defaults (and a note on stderr) when the database has no
 * entry for it.  A configuration is a file with its sanitised arguments: a
 * file listed twice with different flags (-DWITH_LOCKS and not) is two jobs,
 * listed twice with the same flags one.  The jobs are ordered by file
 * (canonical path) and then by arguments, so the same entries in any order
 * give the same jobs in the same order.  Returns 0, or -1 with err naming
 * the file and the problem (missing, unreadable, not JSON, wrong shape). */
int sl_jobs_from_compdb(struct sl_job_list *l, const char *dir, const char *const *files,
                        size_t n_files, char *err, size_t errsz);

/* A job for file with explicit flags (after `--`), or, when flags is NULL,
 * the defaults: -std=gnu11 -pthread and include directories near the file. */
void sl_jobs_add_file(struct sl_job_list *l, const char *file, const char *const *flags,
                      size_t n_flags);

/* Sanitise one compiler command line (argv[0] is the compiler) for the
 * analyser: drop the compiler, the source, output and dependency flags,
 * -Werror, and everything that would load code into the analyser
 * (-fplugin=, -fpass-plugin=, -Xclang -load/-plugin/-add-plugin ...),
 * saying so on stderr.  Relative paths in -I/-isystem/-include... are made
 * absolute against dir.  Returns the kept arguments (in l's arena). */
const char **sl_sanitize_args(struct sl_job_list *l, const char *const *argv, size_t argc,
                              const char *dir, const char *source, size_t *n_out,
                              bool quiet);

/* Split a shell command line ("command" entries): quotes and backslashes as
 * POSIX sh.  Returns the number of words; *out in l's arena. */
size_t sl_shell_split(struct sl_job_list *l, const char *cmd, const char ***out);

#endif
