/* test_status.c - the summary line's wording, the progress line's cut to
 * the terminal width, and the session's progress callback: one call per
 * job, in order, never two at once, under several workers. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rule.h"
#include "session.h"
#include "status.h"

static char *render_summary(const struct sl_run_counts *c, double s)
{
    static char buf[256];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    sl_run_summary(f, c, s);
    fclose(f);
    return buf;
}

struct seen {
    pthread_mutex_t mu;      /* only to detect overlapping calls */
    int inside, overlap;
    size_t calls, last, total;
    bool ordered;
    bool file_seen[8];
    char names[8][64];
};

static void on_progress(void *arg, size_t started, size_t total, const char *file)
{
    struct seen *s = arg;
    pthread_mutex_lock(&s->mu);
    if (s->inside++) s->overlap++;
    pthread_mutex_unlock(&s->mu);
    usleep(2000);   /* widen the window two workers would overlap in */
    s->ordered &= started == s->last + 1;
    s->last = started;
    s->total = total;
    s->calls++;
    for (int i = 0; i < 8; i++)
        if (!strcmp(file, s->names[i])) s->file_seen[i] = true;
    pthread_mutex_lock(&s->mu);
    s->inside--;
    pthread_mutex_unlock(&s->mu);
}

int main(void)
{
    struct sl_run_counts c = { .files = 316, .warnings = 28, .tool_errors = 1 };
    CHECK(!strcmp(render_summary(&c, 14.23),
                  "sync-lint: 316 files, 28 warnings, 0 errors, 1 tool error in 14.2 s\n"), "%s",
          render_summary(&c, 14.23));
    struct sl_run_counts one = { .files = 1, .warnings = 1, .errors = 1, .notes = 2 };
    CHECK(!strcmp(render_summary(&one, 0.04),
                  "sync-lint: 1 file, 1 warning, 1 error, 2 notes, 0 tool errors in 0.0 s\n"), "%s",
          render_summary(&one, 0.04));

    /* progress into a file: no terminal, so COLUMNS gives the width */
    setenv("COLUMNS", "30", 1);
    char pbuf[512];
    FILE *pf = fmemopen(pbuf, sizeof pbuf, "w");
    struct sl_progress p;
    sl_progress_init(&p, pf, -1);
    sl_progress_update(&p, 7, 120, "src/a/very/long/path/to/file.c");
    sl_progress_update(&p, 8, 120, "b.c");
    sl_progress_end(&p);
    fclose(pf);
    CHECK(!strcmp(pbuf, "\r[7/120] ...ong/path/to/file.c\033[K\r[8/120] b.c\033[K\r\033[K"),
          "progress: '%s'", pbuf);
    CHECK(!sl_progress_wanted(-1), "no progress without a terminal");

    /* the session's callback under 4 workers */
    char dir[] = "/tmp/sl-status-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    struct seen s = { .ordered = true };
    pthread_mutex_init(&s.mu, NULL);
    struct sl_session_options so = { .rules = sl_rules, .n_rules = sl_rule_count, .jobs = 4,
                                      .progress = on_progress, .progress_arg = &s };
    struct sl_session *ss = sl_session_open(&so);
    for (int i = 0; i < 8; i++) {
        snprintf(s.names[i], sizeof s.names[i], "%s/f%d.c", dir, i);
        FILE *f = fopen(s.names[i], "w");
        fprintf(f, "int v%d;\n", i);
        fclose(f);
        const char *args[] = { "-std=gnu11" };
        struct sl_job job = { .file = s.names[i], .args = args, .n_args = 1 };
        sl_session_add_job(ss, &job);
    }
    sl_session_run(ss);
    sl_session_close(ss);
    CHECK(s.calls == 8 && s.total == 8 && s.last == 8, "calls %zu total %zu", s.calls, s.total);
    CHECK(s.ordered, "started counts 1..8 in order");
    CHECK(s.overlap == 0, "%d overlapping calls", s.overlap);
    for (int i = 0; i < 8; i++) {
        CHECK(s.file_seen[i], "no call for %s", s.names[i]);
        unlink(s.names[i]);
    }
    rmdir(dir);
    pthread_mutex_destroy(&s.mu);
    return CHECK_DONE();
}
