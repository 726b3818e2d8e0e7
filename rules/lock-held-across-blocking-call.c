/* lock-held-across-blocking-call - I/O, sleeps and waits made with a lock held. */
#include <stdlib.h>
#include <string.h>
#include "pmap.h"
#include "strmap.h"
#include "rulekit.h"

#define MAX_CHAIN 6
#define MAX_NORET_DEPTH 32   /* helpers of helpers that never return, followed this deep */

/* Functions that block or are expensive enough to matter under a lock. */
static const char *const blocking_names[] = {
    "accept", "accept4", "cJSON_Print", "cJSON_PrintBuffered", "cJSON_PrintPreallocated",
    "cJSON_PrintUnformatted", "clock_nanosleep", "connect", "dlopen",
    "epoll_pwait", "epoll_wait", "fclose", "fdatasync", "fflush", "fgets", "flock",
    "fopen", "fprintf", "fputc", "fputs", "fread", "fscanf", "fsync", "fwrite",
    "getaddrinfo", "getchar", "gethostbyaddr", "gethostbyname", "getline",
    "getnameinfo", "json_dump_file", "json_dumpf", "json_dumps", "lockf", "msync",
    "nanosleep", "open", "openat", "pause", "pclose", "perror", "poll", "popen",
    "ppoll", "pread", "preadv", "printf", "pselect", "pthread_join", "putc",
    "putchar", "puts", "pwrite", "pwritev", "read", "readv", "recv", "recvfrom",
    "recvmmsg", "recvmsg", "rename", "scanf", "select", "sem_wait", "send",
    "sendfile", "sendmmsg", "sendmsg", "sendto", "sleep", "sync", "syncfs", "syslog",
    "system", "thrd_join", "thrd_sleep", "truncate", "unlink", "usleep", "vfprintf",
    "vprintf", "vsyslog", "wait", "waitid", "waitpid", "write", "writev",
};

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_blocking_name(const struct sl_rule_ctx *cx, const char *name)
{
    if (!name) return false;
    /* glibc's fortified and 64-bit aliases: __printf_chk, open64, ... */
    char base[96];
    const char *n = name;
    if (!strncmp(n, "__", 2) && strstr(n, "_chk")) {
        size_t l = strlen(n) - 2;
        if (l > 4 && l - 4 < sizeof base) {
            memcpy(base, n + 2, l - 4);
            base[l - 4] = 0;
            n = base;
        }
    } else {
        size_t l = strlen(n);
        if (l > 2 && l < sizeof base && !strcmp(n + l - 2, "64")) {
            memcpy(base, n, l - 2);
            base[l - 2] = 0;
            n = base;
        }
    }
    if (bsearch(&n, blocking_names, sizeof blocking_names / sizeof blocking_names[0],
                sizeof blocking_names[0], cmp_name))
        return true;
    for (const char *const *p = cx->opts->extra_blocking; p && *p; p++)
        if (!strcmp(*p, name)) return true;
    return false;
}

/* snprintf/vsnprintf/sprintf into a big buffer: a serialiser, not a format. */
static bool is_big_format(const struct sl_expr *c)
{
    if (!c->name) return false;
    bool sized = !strcmp(c->name, "snprintf") || !strcmp(c->name, "vsnprintf") ||
                 !strcmp(c->name, "__builtin___snprintf_chk") || !strcmp(c->name, "__snprintf_chk");
    bool unsized = !strcmp(c->name, "sprintf") || !strcmp(c->name, "vsprintf");
    if (!sized && !unsized) return false;
    if (sized && c->n_kids > 1 && c->kids[1]->kind == SL_EX_INT && c->kids[1]->has_value &&
        c->kids[1]->ival >= 4096)
        return true;
    if (c->n_kids > 0) {
        const struct sl_var *v = sl_expr_root_var(c->kids[0]);
        if (v && (v->tflags & SL_TY_ARRAY) && v->elem_size * v->array_len >= 4096) return true;
    }
    return false;
}

static bool is_stderr_ref(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_REF && e->name &&
           (!strcmp(e->name, "stderr") || !strcmp(e->name, "stdout"));
}

static bool is_diagnostic_print(const struct sl_expr *c)
{
    if (!c->name) return false;
    if (!strcmp(c->name, "perror")) return true;
    if ((!strcmp(c->name, "fprintf") || !strcmp(c->name, "vfprintf") ||
         !strcmp(c->name, "__fprintf_chk") || !strcmp(c->name, "__vfprintf_chk")) && c->n_kids)
        return is_stderr_ref(c->kids[0]);
    if (!strcmp(c->name, "fflush") && c->n_kids) return is_stderr_ref(c->kids[0]);
    if ((!strcmp(c->name, "fputs") || !strcmp(c->name, "fputc") || !strcmp(c->name, "fwrite")) &&
        c->n_kids)
        return is_stderr_ref(c->kids[c->n_kids - 1]);
    if (!strcmp(c->name, "syslog") || !strcmp(c->name, "vsyslog")) return true;
    return false;
}

/* Functions that end the process (or the program's notion of it).  Not
 * pthread_exit or longjmp: a caller's lock may outlive those. */
static bool is_process_exit_name(const char *n)
{
    static const char *const names[] = {
        "_Exit", "__assert", "__assert_fail", "__assert_perror_fail", "__assert_rtn",
        "__builtin_abort", "__builtin_trap", "__builtin_unreachable", "_exit", "abort",
        "err", "errx", "exit", "ovs_abort", "ovs_abort_valist", "ovs_fatal",
        "ovs_fatal_valist", "quick_exit", "verr", "verrx",
    };
    if (!n) return false;
    return bsearch(&n, names, sizeof names / sizeof names[0], sizeof names[0], cmp_name) != NULL;
}

/* A call after which the branch does not go on: the process ends, or the
 * thread does, or control jumps elsewhere. */
static bool is_noreturn_call(const struct sl_expr *c)
{
    static const char *const names[] = {
        "longjmp", "pthread_exit", "raise", "siglongjmp", "thrd_exit",
    };
    if (!c->name) return false;
    return is_process_exit_name(c->name) ||
           bsearch(&c->name, names, sizeof names / sizeof names[0], sizeof names[0], cmp_name);
}

/* Does statement s (a branch) leave: return, goto, break, or a noreturn call? */
static bool branch_leaves(const struct sl_stmt *s)
{
    if (!s) return false;
    switch (s->kind) {
    case SL_ST_RETURN: case SL_ST_GOTO: case SL_ST_BREAK: case SL_ST_CONTINUE:
        return true;
    case SL_ST_EXPR:
        return s->expr && s->expr->kind == SL_EX_CALL && is_noreturn_call(s->expr);
    case SL_ST_BLOCK:
        for (uint32_t i = 0; i < s->n_kids; i++)
            if (branch_leaves(s->kids[i])) return true;
        return false;
    case SL_ST_IF:
        return branch_leaves(s->kids[0]) && branch_leaves(s->kids[1]);
    default:
        return false;
    }
}

static bool mentions_word(const struct sl_expr *e, const char *const *words)
{
    if (!e) return false;
    if (e->name)
        for (const char *const *w = words; *w; w++)
            if (strstr(e->name, *w)) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (mentions_word(e->kids[i], words)) return true;
    return false;
}

/* A diagnostic print on a cold path: debug output behind a verbosity test
 * (`if (settings.verbose > 1) fprintf(stderr, ...)`), or in an if/else
 * branch (or a switch case / labelled cleanup) that then returns an error
 * or aborts. */
/* `rc < 0`, `rc == -1`: a test for a failed call. */
static bool tests_failure(const struct sl_expr *e)
{
    if (!e || e->kind != SL_EX_BINARY || e->n_kids != 2) return false;
    const struct sl_expr *r = e->kids[1];
    bool minus_one = (r->kind == SL_EX_INT && r->has_value && r->ival == -1) ||
                     (r->kind == SL_EX_UNARY && r->op == SL_U_MINUS && r->n_kids &&
                      r->kids[0]->kind == SL_EX_INT && r->kids[0]->has_value && r->kids[0]->ival == 1);
    if (e->op == SL_B_LT) return r->kind == SL_EX_INT && r->has_value && r->ival == 0;
    if (e->op == SL_B_EQ) return minus_one;
    return false;
}

static bool on_cold_error_path(const struct sl_expr *c)
{
    static const char *const debug_words[] = {
        "verbose", "debug", "DEBUG", "Debug", "trace", "TRACE", "log_level", "loglevel", NULL,
    };
    if (!is_diagnostic_print(c)) return false;
    const struct sl_stmt *s = c->stmt;
    for (const struct sl_stmt *p = s ? s->parent : NULL; p; p = p->parent)
        if (p->kind == SL_ST_IF && mentions_word(p->expr, debug_words)) return true;
    for (const struct sl_stmt *p = s ? s->parent : NULL, *child = s; p; child = p, p = p->parent) {
        if (p->kind == SL_ST_IF && (p->kids[0] == child || p->kids[1] == child))
            /* the branch leaves, or it reports a failed call: `if (rc < 0)
             * perror(...)` before a later check aborts (libuv) */
            return branch_leaves(child) || (p->kids[0] == child && tests_failure(p->expr));
        if (p->kind == SL_ST_LABEL || p->kind == SL_ST_CASE || p->kind == SL_ST_DEFAULT)
            return true;
        if (sl_stmt_is_loop(p) || p->kind == SL_ST_SWITCH) return false;
    }
    return false;
}

static bool mentions_once(const struct sl_expr *e)
{
    if (!e) return false;
    if ((e->kind == SL_EX_CALL || e->kind == SL_EX_REF || e->kind == SL_EX_MEMBER) &&
        e->name && strstr(e->name, "once"))
        return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (mentions_once(e->kids[i])) return true;
    return false;
}

/* The `if`s of a function that test a once flag, found once per function
 * (not per call: a long function has many calls). */
struct once_ifs { const struct sl_stmt **v; uint32_t n; bool done; };

/* Does e read a global or static variable the function writes? */
static bool reads_written_static(const struct sl_expr *e, const struct sl_pmap *written)
{
    if (!e) return false;
    if (e->kind == SL_EX_REF && e->var && sl_pmap_get(written, SL_PKEY(e->var), 0) == (void *)1)
        return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (reads_written_static(e->kids[i], written)) return true;
    return false;
}

/* A lazy initialisation: `if (default_loop_ptr != NULL) return
 * default_loop_ptr; uv_loop_init(...); default_loop_ptr = &loop;` (or
 * `if (!inited) { ...; inited = 1; }`): the test reads a global or static
 * the function itself sets, so what it guards runs on the first call only. */
static bool is_lazy_init_if(const struct sl_stmt *s, const struct sl_pmap *written)
{
    return s->kind == SL_ST_IF && s->expr && written->n && reads_written_static(s->expr, written);
}

/* Is c after `if (!ovsthread_once_start(&once)) return;`, or inside an if
 * that tests a once flag: code that runs once per process, not per call. */
static bool once_only(struct sl_arena *scratch, struct once_ifs *memo, const struct sl_expr *c)
{
    const struct sl_func *f = sl_expr_func(c);
    if (!f || !c->stmt) return false;
    struct once_ifs *oi = &memo[f->index];
    if (!oi->done) {
        oi->done = true;
        uint32_t cap = 0;
        struct sl_pmap written;          /* globals and statics f assigns */
        sl_pmap_init(&written, scratch);
        /* set only to "done" values (a non-zero constant, an address),
         * never back: a flag or pointer that records the first call */
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *x = f->exprs[i];
            const struct sl_expr *w = sl_expr_written_object(x);
            if (!w || w->kind != SL_EX_REF || !w->var ||
                !(w->var->kind == SL_VAR_GLOBAL || w->var->is_static))
                continue;
            const struct sl_expr *v = x->kind == SL_EX_ASSIGN && x->op == SL_B_ASSIGN &&
                                      x->n_kids == 2 ? x->kids[1] : NULL;
            bool done_value = v && ((v->kind == SL_EX_INT && v->has_value && v->ival != 0) ||
                                    (v->kind == SL_EX_UNARY && v->op == SL_U_ADDROF));
            void **slot = sl_pmap_slot(&written, SL_PKEY(w->var), 0);
            if (!*slot || *slot == (void *)1) *slot = (void *)(uintptr_t)(done_value ? 1 : 2);
        }
        for (uint32_t i = 0; i < f->n_stmts; i++) {
            const struct sl_stmt *s = f->stmts[i];
            if (s->kind != SL_ST_IF || (!mentions_once(s->expr) && !is_lazy_init_if(s, &written)))
                continue;
            if (oi->n == cap) {
                cap = cap ? cap * 2 : 4;
                oi->v = sl_arena_grow(scratch, oi->v, oi->n, cap, sizeof *oi->v);
            }
            oi->v[oi->n++] = s;
        }
    }
    for (uint32_t k = 0; k < oi->n; k++) {
        const struct sl_stmt *s = oi->v[k];
        if (s->index >= c->stmt->index) break;   /* pre-order: only ifs before c */
        const struct sl_stmt *p = c->stmt;
        while (p && p != s) p = p->parent;
        if (p || branch_leaves(s->kids[0])) return true;
    }
    return false;
}

struct chain {
    const struct sl_expr *calls[MAX_CHAIN];
    int n;
};

/* Per function, lazily: the control-flow summary of each statement and
 * whether the function can return normally after it (both by stmt index). */
struct func_paths {
    uint8_t *flow;             /* FL_* | FL_DONE */
    uint8_t *after;            /* 0 unknown, 1 no, 2 yes */
};

struct memo {
    const struct sl_rule_ctx *cx;
    int8_t *state;             /* 0 unknown, 1 in progress, 2 blocks, 3 does not */
    struct chain *chains;
    int8_t *noret;             /* per function: 0 unknown, 1 in progress, 2 returns, 3 never */
    int noret_depth;           /* nesting of func_never_returns */
    struct func_paths *paths;  /* per function */
    struct sl_pmap nonblock;   /* (field or variable, 0) -> non-blocking descriptor */
    struct sl_pmap connectless;   /* descriptors of netlink/datagram/raw sockets */
    struct once_ifs *once;     /* per function */
    int8_t *eagain;            /* per function: 0 unknown, 1 no, 2 tests errno for EAGAIN */
};

/* ---- paths that return ----
 *
 * A blocking call counts for a function's callers only when the function
 * can return normally after it: a call followed, on every path, by abort(),
 * exit(), an assertion failure or a same-file function that always ends in
 * one (a log-and-exit helper) ends the process, it does not block the
 * caller.  Decided structurally over the statement tree, conservatively
 * (goto counts as a way to return, infinite loops as ways to go on), with
 * every statement's summary computed once: linear in the function. */

enum { FL_FALLS = 1, FL_RET = 2, FL_BRK = 4, FL_CONT = 8, FL_DONE = 16 };

static bool func_never_returns(struct memo *mm, const struct sl_func *f);
static uint8_t stmt_flow(struct memo *mm, const struct sl_stmt *s);

/* Does evaluating e certainly end the process (a top-level noreturn call,
 * or one operand of a comma expression)? */
static bool expr_dies(struct memo *mm, const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_CALL)
        return is_process_exit_name(e->name) || (e->func && func_never_returns(mm, e->func));
    if (e->kind == SL_EX_BINARY && e->op == SL_B_COMMA && e->n_kids == 2)
        return expr_dies(mm, e->kids[0]) || expr_dies(mm, e->kids[1]);
    return false;
}

static struct func_paths *paths_of(struct memo *mm, const struct sl_func *f)
{
    if (!f || f->index >= mm->cx->model->n_funcs) return NULL;
    struct func_paths *fp = &mm->paths[f->index];
    if (!fp->flow && f->n_stmts) {
        fp->flow = sl_arena_alloc(mm->cx->scratch, f->n_stmts);
        fp->after = sl_arena_alloc(mm->cx->scratch, f->n_stmts);
        memset(fp->flow, 0, f->n_stmts);
        memset(fp->after, 0, f->n_stmts);
    }
    return fp->flow ? fp : NULL;
}

/* The memo slot of s in its function's table, or NULL (not indexed). */
static uint8_t *slot_of(struct memo *mm, const struct sl_stmt *s, bool after)
{
    const struct sl_func *f = s->func;
    struct func_paths *fp = paths_of(mm, f);
    if (!fp || s->index >= f->n_stmts || f->stmts[s->index] != s) return NULL;
    return after ? &fp->after[s->index] : &fp->flow[s->index];
}

static bool infinite_cond(const struct sl_stmt *s)
{
    if (s->kind == SL_ST_FOR && !s->expr) return true;
    return s->expr && s->expr->kind == SL_EX_INT && s->expr->has_value && s->expr->ival != 0;
}

/* How control can leave statement s entered at its start: FL_FALLS (off
 * its end), FL_RET (return, or goto: anywhere), FL_BRK / FL_CONT (a break /
 * continue to an enclosing loop or switch).  None: it ends the process. */
static uint8_t compute_flow(struct memo *mm, const struct sl_stmt *s)
{
    if (!s) return FL_FALLS;
    switch (s->kind) {
    case SL_ST_RETURN: case SL_ST_GOTO: return FL_RET;
    case SL_ST_BREAK: return FL_BRK;
    case SL_ST_CONTINUE: return FL_CONT;
    case SL_ST_EXPR: case SL_ST_DECL:
        return expr_dies(mm, s->expr) ? 0 : FL_FALLS;
    case SL_ST_BLOCK: {
        uint8_t acc = FL_FALLS;
        for (uint32_t i = 0; i < s->n_kids && (acc & FL_FALLS); i++) {
            uint8_t k = stmt_flow(mm, s->kids[i]);
            acc = (uint8_t)((acc & ~FL_FALLS) | k);
        }
        return acc;
    }
    case SL_ST_IF:
        return (uint8_t)(stmt_flow(mm, s->n_kids > 0 ? s->kids[0] : NULL) |
                         (s->n_kids > 1 && s->kids[1] ? stmt_flow(mm, s->kids[1]) : FL_FALLS));
    case SL_ST_WHILE: case SL_ST_FOR: case SL_ST_DO: {
        const struct sl_stmt *body = s->kind == SL_ST_FOR ? (s->n_kids > 1 ? s->kids[1] : NULL)
                                                          : (s->n_kids > 0 ? s->kids[0] : NULL);
        uint8_t b = stmt_flow(mm, body);
        uint8_t r = (uint8_t)(b & FL_RET);
        if (s->kind == SL_ST_DO && !infinite_cond(s)) {
            /* do { ...; abort(); } while (0): the body decides */
            if (b & (FL_FALLS | FL_BRK | FL_CONT)) r |= FL_FALLS;
        } else {
            r |= FL_FALLS;     /* the test fails, or it loops: go on (conservative) */
        }
        return r;
    }
    case SL_ST_SWITCH: {
        uint8_t b = stmt_flow(mm, s->n_kids ? s->kids[0] : NULL);
        return (uint8_t)(FL_FALLS | (b & (FL_RET | FL_CONT)));
    }
    case SL_ST_CASE: case SL_ST_DEFAULT: case SL_ST_LABEL:
        return stmt_flow(mm, s->n_kids ? s->kids[0] : NULL);
    case SL_ST_NULL: case SL_ST_ASM:
        return FL_FALLS;
    default: {
        uint8_t acc = FL_FALLS;
        for (uint32_t i = 0; i < s->n_kids; i++)
            if (s->kids[i]) acc |= stmt_flow(mm, s->kids[i]);
        return acc;
    }
    }
}

static uint8_t stmt_flow(struct memo *mm, const struct sl_stmt *s)
{
    if (!s) return FL_FALLS;
    uint8_t *m = slot_of(mm, s, false);
    if (m && *m) return (uint8_t)(*m & ~FL_DONE);
    uint8_t r = compute_flow(mm, s);
    if (m) *m = (uint8_t)(r | FL_DONE);
    return r;
}

/* A same-file function whose every path ends the process. */
static bool func_never_returns(struct memo *mm, const struct sl_func *f)
{
    if (!f || !f->body || f->index >= mm->cx->model->n_funcs) return false;
    int8_t *st = &mm->noret[f->index];
    if (*st == 1 || *st == 2) return false;   /* in progress (recursion): assume it returns */
    if (*st == 3) return true;
    if (mm->noret_depth >= MAX_NORET_DEPTH) return false;   /* bounded stack; conservative */
    *st = 1;
    mm->noret_depth++;
    bool never = stmt_flow(mm, f->body) == 0;
    mm->noret_depth--;
    *st = never ? 3 : 2;
    return never;
}

static bool returns_after(struct memo *mm, const struct sl_stmt *s);

static const struct sl_stmt *loop_body(const struct sl_stmt *l)
{
    return l->kind == SL_ST_FOR ? (l->n_kids > 1 ? l->kids[1] : NULL)
                                : (l->n_kids ? l->kids[0] : NULL);
}

/* A break (cont == false) or continue from inside s (inclusive) goes to the
 * nearest enclosing loop (or, for break, switch): can the function then
 * return? */
static bool jump_returns(struct memo *mm, const struct sl_stmt *s, bool cont)
{
    for (const struct sl_stmt *p = s; p; p = p->parent) {
        if (sl_stmt_is_loop(p))
            return cont ? (stmt_flow(mm, loop_body(p)) & FL_RET) || returns_after(mm, p)
                        : returns_after(mm, p);
        if (!cont && p->kind == SL_ST_SWITCH) return returns_after(mm, p);
    }
    return true;
}

/* Control enters statement x at its start: can the function return? */
static bool enters_returns(struct memo *mm, const struct sl_stmt *x)
{
    if (!x) return true;
    uint8_t fl = stmt_flow(mm, x);
    return (fl & FL_RET) || ((fl & FL_BRK) && jump_returns(mm, x->parent, false)) ||
           ((fl & FL_CONT) && jump_returns(mm, x->parent, true)) ||
           ((fl & FL_FALLS) && returns_after(mm, x));
}

/* A call in the expression of statement s (its condition, initialiser...)
 * has just returned: can the function return? */
static bool in_expr_returns(struct memo *mm, const struct sl_stmt *s)
{
    if (!s) return true;
    switch (s->kind) {
    case SL_ST_RETURN: return true;
    case SL_ST_EXPR: case SL_ST_DECL: return returns_after(mm, s);
    case SL_ST_IF:
        return enters_returns(mm, s->n_kids ? s->kids[0] : NULL) ||
               (s->n_kids > 1 && s->kids[1] ? enters_returns(mm, s->kids[1])
                                            : returns_after(mm, s));
    default:
        return (stmt_flow(mm, s) & FL_RET) || returns_after(mm, s);
    }
}

static bool is_kid(const struct sl_stmt *p, const struct sl_stmt *s)
{
    for (uint32_t i = 0; i < p->n_kids; i++)
        if (p->kids[i] == s) return true;
    return false;
}

/* Fill the after-memo of every statement of block b, last to first. */
static void fill_block(struct memo *mm, const struct sl_stmt *b)
{
    bool next = returns_after(mm, b);
    for (uint32_t i = b->n_kids; i-- > 0;) {
        const struct sl_stmt *k = b->kids[i];
        if (!k) continue;
        uint8_t *m = slot_of(mm, k, true);
        if (m) *m = next ? 2 : 1;
        /* after k's predecessor: control enters k */
        uint8_t fl = stmt_flow(mm, k);
        next = (fl & FL_RET) || ((fl & FL_BRK) && jump_returns(mm, b, false)) ||
               ((fl & FL_CONT) && jump_returns(mm, b, true)) || ((fl & FL_FALLS) && next);
    }
}

/* Statement s has completed normally: can the function return? */
static bool returns_after(struct memo *mm, const struct sl_stmt *s)
{
    uint8_t *m = slot_of(mm, s, true);
    if (m && *m) return *m == 2;
    const struct sl_stmt *p = s->parent;
    bool r;
    if (!p) {
        r = true;              /* the end of the function */
    } else if (!is_kid(p, s)) {
        r = in_expr_returns(mm, p);   /* the body of a ({ ... }) in p's expression */
    } else {
        switch (p->kind) {
        case SL_ST_BLOCK:
            fill_block(mm, p);
            if (m && *m) return *m == 2;
            r = true;
            break;
        case SL_ST_WHILE: case SL_ST_FOR: case SL_ST_DO:
            r = (stmt_flow(mm, loop_body(p)) & FL_RET) || returns_after(mm, p);
            break;
        case SL_ST_IF: case SL_ST_SWITCH: case SL_ST_CASE: case SL_ST_DEFAULT: case SL_ST_LABEL:
            r = returns_after(mm, p);
            break;
        default:
            r = true;
            break;
        }
    }
    if (m) *m = r ? 2 : 1;
    return r;
}

/* Can the function containing call c return normally after c? */
static bool call_may_return(struct memo *mm, const struct sl_expr *c)
{
    return in_expr_returns(mm, c->stmt);
}

/* ---- descriptors made non-blocking ----
 *
 * A wake-up write (a few bytes to a self-pipe or eventfd) to a descriptor
 * the file makes non-blocking cannot block.  Descriptors are keyed by the
 * field (s->efd, pool->wake_fd[1]: every object's field alike) or the
 * variable (a global, or a local of one function) they are stored in. */

#define SL_NONBLOCK_FLAG 04000   /* O_NONBLOCK, EFD_NONBLOCK, SOCK_NONBLOCK on Linux */

static bool sets_nonblock(const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_INT && e->has_value) return (e->ival & SL_NONBLOCK_FLAG) != 0;
    if (e->kind == SL_EX_BINARY && e->op == SL_B_OR && e->n_kids == 2)
        return sets_nonblock(e->kids[0]) || sets_nonblock(e->kids[1]);
    if (e->kind == SL_EX_REF && e->name && !e->var)
        return !strcmp(e->name, "O_NONBLOCK") || !strcmp(e->name, "EFD_NONBLOCK") ||
               !strcmp(e->name, "SOCK_NONBLOCK") || !strcmp(e->name, "O_NDELAY");
    return false;
}

/* The field or variable a descriptor expression is stored in, or NULL. */
static const void *fd_key(const struct sl_expr *e)
{
    while (e && (e->kind == SL_EX_INDEX ||
                 (e->kind == SL_EX_UNARY && (e->op == SL_U_ADDROF || e->op == SL_U_DEREF))) &&
           e->n_kids)
        e = e->kids[0];
    if (!e) return NULL;
    if (e->kind == SL_EX_MEMBER) return e->field;
    if (e->kind == SL_EX_REF) return e->var;
    return NULL;
}

/* Where the result of call c is stored: `x = c`, `T x = c`. */
static const void *assigned_key(const struct sl_expr *c)
{
    const struct sl_expr *p = c->parent;
    if (p && p->kind == SL_EX_ASSIGN && p->op == SL_B_ASSIGN && p->n_kids == 2 && p->kids[1] == c)
        return fd_key(p->kids[0]);
    if (!p && c->stmt && c->stmt->kind == SL_ST_DECL && c->stmt->expr == c) return c->stmt->var;
    return NULL;
}

static bool is_name(const struct sl_expr *c, const char *n)
{
    return c->name && !strcmp(c->name, n);
}

#define SL_AF_NETLINK 16
#define SL_SOCK_DGRAM 2
#define SL_SOCK_RAW 3

/* The value of a constant flags expression (`SOCK_DGRAM | SOCK_CLOEXEC`). */
static bool const_flags(const struct sl_expr *e, int64_t *v)
{
    if (!e) return false;
    if (e->kind == SL_EX_INT && e->has_value) { *v = e->ival; return true; }
    int64_t a, b;
    if (e->kind == SL_EX_BINARY && e->op == SL_B_OR && e->n_kids == 2 &&
        const_flags(e->kids[0], &a) && const_flags(e->kids[1], &b)) {
        *v = a | b;
        return true;
    }
    return false;
}

static void collect_nonblocking(struct memo *mm)
{
    const struct sl_model *m = mm->cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            if (!c->name) continue;
            const void *key = NULL;
            if (is_name(c, "pipe2") && sets_nonblock(sl_call_arg(c, 1)))
                key = fd_key(sl_call_arg(c, 0));
            else if (strstr(c->name, "nonblock") && c->n_kids >= 1)
                /* a project helper that says so: xpipe_nonblocking(fds),
                 * set_nonblocking(fd) */
                key = fd_key(sl_call_arg(c, 0));
            else if (is_name(c, "fcntl") && c->n_kids >= 3 &&
                     ((c->kids[1]->kind == SL_EX_INT && c->kids[1]->has_value &&
                       c->kids[1]->ival == 4 /* F_SETFL */) ||
                      (c->kids[1]->kind == SL_EX_REF && is_name(c->kids[1], "F_SETFL"))) &&
                     sets_nonblock(c->kids[2]))
                key = fd_key(c->kids[0]);
            else if (((is_name(c, "eventfd") || is_name(c, "socket") || is_name(c, "open") ||
                       is_name(c, "open64") ||
                       /* a project's socket wrapper: evutil_socket_(af, SOCK_DGRAM | NONBLOCK, 0) */
                       (strstr(c->name, "socket") && c->n_kids >= 2 && !(c->func && c->func->body))) &&
                      sets_nonblock(sl_call_arg(c, 1))) ||
                     ((is_name(c, "openat") || is_name(c, "openat64")) &&
                      sets_nonblock(sl_call_arg(c, 2))) ||
                     (is_name(c, "accept4") && sets_nonblock(sl_call_arg(c, 3))))
                key = assigned_key(c);
            if (key) *sl_pmap_slot(&mm->nonblock, SL_PKEY(key), 0) = (void *)1;
            /* a netlink, datagram or raw socket: connect() only records the
             * peer, it never waits for a handshake */
            int64_t dom = -1, type = -1;
            if (is_name(c, "socket") && c->n_kids >= 2 &&
                ((const_flags(c->kids[0], &dom) && dom == SL_AF_NETLINK) ||
                 (const_flags(c->kids[1], &type) &&
                  ((type & 0xf) == SL_SOCK_DGRAM || (type & 0xf) == SL_SOCK_RAW)))) {
                const void *k = assigned_key(c);
                if (k) {
                    void **slot = sl_pmap_slot(&mm->connectless, SL_PKEY(k), 0);
                    *slot = (void *)1;
                }
            }
        }
    }
    /* copies: `int fds[2]; pipe2(fds, O_NONBLOCK); pool->wake_w = fds[1];`
     * (a few rounds over the TU's assignments and initialisers) */
    for (int round = 0; round < 3 && mm->nonblock.n; round++) {
        bool changed = false;
        for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
            const struct sl_func *f = m->funcs[fi];
            for (uint32_t i = 0; i < f->n_exprs; i++) {
                const struct sl_expr *e = f->exprs[i];
                const void *to = NULL, *from = NULL;
                if (e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN && e->n_kids == 2) {
                    to = fd_key(e->kids[0]);
                    from = fd_key(e->kids[1]);
                } else if (!e->parent && e->stmt && e->stmt->kind == SL_ST_DECL &&
                           e->stmt->expr == e && e->kind != SL_EX_CALL) {
                    to = e->stmt->var;
                    from = fd_key(e);
                }
                if (!to || !from || to == from ||
                    !sl_pmap_get(&mm->nonblock, SL_PKEY(from), 0))
                    continue;
                void **slot = sl_pmap_slot(&mm->nonblock, SL_PKEY(to), 0);
                if (!*slot) { *slot = (void *)1; changed = true; }
            }
        }
        if (!changed) break;
    }
}

/* Socket and descriptor I/O that returns EAGAIN instead of waiting when
 * its descriptor is non-blocking. */
static bool is_fd_io_name(const char *n)
{
    static const char *const names[] = {
        "accept", "accept4", "read", "readv", "recv", "recvfrom", "recvmsg", "send", "sendmsg",
        "sendto", "write", "writev", NULL
    };
    for (size_t i = 0; n && names[i]; i++)
        if (!strcmp(n, names[i])) return true;
    return false;
}

static bool is_fd_io(const struct sl_expr *c)
{
    return is_fd_io_name(c->name) && c->n_kids >= 1;
}

/* Does e read errno (`*__errno_location()` after expansion, or a variable
 * set from it)? */
static bool reads_errno(const struct sl_expr *e, const struct sl_var *const *vars, uint32_t n)
{
    if (!e) return false;
    if (e->kind == SL_EX_CALL && e->name && !strcmp(e->name, "__errno_location")) return true;
    if (e->kind == SL_EX_REF && e->var)
        for (uint32_t i = 0; i < n; i++)
            if (vars[i] == e->var) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (reads_errno(e->kids[i], vars, n)) return true;
    return false;
}

#define SL_EAGAIN 11   /* EAGAIN == EWOULDBLOCK on Linux */

/* Does f test errno for EAGAIN / EWOULDBLOCK (`if (errno == EAGAIN)`,
 * libevent's EVUTIL_ERR_RW_RETRIABLE(err))?  Then its socket I/O is on
 * non-blocking descriptors: it expects "would block" as an answer. */
static bool handles_eagain(const struct sl_func *f)
{
    const struct sl_var *vars[8];
    uint32_t nv = 0;
    for (uint32_t i = 0; i < f->n_stmts && nv < 8; i++) {
        const struct sl_stmt *st = f->stmts[i];
        if (st->kind == SL_ST_DECL && st->var && st->expr && reads_errno(st->expr, vars, nv))
            vars[nv++] = st->var;
    }
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind == SL_EX_ASSIGN && x->op == SL_B_ASSIGN && x->n_kids == 2 &&
            x->kids[0]->kind == SL_EX_REF && nv < 8 && reads_errno(x->kids[1], vars, nv))
            vars[nv++] = x->kids[0]->var;
    }
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind != SL_EX_BINARY || (x->op != SL_B_EQ && x->op != SL_B_NE) || x->n_kids != 2)
            continue;
        for (int k = 0; k < 2; k++) {
            const struct sl_expr *v = x->kids[k], *o = x->kids[1 - k];
            if (v->kind == SL_EX_INT && v->has_value && v->ival == SL_EAGAIN && reads_errno(o, vars, nv))
                return true;
        }
    }
    return false;
}

/* handles_eagain, memoised per function. */
static bool func_handles_eagain(const struct memo *mm, const struct sl_func *f)
{
    if (!f || f->index >= mm->cx->model->n_funcs) return false;
    int8_t *st = &mm->eagain[f->index];
    if (!*st) *st = handles_eagain(f) ? 2 : 1;
    return *st == 2;
}

/* I/O that cannot block: a write of at most 8 bytes (a constant, or sizeof
 * a scalar) to a descriptor made non-blocking (a wake-up); or socket and
 * descriptor I/O in a function that tests errno for EAGAIN, which is
 * written for a descriptor that answers "would block" (libevent's evdns:
 * `r = sendto(...); if (r < 0 && EVUTIL_ERR_RW_RETRIABLE(err)) return 1;`). */
#define SL_MSG_DONTWAIT 0x40

/* Does e (a flags argument) include the bit, or choose it (`wait ? 0 : MSG_DONTWAIT`)? */
static bool may_set_flag(const struct sl_expr *e, int64_t bit)
{
    if (!e) return false;
    if (e->kind == SL_EX_INT && e->has_value) return (e->ival & bit) != 0;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (may_set_flag(e->kids[i], bit)) return true;
    return false;
}

static bool is_nonblocking_wakeup(const struct memo *mm, const struct sl_expr *c)
{
    /* connect() on a non-blocking socket returns EINPROGRESS; on a netlink,
     * datagram or raw socket it does not wait at all */
    if (is_name(c, "connect") && c->n_kids >= 1) {
        const void *key = fd_key(c->kids[0]);
        if (key && (sl_pmap_get(&mm->nonblock, SL_PKEY(key), 0) ||
                    sl_pmap_get(&mm->connectless, SL_PKEY(key), 0)))
            return true;
    }
    if (!is_fd_io(c)) return false;
    /* send/recv with MSG_DONTWAIT in their flags (Open vSwitch's netlink
     * sockets: recvmsg(fd, &msg, wait ? 0 : MSG_DONTWAIT)) */
    if (c->name && (!strncmp(c->name, "recv", 4) || !strncmp(c->name, "send", 4)) && c->n_kids >= 3 &&
        may_set_flag(c->kids[c->n_kids - (strstr(c->name, "to") || strstr(c->name, "from") ? 3 : 1)],
                     SL_MSG_DONTWAIT))
        return true;
    /* reading a non-blocking descriptor (draining a wake-up pipe) */
    if ((is_name(c, "read") || !strncmp(c->name, "recv", 4)) && mm->nonblock.n) {
        const void *key = fd_key(c->kids[0]);
        if (key && sl_pmap_get(&mm->nonblock, SL_PKEY(key), 0)) return true;
    }
    if (is_name(c, "write") && c->n_kids == 3 && mm->nonblock.n) {
        const struct sl_expr *n = c->kids[2];
        const void *key = fd_key(c->kids[0]);
        if ((n->kind == SL_EX_INT || n->kind == SL_EX_SIZEOF) && n->has_value && n->ival > 0 &&
            n->ival <= 8 && key && sl_pmap_get(&mm->nonblock, SL_PKEY(key), 0))
            return true;
    }
    return func_handles_eagain(mm, sl_expr_func(c));
}

/* Does the function making the call, or one on the way to the I/O, test
 * errno for EAGAIN? */
static bool chain_expects_eagain(const struct memo *mm, const struct sl_func *f,
                                 const struct chain *ch)
{
    if (func_handles_eagain(mm, f)) return true;
    for (int k = 0; k < ch->n; k++)
        if (func_handles_eagain(mm, sl_expr_func(ch->calls[k]))) return true;
    return false;
}

static bool call_blocks_direct(struct memo *mm, const struct sl_expr *c)
{
    const struct sl_rule_ctx *cx = mm->cx;
    enum sl_lockop op = sl_call_lockop(cx->flow, c);
    if (op != SL_OP_NONE && op != SL_OP_SEM_WAIT) return false;
    if (!sl_opt_bool(cx->opts, cx->rule, "report_cold_diagnostics") && on_cold_error_path(c))
        return false;
    if (!is_blocking_name(cx, c->name) && !is_big_format(c)) return false;
    if (is_nonblocking_wakeup(mm, c)) return false;
    if (!call_may_return(mm, c)) return false;
    return !once_only(cx->scratch, mm->once, c);
}

/* The blocking call f makes, directly or through same-TU callees, on a path
 * from which f can return normally. */
static bool func_blocks(struct memo *mm, const struct sl_func *f, struct chain *out, int depth)
{
    const struct sl_rule_ctx *cx = mm->cx;
    if (f->index >= cx->model->n_funcs || !f->body) return false;
    int8_t *st = &mm->state[f->index];
    if (*st == 2) { *out = mm->chains[f->index]; return true; }
    if (*st == 1 || *st == 3 || depth >= MAX_CHAIN - 1) return false;
    *st = 1;
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        struct chain sub = {0};
        enum sl_lockop op = sl_call_lockop(cx->flow, c);
        if (call_blocks_direct(mm, c) && op != SL_OP_SEM_WAIT) {
            sub.calls[0] = c;
            sub.n = 1;
        } else if (c->func && c->func != f && op == SL_OP_NONE && call_may_return(mm, c) &&
                   !once_only(cx->scratch, mm->once, c) &&
                   func_blocks(mm, c->func, &sub, depth + 1) && sub.n < MAX_CHAIN) {
            memmove(&sub.calls[1], &sub.calls[0], (size_t)sub.n * sizeof sub.calls[0]);
            sub.calls[0] = c;
            sub.n++;
        } else {
            continue;
        }
        mm->chains[f->index] = sub;
        *st = 2;
        *out = sub;
        return true;
    }
    *st = 3;
    return false;
}

/* Calls that are never an output lock's job: sleeping, joining, waiting
 * for a semaphore, a peer or a child, flushing to disk, connecting.  Under
 * any lock they are reported, whatever else its sections do. */
static bool never_a_locks_job(const char *n)
{
    static const char *const names[] = {
        "accept", "accept4", "clock_nanosleep", "connect", "epoll_pwait", "epoll_wait",
        "fdatasync", "fsync", "msync", "nanosleep", "pause", "poll", "ppoll", "pselect",
        "pthread_join", "pthread_timedjoin_np", "recv", "recvfrom", "recvmmsg", "recvmsg",
        "select", "sem_clockwait", "sem_timedwait", "sem_wait", "sleep", "sync", "syncfs",
        "thrd_join", "thrd_sleep", "usleep", "wait", "waitid", "waitpid", NULL
    };
    for (size_t i = 0; n && names[i]; i++)
        if (!strcmp(n, names[i])) return true;
    return false;
}

struct section { const struct sl_expr *site; const char *cls; bool io; };

/* f returns holding the lock that site acquired (an acquire wrapper such as
 * ovs_replay_lock): the critical section is its callers'. */
static bool exports_lock(const struct sl_flow *fl, const struct sl_func *f,
                         const struct sl_expr *site)
{
    if (f->acquires_annotation) return true;
    const struct sl_func_flow *ff = sl_func_flow(fl, f);
    if (!ff->n_exits) return false;
    for (uint32_t i = 0; i < ff->n_exits; i++) {
        const struct sl_lockset *m = ff->exits[i].must;
        bool held = false;
        for (uint32_t k = 0; k < sl_lockset_size(m); k++)
            if (m->items[k].site == site) held = true;
        if (!held) return false;
    }
    return true;
}

/* The critical sections of the TU, each once by (acquiring site, class),
 * and per lock class whether every one of them does blocking work. */
struct sections {
    struct sl_pmap by_site;    /* (site, cls) -> struct section */
    struct sl_pmap by_class;   /* (cls, 0) -> struct class_io */
};
struct class_io {
    bool all_io;               /* every section does blocking I/O */
    bool guards_state;         /* a section writes state that code outside them touches */
    const struct sl_func *carrier;   /* a function with one of its sections */
    const struct sl_lockref *lock;
};

static struct section *section_at(struct sl_rule_ctx *cx, struct sections *ss,
                                  const struct sl_expr *site, const char *cls)
{
    void **slot = sl_pmap_slot(&ss->by_site, SL_PKEY(site), SL_PKEY(cls));
    if (!*slot) {
        struct section *sec = sl_arena_alloc(cx->scratch, sizeof *sec);
        *sec = (struct section){ site, cls, false };
        *slot = sec;
        void **c = sl_pmap_slot(&ss->by_class, SL_PKEY(cls), 0);
        if (!*c) {
            struct class_io *io = sl_arena_alloc(cx->scratch, sizeof *io);
            io->all_io = true;
            io->carrier = sl_expr_func(site);
            *c = io;
        }
    }
    return *slot;
}

/* A lock whose job is to serialise output: every critical section of it
 * in this TU does blocking I/O, and it guards no other state (what its
 * sections write, a sequence number, connection state, a counter, nothing
 * outside them reads or writes). */
static bool is_output_lock(const struct sections *ss, const char *cls)
{
    const struct class_io *io = sl_pmap_get(&ss->by_class, SL_PKEY(cls), 0);
    return io && io->all_io && !io->guards_state;
}

/* The shared object an access names (a field of any instance, a global). */
static const void *object_key(const struct sl_expr *e)
{
    if (!e) return NULL;
    if (e->kind == SL_EX_MEMBER && e->field) return e->field;
    if (e->kind == SL_EX_REF && e->var && (e->var->kind == SL_VAR_GLOBAL || e->var->is_static))
        return e->var;
    return NULL;
}

/* For each all-I/O lock class: do its sections write an object that code
 * outside its sections (another lock's, or none) also touches?  Two passes
 * over the expressions: the objects written inside, then the accesses
 * outside.  FILE* and descriptors written by the output calls themselves
 * are arguments, not writes, and do not count. */
static void mark_guarded_state(struct sl_rule_ctx *cx, struct sections *ss)
{
    const struct sl_model *m = cx->model;
    struct sl_pmap written;                  /* object -> class_io of the writer */
    sl_pmap_init(&written, cx->scratch);
    /* the classes held at e: its own and those every caller of its (static)
     * function holds, so a helper called only under the lock counts as
     * inside its sections */
    const char *cls[16];
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *w = sl_expr_written_object(f->exprs[i]);
            const void *key = object_key(w);
            if (!key) continue;
            uint32_t n = sl_facts_held_classes(cx->facts, f->exprs[i], cls, 16);
            for (uint32_t h = 0; h < n; h++) {
                struct class_io *io = sl_pmap_get(&ss->by_class, SL_PKEY(cls[h]), 0);
                if (!io || !io->all_io) continue;
                void **slot = sl_pmap_slot(&written, SL_PKEY(key), 0);
                if (*slot && *slot != io) {
                    /* two locks' sections write it: each guards state the
                     * other's sections touch */
                    ((struct class_io *)*slot)->guards_state = true;
                    io->guards_state = true;
                } else {
                    *slot = io;
                }
            }
        }
    }
    if (!written.n) return;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *e = f->exprs[i];
            const void *key = object_key(e);
            struct class_io *io = key ? sl_pmap_get(&written, SL_PKEY(key), 0) : NULL;
            if (!io || io->guards_state) continue;
            uint32_t n = sl_facts_held_classes(cx->facts, e, cls, 16);
            bool inside = false;
            for (uint32_t h = 0; h < n && !inside; h++)
                inside = sl_pmap_get(&ss->by_class, SL_PKEY(cls[h]), 0) == io;
            if (!inside && !sl_is_setup_function(cx->facts, f)) io->guards_state = true;
        }
    }
}

/* Acquisition sites lock-flow recorded anywhere (a sem_wait that is a lock
 * shows up as the site of a held lock). */
static void collect_acquired_sites(const struct sl_rule_ctx *cx, struct sl_pmap *sites)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t j = 0; j < f->n_exprs; j++) {
            const struct sl_lockset *may = sl_held_may(cx->flow, f->exprs[j]);
            for (uint32_t k = 0; k < sl_lockset_size(may); k++)
                *sl_pmap_slot(sites, SL_PKEY(may->items[k].site), SL_PKEY(may->items[k].lock)) =
                    (void *)1;
        }
    }
}

/* Has x's function released lock class cls, which it had not taken (its
 * caller's), before x, and not taken it again at x?  `reap()` drops the
 * pool lock its caller holds around each pthread_join: the join does not
 * run under that lock. */
static bool dropped_before(const struct sl_flow *fl, const struct sl_expr *x, const char *cls)
{
    const struct sl_func *f = sl_expr_func(x);
    if (!f || f->index == UINT32_MAX) return false;
    const struct sl_func_flow *ff = sl_func_flow(fl, f);
    for (uint32_t i = 0; i < ff->n_events; i++) {
        const struct sl_flow_event *ev = &ff->events[i];
        if (ev->kind == SL_EV_UNLOCK_NOT_HELD && ev->lock && ev->lock->cls == cls &&
            ev->call->index < x->index && !sl_lockset_find_class(sl_held_may(fl, x), cls))
            return true;
    }
    return false;
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    size_t nf = m->n_funcs ? m->n_funcs : 1;
    struct memo mm = {
        .cx = cx,
        .state = sl_arena_alloc(cx->scratch, nf),
        .chains = sl_arena_alloc(cx->scratch, nf * sizeof(struct chain)),
        .noret = sl_arena_alloc(cx->scratch, nf),
        .paths = sl_arena_alloc(cx->scratch, nf * sizeof(struct func_paths)),
        .once = sl_arena_alloc(cx->scratch, nf * sizeof(struct once_ifs)),
        .eagain = sl_arena_alloc(cx->scratch, nf),
    };
    memset(mm.state, 0, nf);
    memset(mm.noret, 0, nf);
    memset(mm.paths, 0, nf * sizeof(struct func_paths));
    sl_pmap_init(&mm.nonblock, cx->scratch);
    sl_pmap_init(&mm.connectless, cx->scratch);
    collect_nonblocking(&mm);
    /* For callers in other files: which functions of this TU may block on a
     * path that returns, with the calls that show it (read by check_project). */
    if (cx->exports)
        for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
            const struct sl_func *f = m->funcs[fi];
            struct chain ch = {0};
            if (!f->is_static && f->body && func_blocks(&mm, f, &ch, 0))
                sl_export_fact(cx, f, "blocks", ch.calls, (uint32_t)ch.n);
            /* its socket I/O through helpers of other files is non-blocking */
            if (f->body && func_handles_eagain(&mm, f)) sl_export_fact(cx, f, "expects-eagain", NULL, 0);
            /* calls into other files it makes on its first run only (lazy
             * initialisation): the project pass does not follow them */
            if (f->body && !f->is_static) {
                const char *once_calls[8];
                uint32_t n_once = 0;
                for (uint32_t i = 0; i < f->n_calls && n_once < 8; i++) {
                    const struct sl_expr *c = f->calls[i];
                    if (c->name && (!c->func || !c->func->body) &&
                        sl_call_lockop(fl, c) == SL_OP_NONE && once_only(cx->scratch, mm.once, c))
                        once_calls[n_once++] = c->name;
                }
                if (n_once) sl_export_fact_args(cx, f, "once-calls", NULL, 0, once_calls, n_once);
            }
        }
    /* Pass 1: every critical section (lock class, acquiring site) in the TU,
     * and whether it does blocking work. */
    struct sections ss;
    sl_pmap_init(&ss.by_site, cx->scratch);
    sl_pmap_init(&ss.by_class, cx->scratch);
    struct chain *found = sl_arena_alloc(cx->scratch, sizeof *found);
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            struct chain ch = {0};
            const struct sl_lockset *held = sl_held_must(fl, c);
            bool blocks = call_blocks_direct(&mm, c) ||
                          (c->func && sl_call_lockop(fl, c) == SL_OP_NONE &&
                           call_may_return(&mm, c) && func_blocks(&mm, c->func, &ch, 0));
            for (uint32_t h = 0; h < sl_lockset_size(held); h++) {
                const struct sl_held *hd = &held->items[h];
                if (hd->site && exports_lock(fl, f, hd->site)) continue;
                struct section *sec = section_at(cx, &ss, hd->site, hd->lock->cls);
                if (blocks) sec->io = true;
                struct class_io *cio = sl_pmap_get(&ss.by_class, SL_PKEY(hd->lock->cls), 0);
                if (!cio->lock) cio->lock = hd->lock;
            }
        }
        /* sections with no call inside at all (acquire wrappers excluded:
         * their section continues in the caller) */
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(fl, c);
            if (!sl_lockop_acquires(op->op) || !op->lock) continue;
            if (exports_lock(fl, f, c)) continue;
            section_at(cx, &ss, c, op->lock->cls);
        }
    }
    for (uint32_t i = 0; i < ss.by_site.cap; i++) {
        const struct section *sec = ss.by_site.slots[i].v;
        if (!sec || sec->io) continue;
        struct class_io *io = sl_pmap_get(&ss.by_class, SL_PKEY(sec->cls), 0);
        io->all_io = false;
    }
    mark_guarded_state(cx, &ss);
    /* For the whole program: this file's output locks, so that a call into
     * another file made under one of them is judged as here. */
    if (cx->exports) {
        const char **keys = NULL;
        const struct sl_func **carriers = NULL;
        size_t n_keys = 0;
        if (ss.by_class.n) {
            keys = sl_arena_alloc(cx->scratch, ss.by_class.n * sizeof *keys);
            carriers = sl_arena_alloc(cx->scratch, ss.by_class.n * sizeof *carriers);
        }
        for (uint32_t i = 0; i < ss.by_class.cap; i++) {
            const struct class_io *io = ss.by_class.slots[i].v;
            if (!io || !io->all_io || io->guards_state || !io->lock || !io->carrier) continue;
            keys[n_keys] = sl_summary_lock_class(cx->scratch, m->main_file, io->lock);
            carriers[n_keys++] = io->carrier;
        }
        /* in the order of the keys, not of the hash table: the summary is
         * the same in every run */
        for (size_t i = 1; i < n_keys; i++)
            for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
                const char *k = keys[j]; keys[j] = keys[j - 1]; keys[j - 1] = k;
                const struct sl_func *c = carriers[j]; carriers[j] = carriers[j - 1]; carriers[j - 1] = c;
            }
        for (size_t i = 0; i < n_keys; i++)
            sl_export_fact_args(cx, carriers[i], "output-lock", NULL, 0, &keys[i], 1);
    }
    struct sl_pmap acquired;
    sl_pmap_init(&acquired, cx->scratch);
    collect_acquired_sites(cx, &acquired);

    /* Pass 2: report blocking calls under a lock that is not an I/O lock. */
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_lockset *held = sl_held_must(fl, c);
            const struct sl_call_op *op = sl_call_op(fl, c);
            if (!sl_lockset_size(held)) continue;
            struct chain ch = {0};
            bool wait_other = false;
            if (op->op == SL_OP_WAIT || op->op == SL_OP_TIMEDWAIT) {
                /* Waiting releases its own mutex, not the others held. */
                wait_other = true;
            } else if (op->op == SL_OP_SEM_WAIT) {
                /* a semaphore used as a lock is a nested acquisition, not a wait */
                bool is_lock = op->lock && sl_pmap_get(&acquired, SL_PKEY(c), SL_PKEY(op->lock));
                if (is_lock || !call_blocks_direct(&mm, c)) continue;
                ch.calls[0] = c;
                ch.n = 1;
            } else if (call_blocks_direct(&mm, c)) {
                ch.calls[0] = c;
                ch.n = 1;
            } else if (c->func && op->op == SL_OP_NONE && call_may_return(&mm, c) &&
                       func_blocks(&mm, c->func, found, 0)) {
                ch.calls[0] = c;
                ch.n = 1;
                for (int k = 0; k < found->n && ch.n < MAX_CHAIN; k++) ch.calls[ch.n++] = found->calls[k];
                /* socket I/O deep in a chain whose caller handles EAGAIN
                 * (evdns: server_port_flush -> server_send_response -> sendto) */
                if (is_fd_io(ch.calls[ch.n - 1]) && chain_expects_eagain(&mm, f, &ch)) continue;
            } else {
                continue;
            }
            /* Which held locks matter: not output locks, unless the call
             * sleeps, joins or waits (never an output lock's job); for
             * waits, not the waited-on mutex. */
            const struct sl_held *culprit = NULL;
            bool always = wait_other || never_a_locks_job(ch.calls[ch.n - 1]->name);
            for (uint32_t h = 0; h < held->n && !culprit; h++) {
                const struct sl_held *hd = &held->items[h];
                if (wait_other && op->lock && hd->lock->cls == op->lock->cls) continue;
                if (!always && (is_output_lock(&ss, hd->lock->cls) ||
                                sl_is_declared_io_lock(cx->opts, hd->lock->cls, hd->lock->text)))
                    continue;
                bool dropped = false;
                for (int k = 1; k < ch.n && !dropped; k++)
                    dropped = dropped_before(fl, ch.calls[k], hd->lock->cls);
                if (dropped) continue;
                culprit = hd;
            }
            if (!culprit) continue;
            struct sl_diag *d;
            if (wait_other) {
                d = sl_report(cx, c->loc,
                    "'%s' blocks while '%s' is still held: the wait releases only '%s', so every "
                    "thread that needs '%s' waits for the signal too",
                    c->name ? c->name : "wait", culprit->lock->text,
                    op->lock ? op->lock->text : "its mutex", culprit->lock->text);
            } else if (ch.n == 1) {
                d = sl_report(cx, c->loc,
                    "'%s' may block while '%s' is held: every thread that needs the lock waits "
                    "for this call too", c->name, culprit->lock->text);
            } else {
                const struct sl_expr *last = ch.calls[ch.n - 1];
                d = sl_report(cx, c->loc,
                    "'%s' calls '%s', which may block, while '%s' is held: every thread that "
                    "needs the lock waits for it too", c->name, last->name, culprit->lock->text);
            }
            sl_note_held(cx, d, culprit);
            for (int k = 1; k < ch.n; k++) {
                const struct sl_expr *via = ch.calls[k];
                const struct sl_func *in = sl_expr_func(via);
                sl_note(cx, d, via->loc, "'%s' calls '%s' here", in ? in->name : "?", via->name);
            }
            sl_note_text(cx, d, "narrow the critical section: copy what is needed under the "
                         "lock, unlock, then do the slow call");
        }
    }

}

#define PROJECT_HOPS 2   /* calls between files followed after the first */

/* The chain by which fn (or a function it calls in another file, up to
 * PROJECT_HOPS deep) may block; NULL if none is known. */
static const struct sl_sum_fact *fn_blocks(const struct sl_project *p, const struct sl_pfn *fn,
                                           int depth, const struct sl_sum_chain_step **hop)
{
    const struct sl_sum_fact *fa = sl_pfn_fact(fn, "lock-held-across-blocking-call", "blocks");
    if (fa || depth >= PROJECT_HOPS) return fa;
    const struct sl_sum_fact *once = sl_pfn_fact(fn, "lock-held-across-blocking-call", "once-calls");
    for (uint32_t k = 0; k < fn->n_ext_calls; k++) {
        bool first_run_only = false;
        for (uint32_t a = 0; once && a < once->n_args && !first_run_only; a++)
            first_run_only = !strcmp(once->args[a], fn->ext_calls[k].callee);
        if (first_run_only) continue;
        const struct sl_pfn *g = sl_project_resolve(p, fn->tu, fn->ext_calls[k].callee);
        const struct sl_sum_chain_step *sub = NULL;
        if (!g || g == fn) continue;
        fa = fn_blocks(p, g, depth + 1, &sub);
        if (fa) { *hop = &fn->ext_calls[k]; return fa; }
    }
    return NULL;
}

/* Logging: a log call under a lock is the diagnostics case of RULES.md
 * (reported in a file only on hot paths it can see), not a blocking helper. */
static bool is_logging_name(const char *n)
{
    static const char *const words[] = {
        "log", "vlog", "syslog", "warn", "warning", "err", "error", "debug", "trace", "notice",
        "info", "verbose", "print", "printf", "fatal", "abort", "panic", "report", NULL
    };
    return n && sl_name_has_word(n, words);
}

static bool chain_logs(const struct sl_pcall *c, const struct sl_sum_fact *fa,
                       const struct sl_sum_chain_step *hop)
{
    if (is_logging_name(c->callee) || is_logging_name(c->at.func)) return true;
    if (hop && is_logging_name(hop->callee)) return true;
    for (uint32_t k = 0; k < fa->n_chain; k++)
        if (is_logging_name(fa->chain[k].callee) || is_logging_name(fa->chain[k].at.func)) return true;
    return false;
}

/* Calls made under a lock to functions defined in another file that may
 * block there: the per-TU check cannot see into them. */
static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    /* lock ids that some file showed to be output locks */
    bool *output = sl_arena_alloc(cx->scratch, (p->n_locks ? p->n_locks : 1) * sizeof *output);
    for (uint32_t i = 0; i < p->n_fns; i++)
        for (uint32_t k = 0; k < p->fns[i].n_facts; k++) {
            const struct sl_sum_fact *fa = &p->fns[i].facts[k];
            uint32_t id;
            if (!strcmp(fa->rule, cx->rule->id) && !strcmp(fa->what, "output-lock") &&
                fa->n_args == 1 && sl_strmap_get(p->lock_ids, fa->args[0], &id) && id < p->n_locks)
                output[id] = true;
        }
    for (uint32_t i = 0; i < p->n_calls; i++) {
        const struct sl_pcall *c = &p->calls[i];
        const struct sl_pfn *fn = sl_project_resolve(p, c->tu, c->callee);
        if (!fn || !strcmp(p->tus[fn->tu], p->tus[c->tu])) continue;   /* same file: check() */
        const struct sl_sum_chain_step *hop = NULL;
        const struct sl_sum_fact *fa = fn_blocks(p, fn, 0, &hop);
        if (!fa || !fa->n_chain || chain_logs(c, fa, hop)) continue;
        /* accept4 / recv in another file, called by a function written for
         * "would block" (listener_read_cb: accept until EAGAIN) */
        const struct sl_pfn *caller = c->at.func ? sl_project_resolve(p, c->tu, c->at.func) : NULL;
        if (sl_pfn_fact(caller, "lock-held-across-blocking-call", "expects-eagain") &&
            is_fd_io_name(fa->chain[fa->n_chain - 1].callee))
            continue;
        const struct sl_pheld *culprit = NULL;
        bool always = never_a_locks_job(fa->chain[fa->n_chain - 1].callee);
        for (uint32_t h = 0; h < c->n_held && !culprit; h++)
            if (always || !(output[c->held[h].lock] ||
                            sl_is_declared_io_lock(cx->opts, p->locks[c->held[h].lock].cls,
                                                   p->locks[c->held[h].lock].text)))
                culprit = &c->held[h];
        if (!culprit) continue;
        const char *lock = p->locks[culprit->lock].text;
        const struct sl_sum_chain_step *last = &fa->chain[fa->n_chain - 1];
        struct sl_diag *d = sl_preport(cx, &c->at,
            "'%s' (defined in another file) calls '%s', which may block, while '%s' is held: "
            "every thread that needs the lock waits for it too", c->callee, last->callee, lock);
        sl_pset_identity(cx, d, p->locks[culprit->lock].cls);
        sl_pnote(cx, d, &culprit->at, "'%s' acquired here", lock);
        if (hop) sl_pnote(cx, d, &hop->at, "'%s' calls '%s' here", c->callee, hop->callee);
        for (uint32_t k = 0; k < fa->n_chain; k++) {
            const struct sl_sum_chain_step *st = &fa->chain[k];
            sl_pnote(cx, d, &st->at, "'%s' calls '%s' here%s", st->at.func ? st->at.func : "?",
                     st->callee, k + 1 < fa->n_chain ? "" : ", which may block");
        }
        sl_pnote_text(cx, d, "narrow the critical section: copy what is needed under the "
                      "lock, unlock, then do the slow call");
    }
}

static const struct sl_rule_option options[] = {
    { "report_cold_diagnostics", SL_OPT_BOOL, "false",
      "also report fprintf(stderr)/perror/syslog on a cold error path under a lock" },
    { NULL, 0, NULL, NULL },
};

const struct sl_rule sl_rule_lock_held_across_blocking_call = {
    .id = "lock-held-across-blocking-call",
    .tier = 1,
    .precision = "very-high",   /* docs/precision.md: 36/36 on four code bases (libuv first run 4/7, fixed) */
    .summary = "blocking or slow call (I/O, sleep, join, wait) made while a lock is held",
    .replacement = "copy what is needed under the lock, unlock, then do the slow call",
    .what =
        "A call made while a lock is held (on every path to the call) to a function that\n"
        "blocks or is slow: file and socket I/O (read, write, send, recv, fprintf, printf,\n"
        "fwrite, fflush, fsync, open, fopen...), sleeping (sleep, usleep, nanosleep), waiting\n"
        "(pthread_join, sem_wait, poll, select, epoll_wait, waitpid), process and network\n"
        "set-up (system, popen, getaddrinfo, connect, accept) and serialisers (cJSON_Print*,\n"
        "json_dumps, snprintf into buffers of 4 KiB or more), and the project's own blocking\n"
        "functions given with --blocking=NAME. A call to a function of the same file that\n"
        "itself (transitively) makes such a call counts too, and so does a call to a function\n"
        "defined in another file of the run that may block there (through up to two more\n"
        "files); the chain is shown in notes. A condition wait holding a second lock besides\n"
        "its own mutex is reported.\n"
        "Not reported: pthread_cond_wait on the held mutex (it releases it), calls after the\n"
        "unlock, locks whose job is to serialise output (every critical section of the lock\n"
        "in the file does I/O, and what they write - a sequence number, connection state, a\n"
        "counter - nothing outside them reads or writes; a lock's name proves nothing), though\n"
        "sleeps, joins, semaphore waits, receives, accept, poll, fsync and connect are never an\n"
        "output lock's job and are reported under any lock, fprintf(stderr)\n"
        "or perror on a cold error path that then returns, jumps to cleanup or aborts (unless\n"
        "the option report_cold_diagnostics is set), calls\n"
        "on a path that always ends the process (abort, exit, an assertion failure, a helper\n"
        "of the file that always exits: a failed check that prints and aborts), and a write\n"
        "of at most 8 bytes to a descriptor the file makes non-blocking (pipe2, eventfd,\n"
        "socket or open with O_NONBLOCK, fcntl F_SETFL O_NONBLOCK): a self-pipe or eventfd\n"
        "wake-up. Locks declared as output locks (--io-lock=NAME, config \"io_locks\") are\n"
        "treated as output locks whatever their sections do.",
    .why =
        "A lock held across a system call turns the call's latency into everybody's latency:\n"
        "threads that only need the lock for a few nanoseconds queue behind a disk flush, a\n"
        "slow peer or a DNS lookup. Throughput collapses to one I/O at a time, tail latency\n"
        "follows the slowest device, and a stalled peer can freeze unrelated work. It also\n"
        "widens the window for lock-order deadlocks with callbacks inside the I/O layer.",
    .before =
        "pthread_mutex_lock(&s->mu);\n"
        "s->requests++;\n"
        "fprintf(s->log, \"req %lu from %s\\n\", s->requests, peer);   /* disk I/O under lock */\n"
        "pthread_mutex_unlock(&s->mu);",
    .after =
        "pthread_mutex_lock(&s->mu);\n"
        "unsigned long n = ++s->requests;   /* copy what the I/O needs */\n"
        "pthread_mutex_unlock(&s->mu);\n"
        "fprintf(s->log, \"req %lu from %s\\n\", n, peer);   /* stdio locks the FILE itself */",
    .when_not =
        "When the lock exists to serialise the output itself (a log file, a socket written\n"
        "in frames) and no other state hides behind it, the I/O is the critical section;\n"
        "declare it as an I/O lock in the configuration or suppress. When the data must not\n"
        "change between being read and being written out (a consistent snapshot written to\n"
        "disk), copy it under the lock instead of writing under it, if the copy is cheaper.",
    .needs = SL_NEED_SETUP | SL_NEED_ACCESS,
    .check = check,
    .check_project = check_project,
    .options = options,
};
