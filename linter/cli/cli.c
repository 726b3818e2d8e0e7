/* cli.c - command-line parsing into struct sl_options. */
#include "options.h"

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
"  --time-report       print the time of each phase (parse, lowering, lock-flow,\n"
"                      facts, each rule, filters, output) on standard error\n"
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
    o->files = NULL;
    o->wrappers = NULL;
    o->blocking = NULL;
}

int sl_cli_parse(int argc, char **argv, struct sl_options *o, char *err, size_t errsz)
{
    memset(o, 0, sizeof *o);
    o->jobs = default_jobs();
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    o->wrappers = calloc((size_t)argc + 1, sizeof *o->wrappers);
    o->blocking = calloc((size_t)argc + 1, sizeof *o->blocking);
    if (!o->files || !o->wrappers || !o->blocking) { snprintf(err, errsz, "out of memory"); return -1; }
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
        if ((v = value_of(a, "--explain", &i, argc, argv, &missing)) || missing) {
            if (missing || !*v) { snprintf(err, errsz, "option '--explain' needs a rule id"); return -1; }
            o->explain = v;
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
            for (const char *c = v; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                      *c == '_')) {
                    snprintf(err, errsz, "option '--blocking': '%s' is not a function name", v);
                    return -1;
                }
            o->blocking[o->n_blocking++] = v;
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
        snprintf(err, errsz, "unknown option '%s' (see --help)", a);
        return -1;
    }
    return 0;
}
