/* status.c - the progress line and the summary line on stderr. */
#include "status.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

bool sl_progress_wanted(int fd)
{
    if (!isatty(fd)) return false;
    const char *term = getenv("TERM");
    return !(term && !strcmp(term, "dumb"));
}

static unsigned term_width(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    const char *c = getenv("COLUMNS");
    long n = c ? strtol(c, NULL, 10) : 0;
    return n > 0 && n < 10000 ? (unsigned)n : 80;
}

void sl_progress_init(struct sl_progress *p, FILE *out, int fd)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->fd = fd;
    p->width = term_width(fd);
}

void sl_progress_update(void *arg, size_t started, size_t total, const char *file)
{
    struct sl_progress *p = arg;
    p->width = term_width(p->fd);   /* the window may have been resized */
    char head[48];
    int hn = snprintf(head, sizeof head, "[%zu/%zu] ", started, total);
    if (hn < 0) return;
    /* one column short of the width: a full last column makes some
     * terminals wrap, and the next '\r' would then rewrite the wrong line */
    size_t room = p->width > (unsigned)hn + 1 ? p->width - (unsigned)hn - 1 : 0;
    size_t fn = strlen(file);
    fputc('\r', p->out);
    fputs(head, p->out);
    if (fn <= room) {
        fputs(file, p->out);
    } else if (room > 3) {   /* keep the end of the path: the file name */
        fputs("...", p->out);
        fputs(file + fn - (room - 3), p->out);
    }
    fputs("\033[K", p->out);   /* erase what a longer previous line left */
    fflush(p->out);
    p->shown = true;
}

void sl_progress_end(struct sl_progress *p)
{
    if (!p->shown) return;
    fputs("\r\033[K", p->out);
    fflush(p->out);
    p->shown = false;
}

void sl_run_count(const struct sl_diag_list *l, size_t files, struct sl_run_counts *c)
{
    memset(c, 0, sizeof *c);
    c->files = files;
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        if (sl_diag_is_tool_error(d)) c->tool_errors++;
        else if (d->severity == SL_SEV_ERROR) c->errors++;
        else if (d->severity == SL_SEV_WARNING) c->warnings++;
        else c->notes++;
    }
}

static void count(FILE *out, size_t n, const char *what)
{
    fprintf(out, "%zu %s%s", n, what, n == 1 ? "" : "s");
}

void sl_run_summary(FILE *out, const struct sl_run_counts *c, double seconds)
{
    fputs("sync-lint: ", out);
    count(out, c->files, "file");
    fputs(", ", out);
    count(out, c->warnings, "warning");
    fputs(", ", out);
    count(out, c->errors, "error");
    if (c->notes) {
        fputs(", ", out);
        count(out, c->notes, "note");
    }
    fputs(", ", out);
    count(out, c->tool_errors, "tool error");
    fprintf(out, " in %.1f s\n", seconds);
}
