/* test_compdb.c - shell splitting, flag sanitising (plugins never load),
 * relative paths, --wrapper parsing and --checks selection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compdb.h"
#include "lockops.h"
#include "options.h"
#include "rule.h"

static int failures, checks;
#define CHECK(c, ...) do { checks++; if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #c); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static bool has(const char **a, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) if (!strcmp(a[i], s)) return true;
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
        CHECK(!strcmp(w[1], "-DX=a b"), "%s", w[1]);
        CHECK(!strcmp(w[2], "-DY=\"q\""), "%s", w[2]);
        CHECK(!strcmp(w[3], "-I dir"), "%s", w[3]);
    }
    sl_jobs_free(&l);
}

static void test_sanitize(void)
{
    struct sl_job_list l;
    sl_jobs_init(&l);
    const char *argv[] = {
        "gcc", "-c", "-o", "x.o", "-MD", "-MF", "x.d", "-Werror", "-Wall", "-fplugin=/p.so",
        "-Xclang", "-load", "-Xclang", "/evil.so", "-fpass-plugin=/q.so", "-Iinc", "-I", "inc2",
        "-isystem", "sys", "-DFOO=1", "-std=gnu99", "-include", "cfg.h", "src/x.c", "-lpthread",
        "-Xclang", "-plugin", "-Xclang", "evil", "-O2",
    };
    size_t n;
    const char **a = sl_sanitize_args(&l, argv, sizeof argv / sizeof argv[0], "/proj", "/proj/src/x.c",
                                      &n, true);
    CHECK(!has(a, n, "-c") && !has(a, n, "-o") && !has(a, n, "x.o") && !has(a, n, "-MD") &&
          !has(a, n, "x.d"), "output/dependency flags dropped");
    CHECK(!has(a, n, "-Werror") && !has(a, n, "-Wall"), "warning flags dropped");
    for (size_t i = 0; i < n; i++) {
        CHECK(!strstr(a[i], "plugin") && !strstr(a[i], ".so") && strcmp(a[i], "-load") &&
              strcmp(a[i], "-Xclang") && strcmp(a[i], "evil"), "code-loading flag kept: %s", a[i]);
    }
    CHECK(has(a, n, "-I/proj/inc"), "joined -I made absolute");
    CHECK(has(a, n, "/proj/inc2") && has(a, n, "/proj/sys") && has(a, n, "/proj/cfg.h"),
          "separate path arguments made absolute");
    CHECK(has(a, n, "-DFOO=1") && has(a, n, "-std=gnu99") && has(a, n, "-O2"), "kept the rest");
    CHECK(!has(a, n, "src/x.c") && !has(a, n, "-lpthread"), "source and libraries dropped");
    sl_jobs_free(&l);
}

static void test_wrappers(void)
{
    struct sl_wrapper w;
    char err[256];
    CHECK(sl_wrapper_parse("ovs_mutex_lock_at:lock", &w, err, sizeof err) == 0 &&
          w.op == SL_OP_LOCK && w.arg[0] == 0 && !w.global, "%s", err);
    CHECK(sl_wrapper_parse("Lck_CondWait:wait:0:1", &w, err, sizeof err) == 0 &&
          w.op == SL_OP_WAIT && w.arg[0] == 0 && w.arg[1] == 1, "%s", err);
    CHECK(sl_wrapper_parse("STATS_LOCK:lock:@stats_lock", &w, err, sizeof err) == 0 &&
          w.global && !strcmp(w.global, "stats_lock"), "%s", err);
    CHECK(sl_wrapper_parse("f:unlock:2", &w, err, sizeof err) == 0 && w.arg[0] == 2, "%s", err);
    CHECK(sl_wrapper_parse("f:frob", &w, err, sizeof err) != 0 && strstr(err, "frob"), "bad op");
    CHECK(sl_wrapper_parse("f", &w, err, sizeof err) != 0, "no op");
    CHECK(sl_wrapper_parse("1f:lock", &w, err, sizeof err) != 0, "bad name");
    CHECK(sl_wrapper_parse("f:lock:x", &w, err, sizeof err) != 0, "bad arg");
    CHECK(sl_wrapper_parse("f:lock:0:1", &w, err, sizeof err) != 0, "two args only for wait");
    CHECK(sl_builtin_lockop("pthread_mutex_lock")->op == SL_OP_LOCK, "builtin");
    CHECK(sl_builtin_lockop("cnd_timedwait")->op == SL_OP_TIMEDWAIT, "builtin C11");
    CHECK(sl_builtin_lockop("printf") == NULL, "not a lock op");
}

static void test_checks(void)
{
    const struct sl_rule **r;
    size_t n;
    char err[256];
    CHECK(sl_checks_select(NULL, &r, &n, err, sizeof err) == 0 && n == sl_rule_count, "all");
    free(r);
    CHECK(sl_checks_select("-semaphore-as-mutex", &r, &n, err, sizeof err) == 0 &&
          n == sl_rule_count - 1, "remove one");
    free(r);
    CHECK(sl_checks_select("cond-*,lock-*", &r, &n, err, sizeof err) == 0 && n == 2, "globs");
    free(r);
    CHECK(sl_checks_select("*,-tier1", &r, &n, err, sizeof err) == 0 && n == 0, "tiers");
    free(r);
    CHECK(sl_checks_select("no-such", &r, &n, err, sizeof err) != 0 && strstr(err, "no-such"),
          "unknown glob");
}

int main(void)
{
    test_split();
    test_sanitize();
    test_wrappers();
    test_checks();
    printf("%d checks, %d failed\n", checks, failures);
    return failures != 0;
}
