/* options.h - the parsed command line. */
#ifndef SL_OPTIONS_H
#define SL_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include "lockops.h"

struct sl_rule;
struct sl_rule_optval;

enum sl_format { SL_FMT_TEXT, SL_FMT_JSON, SL_FMT_SARIF, SL_FMT_CHECKLIST, SL_FMT_INVENTORY };

struct sl_options {
    const char *compdb_dir;            /* -p */
    const char **files;                /* positional files */
    size_t n_files;
    const char **flags;                /* after `--` */
    size_t n_flags;
    bool has_flags;                    /* `--` was given */
    const char *checks;                /* --checks=, NULL: all rules */
    enum sl_format format;
    const char *output;                /* -o, NULL: stdout */
    int jobs;                          /* -j, default: online cores */
    struct sl_wrapper *wrappers;       /* --wrapper (repeatable) */
    size_t n_wrappers;
    const char **blocking;             /* --blocking=NAME (repeatable), NULL-terminated */
    size_t n_blocking;
    const char *explain;               /* --explain ID */
    bool list_rules, version, help;
    bool time_report;                  /* --time-report: per-phase times on stderr */
    bool quiet;                        /* -q/--quiet: no summary line, no progress */
    bool lsp;                          /* --lsp: serve the Language Server Protocol */
    const char *clangd;                /* --clangd[=PATH]: in front of this clangd */
    const char *sarif_category;        /* --sarif-category, NULL: "sync-lint/" */
    const char *baseline;              /* --baseline FILE, or the config's "baseline": report findings it does not list */
    const char *write_baseline;        /* --write-baseline FILE: record today's findings */
    const char *diff_base;             /* --diff-base REV: findings on changed lines only */
    /* The configuration file (config.h) and what only it, or also it, sets.
     * A list given on the command line replaces the file's. */
    const char *config;                /* --config FILE, NULL: nearest .sync-lint.json */
    bool no_config;                    /* --no-config */
    const char **io_locks;             /* --io-lock=NAME (repeatable), NULL-terminated */
    size_t n_io_locks;
    const char **exclude;              /* --exclude=GLOB (repeatable), NULL-terminated */
    size_t n_exclude;
    const char *exclude_base;          /* exclude globs are relative to it; NULL: cwd */
    const struct sl_rule_optval *rule_values;   /* the config's "rules" (owned by the config) */
    size_t n_rule_values;
    unsigned shard_k, shard_n;         /* --shard K/N (1-based K); 0/0: not a shard */
    bool merge;                        /* --merge: files are shard reports (shard.h) */
    /* Fixes (fixes.h). */
    bool fix;                          /* --fix: apply the fixes of the findings reported */
    bool fix_dry_run;                  /* --fix-dry-run: print them as a diff, write nothing */
    const char **fix_suppress;         /* --fix-suppress=GLOB (repeatable), NULL-terminated */
    size_t n_fix_suppress;
};

/* Parse argv.  Returns 0, or -1 with a message in err naming the problem.
 * Strings point into argv; the lists are the options' own, freed by
 * sl_cli_free (also after a failed parse). */
int sl_cli_parse(int argc, char **argv, struct sl_options *o, char *err, size_t errsz);
void sl_cli_free(struct sl_options *o);
void sl_cli_usage(FILE *out);

/* Rules selected by a --checks value (NULL: every rule), in registry order.
 * Semantics follow clang-tidy: comma-separated globs applied left to right,
 * `-glob` removes, `*` matches any run of characters; tier1/tier2/tier3
 * name tiers (valid even while a tier has no rule).  A list that starts
 * with a removal starts from every rule.  Returns 0 with *out malloc'd (the
 * caller frees it), or -1 with err naming the entry that is malformed or
 * matches no rule, or saying that the list enables no rule at all. */
int sl_checks_select(const char *checks, const struct sl_rule ***out, size_t *n,
                     char *err, size_t errsz);

#endif
