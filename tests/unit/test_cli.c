/* test_cli.c - argv parsing: every option spelling, defaults, `--`, and a
 * clear error naming the problem for each kind of bad input. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "options.h"

static int parse(struct sl_options *o, char *err, size_t errsz, ...)
{
    static char *argv[64];
    va_list ap;
    int argc = 0;
    argv[argc++] = "sync-lint";
    va_start(ap, errsz);
    for (char *a; (a = va_arg(ap, char *)); ) argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    err[0] = 0;
    sl_cli_free(o);   /* the previous parse's lists */
    return sl_cli_parse(argc, argv, o, err, errsz);
}

#define P(...) parse(&o, err, sizeof err, __VA_ARGS__, (char *)NULL)

int main(void)
{
    struct sl_options o = {0};
    char err[512];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    CHECK(P("a.c", "b.c") == 0 && o.n_files == 2 && !strcmp(o.files[1], "b.c"), "%s", err);
    CHECK(o.format == SL_FMT_TEXT && !o.output && !o.compdb_dir && !o.checks && !o.has_flags,
          "defaults");
    CHECK(o.jobs >= 1 && (cores < 1 || o.jobs == (cores > 64 ? 64 : cores)), "-j default %d", o.jobs);

    CHECK(P("-p", "build") == 0 && !strcmp(o.compdb_dir, "build"), "-p DIR: %s", err);
    CHECK(P("-p=build") == 0 && !strcmp(o.compdb_dir, "build"), "-p=DIR: %s", err);
    CHECK(P("-pbuild") == 0 && !strcmp(o.compdb_dir, "build"), "-pDIR: %s", err);
    CHECK(P("-o", "r.txt", "x.c") == 0 && !strcmp(o.output, "r.txt") && o.n_files == 1, "-o: %s", err);
    CHECK(P("-or.txt") == 0 && !strcmp(o.output, "r.txt"), "-oFILE: %s", err);
    CHECK(P("-j", "3") == 0 && o.jobs == 3, "-j N");
    CHECK(P("-j7") == 0 && o.jobs == 7, "-jN");
    CHECK(P("--jobs=5") == 0 && o.jobs == 5, "--jobs=N");
    CHECK(P("--format=json") == 0 && o.format == SL_FMT_JSON, "json");
    CHECK(P("--format", "sarif") == 0 && o.format == SL_FMT_SARIF, "sarif");
    CHECK(P("--format=text") == 0 && o.format == SL_FMT_TEXT, "text");
    CHECK(P("--checks=cond-*,-x", "--checks", "tier1") == 0 && !strcmp(o.checks, "tier1"),
          "--checks: the last one wins");
    CHECK(P("--explain", "cond-wait-not-in-loop") == 0 && !strcmp(o.explain, "cond-wait-not-in-loop"),
          "--explain ID");
    CHECK(P("--explain=x") == 0 && !strcmp(o.explain, "x"), "--explain=ID");
    CHECK(P("--list-rules") == 0 && o.list_rules, "--list-rules");
    CHECK(P("--version") == 0 && o.version, "--version");
    CHECK(P("--help") == 0 && o.help && P("-h") == 0 && o.help, "--help, -h");
    CHECK(P("--wrapper=a:lock", "--wrapper", "b:wait:1:0") == 0 && o.n_wrappers == 2 &&
          !strcmp(o.wrappers[1].name, "b") && o.wrappers[1].arg[0] == 1, "--wrapper repeatable");

    CHECK(P("a.c", "--", "-DX", "-Iinc") == 0 && o.has_flags && o.n_flags == 2 &&
          !strcmp(o.flags[0], "-DX") && o.n_files == 1, "-- flags");
    CHECK(P("a.c", "--") == 0 && o.has_flags && o.n_flags == 0, "empty --");
    CHECK(P("--", "--format=xml") == 0 && o.format == SL_FMT_TEXT && o.n_flags == 1,
          "nothing after -- is an option");

    static const struct { const char *args[3]; const char *says; } bad[] = {
        { { "--frobnicate" }, "unknown option '--frobnicate'" },
        { { "-x" }, "unknown option '-x'" },
        { { "--format=xml" }, "unknown format 'xml'" },
        { { "--format" }, "'--format' needs a value" },
        { { "-p" }, "'-p' needs a directory" },
        { { "-p=" }, "'-p' needs a directory" },
        { { "-o" }, "'-o' needs a file name" },
        { { "-j", "0" }, "'-j' needs a number" },
        { { "-j", "x" }, "'-j' needs a number" },
        { { "-j" }, "'-j' needs a number" },
        { { "-j1000" }, "'-j' needs a number" },
        { { "--jobs=-1" }, "'--jobs' needs a number" },
        { { "--checks=" }, "'--checks' needs a value" },
        { { "--explain" }, "'--explain' needs a rule id" },
        { { "--wrapper=x" }, "bad wrapper 'x'" },
        { { "--wrapper" }, "'--wrapper' needs a value" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(&o, err, sizeof err, bad[i].args[0], bad[i].args[1], (char *)NULL);
        CHECK(rc != 0 && strstr(err, bad[i].says), "%s %s: rc=%d '%s'", bad[i].args[0],
              bad[i].args[1] ? bad[i].args[1] : "", rc, err);
    }
    CHECK(P("a.c") == 0 && !o.quiet && !o.sarif_category, "-q and --sarif-category defaults");
    CHECK(P("-q", "a.c") == 0 && o.quiet, "-q: %s", err);
    CHECK(P("--quiet", "a.c") == 0 && o.quiet, "--quiet: %s", err);
    CHECK(P("--sarif-category=ci/shard-1/", "a.c") == 0 && !strcmp(o.sarif_category, "ci/shard-1/"),
          "--sarif-category=NAME: %s", err);
    CHECK(P("--sarif-category", "linux", "a.c") == 0 && !strcmp(o.sarif_category, "linux") &&
          o.n_files == 1, "--sarif-category NAME: %s", err);
    CHECK(P("--sarif-category") != 0 && strstr(err, "'--sarif-category' needs a name"), "%s", err);
    CHECK(P("--sarif-category=") != 0 && strstr(err, "'--sarif-category' needs a name"), "%s", err);
    /* fixes */
    CHECK(P("a.c") == 0 && !o.fix && !o.fix_dry_run && o.n_fix_suppress == 0, "fix defaults");
    CHECK(P("--fix", "--fix-dry-run", "a.c") == 0 && o.fix && o.fix_dry_run && o.n_files == 1,
          "--fix, --fix-dry-run: %s", err);
    CHECK(P("--fix-suppress=cond-*", "--fix-suppress", "false-sharing-atomics", "a.c") == 0 &&
          o.n_fix_suppress == 2 && !strcmp(o.fix_suppress[0], "cond-*") &&
          !strcmp(o.fix_suppress[1], "false-sharing-atomics") && !o.fix_suppress[2] && o.n_files == 1,
          "--fix-suppress repeatable, NULL-terminated: %s", err);
    CHECK(P("--fix-suppress=*") == 0 && o.n_fix_suppress == 1, "--fix-suppress=*: %s", err);
    CHECK(P("--fix-suppress=nosuch-*") != 0 && strstr(err, "'nosuch-*' matches no rule"), "%s", err);
    CHECK(P("--fix-suppress") != 0 && strstr(err, "'--fix-suppress' needs a rule id"), "%s", err);
    CHECK(P("--fix-suppress=") != 0 && strstr(err, "'--fix-suppress' needs a rule id"), "%s", err);
    CHECK(P("--fixes") != 0 && strstr(err, "unknown option '--fixes'"), "%s", err);
    sl_cli_free(&o);
    return CHECK_DONE();
}
