/* lock-held-across-blocking-call - I/O, sleeps and waits made with a lock held. */
#include <stdlib.h>
#include <string.h>
#include "pmap.h"
#include "rulekit.h"

#define MAX_CHAIN 6

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

static bool is_noreturn_call(const struct sl_expr *c)
{
    static const char *const names[] = {
        "abort", "exit", "_exit", "_Exit", "quick_exit", "__assert_fail", "err", "errx",
        "pthread_exit", "thrd_exit", "longjmp", "siglongjmp", "__builtin_trap",
        "__builtin_unreachable", "raise",
    };
    if (!c->name) return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(c->name, names[i])) return true;
    return false;
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
            return branch_leaves(child);
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

/* Is c after `if (!ovsthread_once_start(&once)) return;`, or inside an if
 * that tests a once flag: code that runs once per process, not per call. */
static bool once_only(const struct sl_expr *c)
{
    const struct sl_func *f = sl_expr_func(c);
    if (!f || !c->stmt) return false;
    for (uint32_t i = 0; i < f->n_stmts && f->stmts[i] != c->stmt; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (s->kind != SL_ST_IF || !mentions_once(s->expr)) continue;
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

struct memo {
    int8_t *state;             /* 0 unknown, 1 in progress, 2 blocks, 3 does not */
    struct chain *chains;
};

static bool call_blocks_direct(const struct sl_rule_ctx *cx, const struct sl_expr *c)
{
    enum sl_lockop op = sl_call_lockop(cx->flow, c);
    if (op != SL_OP_NONE && op != SL_OP_SEM_WAIT) return false;
    if (on_cold_error_path(c)) return false;
    if (!is_blocking_name(cx, c->name) && !is_big_format(c)) return false;
    return !once_only(c);
}

/* The blocking call f makes, directly or through same-TU callees. */
static bool func_blocks(const struct sl_rule_ctx *cx, struct memo *mm, const struct sl_func *f,
                        struct chain *out, int depth)
{
    if (f->index >= cx->model->n_funcs || !f->body) return false;
    int8_t *st = &mm->state[f->index];
    if (*st == 2) { *out = mm->chains[f->index]; return true; }
    if (*st == 1 || *st == 3 || depth >= MAX_CHAIN - 1) return false;
    *st = 1;
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        struct chain sub = {0};
        enum sl_lockop op = sl_call_lockop(cx->flow, c);
        if (call_blocks_direct(cx, c) && op != SL_OP_SEM_WAIT) {
            sub.calls[0] = c;
            sub.n = 1;
        } else if (c->func && c->func != f && op == SL_OP_NONE &&
                   func_blocks(cx, mm, c->func, &sub, depth + 1) && sub.n < MAX_CHAIN) {
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

/* Lock whose job is to serialise output: named for it, or every critical
 * section of it in this TU does blocking I/O. */
static bool looks_like_io_lock_name(const char *s)
{
    static const char *const words[] = {
        "log", "print", "output", "stdout", "stderr", "console", "trace", "journal",
        "dump", "write", "io_", "_io", "file", "tty", "term",
    };
    char low[128];
    size_t n = strlen(s);
    if (n >= sizeof low) n = sizeof low - 1;
    for (size_t i = 0; i < n; i++) low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    low[n] = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(low, words[i])) return true;
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
struct class_io { bool all_io; };

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
            *c = io;
        }
    }
    return *slot;
}

static bool every_section_does_io(const struct sections *ss, const char *cls)
{
    const struct class_io *io = sl_pmap_get(&ss->by_class, SL_PKEY(cls), 0);
    return io && io->all_io;
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

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    const struct sl_flow *fl = cx->flow;
    struct memo mm = {
        sl_arena_alloc(cx->scratch, m->n_funcs ? m->n_funcs : 1),
        sl_arena_alloc(cx->scratch, (m->n_funcs ? m->n_funcs : 1) * sizeof(struct chain)),
    };
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
            bool blocks = call_blocks_direct(cx, c) ||
                          (c->func && sl_call_lockop(fl, c) == SL_OP_NONE &&
                           func_blocks(cx, &mm, c->func, &ch, 0));
            for (uint32_t h = 0; h < sl_lockset_size(held); h++) {
                const struct sl_held *hd = &held->items[h];
                if (hd->site && exports_lock(fl, f, hd->site)) continue;
                struct section *sec = section_at(cx, &ss, hd->site, hd->lock->cls);
                if (blocks) sec->io = true;
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
                if (is_lock || !call_blocks_direct(cx, c)) continue;
                ch.calls[0] = c;
                ch.n = 1;
            } else if (call_blocks_direct(cx, c)) {
                ch.calls[0] = c;
                ch.n = 1;
            } else if (c->func && op->op == SL_OP_NONE && func_blocks(cx, &mm, c->func, found, 0)) {
                ch.calls[0] = c;
                ch.n = 1;
                for (int k = 0; k < found->n && ch.n < MAX_CHAIN; k++) ch.calls[ch.n++] = found->calls[k];
            } else {
                continue;
            }
            /* Which held locks matter: not I/O locks; for waits, not the
             * waited-on mutex. */
            const struct sl_held *culprit = NULL;
            for (uint32_t h = 0; h < held->n && !culprit; h++) {
                const struct sl_held *hd = &held->items[h];
                if (wait_other && op->lock && hd->lock->cls == op->lock->cls) continue;
                if (looks_like_io_lock_name(hd->lock->text)) continue;
                if (!wait_other && every_section_does_io(&ss, hd->lock->cls)) continue;
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

const struct sl_rule sl_rule_lock_held_across_blocking_call = {
    .id = "lock-held-across-blocking-call",
    .tier = 1,
    .summary = "blocking or slow call (I/O, sleep, join, wait) made while a lock is held",
    .replacement = "copy what is needed under the lock, unlock, then do the slow call",
    .what =
        "A call made while a lock is held (on every path to the call) to a function that\n"
        "blocks or is slow: file and socket I/O (read, write, send, recv, fprintf, printf,\n"
        "fwrite, fflush, fsync, open, fopen...), sleeping (sleep, usleep, nanosleep), waiting\n"
        "(pthread_join, sem_wait, poll, select, epoll_wait, waitpid), process and network\n"
        "set-up (system, popen, getaddrinfo, connect, accept) and serialisers (cJSON_Print*,\n"
        "json_dumps, snprintf into buffers of 4 KiB or more). A call to a function of the same\n"
        "file that itself (transitively) makes such a call counts too; the chain is shown in\n"
        "notes. A condition wait holding a second lock besides its own mutex is reported.\n"
        "Not reported: pthread_cond_wait on the held mutex (it releases it), calls after the\n"
        "unlock, locks whose job is to serialise output (every critical section of the lock\n"
        "in the file does I/O, or the lock is named for logging/output), and fprintf(stderr)\n"
        "or perror on a cold error path that then returns, jumps to cleanup or aborts.",
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
    .check = check,
};
