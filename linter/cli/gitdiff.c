/* gitdiff.c - run git (fork/exec, no shell) and read its -U0 diff into changed lines. */
#include "gitdiff.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"

struct buf { char *p; size_t n, cap; };

static void buf_put(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 4096;
        b->p = sl_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

/* Run git with argv (argv[0] is "git") in dir (NULL: here), collecting
 * stdout and stderr.  Returns git's exit status, or -errno when it could
 * not be started. */
static int run_git(const char *dir, const char *const *argv, struct buf *out, struct buf *errb)
{
    int po[2], pe[2], px[2];
    if (pipe(po) != 0) return -errno;
    if (pipe(pe) != 0) { int e = errno; close(po[0]); close(po[1]); return -e; }
    if (pipe(px) != 0) {
        int e = errno;
        close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
        return -e;
    }
    /* the exec-error pipe closes itself when exec succeeds */
    if (fcntl(px[1], F_SETFD, FD_CLOEXEC) != 0) {
        int e = errno;
        close(po[0]); close(po[1]); close(pe[0]); close(pe[1]); close(px[0]); close(px[1]);
        return -e;
    }
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(po[0]); close(po[1]); close(pe[0]); close(pe[1]); close(px[0]); close(px[1]);
        return -e;
    }
    if (pid == 0) {
        /* the child: only async-signal-safe calls until exec */
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]); close(pe[0]); close(px[0]);
        int e = 0;
        if (dir && chdir(dir) != 0) e = errno;
        if (!e) {
            execvp("git", (char *const *)argv);
            e = errno;
        }
        ssize_t wr = write(px[1], &e, sizeof e);
        (void)wr;
        _exit(127);
    }
    close(po[1]); close(pe[1]); close(px[1]);
    struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
    int open_fds = 2;
    char chunk[8192];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int k = 0; k < 2; k++) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = read(fds[k].fd, chunk, sizeof chunk);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) { close(fds[k].fd); fds[k].fd = -1; open_fds--; continue; }
            /* stderr is only quoted in a message: its first 4 KiB do */
            if (k == 0) buf_put(out, chunk, (size_t)got);
            else if (errb->n < 4096) buf_put(errb, chunk, (size_t)got);
        }
    }
    for (int k = 0; k < 2; k++) if (fds[k].fd >= 0) close(fds[k].fd);
    int exec_err = 0;
    ssize_t got = read(px[0], &exec_err, sizeof exec_err);
    close(px[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (got == (ssize_t)sizeof exec_err && exec_err) return -exec_err;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* git's first stderr line, for a message. */
static const char *first_line(struct buf *b)
{
    if (!b->p) return "";
    char *nl = strchr(b->p, '\n');
    if (nl) *nl = 0;
    return b->p;
}

static void buf_reset(struct buf *b) { b->n = 0; if (b->p) b->p[0] = 0; }

static void chomp(struct buf *b)
{
    while (b->n && (b->p[b->n - 1] == '\n' || b->p[b->n - 1] == '\r')) b->p[--b->n] = 0;
}

/* A path from a diff header: C-quoted ("b/x\ty.c") or plain; the prefix
 * ("b/") removed.  Writes into out (size PATH_MAX); false if malformed. */
static bool header_path(const char *s, size_t n, char *out)
{
    size_t o = 0;
    if (n && s[0] == '"') {
        for (size_t i = 1; i < n && s[i] != '"'; i++) {
            char c = s[i];
            if (c == '\\' && i + 1 < n) {
                c = s[++i];
                if (c >= '0' && c <= '7' && i + 2 < n) {
                    c = (char)(((s[i] - '0') << 6) | ((s[i + 1] - '0') << 3) | (s[i + 2] - '0'));
                    i += 2;
                } else {
                    c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'a' ? '\a' :
                        c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'v' ? '\v' : c;
                }
            }
            if (o + 1 >= PATH_MAX) return false;
            out[o++] = c;
        }
    } else {
        /* a plain name may end in a tab when it has spaces (GNU diff style) */
        while (n && (s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
        if (n + 1 >= PATH_MAX) return false;
        memcpy(out, s, n);
        o = n;
    }
    out[o] = 0;
    if (strncmp(out, "b/", 2) != 0) return false;
    memmove(out, out + 2, o - 1);
    return true;
}

static unsigned parse_num(const char **p)
{
    unsigned long v = 0;
    while (**p >= '0' && **p <= '9') { v = v * 10 + (unsigned long)(**p - '0'); (*p)++; if (v > UINT_MAX) v = UINT_MAX; }
    return (unsigned)v;
}

void sl_git_parse_diff(const char *text, size_t len, const char *root, struct sl_changes *out)
{
    char *cur = NULL;                 /* root/<path> of the file being read, or NULL */
    unsigned old_left = 0, new_left = 0;
    char path[PATH_MAX];
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p = nl ? nl + 1 : end;
        if (n && line[0] == '\\') continue;   /* "\ No newline at end of file" */
        if (old_left || new_left) {           /* a hunk's lines: content, never headers */
            if (n && line[0] == '-' && old_left) old_left--;
            else if (n && line[0] == '+' && new_left) new_left--;
            continue;
        }
        if (n >= 11 && !strncmp(line, "diff --git ", 11)) {
            free(cur);
            cur = NULL;
        } else if (n >= 4 && !strncmp(line, "+++ ", 4)) {
            free(cur);
            cur = NULL;
            if (header_path(line + 4, n - 4, path)) {
                cur = sl_xmalloc(strlen(root) + strlen(path) + 2);
                sprintf(cur, "%s/%s", root, path);
            }
        } else if (n >= 3 && !strncmp(line, "@@ ", 3)) {
            /* @@ -a[,b] +c[,d] @@ */
            const char *q = line + 3;
            unsigned b = 1, c = 0, d = 1;
            if (*q == '-') { q++; parse_num(&q); if (*q == ',') { q++; b = parse_num(&q); } }
            while (*q == ' ') q++;
            if (*q == '+') { q++; c = parse_num(&q); if (*q == ',') { q++; d = parse_num(&q); } }
            old_left = b;
            new_left = d;
            if (cur) sl_changes_add(out, cur, c, d);
        }
    }
    free(cur);
}

static void add_untracked(const char *text, size_t len, const char *root, struct sl_changes *out)
{
    for (const char *p = text; p < text + len;) {
        size_t n = strnlen(p, (size_t)(text + len - p));
        if (n) {
            char *abs = sl_xmalloc(strlen(root) + n + 2);
            sprintf(abs, "%s/%.*s", root, (int)n, p);
            sl_changes_add_file(out, abs);
            free(abs);
        }
        p += n + 1;
    }
}

int sl_git_changes(const char *rev, struct sl_changes *out, char *err, size_t errsz)
{
    struct buf o = {0}, e = {0};
    int rc = -1;
    char root[PATH_MAX], base[128];
    if (!*rev || rev[0] == '-') {
        snprintf(err, errsz, "--diff-base: '%s' is not a revision", rev);
        return -1;
    }
    const char *top[] = { "git", "rev-parse", "--show-toplevel", NULL };
    int st = run_git(NULL, top, &o, &e);
    if (st < 0) {
        snprintf(err, errsz, "--diff-base needs git: cannot run 'git': %s", strerror(-st));
        goto out;
    }
    if (st != 0) {
        snprintf(err, errsz, "--diff-base: the current directory is not inside a git repository (%s)",
                 first_line(&e));
        goto out;
    }
    chomp(&o);
    if (!o.p || !realpath(o.p, root)) {
        snprintf(err, errsz, "--diff-base: cannot resolve the repository root '%s'", o.p ? o.p : "");
        goto out;
    }

    char spec[1024];
    snprintf(spec, sizeof spec, "%s^{commit}", rev);
    const char *verify[] = { "git", "rev-parse", "--verify", "--quiet", "--end-of-options", spec, NULL };
    buf_reset(&o); buf_reset(&e);
    if (run_git(NULL, verify, &o, &e) != 0) {
        snprintf(err, errsz, "--diff-base: unknown revision '%s' (not a commit in this repository)", rev);
        goto out;
    }
    chomp(&o);
    char rev_id[128];
    snprintf(rev_id, sizeof rev_id, "%s", o.p);

    const char *mb[] = { "git", "merge-base", rev_id, "HEAD", NULL };
    buf_reset(&o); buf_reset(&e);
    st = run_git(NULL, mb, &o, &e);
    if (st != 0) {
        snprintf(err, errsz, "--diff-base: '%s' and HEAD have no common ancestor%s%s%s", rev,
                 e.n ? " (" : "", first_line(&e), e.n ? ")" : "");
        goto out;
    }
    chomp(&o);
    snprintf(base, sizeof base, "%s", o.p);

    /* the user's git configuration must not change the format read here */
    const char *diff[] = { "git", "--no-optional-locks", "-c", "core.quotePath=false", "diff",
                           "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative",
                           "-M", "--src-prefix=a/", "--dst-prefix=b/", base, "--", NULL };
    buf_reset(&o); buf_reset(&e);
    st = run_git(root, diff, &o, &e);
    if (st != 0) {
        snprintf(err, errsz, "--diff-base: 'git diff %s' failed: %s", base, first_line(&e));
        goto out;
    }
    sl_git_parse_diff(o.p ? o.p : "", o.n, root, out);

    const char *untracked[] = { "git", "--no-optional-locks", "ls-files", "--others",
                                "--exclude-standard", "-z", NULL };
    buf_reset(&o); buf_reset(&e);
    st = run_git(root, untracked, &o, &e);
    if (st != 0) {
        snprintf(err, errsz, "--diff-base: 'git ls-files --others' failed: %s", first_line(&e));
        goto out;
    }
    add_untracked(o.p ? o.p : "", o.n, root, out);
    rc = 0;
out:
    free(o.p);
    free(e.p);
    return rc;
}
