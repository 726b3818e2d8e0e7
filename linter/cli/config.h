/* config.h - the configuration file, .sync-lint.json (docs/config.md):
 * find it, parse and check it, and apply it under the command line.
 *
 * Keys: "$schema" (ignored), "checks" (a --checks string or a list of
 * globs), "wrappers" (--wrapper strings), "blocking" (function names),
 * "io_locks" (lock names or classes), "exclude" (path globs relative to the
 * file's directory), "baseline" (a path relative to it) and "rules"
 * ({"<rule-id>": {"<option>": value}}, the options each rule declares).
 * Anything else is an error naming the file and the key, with the nearest
 * valid key when one is close. */
#ifndef SL_CONFIG_H
#define SL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "lockops.h"
#include "options.h"

struct cJSON;

#define SL_CONFIG_NAME ".sync-lint.json"

struct sl_config {
    char *path;                        /* the file read; NULL: no file */
    char *dir;                         /* its directory */
    struct cJSON *json;                /* owns the strings below */
    char *checks;                      /* NULL: not set */
    struct sl_wrapper *wrappers;
    size_t n_wrappers;
    const char **blocking, **io_locks, **exclude;   /* NULL-terminated; NULL: not set */
    size_t n_blocking, n_io_locks, n_exclude;
    char *baseline;                    /* resolved against dir; NULL: not set */
    struct sl_rule_optval *values;     /* the "rules" options given */
    size_t n_values;
};

/* A C identifier (a function name as --blocking and "blocking" take). */
bool sl_is_c_name(const char *s);

/* The nearest .sync-lint.json in start (a file's directory or a directory)
 * or a directory above it.  Returns a malloc'd path, or NULL when there is
 * none. */
char *sl_config_find(const char *start);

/* Read and check path into c (zeroed first).  Returns 0, or -1 with err
 * naming the file and the problem: unreadable, not JSON (with line and
 * column), an unknown key (with "did you mean"), a wrong type, a bad
 * wrapper.  c is to be freed with sl_config_free either way. */
int sl_config_load(struct sl_config *c, const char *path, char *err, size_t errsz);
void sl_config_free(struct sl_config *c);

/* The file the options ask for (--config, --no-config, or the nearest one
 * to the first file, the -p directory or the current directory), loaded
 * into c and applied to o: what the command line did not set comes from
 * the file (the lists are moved into o; o's strings then point into c, so
 * c must outlive o's use).  Returns 0 (also when there is no file), or -1
 * with err. */
int sl_config_setup(struct sl_config *c, struct sl_options *o, char *err, size_t errsz);

/* Is file (a path as given or from the compile database) excluded by o's
 * exclude globs?  A glob matches the path relative to o->exclude_base (or
 * the current directory) when the file is under it, else the absolute
 * path; '*' also matches '/'; a glob that matches a leading directory of
 * the path excludes everything under it. */
bool sl_config_excluded(const struct sl_options *o, const char *file);

/* Levenshtein distance (for "did you mean"); exposed for the unit test. */
size_t sl_edit_distance(const char *a, const char *b);

#endif
