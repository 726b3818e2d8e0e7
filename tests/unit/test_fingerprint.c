/* test_fingerprint.c - fingerprints survive line shifts and re-indentation,
 * differ between occurrences, and change with the flagged line. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fingerprint.h"

static char dir[] = "/tmp/sl-test-fp-XXXXXX";

static const char *put(const char *name, const char *text)
{
    static char p[8][600];
    static int k;
    char *path = p[k++ % 8];
    snprintf(path, 600, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    fputs(text, f);
    fclose(f);
    return path;
}

/* Fingerprints of findings of `rule` in function fn at the given lines. */
static void prints(const char *file, const unsigned *lines, size_t n, const char *fn,
                   char out[][17])
{
    struct sl_diag_list l;
    sl_diag_list_init(&l);
    for (size_t i = 0; i < n; i++) {
        struct sl_range r = { file, lines[i], 1, lines[i], 2 };
        struct sl_diag *d = sl_diag_add(&l, "cond-wait-not-in-loop", SL_SEV_WARNING, r, "m%u",
                                        lines[i]);
        d->function = fn;
    }
    struct sl_source_cache *src = sl_sources_new();
    sl_fingerprint_all(&l, src);
    for (size_t i = 0; i < n; i++) {
        CHECK(strlen(l.items[i].fingerprint) == 16, "16 hex digits: %s", l.items[i].fingerprint);
        memcpy(out[i], l.items[i].fingerprint, 17);
    }
    sl_sources_free(src);
    sl_diag_list_free(&l);
}

int main(void)
{
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    const char *a = put("a.c", "void f(void)\n{\n    wait(&c, &m);\n    x++;\n    wait(&c, &m);\n}\n");
    char fa[3][17], fb[3][17], fc[3][17], fd[1][17];
    prints(a, (unsigned[]){ 3, 5, 4 }, 3, "f", fa);
    CHECK(strcmp(fa[0], fa[1]) != 0, "identical lines differ by occurrence");
    CHECK(strcmp(fa[0], fa[2]) != 0, "different lines differ");

    /* lines inserted above and re-indented: same fingerprints */
    put("a.c", "/* new\n   header */\n\nvoid f(void)\n{\n\twait(&c,&m);\n  x++;\n\twait( &c, &m );\n}\n");
    prints(a, (unsigned[]){ 6, 8, 7 }, 3, "f", fb);
    for (int i = 0; i < 3; i++) CHECK(!strcmp(fa[i], fb[i]), "finding %d moved: %s %s", i, fa[i], fb[i]);

    /* same content in another directory: same fingerprint (base name) */
    char sub[700];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    if (mkdir(sub, 0755) != 0) perror(sub);
    const char *moved = put("sub/a.c", "void f(void)\n{\n    wait(&c, &m);\n    x++;\n    wait(&c, &m);\n}\n");
    prints(moved, (unsigned[]){ 3, 5, 4 }, 3, "f", fc);
    for (int i = 0; i < 3; i++) CHECK(!strcmp(fa[i], fc[i]), "moved tree %d", i);

    /* another function or an edited line: different */
    prints(moved, (unsigned[]){ 3 }, 1, "g", fd);
    CHECK(strcmp(fa[0], fd[0]) != 0, "enclosing function counts");
    put("sub/a.c", "void f(void)\n{\n    wait(&c2, &m);\n}\n");
    prints(moved, (unsigned[]){ 3 }, 1, "f", fd);
    CHECK(strcmp(fa[0], fd[0]) != 0, "edited line changes it");
    /* an unreadable file still gets one */
    prints("/nonexistent/x.c", (unsigned[]){ 1 }, 1, NULL, fd);

    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
