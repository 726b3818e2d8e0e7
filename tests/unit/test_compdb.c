/* test_compdb.c - shell splitting, flag sanitising (nothing that loads code
 * survives), response files, compile database loading and its errors. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "compdb.h"

static bool has(const char **a, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) if (!strcmp(a[i], s)) return true;
    return false;
}

static bool has_sub(const char **a, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) if (strstr(a[i], s)) return true;
    return false;
}

static void test_split(void)
{
    struct sl_job_list l;
    sl_jobs_init(&l);
    const char **w;
    size_t n = sl_shell_split(&l, "cc -DX='a b' \"-DY=\\\"q\\\"\" -I\\ dir  src/a.c", &w);
    CHECK(n == 5, "n=%zu", n);
    if (n == 5) {
        CHECK(!strcmp(w[0], "cc") && !strcmp(w[4], "src/a.c"), "%s %s", w[0], w[4]);
        CHECK(!strcmp(w[1], "-DX=a b"), "%s", w[1]);
        CHECK(!strcmp(w[2], "-DY=\"q\""), "%s", w[2]);
        CHECK(!strcmp(w[3], "-I dir"), "%s", w[3]);
    }
    n = sl_shell_split(&l, "  \t\n", &w);
    CHECK(n == 0, "blank: %zu", n);
    n = sl_shell_split(&l, "a''b \"\" 'x\\y' \"p\\q\" -DS='\"s\"'", &w);
    CHECK(n == 5, "n=%zu", n);
    if (n == 5) {
        CHECK(!strcmp(w[0], "ab"), "empty quotes join: %s", w[0]);
        CHECK(!strcmp(w[1], ""), "an empty word: '%s'", w[1]);
        CHECK(!strcmp(w[2], "x\\y"), "no escapes in single quotes: %s", w[2]);
        CHECK(!strcmp(w[3], "p\\q"), "backslash kept before an ordinary char in double quotes: %s", w[3]);
        CHECK(!strcmp(w[4], "-DS=\"s\""), "%s", w[4]);
    }
    n = sl_shell_split(&l, "cc 'unterminated", &w);
    CHECK(n == 2 && !strcmp(w[1], "unterminated"), "unterminated quote: %zu", n);
    sl_jobs_free(&l);
}

static void test_sanitize(void)
{
    struct sl_job_list l;
    sl_jobs_init(&l);
    const char *argv[] = {
        "gcc", "-c", "-o", "x.o", "-MD", "-MF", "x.d", "-MT", "x.o", "-MQ", "y", "-MMD", "-MP",
        "-Werror", "-Werror=format", "-Wall", "-fcolor-diagnostics", "-fdiagnostics-color=always",
        "-fplugin=/p.so", "-fplugin-arg-p-x=1",
        "-Xclang", "-load", "-Xclang", "/evil.so", "-fpass-plugin=/q.so", "-Iinc", "-I", "inc2",
        "-isystem", "sys", "-DFOO=1", "-D", "BAR", "-UBAZ", "-std=gnu99", "-include", "cfg.h",
        "src/x.c", "-lpthread", "-L/usr/lib",
        "-Xclang", "-plugin", "-Xclang", "evil", "-O2",
        "-Xclang", "-add-plugin", "-Xclang", "evil2",
        "-Xclang", "-load", "-Xclang", "-dashed-evil.so",
        "-Xclang=-load", "-Xclang=/evil3.so",
        "-Xclang", "-plugin-arg-evil", "-Xclang", "arg",
        "--config=/tmp/evil.cfg", "--config", "/tmp/evil2.cfg",
        "-mllvm", "-load=/evil4.so", "-Xarch_x86_64", "-fplugin=/evil5.so",
        "-Xclang", "-include-pch", "-Xclang", "cmake_pch.h.pch",
        "-Xclang", "-fno-pch-timestamp", "-specs=/usr/share/dpkg/no-pie-compile.specs",
    };
    size_t n;
    const char **a = sl_sanitize_args(&l, argv, sizeof argv / sizeof argv[0], "/proj",
                                      "/proj/src/x.c", &n, true);
    CHECK(!has(a, n, "gcc"), "compiler dropped");
    CHECK(!has(a, n, "-c") && !has(a, n, "-o") && !has(a, n, "x.o") && !has(a, n, "-MD") &&
          !has(a, n, "x.d") && !has(a, n, "-MT") && !has(a, n, "-MQ") && !has(a, n, "y") &&
          !has(a, n, "-MMD") && !has(a, n, "-MP") && !has(a, n, "-MF"),
          "output/dependency flags dropped");
    CHECK(!has_sub(a, n, "-W") && !has_sub(a, n, "color"), "warning/colour flags dropped");
    for (size_t i = 0; i < n; i++)
        CHECK(!strstr(a[i], "plugin") && !strstr(a[i], ".so") && !strstr(a[i], "load") &&
              !strstr(a[i], "evil") && !strstr(a[i], "config") && !strstr(a[i], "pch.h.pch") &&
              strcmp(a[i], "-mllvm") && strcmp(a[i], "-include-pch") && !strstr(a[i], "specs"),
              "flag kept: %s", a[i]);
    CHECK(has(a, n, "-I/proj/inc"), "joined -I made absolute");
    CHECK(has(a, n, "/proj/inc2") && has(a, n, "/proj/sys") && has(a, n, "/proj/cfg.h"),
          "separate path arguments made absolute");
    CHECK(has(a, n, "-DFOO=1") && has(a, n, "-D") && has(a, n, "BAR") && has(a, n, "-UBAZ") &&
          has(a, n, "-std=gnu99") && has(a, n, "-O2"), "kept -D/-U/-std/-O");
    CHECK(has(a, n, "-Xclang") && has(a, n, "-fno-pch-timestamp"), "harmless -Xclang kept");
    CHECK(!has(a, n, "src/x.c") && !has(a, n, "-lpthread") && !has_sub(a, n, "-L"),
          "source and libraries dropped");
    sl_jobs_free(&l);

    /* launchers before the compiler */
    sl_jobs_init(&l);
    const char *launch[] = { "/usr/bin/ccache", "cc", "-DX", "x.c" };
    a = sl_sanitize_args(&l, launch, 4, "/proj", "/proj/x.c", &n, true);
    CHECK(n == 1 && !strcmp(a[0], "-DX"), "ccache cc: n=%zu %s", n, n ? a[0] : "");
    const char *plain[] = { "cc", "-DX", "x.c" };
    a = sl_sanitize_args(&l, plain, 3, "/proj", "/proj/x.c", &n, true);
    CHECK(n == 1 && !strcmp(a[0], "-DX"), "cc: n=%zu", n);
    sl_jobs_free(&l);
}

static char tmpdir[] = "/tmp/sl-test-compdb-XXXXXX";

static void write_file(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, rel);
    FILE *f = fopen(p, "w");
    if (!f) { perror(p); exit(1); }
    fputs(text, f);
    fclose(f);
}

static void test_response_files(void)
{
    write_file("flags.rsp", "-DFROM_RSP '-DQ=a b' -fplugin=/evil.so @nested.rsp\n");
    write_file("nested.rsp", "-Inested -Xclang -load -Xclang /evil2.so\n");
    write_file("loop.rsp", "-DLOOP @loop.rsp\n");
    struct sl_job_list l;
    sl_jobs_init(&l);
    const char *argv[] = { "cc", "@flags.rsp", "@missing.rsp", "@loop.rsp", "x.c" };
    size_t n;
    char src[600];
    snprintf(src, sizeof src, "%s/x.c", tmpdir);
    const char **a = sl_sanitize_args(&l, argv, 5, tmpdir, src, &n, true);
    char inc[600];
    snprintf(inc, sizeof inc, "-I%s/nested", tmpdir);
    CHECK(has(a, n, "-DFROM_RSP") && has(a, n, "-DQ=a b") && has(a, n, inc),
          "response files expanded, nested too");
    CHECK(has(a, n, "-DLOOP"), "a self-including response file stops");
    for (size_t i = 0; i < n; i++)
        CHECK(!strstr(a[i], "evil") && !strstr(a[i], "plugin") && a[i][0] != '@',
              "kept from a response file: %s", a[i]);
    sl_jobs_free(&l);
}

static const struct sl_job *job_for(const struct sl_job_list *l, const char *suffix)
{
    for (size_t i = 0; i < l->n; i++) {
        size_t a = strlen(l->jobs[i].file), b = strlen(suffix);
        if (a >= b && !strcmp(l->jobs[i].file + a - b, suffix)) return &l->jobs[i];
    }
    return NULL;
}

static bool job_has(const struct sl_job *j, const char *s)
{
    return j && has((const char **)j->args, j->n_args, s);
}

static void test_database(void)
{
    char p[600];
    snprintf(p, sizeof p, "%s/build", tmpdir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/src", tmpdir);
    mkdir(p, 0755);
    write_file("src/a.c", "int a;\n");
    write_file("src/b.c", "int b;\n");
    write_file("src/c.c", "int c;\n");
    write_file("build/compile_commands.json",
        "[{\"directory\": \"..\", \"command\": \"ccache cc -c -DA=\\\"'1 2'\\\" -Iinc -o a.o src/a.c\","
        "  \"file\": \"src/a.c\"},\n"
        " {\"directory\": \"..\", \"arguments\": [\"cc\", \"-DB\", \"-fplugin=x.so\", \"-c\", \"src/b.c\"],"
        "  \"file\": \"src/b.c\"},\n"
        " {\"directory\": \"../src\", \"arguments\": [\"cc\", \"-DB2\", \"b.c\"], \"file\": \"b.c\"},\n"
        " {\"directory\": \"..\", \"command\": \"as x.S\", \"file\": \"src/x.S\"}]\n");
    struct sl_job_list l;
    char err[600] = "", dir[600];
    snprintf(dir, sizeof dir, "%s/build", tmpdir);
    sl_jobs_init(&l);
    int rc = sl_jobs_from_compdb(&l, dir, NULL, 0, err, sizeof err);
    CHECK(rc == 0, "%s", err);
    CHECK(l.n == 3, "every configuration of every C file (b.c twice, x.S skipped): %zu", l.n);
    const struct sl_job *a = job_for(&l, "/src/a.c"), *b = job_for(&l, "/src/b.c");
    if (l.n == 3) {
        CHECK(l.jobs[0].file == a->file && job_has(&l.jobs[1], "-DB") &&
              job_has(&l.jobs[2], "-DB2"), "ordered by file, then by arguments");
    }
    CHECK(a && job_has(a, "-DA='1 2'"), "command form split like sh");
    char inc[700];
    snprintf(inc, sizeof inc, "-I%s/inc", tmpdir);
    CHECK(a && job_has(a, inc), "-I relative to the relative directory: %s", inc);
    CHECK(a && !job_has(a, "ccache") && !job_has(a, "-c") && !job_has(a, "a.o"), "sanitised");
    CHECK(b && job_has(b, "-DB") && !job_has(b, "-fplugin=x.so"), "arguments form, plugin removed");
    sl_jobs_free(&l);

    /* named files: their own entries; a file not in the database gets defaults */
    sl_jobs_init(&l);
    char fb[600], fc[600];
    snprintf(fb, sizeof fb, "%s/src/b.c", tmpdir);
    snprintf(fc, sizeof fc, "%s/src/c.c", tmpdir);
    const char *files[] = { fb, fc };
    rc = sl_jobs_from_compdb(&l, dir, files, 2, err, sizeof err);
    CHECK(rc == 0 && l.n == 3, "named files: rc=%d n=%zu %s", rc, l.n, err);
    if (l.n == 3) {
        CHECK(!strcmp(l.jobs[0].file, fb) && job_has(&l.jobs[0], "-DB"), "b.c's own flags");
        CHECK(!strcmp(l.jobs[1].file, fb) && job_has(&l.jobs[1], "-DB2") &&
              !job_has(&l.jobs[1], "-DB"), "and b.c's second configuration");
        CHECK(!strcmp(l.jobs[2].file, fc) && job_has(&l.jobs[2], "-std=gnu11"), "c.c defaults");
    }
    sl_jobs_free(&l);

    /* configurations: the same file with the same sanitised arguments (the
     * output, dependency and warning flags differ) is one job; different
     * defines are two; any order of the database gives the same jobs */
    static const char *const cfg_entries[] = {
        " {\"directory\": \"..\", \"command\": \"cc -c -DWITH_LOCKS -Wall -o x1.o src/a.c\", \"file\": \"src/a.c\"}",
        " {\"directory\": \"..\", \"command\": \"cc -c -o x2.o src/a.c\", \"file\": \"src/a.c\"}",
        " {\"directory\": \"..\", \"command\": \"gcc -c -DWITH_LOCKS -MD -MF x3.d -o x3.o src/a.c\", \"file\": \"src/a.c\"}",
        " {\"directory\": \"..\", \"command\": \"cc -c -o c.o src/c.c\", \"file\": \"src/c.c\"}",
        " {\"directory\": \"..\", \"command\": \"cc -c -DZ -o b.o src/b.c\", \"file\": \"src/b.c\"}",
    };
    static const int orders[][5] = { {0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 4, 0, 3, 1} };
    char first[4096] = "";
    for (size_t o = 0; o < sizeof orders / sizeof orders[0]; o++) {
        char json[4096] = "[";
        for (int i = 0; i < 5; i++) {
            strcat(json, cfg_entries[orders[o][i]]);
            strcat(json, i < 4 ? ",\n" : "]\n");
        }
        write_file("build/compile_commands.json", json);
        sl_jobs_init(&l);
        rc = sl_jobs_from_compdb(&l, dir, NULL, 0, err, sizeof err);
        CHECK(rc == 0 && l.n == 4, "order %zu: a.c twice (not three times), b.c, c.c: n=%zu %s",
              o, l.n, err);
        char got[4096] = "";
        for (size_t i = 0; i < l.n; i++) {
            const char *f = strrchr(l.jobs[i].file, '/');
            strcat(got, f ? f : l.jobs[i].file);
            for (size_t k = 0; k < l.jobs[i].n_args; k++) {
                strcat(got, " ");
                strcat(got, l.jobs[i].args[k]);
            }
            strcat(got, ";");
        }
        if (o == 0) {
            strcpy(first, got);
            CHECK(!strcmp(got, "/a.c;/a.c -DWITH_LOCKS;/b.c -DZ;/c.c;"), "jobs: %s", got);
        } else {
            CHECK(!strcmp(got, first), "order %zu gives the same jobs: %s vs %s", o, got, first);
        }
        sl_jobs_free(&l);
        /* a named file with several entries: each configuration */
        char fa[600];
        snprintf(fa, sizeof fa, "%s/src/a.c", tmpdir);
        const char *named[] = { fa };
        sl_jobs_init(&l);
        rc = sl_jobs_from_compdb(&l, dir, named, 1, err, sizeof err);
        CHECK(rc == 0 && l.n == 2 && !strcmp(l.jobs[0].file, fa) && !strcmp(l.jobs[1].file, fa) &&
              l.jobs[0].n_args == 0 && job_has(&l.jobs[1], "-DWITH_LOCKS"),
              "order %zu: named a.c: both configurations: n=%zu", o, l.n);
        sl_jobs_free(&l);
    }

    /* broken databases name the file and the problem */
    static const struct { const char *json, *says; } bad[] = {
        { "[{\"file\": \"x.c\",", "invalid JSON" },
        { "{\"file\": \"x.c\"}", "expected a JSON array" },
        { "[{\"directory\": \".\", \"command\": \"cc x.c\"}]", "entry 1 has no \"file\"" },
        { "[{\"directory\": \".\", \"file\": \"x.c\"}]", "neither \"arguments\" nor \"command\"" },
        { "[{\"file\": \"x.c\", \"arguments\": [\"cc\", 1]}]", "non-string argument" },
        { "[3]", "entry 1 has no \"file\"" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file("build/compile_commands.json", bad[i].json);
        sl_jobs_init(&l);
        err[0] = 0;
        rc = sl_jobs_from_compdb(&l, dir, NULL, 0, err, sizeof err);
        CHECK(rc != 0 && strstr(err, "compile_commands.json") && strstr(err, bad[i].says),
              "'%s': %s", bad[i].json, err);
        sl_jobs_free(&l);
    }
    sl_jobs_init(&l);
    snprintf(p, sizeof p, "%s/src", tmpdir);
    rc = sl_jobs_from_compdb(&l, p, NULL, 0, err, sizeof err);
    CHECK(rc != 0 && strstr(err, "cannot read") && strstr(err, "compile_commands.json"),
          "missing: %s", err);
    sl_jobs_free(&l);
}

static void test_defaults(void)
{
    char p[600];
    snprintf(p, sizeof p, "%s/include", tmpdir);
    mkdir(p, 0755);
    struct sl_job_list l;
    sl_jobs_init(&l);
    snprintf(p, sizeof p, "%s/src/a.c", tmpdir);
    sl_jobs_add_file(&l, p, NULL, 0);
    const struct sl_job *j = &l.jobs[0];
    char want[700];
    snprintf(want, sizeof want, "-I%s/include", tmpdir);
    CHECK(job_has(j, "-std=gnu11") && job_has(j, "-pthread"), "default flags");
    CHECK(job_has(j, want), "include/ above the file: %s", want);
    snprintf(want, sizeof want, "-I%s/src", tmpdir);
    CHECK(job_has(j, want), "the file's directory: %s", want);
    const char *flags[] = { "-DONLY" };
    sl_jobs_add_file(&l, p, flags, 1);
    CHECK(l.jobs[1].n_args == 1 && !strcmp(l.jobs[1].args[0], "-DONLY"), "'--' flags exactly");
    sl_jobs_free(&l);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; }
    test_split();
    test_sanitize();
    test_response_files();
    test_database();
    test_defaults();
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return CHECK_DONE();
}
