/* cli.c - command-line parsing into struct sl_options. */
#include "options.h"
#include "config.h"
#include "shard.h"
#include "rule.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


void sl_cli_usage(FILE *out)
{
    fputs(
"usage: sync-lint [options] [files...] [-- compiler flags]\n"
"\n"
"Finds concurrency anti-patterns in C code and names the replacement.\n"
"\n"
"  -p DIR              read DIR/compile_commands.json; with no files, lint every entry\n"
"  --checks=GLOBS      rules to run: comma-separated globs, '-glob' removes,\n"
"                      'tier1'..'tier3' name tiers (default: every rule)\n"
"  --format=FMT        text (default), json, sarif, checklist (the pre-merge\n"
"                      review checklist in markdown, answered from the findings)\n"
"                      or inventory (every lock, condvar, atomic and thread, in\n"
"                      markdown)\n"
"  -o FILE             write the report to FILE instead of standard output\n"
"  -j N                worker threads (default: number of cores)\n"
"  --wrapper=SPEC      a project lock function, NAME:OP[:ARG[:ARG]]; OP is lock,\n"
"                      trylock, rdlock, wrlock, unlock, wait (ARGs condvar, mutex;\n"
"                      one ARG: the mutex bound by bind), bind (an init binding a\n"
"                      condvar to its mutex: ARGs condvar, mutex), sem_wait or\n"
"                      sem_post; ARG an argument index (default 0) or @GLOBAL;\n"
"                      NAME a function or OBJ.FIELD, a function-pointer field of\n"
"                      a global struct or of any struct of type OBJ (repeatable)\n"
"  --blocking=NAME     a project function that blocks (a network write helper, a\n"
"                      log flush): calls to it under a lock are reported (repeatable)\n"
"  --baseline FILE     report only findings FILE (from --write-baseline) does not\n"
"                      list; the exit status follows the new ones; entries that\n"
"                      match nothing any more are noted\n"
"  --write-baseline FILE  record every finding in FILE (existing entries keep their\n"
"                      order, gone ones are dropped, new ones appended) and report\n"
"                      none of them; with --baseline, report those new against it\n"
"  --diff-base REV     report only findings on lines changed since the merge-base\n"
"                      of REV and HEAD, uncommitted and untracked files included,\n"
"                      or whose notes point at a changed line (needs git)\n"
"  --config FILE       read the configuration from FILE (default: the nearest\n"
"                      .sync-lint.json upwards from the first file, from the -p\n"
"                      directory, or from the current directory; docs/config.md)\n"
"  --no-config         read no configuration file\n"
"  --io-lock=NAME      a lock (as written, or its class: 'log_mu', 'struct S::wmu')\n"
"                      whose job is to serialise output: I/O under it is not\n"
"                      reported, sleeps, joins and waits still are (repeatable)\n"
"  --exclude=GLOB      do not lint files matching GLOB (relative to the current\n"
"                      directory; '*' also matches '/'), named or from -p (repeatable)\n"
"  --time-report       print the time of each phase (parse, lowering, lock-flow,\n"
"                      facts, each rule, filters, output) on standard error\n"
"  -q, --quiet         no summary line at the end and no progress line on standard\n"
"                      error (the summary: files, findings by severity, tool errors,\n"
"                      seconds; the progress line only when standard error is a terminal)\n"
"  --sarif-category=NAME  the SARIF run's automationDetails.id, the category GitHub\n"
"                      code scanning keeps results apart by (default: sync-lint/)\n"
"  --shard K/N         lint only shard K of N (1 <= K <= N): the files whose\n"
"                      absolute path hashes to K, whatever the database order;\n"
"                      needs --format=json or sarif: the report carries each\n"
"                      file's raw findings and summary for --merge (whole-program\n"
"                      rules wait for the merge; the SARIF category gets\n"
"                      'shard-K-of-N/' appended)\n"
"  --merge REPORT...   combine the N shard reports (JSON or SARIF) of a --shard\n"
"                      run: the whole-program rules, suppressions, baseline and\n"
"                      diff as an unsharded run, which it reports exactly (any\n"
"                      --format; same checks, wrappers and options as the shards)\n"
"  --lsp               serve the Language Server Protocol on stdin/stdout (editors run\n"
"                      it beside clangd for C; README 'In your editor')\n"
"  --lsp --clangd[=PATH]  the same in front of clangd (PATH, default clangd): every\n"
"                      message passes through, diagnostics of both are merged\n"
"  --fix               apply the mechanical fixes of the findings reported (after\n"
"                      suppressions, --baseline, --diff-base), each file in one\n"
"                      atomic write; a file changed since it was analysed is refused\n"
"  --fix-dry-run       print those fixes as a unified diff on standard output\n"
"                      (git apply / patch -p1) and change nothing, even with --fix;\n"
"                      the report goes to standard error unless -o is given\n"
"  --fix-suppress=GLOB insert '// sync-lint: ignore[rule-id]' comments for every\n"
"                      finding of the rules GLOB matches instead of fixing them\n"
"                      (repeatable; with --fix-dry-run, printed as a diff)\n"
"  --list-rules        list the rules and exit (--format=json for JSON)\n"
"  --explain ID        explain a rule: what, why, example, when not, suppression\n"
"  --version           print the version and exit\n"
"  --help              print this help and exit\n"
"\n"
"Without -p and without '--', files are parsed with -std=gnu11 -pthread and\n"
"include directories found next to them.\n"
"\n"
"Suppress a finding with '// sync-lint: ignore[rule-id] reason' after the code\n"
"on its line or alone on the line before, NOLINT(sync-lint-rule-id) on its line,\n"
"NOLINTNEXTLINE(sync-lint-rule-id) on the line before, or file-wide with\n"
"'// sync-lint: ignore-file[rule-id]'.  rule-id may be a glob or '*'.\n"
"\n"
"Command-line options override the configuration file; a list given on the\n"
"command line (--wrapper, --blocking, --io-lock, --exclude) replaces the file's.\n"
"\n"
"Exit status: 0 no findings, 1 findings, 2 usage or configuration error, or a\n"
"file that could not be read or parsed.\n", out);
}

static const char *value_of(const char *arg, const char *name, int *i, int argc, char **argv,
                            bool *missing)
{
    size_t n = strlen(name);
    *missing = false;
    if (strncmp(arg, name, n) != 0) return NULL;
    if (arg[n] == '=') return arg + n + 1;
    if (arg[n] == 0) {
        if (*i + 1 >= argc) { *missing = true; return NULL; }
        return argv[++*i];
    }
    return NULL;
}

/* A short option "-X": its value glued (-Xv), after '=' (-X=v) or the next
 * argument.  False when arg is not -X; *val is NULL when the value is missing. */
static bool short_value(const char *arg, char letter, int *i, int argc, char **argv,
                        const char **val)
{
    if (arg[0] != '-' || arg[1] != letter) return false;
    *val = arg[2] == '=' ? arg + 3 : arg[2] ? arg + 2 : (*i + 1 < argc ? argv[++*i] : NULL);
    return true;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

void sl_cli_free(struct sl_options *o)
{
    for (size_t i = 0; o->wrappers && i < o->n_wrappers; i++) sl_wrapper_free(&o->wrappers[i]);
    free(o->files);
    free(o->wrappers);
    free(o->blocking);
    free(o->io_locks);
    free(o->exclude);
    free(o->fix_suppress);
    o->fix_suppress = NULL;
    o->files = NULL;
    o->wrappers = NULL;
    o->blocking = NULL;
    o->io_locks = NULL;
    o->exclude = NULL;
}

/* --shard and --merge against the rest of the command line. */
static int sl_cli_check_shard(const struct sl_options *o, char *err, size_t errsz)
{
    if (o->shard_n && o->merge) {
        snprintf(err, errsz, "options '--shard' and '--merge' exclude each other");
        return -1;
    }
    if (o->shard_n && o->format != SL_FMT_JSON && o->format != SL_FMT_SARIF) {
        snprintf(err, errsz, "--shard writes a report for --merge: use --format=json or --format=sarif");
        return -1;
    }
    if (o->shard_n && o->write_baseline) {
        snprintf(err, errsz, "--write-baseline with --shard would record one shard's findings: "
                 "write the baseline from the --merge run");
        return -1;
    }
    if (o->merge && (o->compdb_dir || o->has_flags)) {
        snprintf(err, errsz, "--merge reads shard reports, not sources: no -p or '--' with it");
        return -1;
    }
    if (o->merge && !o->n_files) {
        snprintf(err, errsz, "--merge needs the shard reports (REPORT... from --shard K/N runs)");
        return -1;
    }
    return 0;
}

int sl_cli_parse(int argc, char **argv, struct sl_options *o, char *err, size_t errsz)
{
    memset(o, 0, sizeof *o);
    o->jobs = default_jobs();
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    o->wrappers = calloc((size_t)argc + 1, sizeof *o->wrappers);
    o->blocking = calloc((size_t)argc + 1, sizeof *o->blocking);
    o->io_locks = calloc((size_t)argc + 1, sizeof *o->io_locks);
    o->exclude = calloc((size_t)argc + 1, sizeof *o->exclude);
    o->fix_suppress = calloc((size_t)argc + 1, sizeof *o->fix_suppress);
    if (!o->files || !o->wrappers || !o->blocking || !o->io_locks || !o->exclude || !o->fix_suppress) { snprintf(err, errsz, "out of memory"); return -1; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        bool missing;
        if (!strcmp(a, "--")) {
            o->has_flags = true;
            o->flags = (const char **)&argv[i + 1];
            o->n_flags = (size_t)(argc - i - 1);
            break;
        }
        if (a[0] != '-' || !strcmp(a, "-")) {
            o->files[o->n_files++] = a;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { o->help = true; continue; }
        if (!strcmp(a, "--version")) { o->version = true; continue; }
        if (!strcmp(a, "--list-rules")) { o->list_rules = true; continue; }
        if (!strcmp(a, "--time-report")) { o->time_report = true; continue; }
        if (!strcmp(a, "--lsp")) { o->lsp = true; continue; }
        if (!strcmp(a, "--clangd")) { o->clangd = "clangd"; continue; }
        if (!strncmp(a, "--clangd=", 9)) {
            if (!a[9]) { snprintf(err, errsz, "option '--clangd=' needs a path"); return -1; }
            o->clangd = a + 9;
            continue;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) { o->quiet = true; continue; }
        if ((v = value_of(a, "--sarif-category", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--sarif-category' needs a name"); return -1; }
            o->sarif_category = v;
            continue;
        }
        if ((v = value_of(a, "--explain", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--explain' needs a rule id"); return -1; }
            o->explain = v;
            continue;
        }
        if ((v = value_of(a, "--baseline", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--baseline' needs a file name"); return -1; }
            o->baseline = v;
            continue;
        }
        if ((v = value_of(a, "--write-baseline", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--write-baseline' needs a file name"); return -1; }
            o->write_baseline = v;
            continue;
        }
        if ((v = value_of(a, "--diff-base", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--diff-base' needs a revision"); return -1; }
            o->diff_base = v;
            continue;
        }
        if ((v = value_of(a, "--checks", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--checks' needs a value"); return -1; }
            o->checks = v;
            continue;
        }
        if ((v = value_of(a, "--format", &i, argc, argv, &missing)) || missing) {
            if (missing) { snprintf(err, errsz, "option '--format' needs a value"); return -1; }
            if (!strcmp(v, "text")) o->format = SL_FMT_TEXT;
            else if (!strcmp(v, "json")) o->format = SL_FMT_JSON;
            else if (!strcmp(v, "sarif")) o->format = SL_FMT_SARIF;
            else if (!strcmp(v, "checklist")) o->format = SL_FMT_CHECKLIST;
            else if (!strcmp(v, "inventory")) o->format = SL_FMT_INVENTORY;
            else {
                snprintf(err, errsz, "unknown format '%s' (expected text, json, sarif, checklist or inventory)", v);
                return -1;
            }
            continue;
        }
        if ((v = value_of(a, "--blocking", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--blocking' needs a function name"); return -1; }
            if (!sl_is_c_name(v)) {
                snprintf(err, errsz, "option '--blocking': '%s' is not a function name", v);
                return -1;
            }
            o->blocking[o->n_blocking++] = v;
            continue;
        }
        if (!strcmp(a, "--no-config")) { o->no_config = true; continue; }
        if (!strcmp(a, "--merge")) { o->merge = true; continue; }
        if ((v = value_of(a, "--shard", &i, argc, argv, &missing)) || missing) {
            if (missing || sl_shard_parse(v, &o->shard_k, &o->shard_n) != 0) {
                snprintf(err, errsz, "option '--shard' needs K/N with 1 <= K <= N (e.g. "
                         "--shard 2/4)%s%s%s", v ? ", not '" : "", v ? v : "", v ? "'" : "");
                return -1;
            }
            continue;
        }
        if ((v = value_of(a, "--config", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--config' needs a file name"); return -1; }
            o->config = v;
            continue;
        }
        if ((v = value_of(a, "--io-lock", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--io-lock' needs a lock name or class"); return -1; }
            o->io_locks[o->n_io_locks++] = v;
            continue;
        }
        if ((v = value_of(a, "--exclude", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--exclude' needs a path glob"); return -1; }
            o->exclude[o->n_exclude++] = v;
            continue;
        }
        if ((v = value_of(a, "--wrapper", &i, argc, argv, &missing)) || missing) {
            if (missing) { snprintf(err, errsz, "option '--wrapper' needs a value"); return -1; }
            if (sl_wrapper_parse(v, &o->wrappers[o->n_wrappers], err, errsz) != 0) return -1;
            o->n_wrappers++;
            continue;
        }
        if (short_value(a, 'p', &i, argc, argv, &v)) {
            if (!v || !*v) { snprintf(err, errsz, "option '-p' needs a directory"); return -1; }
            o->compdb_dir = v;
            continue;
        }
        if (short_value(a, 'o', &i, argc, argv, &v)) {
            if (!v || !*v) { snprintf(err, errsz, "option '-o' needs a file name"); return -1; }
            o->output = v;
            continue;
        }
        bool short_j = short_value(a, 'j', &i, argc, argv, &v);
        if (short_j || (v = value_of(a, "--jobs", &i, argc, argv, &missing)) || missing) {
            char *end = NULL;
            long j = v ? strtol(v, &end, 10) : 0;
            if (!v || !*v || *end || j < 1 || j > 256) {
                snprintf(err, errsz, "option '%s' needs a number of threads from 1 to 256",
                         short_j ? "-j" : "--jobs");
                return -1;
            }
            o->jobs = (int)j;
            continue;
        }
        if (!strcmp(a, "--fix")) { o->fix = true; continue; }
        if (!strcmp(a, "--fix-dry-run")) { o->fix_dry_run = true; continue; }
        if ((v = value_of(a, "--fix-suppress", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--fix-suppress' needs a rule id or glob"); return -1; }
            bool any = false;
            for (size_t k = 0; k < sl_rule_count && !any; k++)
                any = !strcmp(v, "*") || !strcmp(v, sl_rules[k]->id) || !fnmatch(v, sl_rules[k]->id, 0);
            if (!any) {
                snprintf(err, errsz, "option '--fix-suppress': '%s' matches no rule (see --list-rules)", v);
                return -1;
            }
            o->fix_suppress[o->n_fix_suppress++] = v;
            continue;
        }
        snprintf(err, errsz, "unknown option '%s' (see --help)", a);
        return -1;
    }
    if (o->config && o->no_config) {
        snprintf(err, errsz, "options '--config' and '--no-config' exclude each other");
        return -1;
    }
    return sl_cli_check_shard(o, err, errsz);
}
