/* semaphore-as-mutex - a binary semaphore (or pipe token) used only as a lock. */
#include <string.h>
#include "rulekit.h"

#define MAX_PAIRS_NOTED 3

static bool is_int(const struct sl_expr *e, int64_t v)
{
    return e && e->kind == SL_EX_INT && e->has_value && e->ival == v;
}

/* The semaphore an initialiser creates, with its initial count, or NULL:
 * sem_init(&s, pshared, 1) and s = sem_open(name, O_CREAT, mode, 1). */
static const struct sl_lockref *sem_created(struct sl_rule_ctx *cx, const struct sl_expr *c,
                                            const struct sl_expr **count)
{
    if (!c->name) return NULL;
    if (!strcmp(c->name, "sem_init") && c->n_kids == 3) {
        *count = c->kids[2];
        return sl_lockref_lookup(cx->flow, c->kids[0], cx->scratch);
    }
    if (!strcmp(c->name, "sem_open") && c->n_kids == 4) {
        const struct sl_expr *p = c->parent;
        *count = c->kids[3];
        if (p && p->kind == SL_EX_ASSIGN && p->n_kids == 2 && p->kids[1] == c)
            return sl_lockref_lookup(cx->flow, p->kids[0], cx->scratch);
        if (!p && c->stmt && c->stmt->kind == SL_ST_DECL && c->stmt->expr == c && c->stmt->var) {
            /* T *s = sem_open(...): refer to the variable */
            for (uint32_t i = 0; i < c->stmt->func->n_exprs; i++) {
                const struct sl_expr *x = c->stmt->func->exprs[i];
                if (x->kind == SL_EX_REF && x->var == c->stmt->var) return sl_lockref_lookup(cx->flow, x, cx->scratch);
            }
        }
    }
    return NULL;
}

static bool is_wait(enum sl_lockop op)
{
    return op == SL_OP_SEM_WAIT || op == SL_OP_SEM_TRYWAIT || op == SL_OP_SEM_TIMEDWAIT;
}

/* What a function does to the semaphore directly: 1 only waits on it (a
 * `cache_lock()` helper), 2 only posts it (`cache_unlock()`), 3 both, 0
 * neither; -1 a timed wait (a cancellable wait: no lock). */
static int direct_role(const struct sl_flow *fl, const struct sl_func *f, const char *cls)
{
    int role = 0;
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_call_op *op = sl_call_op(fl, f->calls[i]);
        if (!op->lock || op->lock->cls != cls) continue;
        if (op->op == SL_OP_SEM_TIMEDWAIT) return -1;
        if (is_wait(op->op)) role |= 1;
        else if (op->op == SL_OP_SEM_POST) role |= 2;
    }
    return role;
}

/* Every function touching the semaphore both waits on it and posts it, the
 * wait first, directly or through same-file helpers that only take it or
 * only give it back (whose callers are then held to the same test);
 * nothing else posts it (no signalling); no timed waits. */
static bool used_only_as_lock(const struct sl_rule_ctx *cx, const char *cls, unsigned *pairs)
{
    const struct sl_model *m = cx->model;
    *pairs = 0;
    int8_t *role = sl_arena_alloc(cx->scratch, m->n_funcs ? m->n_funcs : 1);
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        int r = direct_role(cx->flow, m->funcs[fi], cls);
        if (r < 0) return false;
        role[fi] = (int8_t)r;
    }
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (role[fi] == 1 || role[fi] == 2) {
            /* a take or give helper: its callers in this file pair it up;
             * one nobody here calls may be anyone's signal */
            if (!sl_n_callers(cx->facts, f)) return false;
            continue;
        }
        const struct sl_expr *first_wait = NULL, *first_post = NULL;
        unsigned waits = 0, posts = 0;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(cx->flow, c);
            int via = c->func && c->func->index < m->n_funcs && c->func != f ? role[c->func->index] : 0;
            bool take = (op->lock && op->lock->cls == cls && is_wait(op->op)) || via == 1;
            bool give = (op->lock && op->lock->cls == cls && op->op == SL_OP_SEM_POST) || via == 2;
            if (take) { waits++; if (!first_wait) first_wait = c; }
            else if (give) { posts++; if (!first_post) first_post = c; }
        }
        if (!waits && !posts) continue;
        if (!waits || !posts) return false;          /* signalled from elsewhere */
        if (first_post->index < first_wait->index) return false;   /* post first: a token handed over */
        *pairs += waits < posts ? waits : posts;
    }
    return *pairs > 0;
}

static void note_pairs(struct sl_rule_ctx *cx, struct sl_diag *d, const char *cls)
{
    const struct sl_model *m = cx->model;
    unsigned noted = 0;
    for (uint32_t fi = 0; fi < m->n_funcs && noted < MAX_PAIRS_NOTED; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_call_op *op = sl_call_op(cx->flow, c);
            if (op->lock && op->lock->cls == cls && is_wait(op->op)) {
                if (direct_role(cx->flow, f, cls) != 3) break;   /* a take helper: see its callers */
                sl_note(cx, d, c->loc, "'%s' waits on it like a lock here, and posts it again "
                        "before returning", f->name);
                noted++;
                break;
            }
            if (c->func && c->func != f && direct_role(cx->flow, c->func, cls) == 1) {
                sl_note(cx, d, c->loc, "'%s' takes it through '%s' here, and gives it back "
                        "before returning", f->name, c->func->name);
                noted++;
                break;
            }
        }
    }
}

/* ---- the pipe / eventfd token variant ---- */

static bool is_token_size(const struct sl_expr *e)
{
    return is_int(e, 1) || is_int(e, 8) || (e && e->kind == SL_EX_SIZEOF && e->has_value &&
                                             (e->ival == 1 || e->ival == 8));
}

/* fd expression text and whether it is shared (not a local). */
static const char *fd_key(struct sl_arena *a, const struct sl_expr *fd, int *pipe_end)
{
    *pipe_end = -1;
    if (!fd || !sl_expr_touches_shared(fd)) return NULL;
    if (fd->kind == SL_EX_INDEX && fd->n_kids == 2 && fd->kids[1]->kind == SL_EX_INT &&
        fd->kids[1]->has_value && (fd->kids[1]->ival == 0 || fd->kids[1]->ival == 1)) {
        *pipe_end = (int)fd->kids[1]->ival;
        return sl_expr_text(a, fd->kids[0]);
    }
    return sl_expr_text(a, fd);
}

/* Set-up code: creates the pipe/eventfd, or is an init function. */
static bool creates_descriptor(const struct sl_facts *fx, const struct sl_func *g)
{
    for (uint32_t k = 0; k < g->n_calls; k++) {
        const char *n = g->calls[k]->name;
        if (n && (!strcmp(n, "pipe") || !strcmp(n, "pipe2") || !strcmp(n, "eventfd")))
            return true;
    }
    return sl_is_setup_function(fx, g);
}

/* Does the file fork?  A pipe created before fork() is shared with the
 * children: a token passed through it is a cross-process lock (the data it
 * guards lives in shared memory), which a pthread mutex cannot replace
 * without a process-shared, robust one. */
static bool file_forks(const struct sl_model *m)
{
    for (uint32_t fi = 0; fi < m->n_funcs; fi++)
        for (uint32_t k = 0; k < m->funcs[fi]->n_calls; k++) {
            const char *n = m->funcs[fi]->calls[k]->name;
            if (n && (!strcmp(n, "fork") || !strcmp(n, "vfork") || !strcmp(n, "posix_spawn") ||
                      !strcmp(n, "posix_spawnp")))
                return true;
        }
    return false;
}

static void check_tokens(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    struct sl_arena *tmp = cx->scratch;
    if (file_forks(m)) return;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *r = f->calls[i];
            if (!r->name || strcmp(r->name, "read") || r->n_kids != 3 || !is_token_size(r->kids[2]))
                continue;
            int rend;
            const char *rk = fd_key(tmp, r->kids[0], &rend);
            if (!rk || rend == 1) continue;
            for (uint32_t j = i + 1; j < f->n_calls; j++) {
                const struct sl_expr *w = f->calls[j];
                if (!w->name || strcmp(w->name, "write") || w->n_kids != 3 ||
                    !is_token_size(w->kids[2]))
                    continue;
                int wend;
                const char *wk = fd_key(tmp, w->kids[0], &wend);
                if (!wk || strcmp(wk, rk) || (rend == 0) != (wend == 1)) continue;
                if (w->stmt == r->stmt ||
                    (j == i + 1 && w->stmt && r->stmt && w->stmt->index == r->stmt->index + 1))
                    continue;   /* nothing between: a hand-off, not a critical section */
                /* Anyone writing a token without having read one first is
                 * signalling: not a lock. */
                bool signalling = false;
                for (uint32_t gi = 0; gi < m->n_funcs && !signalling; gi++) {
                    const struct sl_func *g = m->funcs[gi];
                    if (creates_descriptor(cx->facts, g)) continue;   /* the first token goes in at set-up */
                    bool read_first = false;
                    for (uint32_t k = 0; k < g->n_calls; k++) {
                        const struct sl_expr *c = g->calls[k];
                        if (!c->name || c->n_kids != 3) continue;
                        int e2;
                        const char *ck = fd_key(tmp, c->kids[0], &e2);
                        if (!ck || strcmp(ck, rk)) continue;
                        if (!strcmp(c->name, "read")) read_first = true;
                        else if (!strcmp(c->name, "write") && !read_first) signalling = true;
                    }
                }
                if (signalling) break;
                struct sl_diag *d = sl_report(cx, r->loc,
                    "reading a token from '%s' and writing it back later in '%s' uses a %s as a "
                    "mutex: it costs two system calls per section, has no owner and no error "
                    "checking", rk, f->name, rend == 0 ? "pipe" : "file descriptor");
                sl_note(cx, d, w->loc, "the token is written back here, releasing the 'lock'");
                sl_note_text(cx, d, "use: pthread_mutex_t around the critical section");
                break;
            }
        }
    }
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            const struct sl_expr *count = NULL;
            const struct sl_lockref *sem = sem_created(cx, c, &count);
            if (!sem || !is_int(count, 1)) continue;
            unsigned pairs;
            if (!used_only_as_lock(cx, sem->cls, &pairs)) continue;
            struct sl_diag *d = sl_report(cx, c->loc,
                "semaphore '%s' starts at 1 and is only ever waited on and posted in pairs: it is "
                "a mutex without an owner, error checking or priority inheritance", sem->text);
            note_pairs(cx, d, sem->cls);
            sl_note_text(cx, d, "use: pthread_mutex_t (PTHREAD_MUTEX_ERRORCHECK in debug builds; "
                         "PTHREAD_PRIO_INHERIT for real-time threads)");
        }
    }
    check_tokens(cx);
}

const struct sl_rule sl_rule_semaphore_as_mutex = {
    .id = "semaphore-as-mutex",
    .tier = 1,
    .summary = "a semaphore initialised to 1 (or a pipe token) used only as a lock",
    .replacement = "pthread_mutex_t",
    .what =
        "A POSIX semaphore created with a count of 1 (sem_init(&s, 0, 1), sem_open(..., 1))\n"
        "whose every use in the file is a sem_wait ... sem_post pair inside one function: a\n"
        "lock spelled as a semaphore. Also the pipe/eventfd variant: read one byte (or 8) from\n"
        "a shared descriptor to 'lock', write it back to 'unlock'. Not reported: counts above\n"
        "1 (a token pool is what semaphores are for), semaphores posted by a function that\n"
        "does not wait on them (signalling between threads), and sem_timedwait, which is used\n"
        "for cancellable waits. Same-file helpers that only take the semaphore or only give\n"
        "it back (cache_lock()/cache_unlock()) count as the wait and the post at their\n"
        "callers, and sem_trywait sections are the same shape. A pipe token in a file that\n"
        "forks is shared with the children (a cross-process lock over shared memory) and is\n"
        "not reported.",
    .why =
        "Uncontended, a binary semaphore costs about the same as a mutex (measured here): the\n"
        "case against it is everything else. Under contention a semaphore has no owner, so\n"
        "the kernel cannot apply priority inheritance and a low-priority holder can stall a\n"
        "high-priority waiter indefinitely; there is no PTHREAD_MUTEX_ERRORCHECK, so a\n"
        "double post silently admits two threads, and unlocking from the wrong thread goes\n"
        "unnoticed; robust mutexes recover when a holder dies, a semaphore stays taken; and\n"
        "tools (TSan, Helgrind, sync-lint's own lock analysis) cannot see it as a lock. The\n"
        "pipe variant adds two system calls to every critical section.",
    .before =
        "static sem_t cache_sem;\n"
        "sem_init(&cache_sem, 0, 1);\n"
        "...\n"
        "sem_wait(&cache_sem);\n"
        "cache_update(key, val);\n"
        "sem_post(&cache_sem);",
    .after =
        "static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;\n"
        "...\n"
        "pthread_mutex_lock(&cache_mu);\n"
        "cache_update(key, val);\n"
        "pthread_mutex_unlock(&cache_mu);",
    .when_not =
        "When the 'lock' must be released by a different thread than the one that took it\n"
        "(a hand-off), or shared between processes without a robust process-shared mutex,\n"
        "or taken from a signal handler (sem_post is async-signal-safe, mutex unlock is not).",
    .needs = SL_NEED_SETUP | SL_NEED_CALLGRAPH,
    .check = check,
};
