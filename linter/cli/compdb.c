/* compdb.c - compile database loading, shell splitting, flag sanitising. */
#include "compdb.h"
#include "err.h"
#include "source.h"
#include "sort.h"

#include <cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void sl_jobs_init(struct sl_job_list *l)
{
    memset(l, 0, sizeof *l);
    sl_arena_init(&l->arena);
}

void sl_jobs_free(struct sl_job_list *l)
{
    free(l->jobs);
    sl_arena_free(&l->arena);
    memset(l, 0, sizeof *l);
}

static struct sl_job *push_job(struct sl_job_list *l)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        struct sl_job *nj = sl_xrealloc(l->jobs, nc * sizeof *nj);
        l->jobs = nj;
        l->cap = nc;
    }
    struct sl_job *j = &l->jobs[l->n++];
    memset(j, 0, sizeof *j);
    return j;
}

static const char *join_path(struct sl_job_list *l, const char *dir, const char *p)
{
    if (!p) return NULL;
    char *r = (p[0] == '/' || !dir || !*dir) ? sl_arena_strdup(&l->arena, p)
                                              : sl_arena_printf(&l->arena, "%s/%s", dir, p);
    return sl_path_normalise(r);
}

/* Canonical form of a path for comparing files (realpath when it exists). */
static const char *canon(struct sl_job_list *l, const char *p)
{
    char buf[PATH_MAX];
    if (realpath(p, buf)) return sl_arena_strdup(&l->arena, buf);
    return sl_arena_strdup(&l->arena, p);
}

/* ---- shell splitting ---- */

size_t sl_shell_split(struct sl_job_list *l, const char *cmd, const char ***out)
{
    size_t cap = 16, n = 0;
    const char **words = sl_xmalloc(cap * sizeof *words);
    size_t len = strlen(cmd);
    char *buf = sl_xmalloc(len + 1);
    const char *p = cmd;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        if (!*p) break;
        size_t b = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
            if (*p == '\\' && p[1]) { buf[b++] = p[1]; p += 2; }
            else if (*p == '\'') {
                p++;
                while (*p && *p != '\'') buf[b++] = *p++;
                if (*p) p++;
            } else if (*p == '"') {
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
                        p++;
                    buf[b++] = *p++;
                }
                if (*p) p++;
            } else buf[b++] = *p++;
        }
        if (n == cap) {
            cap *= 2;
            const char **nw = sl_xrealloc(words, cap * sizeof *nw);
            words = nw;
        }
        words[n++] = sl_arena_strndup(&l->arena, buf, b);
    }
    const char **res = sl_arena_alloc(&l->arena, (n ? n : 1) * sizeof *res);
    memcpy(res, words, n * sizeof *res);
    free(words);
    free(buf);
    *out = res;
    return n;
}

/* ---- sanitising ---- */

static bool has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Flags taking a path argument, separately or joined. */
static const char *const path_flags[] = {
    "-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-isysroot",
    "--sysroot", "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-F", "-cxx-isystem", NULL,
};

/* Compiler launchers that come before the compiler in a command. */
static bool is_launcher(const char *a)
{
    static const char *const names[] = {
        "ccache", "sccache", "distcc", "icecc", "buildcache", "colorgcc", NULL,
    };
    for (const char *const *n = names; *n; n++)
        if (!strcmp(base_name(a), *n)) return true;
    return false;
}

/* cc1 options (given through -Xclang) that load code or serialized ASTs into
 * the analyser.  "=": also with a joined value. */
static bool loads_code_cc1(const char *a)
{
    return !strcmp(a, "-load") || !strcmp(a, "-plugin") || !strcmp(a, "-add-plugin") ||
           has_prefix(a, "-plugin-arg") || has_prefix(a, "-fplugin") ||
           has_prefix(a, "-fpass-plugin") || !strcmp(a, "-load-pass-plugin") ||
           has_prefix(a, "-load=") || has_prefix(a, "-add-plugin=");
}

/* Does a cc1 option given through -Xclang take the next -Xclang word as its
 * value? */
static bool cc1_takes_value(const char *a)
{
    return !strcmp(a, "-load") || !strcmp(a, "-plugin") || !strcmp(a, "-add-plugin") ||
           has_prefix(a, "-plugin-arg") || !strcmp(a, "-load-pass-plugin") ||
           !strcmp(a, "-include-pch") || !strcmp(a, "-ast-merge");
}

struct argvec { const char **v; size_t n, cap; };

static void argvec_push(struct argvec *a, const char *s)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        const char **nv = sl_xrealloc(a->v, a->cap * sizeof *nv);
        a->v = nv;
    }
    a->v[a->n++] = s;
}

static char *read_file(const char *path, size_t max, char *err, size_t errsz);

/* Copy argv into out, replacing each @FILE response file (relative to dir)
 * by its words, recursively to a small depth.  A response file that cannot
 * be read is dropped with a note. */
static void expand_response_files(struct sl_job_list *l, struct argvec *out,
                                  const char *const *argv, size_t argc, const char *dir,
                                  const char *source, int depth, bool quiet)
{
    for (size_t i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '@' || !a[1]) { argvec_push(out, a); continue; }
        char err[512];
        const char *path = join_path(l, dir, a + 1);
        char *text = depth < 8 ? read_file(path, 16u << 20, err, sizeof err) : NULL;
        if (!text) {
            if (!quiet)
                fprintf(stderr, "sync-lint: note: '%s': dropped response file '%s' (%s)\n",
                        source ? source : "?", a, depth < 8 ? err : "nested too deeply");
            continue;
        }
        const char **words;
        size_t n = sl_shell_split(l, text, &words);
        free(text);
        expand_response_files(l, out, words, n, dir, source, depth + 1, quiet);
    }
}

static void removed(const char *source, const char *what, const char *value, bool quiet)
{
    if (!quiet)
        fprintf(stderr, "sync-lint: note: '%s': removed '%s%s%s' (code never loads into the "
                "analyser)\n", source ? source : "?", what, value ? " " : "", value ? value : "");
}

const char **sl_sanitize_args(struct sl_job_list *l, const char *const *in_argv, size_t in_argc,
                              const char *dir, const char *source, size_t *n_out, bool quiet)
{
    struct argvec all = {0};
    expand_response_files(l, &all, in_argv, in_argc, dir, source, 0, quiet);
    const char *const *argv = all.v;
    size_t argc = all.n;
    const char **out = sl_arena_alloc(&l->arena, (argc + 1) * sizeof *out);
    size_t n = 0;
    const char *src_canon = source ? canon(l, source) : NULL;
    /* the compiler, after any launchers (ccache cc ...) */
    size_t i = 0;
    while (i + 1 < argc && is_launcher(argv[i]) && argv[i + 1][0] != '-') i++;
    for (i++; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        /* Code loading: never into the analyser. */
        if (has_prefix(a, "-fplugin") || has_prefix(a, "-fpass-plugin") ||
            has_prefix(a, "--plugin") || has_prefix(a, "-fload-pass")) {
            removed(source, a, NULL, quiet);
            continue;
        }
        /* -Xclang X and -Xclang=X pass X to cc1; a value comes as a second one */
        if (!strcmp(a, "-Xclang") || has_prefix(a, "-Xclang=")) {
            const char *x = a[7] == '=' ? a + 8 : next;
            if (!x) continue;
            if (a[7] != '=') i++;
            bool load = loads_code_cc1(x);
            bool pch = !strcmp(x, "-include-pch") || !strcmp(x, "-ast-merge");
            if (!load && !pch) {
                out[n++] = "-Xclang";
                out[n++] = x;
                continue;
            }
            /* drop the value too; a precompiled header made by the build's
             * compiler goes quietly (its -include'd header is parsed instead) */
            if (cc1_takes_value(x) && i + 1 < argc) {
                if (!strcmp(argv[i + 1], "-Xclang") && i + 2 < argc) i += 2;
                else if (has_prefix(argv[i + 1], "-Xclang=")) i++;
            }
            if (load) removed(source, "-Xclang", x, quiet);
            continue;
        }
        /* Configuration files and other ways to smuggle in flags or plugins. */
        if (!strcmp(a, "--config") || has_prefix(a, "--config=") ||
            has_prefix(a, "--config-system-dir") || has_prefix(a, "--config-user-dir") ||
            has_prefix(a, "-Xarch_") || !strcmp(a, "-Xanalyzer") || !strcmp(a, "-mllvm") ||
            has_prefix(a, "-Xopenmp-target") || has_prefix(a, "-Xcuda-") ||
            !strcmp(a, "-Xpreprocessor") || !strcmp(a, "-Xlinker") || !strcmp(a, "-Xassembler") ||
            !strcmp(a, "-Xoffload-linker")) {
            /* each passes the next word on, except --config=X and --config-*-dir=X */
            bool takes = !(has_prefix(a, "--config") && strchr(a, '='));
            const char *val = takes && next ? next : NULL;
            if (val) i++;
            bool loud = has_prefix(a, "--config") ||
                        (val && (strstr(val, "load") || strstr(val, "plugin")));
            if (loud) removed(source, a, val, quiet);
            continue;
        }
        /* Precompiled headers built by the build's compiler. */
        if (!strcmp(a, "-include-pch")) { if (next) i++; continue; }
        /* Output, dependency and diagnostics-presentation flags. */
        if (!strcmp(a, "-c") || !strcmp(a, "-S") || !strcmp(a, "-E") || !strcmp(a, "-MD") ||
            !strcmp(a, "-MMD") || !strcmp(a, "-MP") || !strcmp(a, "-M") || !strcmp(a, "-MM") ||
            !strcmp(a, "-MG") || !strcmp(a, "-pipe") || !strcmp(a, "-pedantic-errors") ||
            /* warning options change nothing the analysis sees, and GCC-only
             * ones make libclang print noise */
            (has_prefix(a, "-W") && !has_prefix(a, "-Wl,") && !has_prefix(a, "-Wa,") &&
             !has_prefix(a, "-Wp,")) ||
            has_prefix(a, "-fcolor-diagnostics") || has_prefix(a, "-fdiagnostics-color") ||
            has_prefix(a, "-fno-color-diagnostics") || has_prefix(a, "-fansi-escape-codes") ||
            has_prefix(a, "-save-temps") || has_prefix(a, "-fdump") || !strcmp(a, "-v") ||
            has_prefix(a, "-ftime-report") || has_prefix(a, "-fprofile") ||
            has_prefix(a, "-specs=") || has_prefix(a, "--specs=") || has_prefix(a, "-fcoverage") ||
            has_prefix(a, "-ftest-coverage") || has_prefix(a, "-fmodules-cache-path") ||
            has_prefix(a, "-ferror-limit") || has_prefix(a, "-fmax-errors"))
            continue;
        if (!strcmp(a, "-o") || !strcmp(a, "-MF") || !strcmp(a, "-MT") || !strcmp(a, "-MQ") ||
            !strcmp(a, "--serialize-diagnostics") || !strcmp(a, "-dependency-file") ||
            !strcmp(a, "-specs") || !strcmp(a, "--specs")) {
            i++;
            continue;
        }
        if ((has_prefix(a, "-o") && strcmp(a, "-o") != 0 && !has_prefix(a, "-objc")) ||
            has_prefix(a, "-MF") || has_prefix(a, "-MT") || has_prefix(a, "-MQ") ||
            has_prefix(a, "-Wl,") || has_prefix(a, "-Wa,") || has_prefix(a, "--output"))
            continue;
        /* Linker inputs and libraries. */
        if (has_prefix(a, "-l") || has_prefix(a, "-L")) {
            if ((!strcmp(a, "-l") || !strcmp(a, "-L")) && next) i++;
            continue;
        }
        /* The source file itself, and other inputs. */
        if (a[0] != '-') {
            if (src_canon && !strcmp(canon(l, join_path(l, dir, a)), src_canon)) continue;
            const char *dot = strrchr(a, '.');
            if (dot && (!strcmp(dot, ".o") || !strcmp(dot, ".a") || !strcmp(dot, ".so") ||
                        !strcmp(dot, ".c") || !strcmp(dot, ".lo") || !strcmp(dot, ".obj") ||
                        !strcmp(dot, ".S") || !strcmp(dot, ".s") || !strcmp(dot, ".i")))
                continue;
            out[n++] = a;
            continue;
        }
        /* Paths relative to the entry's directory (libclang has one cwd). */
        bool handled = false;
        for (const char *const *pf = path_flags; *pf && !handled; pf++) {
            size_t pl = strlen(*pf);
            if (!strcmp(a, *pf) && next) {
                out[n++] = a;
                out[n++] = join_path(l, dir, next);
                i++;
                handled = true;
            } else if (has_prefix(a, *pf) && strlen(a) > pl &&
                       (!strcmp(*pf, "-I") || !strcmp(*pf, "-F") || a[pl] == '=' ||
                        !strcmp(*pf, "-isystem") || !strcmp(*pf, "-iquote") ||
                        !strcmp(*pf, "-idirafter"))) {
                /* -isystem/-iquote/-idirafter also take a joined path:
                 * "-isystemdir"; "-include" joined is ambiguous with -includeX */
                const char *p = a + pl + (a[pl] == '=' ? 1 : 0);
                out[n++] = sl_arena_printf(&l->arena, "%.*s%s", (int)(p - a), a,
                                           join_path(l, dir, p));
                handled = true;
            }
        }
        if (!handled) out[n++] = a;
    }
    free(all.v);
    *n_out = n;
    return out;
}

/* ---- default flags ---- */

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void sl_jobs_add_file(struct sl_job_list *l, const char *file, const char *const *flags,
                      size_t n_flags)
{
    struct sl_job *j = push_job(l);
    j->file = sl_arena_strdup(&l->arena, file);
    j->directory = ".";
    if (flags) {
        const char **a = sl_arena_alloc(&l->arena, (n_flags + 1) * sizeof *a);
        for (size_t i = 0; i < n_flags; i++) a[i] = flags[i];
        j->args = a;
        j->n_args = n_flags;
        return;
    }
    /* -std=gnu11 -pthread, -I the file's directory, and include/ directories
     * beside it and up to three levels above (stopping at a repository root). */
    const char **a = sl_arena_alloc(&l->arena, 16 * sizeof *a);
    size_t n = 0;
    a[n++] = "-std=gnu11";
    a[n++] = "-pthread";
    char dir[PATH_MAX];
    if (!realpath(file, dir)) snprintf(dir, sizeof dir, "%s", file);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0; else strcpy(dir, ".");
    a[n++] = sl_arena_printf(&l->arena, "-I%s", dir);
    for (int up = 0; up < 4 && n < 14; up++) {
        char inc[PATH_MAX + 16];
        snprintf(inc, sizeof inc, "%s/include", dir);
        if (is_dir(inc)) a[n++] = sl_arena_printf(&l->arena, "-I%s", inc);
        char git[PATH_MAX + 8];
        snprintf(git, sizeof git, "%s/.git", dir);
        struct stat st;
        if (stat(git, &st) == 0) break;
        char *s = strrchr(dir, '/');
        if (!s || s == dir) break;
        *s = 0;
    }
    j->args = a;
    j->n_args = n;
}

/* ---- the database ---- */

static char *read_file(const char *path, size_t max, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errsz, "cannot read '%s': %s", path, strerror(errno)); return NULL; }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
        snprintf(err, errsz, "cannot read '%s': not a regular file", path);
        fclose(f);
        return NULL;
    }
    if ((size_t)st.st_size > max) {
        snprintf(err, errsz, "cannot read '%s': %lld bytes is over the %zu MiB limit", path,
                 (long long)st.st_size, max >> 20);
        fclose(f);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!buf) { snprintf(err, errsz, "out of memory"); return NULL; }
    buf[got] = 0;
    return buf;
}

struct entry {
    const char *file, *canon_file, *dir;
    const char **argv;             /* as in the database */
    size_t argc;
    const char **args;             /* sanitised (quietly; again, loudly, for a job) */
    size_t n_args;
};

static int cmp_args(const struct entry *a, const struct entry *b)
{
    for (size_t i = 0; i < a->n_args && i < b->n_args; i++) {
        int c = strcmp(a->args[i], b->args[i]);
        if (c) return c;
    }
    return a->n_args < b->n_args ? -1 : a->n_args > b->n_args;
}

static int cmp_raw_args(const struct entry *a, const struct entry *b)
{
    for (size_t i = 0; i < a->argc && i < b->argc; i++) {
        int c = strcmp(a->argv[i], b->argv[i]);
        if (c) return c;
    }
    return a->argc < b->argc ? -1 : a->argc > b->argc;
}

/* The order of entries: by file, then as written (directory, spelling,
 * command), a total order so equal databases in any order sort alike. */
static int cmp_file(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    int c = strcmp(a->canon_file, b->canon_file);
    if (!c) c = strcmp(a->dir, b->dir);
    if (!c) c = strcmp(a->file, b->file);
    if (!c) c = cmp_raw_args(a, b);
    return c;
}

/* Within one file: by sanitised arguments, then as written. */
static int cmp_config(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    int c = cmp_args(a, b);
    return c ? c : cmp_file(a, b);
}

/* One job per distinct configuration of a file: es[0..n) are its entries.
 * Entries whose sanitised arguments are the same are one job (the first in
 * cmp_config's order).  The arguments are sanitised quietly to compare
 * them, then again for each job, so its notes (removed plugins...) are
 * printed once per job, not once per duplicate entry.  file: the job's file
 * as named on the command line, or NULL for the database's spelling. */
static size_t common_prefix(const char *a, const char *b)
{
    size_t n = 0;
    while (a[n] && a[n] == b[n]) n++;
    return n;
}

static void add_file_configs(struct sl_job_list *l, struct entry *es, size_t n, const char *file)
{
    if (n > 1) {   /* (a file listed once needs no comparing) */
        for (size_t i = 0; i < n; i++)
            es[i].args = sl_sanitize_args(l, es[i].argv, es[i].argc, es[i].dir, es[i].file,
                                          &es[i].n_args, true);
        sl_sort(es, n, sizeof *es, cmp_config);
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !cmp_args(&es[i - 1], &es[i])) continue;
        struct sl_job *j = push_job(l);
        j->file = file ? file : es[i].file;
        j->directory = es[i].dir;
        j->args = sl_sanitize_args(l, es[i].argv, es[i].argc, es[i].dir, es[i].file,
                                   &j->n_args, false);
    }
}

int sl_jobs_from_compdb(struct sl_job_list *l, const char *dir, const char *const *files,
                        size_t n_files, char *err, size_t errsz)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    char *text = read_file(path, 512u << 20, err, errsz);
    if (!text) return -1;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 0);
    if (!root) {
        size_t off = end ? (size_t)(end - text) : 0;
        size_t line = 1;
        for (size_t i = 0; i < off && text[i]; i++) if (text[i] == '\n') line++;
        snprintf(err, errsz, "cannot parse '%s': invalid JSON near line %zu", path, line);
        free(text);
        return -1;
    }
    free(text);
    if (!cJSON_IsArray(root)) {
        snprintf(err, errsz, "cannot use '%s': expected a JSON array of compile commands", path);
        cJSON_Delete(root);
        return -1;
    }
    char dbdir[PATH_MAX];
    if (!realpath(dir, dbdir)) snprintf(dbdir, sizeof dbdir, "%s", dir);
    size_t ne = (size_t)cJSON_GetArraySize(root);
    struct entry *es = calloc(ne ? ne : 1, sizeof *es);
    size_t k = 0, index = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, root) {
        index++;
        const cJSON *jf = cJSON_GetObjectItemCaseSensitive(e, "file");
        const cJSON *jd = cJSON_GetObjectItemCaseSensitive(e, "directory");
        const cJSON *ja = cJSON_GetObjectItemCaseSensitive(e, "arguments");
        const cJSON *jc = cJSON_GetObjectItemCaseSensitive(e, "command");
        if (!cJSON_IsObject(e) || !cJSON_IsString(jf) || !*jf->valuestring) {
            snprintf(err, errsz, "cannot use '%s': entry %zu has no \"file\" string", path, index);
            goto fail;
        }
        if (!cJSON_IsArray(ja) && !cJSON_IsString(jc)) {
            snprintf(err, errsz, "cannot use '%s': entry %zu ('%s') has neither \"arguments\" "
                     "nor \"command\"", path, index, jf->valuestring);
            goto fail;
        }
        const char *d = cJSON_IsString(jd) && *jd->valuestring ? jd->valuestring : ".";
        es[k].dir = join_path(l, dbdir, d);
        es[k].file = join_path(l, es[k].dir, jf->valuestring);
        es[k].canon_file = canon(l, es[k].file);
        if (cJSON_IsArray(ja)) {
            size_t na = (size_t)cJSON_GetArraySize(ja);
            const char **argv = sl_arena_alloc(&l->arena, (na ? na : 1) * sizeof *argv);
            size_t m = 0;
            const cJSON *x;
            cJSON_ArrayForEach(x, ja) {
                if (!cJSON_IsString(x)) {
                    snprintf(err, errsz, "cannot use '%s': entry %zu ('%s') has a non-string "
                             "argument", path, index, jf->valuestring);
                    goto fail;
                }
                argv[m++] = sl_arena_strdup(&l->arena, x->valuestring);
            }
            es[k].argv = argv;
            es[k].argc = m;
        } else {
            es[k].argc = sl_shell_split(l, jc->valuestring, &es[k].argv);
        }
        k++;
    }
    cJSON_Delete(root);
    root = NULL;

    /* Every distinct configuration of a file is its own job: a file built
     * twice with different flags (a library threaded and, inside the broker,
     * with locks compiled out) is analysed in both.  Entries are sorted by
     * file, so each file's entries are neighbours (found by binary search for
     * named files) and the jobs do not depend on the order of the database:
     * O(k log k). */
    sl_sort(es, k, sizeof *es, cmp_file);
    if (n_files == 0) {
        for (size_t i = 0, end; i < k; i = end) {
            for (end = i + 1; end < k && !strcmp(es[end].canon_file, es[i].canon_file); end++) {}
            const char *dot = strrchr(es[i].file, '.');
            if (!dot || (strcmp(dot, ".c") && strcmp(dot, ".i"))) continue;   /* C only */
            add_file_configs(l, es + i, end - i, NULL);
        }
    } else {
        for (size_t f = 0; f < n_files; f++) {
            const char *cf = canon(l, files[f]);
            size_t lo = 0, hi = k;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(es[mid].canon_file, cf) < 0) lo = mid + 1; else hi = mid;
            }
            size_t end = lo;
            while (end < k && !strcmp(es[end].canon_file, cf)) end++;
            if (end == lo && l->borrow_nearest && k > 0) {
                /* the entry sharing the longest path prefix is a neighbour of
                 * the insertion point in sorted order */
                size_t best = lo < k ? lo : k - 1;
                if (lo > 0 && (lo == k || common_prefix(es[lo - 1].canon_file, cf) >=
                                          common_prefix(es[lo].canon_file, cf)))
                    best = lo - 1;
                fprintf(stderr, "sync-lint: note: '%s' is not in '%s'; using the flags of '%s'\n",
                        files[f], path, es[best].file);
                add_file_configs(l, es + best, 1, sl_arena_strdup(&l->arena, files[f]));
                continue;
            }
            if (end == lo) {
                fprintf(stderr, "sync-lint: note: '%s' is not in '%s'; using default flags\n",
                        files[f], path);
                sl_jobs_add_file(l, files[f], NULL, 0);
                continue;
            }
            add_file_configs(l, es + lo, end - lo, sl_arena_strdup(&l->arena, files[f]));
        }
    }
    free(es);
    return 0;
fail:
    free(es);
    cJSON_Delete(root);
    return -1;
}
