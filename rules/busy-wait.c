/* busy-wait - a loop that spins, yields or sleeps until another thread sets a flag. */
#include <stdlib.h>
#include <string.h>
#include "pmap.h"
#include "rulekit.h"

#define MAX_POLLED 8
#define MAX_REFRESHED 16

/* What one call inside a candidate loop is, for the question "does this
 * loop only wait?". */
enum call_kind {
    CALL_WORK,       /* anything else: the loop does real work each round */
    CALL_READ,       /* an atomic load, a clock read: part of polling */
    CALL_PAUSE,      /* a pause / spin hint */
    CALL_YIELD,      /* sched_yield & co */
    CALL_SLEEP,      /* usleep, nanosleep, thrd_sleep, poll(NULL, 0, ms) ... */
    CALL_LOCKING,    /* lock / unlock around the test */
    CALL_BLOCKS,     /* a condvar or semaphore wait: the correct form */
    CALL_ACQUIRE,    /* a trylock or compare-and-swap: a retry, not a wait */
};

static const char *const sleep_names[] = {
    "sleep", "usleep", "nanosleep", "clock_nanosleep", "thrd_sleep", "Sleep", "SleepEx",
    "msleep", "xsleep", NULL,
};
static const char *const yield_names[] = {
    "sched_yield", "thrd_yield", "pthread_yield", "SwitchToThread", NULL,
};
static const char *const pause_names[] = {
    "__builtin_ia32_pause", "_mm_pause", "__yield", "__builtin_arm_yield", "YieldProcessor",
    NULL,
};
static const char *const clock_names[] = {
    "clock_gettime", "gettimeofday", "time", "clock", NULL,
};

static bool name_in(const char *name, const char *const *list)
{
    for (; name && *list; list++)
        if (!strcmp(name, *list)) return true;
    return false;
}

/* xsleep, xnanosleep_no_quiesce, do_usleep, ms_sleep: a name whose word
 * ends in "sleep" ("sleepers", "sleeping" are something else). */
static bool sleep_named(const char *name)
{
    for (const char *p = name; p && (p = strstr(p, "sleep")) != NULL; p += 5) {
        char next = p[5];
        if (!next || next == '_' || (next >= '0' && next <= '9')) return true;
    }
    return name && (strstr(name, "Sleep") != NULL);
}

static bool is_null_const(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_INT && e->has_value && e->ival == 0;
}

/* poll(NULL, 0, ms) and select(0, NULL, NULL, NULL, &tv) watch no
 * descriptor: they are sleeps. */
static bool is_fdless_wait(const struct sl_expr *c)
{
    if (!strcmp(c->name, "poll") && c->n_kids == 3)
        return is_null_const(c->kids[0]) || is_null_const(c->kids[1]);
    if (!strcmp(c->name, "select") && c->n_kids == 5)
        return is_null_const(c->kids[1]) && is_null_const(c->kids[2]) && is_null_const(c->kids[3]);
    return false;
}

/* A helper of this TU whose every call is a sleep (a usleep wrapper). */
static bool is_sleep_helper(const struct sl_func *g)
{
    if (!g || !g->body || g->index == UINT32_MAX || !g->n_calls) return false;
    for (uint32_t i = 0; i < g->n_calls; i++)
        if (!name_in(g->calls[i]->name, sleep_names) && !sleep_named(g->calls[i]->name)) return false;
    return true;
}

/* A helper of this TU whose body is only spin hints (cpu_relax() wrapping
 * the pause instruction or an asm statement). */
static bool is_pause_helper(const struct sl_func *g)
{
    /* a hint takes no operands: sink(v) with an empty asm keeps v alive */
    if (!g || !g->body || g->index == UINT32_MAX || g->n_params) return false;
    bool hint = false;
    for (uint32_t i = 0; i < g->n_stmts; i++)
        if (g->stmts[i]->kind == SL_ST_ASM) hint = true;
    for (uint32_t i = 0; i < g->n_calls; i++) {
        if (!name_in(g->calls[i]->name, pause_names)) return false;
        hint = true;
    }
    return hint;
}

static enum call_kind classify_call(const struct sl_flow *fl, const struct sl_expr *c)
{
    switch (c->atomic) {
    case SL_AT_LOAD: return CALL_READ;
    case SL_AT_CMPXCHG: case SL_AT_RMW: return CALL_ACQUIRE;
    case SL_AT_NONE: break;
    default: return CALL_WORK;   /* a store: the loop changes shared state */
    }
    switch (sl_call_lockop(fl, c)) {
    case SL_OP_NONE: break;
    case SL_OP_LOCK: case SL_OP_RDLOCK: case SL_OP_WRLOCK: case SL_OP_UNLOCK:
        return CALL_LOCKING;
    case SL_OP_TRYLOCK: case SL_OP_TRYRDLOCK: case SL_OP_TRYWRLOCK: case SL_OP_SEM_TRYWAIT:
        return CALL_ACQUIRE;
    default:
        return CALL_BLOCKS;
    }
    if (!c->name) return CALL_WORK;
    if (name_in(c->name, sleep_names) || sleep_named(c->name) || is_fdless_wait(c) ||
        is_sleep_helper(c->func))
        return CALL_SLEEP;
    if (name_in(c->name, yield_names)) return CALL_YIELD;
    if (name_in(c->name, pause_names) || is_pause_helper(c->func)) return CALL_PAUSE;
    if (name_in(c->name, clock_names)) return CALL_READ;
    return CALL_WORK;
}

static bool is_plain_local(const struct sl_var *v)
{
    return v && (v->kind == SL_VAR_LOCAL || v->kind == SL_VAR_PARAM) && !v->is_static;
}

/* The for-loop's init statement runs once, before the waiting starts. */
static bool in_loop_rounds(const struct sl_stmt *s, const struct sl_stmt *loop)
{
    if (loop->kind == SL_ST_FOR && loop->n_kids && loop->kids[0] && sl_stmt_within(s, loop->kids[0]))
        return false;
    return sl_stmt_within(s, loop);
}

/* A shared object a loop polls: a field (of any instance), a global or
 * static, or what a pointer variable points to. */
struct polled {
    const void *key;
    const char *name;
    const struct sl_expr *at;       /* one read of it in the loop */
    const struct sl_field *field;
    const struct sl_var *var;       /* global, or the pointer of *p */
    uint32_t tflags;
    bool atomic_read;               /* read through atomic_load & co */
};

struct loop_scan {
    const struct sl_stmt *loop;
    uint32_t expr_lo, expr_hi;      /* the loop's expressions: f->exprs[expr_lo..expr_hi) */
    bool not_a_wait;                /* a call that works, blocks properly or acquires */
    bool pauses, yields, sleeps;
    bool shared_write;
    const struct sl_var *refreshed[MAX_REFRESHED];  /* locals loaded from shared state in the loop */
    const struct sl_expr *refresh_rhs[MAX_REFRESHED];
    unsigned n_refreshed;
    const struct sl_var *stepped[MAX_REFRESHED];    /* locals counted in the loop (spins, tries) */
    unsigned n_stepped;
    struct polled polled[MAX_POLLED];
    unsigned n_polled;
};

static bool var_in(const struct sl_var *v, const struct sl_var *const *set, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (set[i] == v) return true;
    return false;
}

/* Does e read shared state (not through a call other than an atomic load)? */
static bool reads_shared(const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_CALL) {
        if (e->atomic != SL_AT_LOAD) return false;
        return true;
    }
    if (e->kind == SL_EX_REF) return e->var && !is_plain_local(e->var);
    if (e->kind == SL_EX_MEMBER && e->is_arrow) return true;
    if (e->kind == SL_EX_UNARY && e->op == SL_U_DEREF) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (reads_shared(e->kids[i])) return true;
    return false;
}

static bool stmt_leaves(const struct sl_stmt *s, const struct sl_stmt *loop)
{
    if (!s) return false;
    if (s->kind == SL_ST_BREAK || s->kind == SL_ST_RETURN || s->kind == SL_ST_GOTO) return true;
    if (sl_stmt_is_loop(s) || s->kind == SL_ST_SWITCH) return false;   /* break means that one */
    for (uint32_t i = 0; i < s->n_kids; i++)
        if (stmt_leaves(s->kids[i], loop)) return true;
    return false;
}


/* Is if-statement s one of loop's exit tests (a test of this loop, not of
 * a nested one, guarding a break / return / goto)? */
static bool is_exit_if(const struct sl_stmt *s, const struct sl_stmt *loop)
{
    if (s->kind != SL_ST_IF || !s->expr || !in_loop_rounds(s, loop)) return false;
    const struct sl_stmt *p = s->parent;
    while (p != loop && !sl_stmt_is_loop(p)) p = p->parent;
    if (p != loop) return false;
    return stmt_leaves(s->kids[0], loop) || (s->n_kids > 1 && stmt_leaves(s->kids[1], loop));
}

/* Is e part of the loop's condition or of one of its exit tests? */
static bool in_exit_test(const struct sl_expr *e, const struct sl_stmt *loop)
{
    while (e->parent) e = e->parent;
    if (e == loop->expr) return true;
    return e->stmt && e->stmt->expr == e && is_exit_if(e->stmt, loop);
}

static const char *const predicate_words[] = { "is", "has", NULL };
static const char *const query_words[] = {
    "get", "peek", "tail", "head", "empty", "ready", "done", "finished",
    "complete", "completed", "pending", "avail", "available", "count", "state", "status",
    "poll", "load", "test", "check", "full", "size", "len", "running", NULL,
};
static const char *const action_words[] = {
    "try", "wait", "lock", "acquire", "take", "pop", "push", "dequeue", "enqueue", "recv",
    "read", "write", "send", "get_next", "next", "run", "process", "handle", "set", NULL,
};

/* A call an exit test makes to learn the state it waits for: a function of
 * this TU that only reads (no writes to shared state, no calls but atomic
 * loads), or, defined elsewhere, one named as a query (queue_is_empty,
 * mpsc_queue_tail) and not as an action (try_, pop, recv). */
static bool is_probe_call(const struct sl_expr *c)
{
    if (c->atomic || c->indirect || !c->name) return false;
    const struct sl_func *g = c->func;
    if (g && g->body && g->index != UINT32_MAX) {
        for (uint32_t i = 0; i < g->n_calls; i++)
            if (g->calls[i]->atomic != SL_AT_LOAD) return false;
        for (uint32_t i = 0; i < g->n_exprs; i++) {
            const struct sl_expr *w = sl_expr_written_object(g->exprs[i]);
            if (w && !(w->kind == SL_EX_REF && is_plain_local(w->var))) return false;
        }
        return true;
    }
    if (sl_name_has_word(c->name, predicate_words)) return true;   /* latch_is_set */
    return sl_name_has_word(c->name, query_words) && !sl_name_has_word(c->name, action_words);
}

static bool reads_var(const struct sl_expr *e, const struct sl_var *v)
{
    if (!e) return false;
    if (e->kind == SL_EX_REF && e->var == v) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (reads_var(e->kids[i], v)) return true;
    return false;
}

static void note_step(struct loop_scan *ls, const struct sl_var *v)
{
    if (ls->n_stepped < MAX_REFRESHED && !var_in(v, ls->stepped, ls->n_stepped))
        ls->stepped[ls->n_stepped++] = v;
}

static void note_refresh(struct loop_scan *ls, const struct sl_var *v, const struct sl_expr *rhs)
{
    if (ls->n_refreshed < MAX_REFRESHED && !var_in(v, ls->refreshed, ls->n_refreshed)) {
        ls->refresh_rhs[ls->n_refreshed] = rhs;
        ls->refreshed[ls->n_refreshed++] = v;
    }
}

/* A local loaded from its own old value (p = p->next, j = (j + 1) & mask)
 * or from a stepped local (s = &slots[j]) is a cursor: the loop walks a
 * structure, which ends by itself, rather than re-reading one flag. */
static void settle_cursors(struct loop_scan *ls)
{
    for (bool moved = true; moved;) {
        moved = false;
        for (unsigned i = 0; i < ls->n_refreshed; i++) {
            const struct sl_var *v = ls->refreshed[i];
            if (var_in(v, ls->stepped, ls->n_stepped)) continue;
            bool cursor = reads_var(ls->refresh_rhs[i], v);
            for (unsigned k = 0; k < ls->n_stepped && !cursor; k++)
                cursor = reads_var(ls->refresh_rhs[i], ls->stepped[k]);
            if (cursor && ls->n_stepped < MAX_REFRESHED) { note_step(ls, v); moved = true; }
        }
    }
}

/* *&v is v (OVS's atomic_read(&flag, &v) stores through *(&v)). */
static const struct sl_expr *strip_deref_addr(const struct sl_expr *e)
{
    if (e && e->kind == SL_EX_UNARY && e->op == SL_U_DEREF && e->n_kids == 1) {
        const struct sl_expr *a = e->kids[0];
        if (a->kind == SL_EX_UNARY && a->op == SL_U_ADDROF && a->n_kids == 1) return a->kids[0];
    }
    return e;
}

/* One pass over the loop's expressions: what its calls are, what it
 * writes, which locals it refreshes from shared state or steps. */
static void scan_loop(const struct sl_flow *fl, const struct sl_func *f, struct loop_scan *ls)
{
    for (uint32_t i = ls->expr_lo; i < ls->expr_hi; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (!e->stmt || !in_loop_rounds(e->stmt, ls->loop)) continue;
        if (e->kind == SL_EX_CALL) {
            enum call_kind k = classify_call(fl, e);
            if (k == CALL_WORK && is_probe_call(e) && in_exit_test(e, ls->loop)) k = CALL_READ;
            if (k == CALL_PAUSE) ls->pauses = true;
            if (k == CALL_YIELD) ls->yields = true;
            if (k == CALL_SLEEP) ls->sleeps = true;
            if (k == CALL_WORK || k == CALL_BLOCKS || k == CALL_ACQUIRE) ls->not_a_wait = true;
            if (e->atomic == SL_AT_LOAD) continue;
            if (e->atomic != SL_AT_NONE) ls->shared_write = true;
            continue;
        }
        const struct sl_expr *w = strip_deref_addr(sl_expr_written_object(e));
        if (!w) continue;
        const struct sl_var *v = w->kind == SL_EX_REF ? w->var : NULL;
        if (!is_plain_local(v)) {
            ls->shared_write = true;
            continue;
        }
        if (e->kind == SL_EX_ASSIGN && e->op == SL_B_ASSIGN && e->n_kids == 2 && reads_shared(e->kids[1]))
            note_refresh(ls, v, e->kids[1]);
        else
            note_step(ls, v);
    }
    /* `T v = atomic_load(&flag);` declared inside the loop body */
    for (uint32_t i = ls->loop->index + 1; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (!sl_stmt_within(s, ls->loop)) break;
        if (s->kind == SL_ST_DECL && s->var && s->expr && in_loop_rounds(s, ls->loop) &&
            reads_shared(s->expr))
            note_refresh(ls, s->var, s->expr);
    }
    settle_cursors(ls);
}

static void add_polled(struct loop_scan *ls, const struct polled *p)
{
    for (unsigned i = 0; i < ls->n_polled; i++)
        if (ls->polled[i].key == p->key) {
            ls->polled[i].atomic_read |= p->atomic_read;
            return;
        }
    if (ls->n_polled < MAX_POLLED) ls->polled[ls->n_polled++] = *p;
}

/* The shared objects the exit test e reads, directly or through a local
 * the loop refreshed from shared state (then: what that local was loaded
 * from).  Returns whether e reads a counted local (a bounded retry). */
static bool collect_polled(const struct sl_func *f, const struct sl_expr *e, struct loop_scan *ls,
                           bool atomic_read, unsigned depth);

static void collect_from_refresh(const struct sl_func *f, const struct sl_var *v,
                                 struct loop_scan *ls, unsigned depth)
{
    if (depth > 2) return;
    for (uint32_t i = ls->expr_lo; i < ls->expr_hi; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (!e->stmt || !in_loop_rounds(e->stmt, ls->loop)) continue;
        const struct sl_expr *lhs = e->kind == SL_EX_ASSIGN && e->n_kids == 2 ? strip_deref_addr(e->kids[0]) : NULL;
        if (lhs && lhs->kind == SL_EX_REF && lhs->var == v)
            collect_polled(f, e->kids[1], ls, false, depth + 1);
    }
    for (uint32_t i = ls->loop->index + 1; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (!sl_stmt_within(s, ls->loop)) break;
        if (s->kind == SL_ST_DECL && s->var == v && s->expr && in_loop_rounds(s, ls->loop))
            collect_polled(f, s->expr, ls, false, depth + 1);
    }
}

/* The probe is asked about shared state: a pointer, a global, a field. */
static bool probes_shared(const struct sl_expr *c)
{
    for (uint32_t i = 0; i < c->n_kids; i++)
        if ((c->kids[i]->tflags & SL_TY_PTR) || reads_shared(c->kids[i])) return true;
    return c->func && c->func->body;   /* a getter of a global */
}

static bool collect_polled(const struct sl_func *f, const struct sl_expr *e, struct loop_scan *ls,
                           bool atomic_read, unsigned depth)
{
    if (!e) return false;
    const struct sl_expr *p = e->parent;
    bool is_base = p && (p->kind == SL_EX_MEMBER || p->kind == SL_EX_INDEX) && p->n_kids &&
                   p->kids[0] == e;
    if (e->kind == SL_EX_CALL) {
        if (e->atomic == SL_AT_LOAD && e->n_kids) return collect_polled(f, e->kids[0], ls, true, depth);
        if (e->atomic == SL_AT_NONE && is_probe_call(e) && probes_shared(e))
            add_polled(ls, &(struct polled){ e, e->name, e, NULL, NULL, 0, true });
        return false;
    }
    if (e->kind == SL_EX_UNARY && e->op == SL_U_ADDROF && e->n_kids)
        return collect_polled(f, e->kids[0], ls, atomic_read, depth);
    if ((e->kind == SL_EX_MEMBER || (e->kind == SL_EX_UNARY && e->op == SL_U_DEREF)) && !is_base) {
        const struct sl_var *cursor = sl_expr_root_var(e);
        if (cursor && var_in(cursor, ls->stepped, ls->n_stepped))
            return true;   /* (*pp)->next with pp walking the list: the walk ends by itself */
    }
    if (e->kind == SL_EX_MEMBER && e->field && !is_base) {
        const struct sl_var *root = sl_expr_root_var(e);
        if (e->is_arrow || (root && !is_plain_local(root)) || atomic_read) {
            add_polled(ls, &(struct polled){ e->field, e->field->name, e, e->field, NULL,
                                             e->tflags | e->field->tflags, atomic_read });
            return false;
        }
    }
    if (e->kind == SL_EX_UNARY && e->op == SL_U_DEREF && e->n_kids && e->kids[0]->kind == SL_EX_REF &&
        e->kids[0]->var) {
        const struct sl_var *v = e->kids[0]->var;
        add_polled(ls, &(struct polled){ v, v->name, e, NULL, v, e->tflags, atomic_read });
        return false;
    }
    if (e->kind == SL_EX_REF && e->var && !is_base) {
        const struct sl_var *v = e->var;
        if (!is_plain_local(v)) {
            add_polled(ls, &(struct polled){ v, v->name, e, NULL, v, e->tflags | v->tflags, atomic_read });
            return false;
        }
        if (atomic_read && (v->tflags & SL_TY_PTR)) {   /* atomic_load(p): what p points to */
            add_polled(ls, &(struct polled){ v, v->name, e, NULL, v, e->tflags, true });
            return false;
        }
        if (var_in(v, ls->stepped, ls->n_stepped)) return true;   /* a counter or cursor */
        if (var_in(v, ls->refreshed, ls->n_refreshed)) collect_from_refresh(f, v, ls, depth);
        return false;
    }
    bool counted = false;
    for (uint32_t i = 0; i < e->n_kids; i++)
        counted |= collect_polled(f, e->kids[i], ls, atomic_read, depth);
    return counted;
}

/* The loop's exit tests: its condition, and each `if` in its rounds that
 * guards a break / return / goto.  Returns false when one of them counts a
 * local (a bounded spin or retry). */
static bool collect_exit_tests(const struct sl_func *f, struct loop_scan *ls)
{
    const struct sl_stmt *L = ls->loop;
    bool bounded = false;
    if (L->expr) bounded |= collect_polled(f, L->expr, ls, false, 0);
    for (uint32_t i = L->index + 1; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (!sl_stmt_within(s, L)) break;
        if (is_exit_if(s, L)) bounded |= collect_polled(f, s->expr, ls, false, 0);
    }
    return !bounded;
}

/* Another function of the TU writes the object (the thread that sets it). */
/* Writers of each shared object, indexed once per file: the first two
 * functions that write it (enough to find one that is not the poller). */
struct writers { const struct sl_access *w[2]; };

static void index_writers(const struct sl_facts *fx, struct sl_pmap *idx)
{
    for (uint32_t i = 0; i < fx->n_accesses; i++) {
        const struct sl_access *a = &fx->accesses[i];
        if (!a->write || sl_through_constant_address(fx, a->e)) continue;   /* programming a device */
        const void *key = a->field ? (const void *)a->field : (const void *)a->var;
        if (!key) continue;
        void **slot = sl_pmap_slot(idx, SL_PKEY(key), 0);
        struct writers *w = *slot;
        if (!w) *slot = w = sl_arena_alloc(idx->arena, sizeof *w);
        if (!w->w[0]) w->w[0] = a;
        else if (!w->w[1] && w->w[0]->func != a->func) w->w[1] = a;
    }
}

/* Another function of the TU writes the object (the thread that sets it). */
static const struct sl_access *written_elsewhere(const struct sl_pmap *idx, const struct sl_func *f,
                                                 const struct polled *p)
{
    const void *key = p->field ? (const void *)p->field : (const void *)p->var;
    const struct writers *w = key ? sl_pmap_get(idx, SL_PKEY(key), 0) : NULL;
    if (!w) return NULL;
    if (w->w[0] && w->w[0]->func != f) return w->w[0];
    if (w->w[1] && w->w[1]->func != f) return w->w[1];
    return NULL;
}

static bool is_signal_flag(const struct polled *p)
{
    const char *t = p->field ? p->field->type_name : p->var ? p->var->type_name : NULL;
    return t && strstr(t, "sig_atomic_t");
}

/* The loop waits for another thread: its flag is atomic or volatile state,
 * or another function of this TU writes it. */
static const struct polled *flag_of(const struct sl_facts *fx, const struct sl_pmap *writers,
                                    const struct sl_func *f, const struct loop_scan *ls,
                                    const struct sl_access **writer)
{
    *writer = NULL;
    for (unsigned i = 0; i < ls->n_polled; i++) {
        const struct polled *p = &ls->polled[i];
        if (is_signal_flag(p)) return NULL;   /* set by a signal handler: no thread to wake us */
    }
    for (unsigned i = 0; i < ls->n_polled; i++) {
        const struct polled *p = &ls->polled[i];
        *writer = written_elsewhere(writers, f, p);
        /* a device register polled through its constant address: the
         * hardware sets it, no thread of ours could signal an event */
        if (!*writer && !p->atomic_read && sl_through_constant_address(fx, p->at)) continue;
        if (*writer || p->atomic_read || (p->tflags & (SL_TY_ATOMIC | SL_TY_VOLATILE))) return p;
    }
    return NULL;
}

static bool same_object(const struct sl_expr *w, const struct polled *p)
{
    if (!w || (!p->field && !p->var)) return false;
    if (w->kind == SL_EX_UNARY && w->op == SL_U_ADDROF && w->n_kids) w = w->kids[0];
    if (p->field) return w->kind == SL_EX_MEMBER && w->field == p->field;
    if (w->kind == SL_EX_REF) return w->var == p->var;
    if (w->kind == SL_EX_UNARY && w->op == SL_U_DEREF && w->n_kids && w->kids[0]->kind == SL_EX_REF)
        return w->kids[0]->var == p->var;
    return false;
}

/* The function also takes the flag by compare-and-swap / exchange (a
 * test-and-test-and-set lock: the wait is the lock's own acquire path). */
static bool function_acquires_flag(const struct sl_func *f, const struct polled *p)
{
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        if ((c->atomic == SL_AT_CMPXCHG || c->atomic == SL_AT_RMW) && c->n_kids &&
            same_object(c->kids[0], p))
            return true;
    }
    return false;
}

/* The flag hangs off the cursor of an enclosing loop that walks a list or
 * array (for (r = readers; r; r = r->next) wait for r->epoch): a grace
 * period or quiescence scan over every thread's record.  One event cannot
 * say "all of them", and the writers are read-side fast paths that must
 * not pay for a wake. */
static bool scans_every_record(const struct sl_stmt *loop, const struct polled *p)
{
    if (!p->field || !p->at) return false;
    const struct sl_var *cursor = sl_expr_root_var(p->at);
    if (!is_plain_local(cursor)) return false;
    for (const struct sl_stmt *s = loop->parent; s; s = s->parent) {
        if (s->kind != SL_ST_FOR || !s->inc) continue;
        const struct sl_expr *w = sl_expr_written_object(s->inc);
        if (w && sl_expr_root_var(w) == cursor) return true;
        for (uint32_t k = 0; k < s->inc->n_kids; k++) {   /* p = p->next, i++ */
            w = sl_expr_written_object(s->inc->kids[k]);
            if (w && sl_expr_root_var(w) == cursor) return true;
        }
    }
    /* the cursor indexes or walks: r = r->next in an enclosing while */
    return false;
}

static bool is_small_int(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_INT && e->has_value && e->ival <= 1;
}

static bool mentions_polled(const struct sl_expr *e, const struct loop_scan *ls)
{
    if (!e) return false;
    for (unsigned i = 0; i < ls->n_polled; i++)
        if (ls->polled[i].at == e) return true;
    if (e->kind == SL_EX_REF && var_in(e->var, ls->refreshed, ls->n_refreshed)) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (mentions_polled(e->kids[i], ls)) return true;
    return false;
}

/* while (atomic_load(&arrived) < nthreads): the loop waits for a count of
 * arrivals to reach a number, the first half of a hand-made barrier, not
 * for one flag (an event cannot count; pthread_barrier_wait or sl_group is
 * that replacement, and these start-up gates run once). */
static bool waits_for_count(const struct sl_expr *test, const struct loop_scan *ls)
{
    while (test && test->kind == SL_EX_UNARY && test->op == SL_U_LNOT && test->n_kids) test = test->kids[0];
    if (!test || test->kind != SL_EX_BINARY || test->n_kids != 2) return false;
    if (test->op != SL_B_LT && test->op != SL_B_LE && test->op != SL_B_GT && test->op != SL_B_GE)
        return false;
    for (int side = 0; side < 2; side++)
        if (mentions_polled(test->kids[side], ls) && !is_small_int(test->kids[!side])) return true;
    return false;
}

/* atomic_fetch_add(&r->ready, 1); while (!atomic_load(&r->go)) ...: the
 * thread checks in on a counter, then waits for the release: the second
 * half of the same hand-made barrier. */
static bool follows_check_in(const struct sl_stmt *L)
{
    const struct sl_stmt *b = L->parent;
    if (!b || b->kind != SL_ST_BLOCK) return false;
    for (uint32_t i = 1; i < b->n_kids; i++) {
        if (b->kids[i] != L) continue;
        const struct sl_stmt *prev = b->kids[i - 1];
        const struct sl_expr *e = prev->kind == SL_ST_EXPR ? prev->expr : NULL;
        return e && e->kind == SL_EX_CALL && e->atomic == SL_AT_RMW && e->n_kids &&
               reads_shared(e->kids[0]);
    }
    return false;
}

static const char *how_it_waits(const struct loop_scan *ls)
{
    if (ls->sleeps) return "sleeps and re-polls";
    if (ls->yields) return "yields and re-polls";
    return "spins";
}

/* The shared object an expression reads: a field or global, directly or
 * through atomic_load(&x) and the like; NULL otherwise. */
static const void *object_read(const struct sl_expr *e)
{
    if (!e) return NULL;
    if (e->kind == SL_EX_CALL && e->atomic == SL_AT_LOAD && e->n_kids) {
        e = e->kids[0];
        if (e->kind == SL_EX_UNARY && e->op == SL_U_ADDROF && e->n_kids) e = e->kids[0];
    }
    if (e->kind == SL_EX_MEMBER) return e->field;
    if (e->kind == SL_EX_REF && e->var && (e->var->kind == SL_VAR_GLOBAL || e->var->is_static))
        return e->var;
    return NULL;
}

/* Is local v assigned, inside loop L, a read of obj? */
static bool snapshot_taken_in(const struct sl_func *f, const struct loop_scan *ls,
                              const struct sl_var *v, const void *obj)
{
    const struct sl_stmt *L = ls->loop;
    for (uint32_t i = ls->expr_lo; i < ls->expr_hi; i++) {
        const struct sl_expr *x = f->exprs[i];
        if (x->kind != SL_EX_ASSIGN || x->op != SL_B_ASSIGN || x->n_kids != 2) continue;
        if (x->kids[0]->kind != SL_EX_REF || x->kids[0]->var != v) continue;
        if (!x->stmt || !sl_stmt_within(x->stmt, L) || object_read(x->kids[1]) != obj) continue;
        return true;
    }
    return false;
}

/* A validation retry, not a wait: the exit test compares a snapshot taken
 * in this round with a fresh read of the same object (a seqlock reader's
 * `s != atomic_load(&seq)`); it leaves as soon as nothing changed, where a
 * waiter leaves when something did. */
static bool validates_snapshot(const struct sl_func *f, const struct loop_scan *ls,
                               const struct sl_expr *e)
{
    if (!e) return false;
    if (e->kind == SL_EX_BINARY && (e->op == SL_B_NE || e->op == SL_B_EQ) && e->n_kids == 2) {
        for (int k = 0; k < 2; k++) {
            const struct sl_expr *a = e->kids[k], *b = e->kids[1 - k];
            const void *obj = object_read(b);
            if (a->kind == SL_EX_REF && a->var && a->var->kind == SL_VAR_LOCAL && obj &&
                snapshot_taken_in(f, ls, a->var, obj))
                return true;
        }
    }
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (validates_snapshot(f, ls, e->kids[i])) return true;
    return false;
}

/* do { ... } while (0): a macro's statement wrapper, run once. */
static bool runs_once(const struct sl_stmt *L)
{
    return L->expr && L->expr->kind == SL_EX_INT && L->expr->has_value && L->expr->ival == 0;
}

static void check_loop(struct sl_rule_ctx *cx, const struct sl_pmap *writers,
                       const struct sl_func *f, const struct sl_stmt *L, uint32_t lo, uint32_t hi)
{
    if (runs_once(L)) return;
    struct loop_scan *ls = sl_arena_alloc(cx->scratch, sizeof *ls);
    memset(ls, 0, sizeof *ls);
    ls->loop = L;
    ls->expr_lo = lo;
    ls->expr_hi = hi;
    if (validates_snapshot(f, ls, L->expr)) return;
    scan_loop(cx->flow, f, ls);
    if (ls->not_a_wait) return;   /* work, a proper blocking wait, or an acquire retry */
    if (ls->shared_write) return;   /* the loop changes shared state: not only waiting */
    if (!collect_exit_tests(f, ls)) return;   /* a counted spin or retry */
    if (!ls->n_polled) return;   /* re-tests locals only */
    const struct sl_access *writer;
    const struct polled *flag = flag_of(cx->facts, writers, f, ls, &writer);
    if (!flag) return;
    if (function_acquires_flag(f, flag) || scans_every_record(L, flag)) return;
    if ((L->expr && waits_for_count(L->expr, ls)) || follows_check_in(L)) return;

    const char *what = how_it_waits(ls);
    const char *flag_text = flag->field || flag->var ? flag->name : sl_expr_text(cx->scratch, flag->at);
    struct sl_diag *d = sl_report(cx, L->loc,
        "this loop %s until '%s' changes, which another thread sets: %s; wait on an sl_event "
        "(or a condvar loop) that the writer signals",
        what, flag_text,
        ls->sleeps ? "each change waits up to a whole sleep to be seen, and the thread wakes "
                     "for nothing in between"
                   : "it burns a core and keeps pulling the flag's cache line from the writer");
    sl_set_identity(cx, d, flag->name);
    if (writer)
        sl_note(cx, d, writer->e->loc, "'%s' is set here, in '%s'", flag->name, writer->func->name);
    sl_note_text(cx, d, "replacement: sl_event_wait(&ev) here and sl_event_set(&ev) where '%s' "
                 "is set (runtime/include/synclint/event.h)", flag_text);
}

/* The contract is in rules/rule.h. */
static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    struct sl_pmap writers;
    sl_pmap_init(&writers, cx->scratch);
    index_writers(cx->facts, &writers);
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file || !f->n_stmts) continue;
        uint32_t *lo = NULL, *hi = NULL;
        for (uint32_t i = 0; i < f->n_stmts; i++) {
            if (!sl_stmt_is_loop(f->stmts[i]) || !sl_loc_in_main(f->stmts[i]->loc)) continue;
            if (!lo) {
                lo = sl_xmalloc(2 * (size_t)f->n_stmts * sizeof *lo);
                hi = lo + f->n_stmts;
                sl_expr_ranges(f, lo, hi);
            }
            if (lo[i] < hi[i]) check_loop(cx, &writers, f, f->stmts[i], lo[i], hi[i]);
            else check_loop(cx, &writers, f, f->stmts[i], 0, 0);
        }
        free(lo);
    }
}

const struct sl_rule sl_rule_busy_wait = {
    .id = "busy-wait",
    .tier = 3,
    .precision = "high",   /* 4 of 4 right on OVS, libevent, curl (fewer than 20 checked) */
    .summary = "a loop that spins, yields or sleeps until another thread sets a flag",
    .replacement = "sl_event (runtime/include/synclint/event.h), or a condvar loop",
    .what =
        "A loop whose only job is to re-test state another thread sets: it spins on it\n"
        "(`while (!ready) ;`, `while (!atomic_load(&done)) cpu_relax();`), yields between\n"
        "tests (sched_yield, thrd_yield), or sleeps and re-polls (usleep, nanosleep,\n"
        "thrd_sleep, poll(NULL, 0, ms)).  The state is a global or static, a field, what a\n"
        "pointer points to: atomic or volatile, or written by another function of the file.\n"
        "The loop does nothing else each round but read clocks, take and drop a lock\n"
        "around the test, and pause.",
    .why =
        "A spinning waiter burns a whole core and keeps pulling the flag's cache line away\n"
        "from the writer; with more threads than cores it can steal the time the writer\n"
        "needs.  A sleeping poller trades that for latency: on average half its sleep\n"
        "passes between the store and the waiter noticing, and it wakes for nothing\n"
        "meanwhile.  An event (futex) or a condvar parks the waiter and wakes it at the\n"
        "store: no cpu while waiting, microseconds of latency.",
    .before =
        "static atomic_bool ready;\n"
        "void *producer(void *arg) { load_table(); atomic_store(&ready, true); return 0; }\n"
        "void consumer(void) {\n"
        "    while (!atomic_load(&ready))\n"
        "        usleep(1000);\n"
        "    use_table();\n"
        "}",
    .after =
        "static sl_event ready = SL_EVENT_INIT;\n"
        "void *producer(void *arg) { load_table(); sl_event_set(&ready); return 0; }\n"
        "void consumer(void) {\n"
        "    sl_event_wait(&ready);\n"
        "    use_table();\n"
        "}",
    .when_not =
        "Not flagged: a bounded spin (a counted loop) before a real block, the adaptive\n"
        "spin of a lock or channel; a compare-and-swap or trylock retry; the wait inside a\n"
        "test-and-test-and-set lock (the function also takes the flag by exchange or CAS);\n"
        "a grace-period scan that waits for every thread's record in turn (one event cannot\n"
        "say \"all of them\", and readers must not pay for a wake); walks that advance a\n"
        "cursor (p = p->next, a probe index); loops that count their tries; loops that\n"
        "block in a condvar or semaphore wait, or in poll/select on descriptors (an event\n"
        "loop); a seqlock reader's retry, whose test compares this round's snapshot with a\n"
        "fresh read and leaves when nothing changed; loops that do other work each round;\n"
        "device registers polled through a constant address; do { } while (0); flags of type\n"
        "sig_atomic_t (a signal handler sets them and cannot wake a condvar).  Hand-made\n"
        "barriers are left to a barrier rule: waiting for a count of arrivals to reach a\n"
        "number (`while (atomic_load(&ready) < n)`), and the gate right after a thread\n"
        "checks in on such a counter.  Keep a spin when the wait is known to be shorter\n"
        "than a wake (a few hundred nanoseconds) and each waiter has its own core.  Checked\n"
        "on Open vSwitch, libevent and curl: 4 findings, all right (OVS PMD reload\n"
        "handshakes and a test), too few for more than \"high\".",
    .needs = SL_NEED_ACCESS | SL_NEED_DEFUSE,
    .check = check,
};
