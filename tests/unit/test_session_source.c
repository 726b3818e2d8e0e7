/* test_session_source.c - sl_session_source: the text of a file as the
 * analysis saw it, and ESTALE when a main file changed after libclang
 * parsed it (here: between the two jobs of a one-worker run, through the
 * progress callback, before the filters read it). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rule.h"
#include "session.h"

static char dir[] = "/tmp/sl-test-session-source.XXXXXX";

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* Called as each job starts: when the second starts, the first is parsed. */
static void touch_first(void *arg, size_t started, size_t total, const char *file)
{
    (void)arg;
    (void)total;
    (void)file;
    if (started == 2) put("a.c", "int a = 2; /* changed */\n");
}

int main(void)
{
    if (!mkdtemp(dir) || chdir(dir) != 0) { perror("mkdtemp"); return 2; }
    put("a.c", "int a = 1;\n");
    put("b.c", "int b = 1;\n");
    const char *args[] = { "-std=gnu11" };
    struct sl_job ja = { "a.c", dir, args, 1 }, jb = { "b.c", dir, args, 1 };

    struct sl_session_options so = { .rules = sl_rules, .n_rules = sl_rule_count, .jobs = 1 };
    struct sl_session *s = sl_session_open(&so);
    sl_session_add_job(s, &ja);
    sl_session_add_job(s, &jb);
    sl_session_run(s);
    size_t len = 0;
    const char *t = sl_session_source(s, "a.c", &len);
    CHECK(t && len == 11 && !strcmp(t, "int a = 1;\n"), "unchanged file: '%s'", t ? t : "(null)");
    t = sl_session_source(s, "nosuch.c", &len);
    CHECK(!t && errno == ENOENT, "missing file: errno %d", errno);
    sl_session_close(s);

    put("a.c", "int a = 1;\n");
    so.progress = touch_first;
    s = sl_session_open(&so);
    sl_session_add_job(s, &ja);
    sl_session_add_job(s, &jb);
    sl_session_run(s);
    errno = 0;
    t = sl_session_source(s, "a.c", &len);
    CHECK(!t && errno == ESTALE, "changed after parse: errno %d, text '%s'", errno, t ? t : "(null)");
    t = sl_session_source(s, "b.c", &len);
    CHECK(t && !strcmp(t, "int b = 1;\n"), "the other file");
    sl_session_close(s);

    unlink("a.c");
    unlink("b.c");
    if (chdir("/") == 0) rmdir(dir);
    return CHECK_DONE();
}
