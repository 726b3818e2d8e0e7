/* test_fixes.c - the --fix planner and writer (sl_fix_run) on real files in
 * a temporary directory: overlapping fixes (the first wins, the file is
 * written once), shared identical edits, suppressions grouped per line,
 * dry run, a text that no longer matches the file, and the resolved flags
 * the exit code is computed from. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "fixes.h"

static char dir[] = "/tmp/sl-test-fixes.XXXXXX";
static char analysed[4096];   /* the text the "analysis" saw */

static const char *text_of(void *arg, const char *path, size_t *len)
{
    (void)arg;
    (void)path;
    *len = strlen(analysed);
    return analysed;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static char *get(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    return buf;
}

static struct sl_diag *finding(struct sl_diag_list *l, const char *rule, unsigned line, unsigned col)
{
    struct sl_range r = { "f.c", line, col, line, col + 1 };
    return sl_diag_add(l, rule, SL_SEV_WARNING, r, "finding");
}

static void edit(struct sl_diag_list *l, struct sl_diag *d, unsigned line, unsigned c0, unsigned c1,
                 const char *rep)
{
    struct sl_fix *f = sl_fix_start(l, "fix");
    struct sl_range r = { "f.c", line, c0, line, c1 };
    sl_fix_add(l, f, r, rep);
    sl_fix_attach(l, d, f);
}

int main(void)
{
    if (!mkdtemp(dir) || chdir(dir) != 0) { perror("mkdtemp"); return 2; }
    strcpy(analysed, "int a;\nif (x) wait();\nint b;\n");
    put("f.c", analysed);
    struct stat st0;
    stat("f.c", &st0);

    struct sl_diag_list l;
    sl_diag_list_init(&l);
    edit(&l, finding(&l, "cond-wait-not-in-loop", 2, 8), 2, 1, 3, "while");
    edit(&l, finding(&l, "cond-wait-not-in-loop", 2, 9), 2, 2, 5, "XX");      /* overlaps the first */
    edit(&l, finding(&l, "false-sharing-atomics", 2, 10), 2, 1, 3, "while");  /* the same edit: shared */
    edit(&l, finding(&l, "mutex-guarded-counter", 3, 1), 3, 1, 1, "_Alignas(64) ");
    finding(&l, "semaphore-as-mutex", 1, 1);                                  /* no fix */
    sl_diag_tool(&l, SL_SEV_WARNING, (struct sl_range){ "f.c", 1, 1, 1, 2 }, "a tool note");

    struct sl_fix_request rq = { .apply = true };
    bool resolved[6];
    struct sl_fix_outcome oc;
    int rc = sl_fix_run(&l, &rq, text_of, NULL, stdout, resolved, &oc);
    CHECK(rc == 0, "rc %d", rc);
    CHECK(!strcmp(get("f.c"), "int a;\nwhile (x) wait();\n_Alignas(64) int b;\n"), "file: '%s'", get("f.c"));
    CHECK(oc.fixed == 3 && oc.skipped == 1 && oc.files == 1, "fixed %zu skipped %zu files %zu",
          oc.fixed, oc.skipped, oc.files);
    CHECK(resolved[0] && !resolved[1] && resolved[2] && resolved[3] && !resolved[4] && !resolved[5],
          "resolved %d%d%d%d%d%d", resolved[0], resolved[1], resolved[2], resolved[3], resolved[4],
          resolved[5]);
    struct stat st1;
    stat("f.c", &st1);
    CHECK(st1.st_ino != st0.st_ino, "replaced by rename (a new inode)");
    CHECK((st1.st_mode & 0777) == (st0.st_mode & 0777), "mode kept");

    /* the file on disk is no longer the analysed text: refused, untouched */
    char before[4096];
    strcpy(before, get("f.c"));
    rc = sl_fix_run(&l, &rq, text_of, NULL, stdout, resolved, &oc);
    CHECK(rc == -1 && oc.failed_files == 1 && oc.fixed == 0, "stale: rc %d failed %zu", rc, oc.failed_files);
    CHECK(!strcmp(get("f.c"), before), "stale: file untouched");
    CHECK(!resolved[0] && !resolved[3], "stale: nothing resolved");
    sl_diag_list_free(&l);

    /* suppressions: two rules on one line share one comment; dry run */
    strcpy(analysed, "void f(void)\n{\n    x();\n}\n");
    put("f.c", analysed);
    sl_diag_list_init(&l);
    finding(&l, "cond-wait-not-in-loop", 3, 5);
    finding(&l, "false-sharing-atomics", 3, 5);
    edit(&l, finding(&l, "mutex-guarded-counter", 3, 5), 3, 5, 6, "y");
    const char *globs[] = { "cond-*", "false-sharing-atomics" };
    struct sl_fix_request sq = { .apply = true, .suppress = globs, .n_suppress = 2, .reason = "why" };
    char *diff = NULL;
    size_t dlen = 0;
    FILE *df = open_memstream(&diff, &dlen);
    sq.dry_run = true;
    rc = sl_fix_run(&l, &sq, text_of, NULL, df, resolved, &oc);
    fclose(df);
    CHECK(rc == 0 && oc.suppressed == 2 && oc.fixed == 1, "dry: rc %d supp %zu fixed %zu", rc,
          oc.suppressed, oc.fixed);
    CHECK(!resolved[0] && !resolved[1] && !resolved[2], "dry run resolves nothing");
    CHECK(!strcmp(get("f.c"), analysed), "dry run writes nothing");
    CHECK(diff && !strcmp(diff, "--- a/f.c\n+++ b/f.c\n@@ -1,4 +1,5 @@\n void f(void)\n {\n"
                                "-    x();\n+    // sync-lint: ignore[cond-wait-not-in-loop,false-sharing-atomics] why\n"
                                "+    y();\n }\n"), "diff:\n%s", diff);
    free(diff);
    sq.dry_run = false;
    rc = sl_fix_run(&l, &sq, text_of, NULL, stdout, resolved, &oc);
    CHECK(rc == 0 && resolved[0] && resolved[1] && resolved[2], "applied");
    CHECK(!strcmp(get("f.c"), "void f(void)\n{\n    // sync-lint: ignore[cond-wait-not-in-loop,"
                              "false-sharing-atomics] why\n    y();\n}\n"), "file: '%s'", get("f.c"));
    sl_diag_list_free(&l);

    unlink("f.c");
    if (chdir("/") == 0) rmdir(dir);
    return CHECK_DONE();
}
