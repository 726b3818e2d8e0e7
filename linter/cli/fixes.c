/* fixes.c - --fix / --fix-dry-run / --fix-suppress: edits per file, checked, applied atomically. */
#define _GNU_SOURCE
#include "fixes.h"
#include "arena.h"
#include "err.h"
#include "fdio.h"
#include "fixedit.h"
#include "suppress.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_REASON "existing finding, suppressed by sync-lint --fix-suppress"

bool sl_fix_suppresses(const struct sl_fix_request *rq, const char *rule)
{
    for (size_t i = 0; i < rq->n_suppress; i++)
        if (!strcmp(rq->suppress[i], "*") || !strcmp(rq->suppress[i], rule) ||
            !fnmatch(rq->suppress[i], rule, 0))
            return true;
    return false;
}

/* What happens to finding i: nothing, its fix, or a suppression. */
enum action { ACT_NONE, ACT_FIX, ACT_SUPPRESS };

static enum action action_of(const struct sl_fix_request *rq, const struct sl_diag *d)
{
    if (d->kind != SL_DIAG_FINDING || !d->where.file) return ACT_NONE;
    if (sl_fix_suppresses(rq, d->rule)) return ACT_SUPPRESS;
    if ((rq->apply || rq->dry_run) && d->fix && d->fix->n_edits) return ACT_FIX;
    return ACT_NONE;
}

static const char *target_file(const struct sl_diag *d, enum action a)
{
    return a == ACT_FIX && d->fix->file ? d->fix->file : d->where.file;
}

/* The edits taken for one file, kept sorted by position (pairwise
 * disjoint, so their ends are sorted too). */
struct plan {
    struct sl_edit *e;
    size_t n, cap;
};

static int pos_cmp(unsigned l1, unsigned c1, unsigned l2, unsigned c2)
{
    return l1 != l2 ? (l1 < l2 ? -1 : 1) : c1 != c2 ? (c1 < c2 ? -1 : 1) : 0;
}

/* Index of the first edit of p sorted after e (by sl_range_cmp). */
static size_t plan_upper(const struct plan *p, const struct sl_edit *e)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sl_range_cmp(&p->e[mid].where, &e->where) <= 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* 1: e is already in the plan (shared), -1: it conflicts, 0: free.  Only
 * the neighbours that can touch e are looked at. */
static int plan_check(const struct plan *p, const struct sl_edit *e)
{
    size_t at = plan_upper(p, e);
    const struct sl_range *w = &e->where;
    for (size_t i = at; i-- > 0;) {
        const struct sl_edit *x = &p->e[i];
        if (pos_cmp(x->where.end_line, x->where.end_col, w->line, w->col) < 0) break;
        if (!sl_range_cmp(&x->where, w) && !strcmp(x->replacement, e->replacement)) return 1;
        if (sl_edits_overlap(&x->where, w)) return -1;
    }
    for (size_t i = at; i < p->n; i++) {
        const struct sl_edit *x = &p->e[i];
        if (pos_cmp(x->where.line, x->where.col, w->end_line, w->end_col) > 0) break;
        if (sl_edits_overlap(&x->where, w)) return -1;
    }
    return 0;
}

static void plan_push(struct plan *p, const struct sl_edit *e)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->e = sl_xreallocarray(p->e, p->cap, sizeof *p->e);
    }
    size_t at = plan_upper(p, e);
    memmove(p->e + at + 1, p->e + at, (p->n - at) * sizeof *p->e);
    p->e[at] = *e;
    p->n++;
}

/* Read path whole (malloc'd, *len); NULL with errno on failure. */
static char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    size_t cap = 65536, n = 0;
    char *buf = sl_xmalloc(cap);
    for (;;) {
        if (n == cap) buf = sl_xrealloc(buf, cap *= 2);
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    *len = n;
    return buf;
}

/* Replace path's contents with text: a temporary file next to it, the
 * original's mode and owner, fsync, rename, fsync of the directory.
 * Returns 0, or -errno with nothing changed. */
static int replace_file(const char *path, const char *text, size_t len)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) return -errno;
    struct stat st;
    if (stat(real, &st) != 0) return -errno;
    if (!S_ISREG(st.st_mode)) return -EINVAL;
    char dcopy[PATH_MAX], bcopy[PATH_MAX];
    snprintf(dcopy, sizeof dcopy, "%s", real);
    snprintf(bcopy, sizeof bcopy, "%s", real);
    const char *dir = dirname(dcopy), *base = basename(bcopy);
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%s.sync-lint-XXXXXX", dir, base) >= sizeof tmp)
        return -ENAMETOOLONG;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) return -errno;
    int rc = 0;
    if (sl_write_all(fd, text, len) != 0 || fchmod(fd, st.st_mode & 07777) != 0) rc = -errno;
    if (!rc && fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM) rc = -errno;
    if (!rc && fsync(fd) != 0) rc = -errno;
    if (close(fd) != 0 && !rc) rc = -errno;
    if (!rc && rename(tmp, real) != 0) rc = -errno;
    if (rc) {
        unlink(tmp);
        return rc;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);   /* the rename is durable; a failure here loses nothing written */
        close(dfd);
    }
    return 0;
}

/* The path a diff names: as given, but an absolute one under the current
 * directory (compile databases name files so) relative to it, which is
 * what git apply and patch -p1 need. */
static const char *diff_path(const char *file)
{
    static char cwd[PATH_MAX];
    if (file[0] != '/' || !getcwd(cwd, sizeof cwd)) return file;
    size_t n = strlen(cwd);
    if (n > 1 && !strncmp(file, cwd, n) && file[n] == '/') return file + n + 1;
    return file;
}

/* The test hook (see fixes.h). */
static void before_write_hook(const char *path)
{
    const char *cmd = getenv("SL_TEST_FIX_BEFORE_WRITE");
    if (!cmd || !*cmd) return;
    setenv("SL_FIX_FILE", path, 1);
    if (system(cmd) != 0) sl_notice("SL_TEST_FIX_BEFORE_WRITE command failed");
    unsetenv("SL_FIX_FILE");
}

/* s with each "\n" not after "\r" as "\r\n" (in a). */
static const char *crlf_text(struct sl_arena *a, const char *s)
{
    if (!strchr(s, '\n')) return s;
    char *r = sl_arena_alloc(a, 2 * strlen(s) + 1), *w = r;
    for (const char *p = s; *p; p++) {
        if (*p == '\n' && (p == s || p[-1] != '\r')) *w++ = '\r';
        *w++ = *p;
    }
    *w = 0;
    return r;
}

/* One file: plan its edits, check, apply or diff.  done[i] marks the
 * findings resolved in it.  Returns 0, or -1 (a tool error was printed). */
static int fix_file(const struct sl_diag_list *l, const struct sl_fix_request *rq, const char *file,
                    const char *text, size_t len, FILE *diff_out, bool *done,
                    struct sl_fix_outcome *out)
{
    struct sl_arena a;
    sl_arena_init(&a);
    struct plan p = {0};
    bool *taken = sl_xcalloc(l->n ? l->n : 1, sizeof *taken);
    size_t n_fixed = 0, n_supp = 0;
    struct sl_supp_text *st = NULL;
    /* suppressions: one comment per line, naming each rule of its findings
     * (l is sorted by file and line: a line's findings are together) */
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        if (action_of(rq, d) != ACT_SUPPRESS || strcmp(d->where.file, file) || taken[i]) continue;
        char ids[1024] = "";
        size_t group[64], ng = 0;
        for (size_t k = i; k < l->n && ng < 64; k++) {
            const struct sl_diag *x = &l->items[k];
            if (!x->where.file || strcmp(x->where.file, file) || x->where.line != d->where.line)
                break;
            if (action_of(rq, x) != ACT_SUPPRESS || taken[k]) continue;
            group[ng++] = k;
            char item[200];
            snprintf(item, sizeof item, ",%s,", x->rule);
            char padded[1100];
            snprintf(padded, sizeof padded, ",%s,", ids);
            if (strstr(padded, item)) continue;
            if (strlen(ids) + strlen(x->rule) + 2 >= sizeof ids) continue;
            if (*ids) strcat(ids, ",");
            strcat(ids, x->rule);
        }
        for (size_t k = 0; k < ng; k++) taken[group[k]] = true;
        struct sl_edit e;
        if (!st) st = sl_supp_text_new(text, len);
        int rc = sl_supp_text_edit(st, d->where.line, ids, rq->reason ? rq->reason : DEFAULT_REASON,
                                   &a, &e);
        if (rc == -EEXIST) continue;
        int c = rc ? 0 : plan_check(&p, &e);
        if (rc || c < 0) {
            sl_notice("%s:%u: no suppression inserted for [%s]: %s", file, d->where.line, ids,
                      rc ? "no place on or before the line where a comment is safe"
                         : "it would overlap an earlier edit");
            out->skipped++;
            continue;
        }
        e.where.file = file;
        if (!c) plan_push(&p, &e);
        for (size_t k = 0; k < ng; k++) done[group[k]] = true;
        n_supp += ng;
    }
    /* fixes, in report order: the first of two overlapping ones wins */
    for (size_t i = 0; i < l->n; i++) {
        const struct sl_diag *d = &l->items[i];
        if (action_of(rq, d) != ACT_FIX || strcmp(target_file(d, ACT_FIX), file)) continue;
        const struct sl_fix *f = d->fix;
        bool conflict = false, fresh = false;
        for (size_t k = 0; k < f->n_edits && !conflict; k++) {
            int c = plan_check(&p, &f->edits[k]);
            conflict = c < 0;
            fresh |= c == 0;
        }
        if (conflict) {
            sl_notice("%s:%u:%u: fix '%s' for [%s] skipped: it overlaps an edit made for an "
                      "earlier finding; run again to apply it", d->where.file, d->where.line,
                      d->where.col, f->description, d->rule);
            out->skipped++;
            continue;
        }
        if (fresh)
            for (size_t k = 0; k < f->n_edits; k++)
                if (plan_check(&p, &f->edits[k]) == 0) plan_push(&p, &f->edits[k]);
        done[i] = true;
        n_fixed++;
    }
    free(taken);
    sl_supp_text_free(st);
    int ret = 0;
    if (!p.n) goto out;
    /* a CRLF file: the lines an edit inserts end in CRLF too */
    const char *nl = memchr(text, '\n', len);
    if (nl && nl > text && nl[-1] == '\r')
        for (size_t i = 0; i < p.n; i++) p.e[i].replacement = crlf_text(&a, p.e[i].replacement);
    char *new_text;
    size_t new_len;
    if (sl_edits_apply(text, len, p.e, p.n, &new_text, &new_len) != 0) {
        sl_error("cannot fix '%s': the fixes do not fit the file as analysed", file);
        ret = -1;
        goto out;
    }
    if (!rq->dry_run) before_write_hook(file);
    size_t disk_len = 0;
    char *disk = read_all(file, &disk_len);
    if (!disk) {
        sl_error("cannot fix '%s': %s", file, strerror(errno));
        ret = -1;
    } else if (disk_len != len || memcmp(disk, text, len)) {
        sl_error("cannot fix '%s': the file changed since it was analysed; nothing written to it "
                 "(run sync-lint again)", file);
        ret = -1;
    } else if (rq->dry_run) {
        if (sl_unified_diff(diff_out, diff_path(file), text, len, new_text, new_len) != 0) {
            sl_error("cannot write the diff of '%s'", file);
            ret = -1;
        }
    } else {
        int rc = replace_file(file, new_text, new_len);
        if (rc) {
            sl_error("cannot write '%s': %s; nothing changed in it", file,
                     rc == -EINVAL ? "not a regular file" : strerror(-rc));
            ret = -1;
        }
    }
    free(disk);
    free(new_text);
    if (ret == 0) {
        out->fixed += n_fixed;
        out->suppressed += n_supp;
        out->files++;
    }
out:
    if (ret != 0 || rq->dry_run)   /* nothing resolved in this file */
        for (size_t i = 0; i < l->n; i++)
            if (action_of(rq, &l->items[i]) != ACT_NONE &&
                !strcmp(target_file(&l->items[i], action_of(rq, &l->items[i])), file))
                done[i] = false;
    free(p.e);
    sl_arena_free(&a);
    return ret;
}

int sl_fix_run(const struct sl_diag_list *l, const struct sl_fix_request *rq, sl_fix_text_fn text,
               void *text_arg, FILE *diff_out, bool *resolved, struct sl_fix_outcome *out)
{
    memset(out, 0, sizeof *out);
    bool *done = sl_xcalloc(l->n ? l->n : 1, sizeof *done);
    /* the files, in report order, each once */
    const char **files = sl_xcalloc(l->n ? l->n : 1, sizeof *files);
    size_t n_files = 0;
    for (size_t i = 0; i < l->n; i++) {
        enum action a = action_of(rq, &l->items[i]);
        if (a == ACT_NONE) continue;
        const char *f = target_file(&l->items[i], a);
        size_t k;
        for (k = 0; k < n_files && strcmp(files[k], f); k++) {}
        if (k == n_files) files[n_files++] = f;
    }
    int ret = 0;
    for (size_t k = 0; k < n_files; k++) {
        bool failed = false;
        for (size_t i = 0; i < l->n && !failed; i++)
            failed = sl_diag_is_tool_error(&l->items[i]) && l->items[i].where.file &&
                     !strcmp(l->items[i].where.file, files[k]);
        if (failed) {
            sl_notice("'%s' not fixed: it could not be parsed cleanly, so its fixes are not "
                      "known to be safe", files[k]);
            out->skipped++;
            continue;
        }
        size_t len = 0;
        errno = 0;
        const char *t = text(text_arg, files[k], &len);
        if (!t) {
            if (errno == ESTALE)
                sl_error("cannot fix '%s': the file changed since it was analysed; nothing "
                         "written to it (run sync-lint again)", files[k]);
            else
                sl_error("cannot fix '%s': it cannot be read", files[k]);
            out->failed_files++;
            ret = -1;
            continue;
        }
        if (fix_file(l, rq, files[k], t, len, diff_out, done, out) != 0) {
            out->failed_files++;
            ret = -1;
        }
    }
    if (resolved) memcpy(resolved, done, l->n * sizeof *done);
    free(done);
    free(files);
    return ret;
}
