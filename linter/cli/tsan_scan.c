/* tsan_scan.c - a bounded search of a repository's build files for -fsanitize=thread. */
#include "tsan_scan.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

int sl_repo_root(char *buf, size_t bufsz)
{
    char line[PATH_MAX] = "";
    /* `command -v` first: a missing git must not print "not found" */
    FILE *p = popen("command -v git >/dev/null 2>&1 && git rev-parse --show-toplevel 2>/dev/null", "r");
    if (p) {
        if (!fgets(line, sizeof line, p)) line[0] = 0;
        pclose(p);
    }
    line[strcspn(line, "\n")] = 0;
    char real[PATH_MAX];
    if (line[0] && realpath(line, real)) { snprintf(buf, bufsz, "%s", real); return 0; }
    if (realpath(".", real)) { snprintf(buf, bufsz, "%s", real); return 0; }
    return -1;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

bool sl_tsan_is_build_file(const char *name, bool in_workflows)
{
    if (in_workflows) return ends_with(name, ".yml") || ends_with(name, ".yaml");
    return !strcmp(name, "CMakeLists.txt") || ends_with(name, ".cmake") ||
           !strcmp(name, "CMakePresets.json") || !strcmp(name, "CMakeUserPresets.json") ||
           !strncmp(name, "Makefile", 8) || !strncmp(name, "makefile", 8) ||
           !strcmp(name, "GNUmakefile") || ends_with(name, ".mk") ||
           !strcmp(name, "meson.build") || !strcmp(name, "meson_options.txt") ||
           !strcmp(name, "meson.options") || ends_with(name, ".gitlab-ci.yml");
}

/* A comma-separated sanitizer list at s (up to end) naming "thread". */
static bool list_has_thread(const char *s, const char *end)
{
    while (s < end) {
        const char *t = s;
        while (t < end && ((*t >= 'a' && *t <= 'z') || *t == '-')) t++;
        if (t - s == 6 && !strncmp(s, "thread", 6)) return true;
        if (t == s || t >= end || *t != ',') return false;
        s = t + 1;
    }
    return false;
}

static const char *find_in(const char *s, const char *end, const char *what)
{
    size_t m = strlen(what);
    for (; s + m <= end; s++)
        if (!memcmp(s, what, m)) return s;
    return NULL;
}

bool sl_tsan_line_enables(const char *line, size_t len)
{
    const char *end = line + len;
    for (const char *s = line; (s = find_in(s, end, "-fsanitize=")); s++)
        if (list_has_thread(s + 11, end)) return true;
    /* meson: -Db_sanitize=thread, default_options: ['b_sanitize=thread'] */
    for (const char *s = line; (s = find_in(s, end, "b_sanitize")); s++) {
        const char *v = s + 10;
        for (int k = 0; k < 4 && v < end && strchr("=:'\" ", *v); k++) v++;
        if (list_has_thread(v, end)) return true;
    }
    return false;
}

struct walk {
    const char *root;
    struct sl_tsan_scan *out;
    size_t entries;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_file(struct walk *w, const char *path, const char *rel)
{
    FILE *f = fopen(path, "r");
    if (!f) return;
    w->out->files++;
    char line[4096];
    unsigned lineno = 0;
    size_t bytes = 0;
    bool at_start = true;   /* a line longer than the buffer counts once */
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        bytes += len;
        if (at_start) lineno++;
        at_start = len > 0 && line[len - 1] == '\n';
        if (sl_tsan_line_enables(line, len)) {
            if (w->out->n_places < SL_TSAN_MAX_PLACES) {
                char buf[PATH_MAX + 16];
                snprintf(buf, sizeof buf, "%s:%u", rel, lineno);
                w->out->places[w->out->n_places++] = sl_xstrdup(buf);
            } else {
                w->out->more = true;
            }
            break;   /* one place per file is evidence enough */
        }
        if (bytes >= SL_TSAN_MAX_BYTES) { w->out->truncated = true; break; }
    }
    fclose(f);
}

/* Directories never searched: VCS data, build trees, dependencies. */
static bool skip_dir(const char *name, const char *path)
{
    if (name[0] == '.' && strcmp(name, ".github") != 0) return true;
    if (!strcmp(name, "build") || !strncmp(name, "build-", 6) || !strcmp(name, "node_modules"))
        return true;
    char cache[PATH_MAX];
    int n = snprintf(cache, sizeof cache, "%s/CMakeCache.txt", path);
    if (n < 0 || (size_t)n >= sizeof cache) return true;   /* too deep a path to read anyway */
    return access(cache, F_OK) == 0;   /* any CMake build tree */
}

static void walk_dir(struct walk *w, const char *dir, const char *rel, int depth, bool in_workflows)
{
    if (depth > SL_TSAN_MAX_DEPTH) { w->out->truncated = true; return; }
    DIR *d = opendir(dir);
    if (!d) return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (++w->entries > SL_TSAN_MAX_ENTRIES) { w->out->truncated = true; break; }
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = sl_xreallocarray(names, cap, sizeof *names);
        }
        names[n++] = sl_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);   /* readdir order is the file system's */
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX], sub[PATH_MAX];
        int np = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int ns = snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        if (np < 0 || ns < 0 || (size_t)np >= sizeof path || (size_t)ns >= sizeof sub) continue;
        struct stat st;
        if (lstat(path, &st) != 0) continue;   /* symlinks are not followed: no cycles */
        if (S_ISDIR(st.st_mode)) {
            if (skip_dir(names[i], path)) continue;
            walk_dir(w, path, sub, depth + 1, !strcmp(sub, ".github/workflows"));
        } else if (S_ISREG(st.st_mode) && sl_tsan_is_build_file(names[i], in_workflows)) {
            if (w->out->files >= SL_TSAN_MAX_FILES) { w->out->truncated = true; continue; }
            scan_file(w, path, sub);
        }
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

void sl_tsan_scan(const char *root, struct sl_tsan_scan *out)
{
    memset(out, 0, sizeof *out);
    struct walk w = { root, out, 0 };
    walk_dir(&w, root, "", 0, false);
}

void sl_tsan_scan_free(struct sl_tsan_scan *s)
{
    for (size_t i = 0; i < s->n_places; i++) free(s->places[i]);
    s->n_places = 0;
}
