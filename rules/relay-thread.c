/* relay-thread - a thread whose loop only receives a value and stores it into one variable. */
#include <string.h>
#include "rulekit.h"

static const char *const receive_names[] = {
    "read", "recv", "recvfrom", "recvmsg", "mq_receive", "mq_timedreceive", "msgrcv",
    "fread", "fgets", "getline", NULL,
};
/* chan_recv, queue_pop, mailbox_take, ring_dequeue, msg_receive ... */
static const char *const receive_words[] = {
    "recv", "receive", "pop", "dequeue", "take", NULL,
};

static bool name_in(const char *name, const char *const *list)
{
    for (; name && *list; list++)
        if (!strcmp(name, *list)) return true;
    return false;
}

static bool is_plain_local(const struct sl_var *v)
{
    return v && (v->kind == SL_VAR_LOCAL || v->kind == SL_VAR_PARAM) && !v->is_static;
}

enum call_role { ROLE_OTHER, ROLE_RECEIVE, ROLE_WAIT, ROLE_LOCKING, ROLE_ATOMIC };

static enum call_role role_of(const struct sl_flow *fl, const struct sl_expr *c)
{
    if (c->atomic == SL_AT_LOAD || c->atomic == SL_AT_STORE) return ROLE_ATOMIC;
    if (c->atomic) return ROLE_OTHER;   /* an RMW: an aggregate */
    switch (sl_call_lockop(fl, c)) {
    case SL_OP_NONE: break;
    case SL_OP_LOCK: case SL_OP_UNLOCK: case SL_OP_RDLOCK: case SL_OP_WRLOCK: return ROLE_LOCKING;
    case SL_OP_WAIT: case SL_OP_TIMEDWAIT: case SL_OP_SEM_WAIT: case SL_OP_SEM_TIMEDWAIT:
        return ROLE_WAIT;
    default: return ROLE_OTHER;   /* a signal tells someone: more than a relay */
    }
    if (!c->name || c->indirect) return ROLE_OTHER;
    if (name_in(c->name, receive_names) || sl_name_has_word(c->name, receive_words))
        return ROLE_RECEIVE;
    return ROLE_OTHER;
}

/* A statement on the loop's way out (`if (n <= 0) { close(fd); break; }`):
 * error handling, not what each round does. */
static bool on_exit_path(const struct sl_stmt *s, const struct sl_stmt *loop)
{
    for (const struct sl_stmt *p = s; p && p != loop; p = p->parent) {
        const struct sl_stmt *q = p->parent;
        if (!q || q->kind != SL_ST_IF) continue;
        const struct sl_stmt *branch = p;
        if (branch->kind == SL_ST_BREAK || branch->kind == SL_ST_RETURN || branch->kind == SL_ST_GOTO)
            return true;
        if (branch->kind == SL_ST_BLOCK)
            for (uint32_t i = 0; i < branch->n_kids; i++) {
                uint8_t k = branch->kids[i]->kind;
                if (k == SL_ST_BREAK || k == SL_ST_RETURN || k == SL_ST_GOTO) return true;
            }
    }
    return false;
}

/* The objects a wait loop inside the relay tests (`while (!mb->full)
 * wait`): the mailbox's own state, which the receiving side may reset. */
static bool tested_by_wait_loop(const struct sl_flow *fl, const struct sl_func *f,
                                const struct sl_stmt *loop, const struct sl_expr *w)
{
    if (w->kind != SL_EX_MEMBER && w->kind != SL_EX_REF) return false;
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        if (!c->stmt || !sl_stmt_within(c->stmt, loop) || role_of(fl, c) != ROLE_WAIT) continue;
        for (const struct sl_stmt *s = c->stmt; s && s != loop; s = s->parent) {
            if (!sl_stmt_is_loop(s) || !s->expr) continue;
            for (uint32_t k = 0; k < f->n_exprs; k++) {
                const struct sl_expr *x = f->exprs[k];
                const struct sl_expr *r = x;
                while (r->parent) r = r->parent;
                if (r != s->expr || x->kind != w->kind) continue;
                if (w->kind == SL_EX_MEMBER ? x->field == w->field : x->var == w->var) return true;
            }
        }
    }
    return false;
}

static bool same_object(const struct sl_expr *a, const struct sl_expr *b)
{
    if (a->kind != b->kind) return false;
    if (a->kind == SL_EX_MEMBER) return a->field == b->field;
    if (a->kind == SL_EX_REF) return a->var == b->var;
    return false;
}

/* Does e read the object w names (target = target + v: an aggregate)? */
static bool reads_object(const struct sl_expr *e, const struct sl_expr *w)
{
    if (!e) return false;
    if (same_object(e, w)) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (reads_object(e->kids[i], w)) return true;
    return false;
}

static bool is_constant(const struct sl_expr *e)
{
    return e && (e->kind == SL_EX_INT || e->kind == SL_EX_FLOAT || e->kind == SL_EX_STRING ||
                 e->kind == SL_EX_SIZEOF);
}

/* The value an atomic store writes.  libclang lists an atomic builtin's
 * operands as clang stores them (object, order, value), a call in source
 * order (object, value, order): take the operand that is not a constant. */
static const struct sl_expr *stored_value(const struct sl_expr *store)
{
    for (uint32_t i = 1; i < store->n_kids; i++)
        if (!is_constant(store->kids[i])) return store->kids[i];
    return store->kids[store->n_kids - 1];
}

/* What one round of the loop does. */
struct relay {
    const struct sl_expr *receive;   /* the first receive or value wait */
    const struct sl_expr *store;     /* the one shared store */
    const struct sl_expr *target;    /* the object it writes */
    const struct sl_expr *value;     /* what it stores */
    bool more;                       /* anything else: not a relay */
};

/* s->last or g, not done[id] or slot[v].x: one variable, not an element
 * picked per value. */
static bool names_one_object(const struct sl_expr *t)
{
    if (t->kind != SL_EX_MEMBER && t->kind != SL_EX_REF) return false;
    for (const struct sl_expr *e = t; e && e->n_kids; e = e->kids[0]) {
        if (e->kind == SL_EX_INDEX && e->n_kids == 2 && e->kids[1]->kind != SL_EX_INT) return false;
        if (e->kind == SL_EX_CALL) return false;
    }
    return true;
}

static void note_store(struct relay *r, const struct sl_expr *store, const struct sl_expr *target,
                       const struct sl_expr *value)
{
    if (!names_one_object(target)) { r->more = true; return; }
    if (r->target && same_object(r->target, target) && r->store->stmt == store->stmt) return;
    if (r->target) { r->more = true; return; }   /* a second shared object */
    r->store = store; r->target = target; r->value = value;
}

static void scan_round(const struct sl_flow *fl, const struct sl_func *f, const struct sl_stmt *loop,
                       struct relay *r)
{
    for (uint32_t i = 0; i < f->n_exprs && !r->more; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (!e->stmt || !sl_stmt_within(e->stmt, loop) || on_exit_path(e->stmt, loop)) continue;
        if (e->kind == SL_EX_CALL) {
            enum call_role role = role_of(fl, e);
            if (role == ROLE_OTHER) { r->more = true; break; }
            if ((role == ROLE_RECEIVE || role == ROLE_WAIT) && !r->receive) r->receive = e;
            if (e->atomic == SL_AT_STORE && e->n_kids >= 2) {
                const struct sl_expr *t = e->kids[0];
                if (t->kind == SL_EX_UNARY && t->op == SL_U_ADDROF && t->n_kids) t = t->kids[0];
                note_store(r, e, t, stored_value(e));
            }
            continue;
        }
        const struct sl_expr *w = sl_expr_written_object(e);
        if (w && w->kind == SL_EX_UNARY && w->op == SL_U_DEREF && w->n_kids == 1 &&
            w->kids[0]->kind == SL_EX_UNARY && w->kids[0]->op == SL_U_ADDROF && w->kids[0]->n_kids == 1)
            w = w->kids[0]->kids[0];   /* *&v: a macro storing into the local v */
        if (!w) continue;
        if (w->kind == SL_EX_REF && is_plain_local(w->var)) continue;   /* locals: the received copy */
        if (tested_by_wait_loop(fl, f, loop, w)) continue;   /* consuming the mailbox */
        if (e->kind != SL_EX_ASSIGN || e->op != SL_B_ASSIGN || e->n_kids != 2 ||
            reads_object(e->kids[1], w)) {
            r->more = true;   /* an aggregate, an element of an array, a pointer write */
            break;
        }
        note_store(r, e, w, e->kids[1]);
    }
}

/* The outermost loop of f that receives (its service loop). */
static bool outermost(const struct sl_stmt *s)
{
    for (const struct sl_stmt *p = s->parent; p; p = p->parent)
        if (sl_stmt_is_loop(p)) return false;
    return true;
}

static void check_thread(struct sl_rule_ctx *cx, const struct sl_func *f)
{
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *loop = f->stmts[i];
        if (!sl_stmt_is_loop(loop) || !outermost(loop)) continue;
        struct relay r = {0};
        scan_round(cx->flow, f, loop, &r);
        if (r.more || !r.receive || !r.store || is_constant(r.value)) continue;
        const char *target = sl_expr_text(cx->scratch, r.target);
        struct sl_diag *d = sl_report(cx, r.store->loc,
            "thread '%s' only receives a value and stores it into '%s': a whole thread, its "
            "stack and a wake-up per value to do what one atomic store by the sender does",
            f->name, target);
        sl_set_identity(cx, d, target);
        sl_note(cx, d, r.receive->loc, "each round receives here ('%s') and does nothing else",
                r.receive->name ? r.receive->name : "wait");
        sl_note_text(cx, d, "replacement: the sender does atomic_store(&%s, v) itself (or "
                     "sl_snapshot_publish for a published object, runtime/include/synclint/"
                     "snapshot.h), and the thread goes away", target);
    }
}

/* The contract is in rules/rule.h. */
static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file || !f->body || !sl_is_thread_entry(cx->facts, f)) continue;
        check_thread(cx, f);
    }
}

const struct sl_rule sl_rule_relay_thread = {
    .id = "relay-thread",
    .tier = 3,
    .summary = "a thread whose loop only receives a value and stores it into one variable",
    .replacement = "an atomic store by the sender; sl_snapshot for a published object",
    .what =
        "A thread entry (a pthread_create / thrd_create target) whose service loop only\n"
        "receives a value (read, recv, mq_receive, a channel or queue receive such as\n"
        "sl_chan_recv, or a condvar wait for a mailbox) and stores it into one shared\n"
        "variable, with nothing else done each round: the goroutine-style relay of a\n"
        "\"latest value\".  Taking a lock around the store, and resetting the mailbox it\n"
        "waited on, still count as nothing else.",
    .why =
        "The thread costs a stack (8 MiB reserved by default), a wake-up and a context\n"
        "switch per value, and a window in which readers see the old value although the\n"
        "sender has long sent the new one.  The sender can store the value itself: one\n"
        "atomic store (release) and readers load it (acquire); for an object rather than\n"
        "a word, sl_snapshot_publish hands readers a consistent copy without a lock.",
    .before =
        "static int fds[2];\n"
        "static int current_level;\n"
        "static void *level_relay(void *arg) {\n"
        "    int v;\n"
        "    while (read(fds[0], &v, sizeof v) == sizeof v)\n"
        "        current_level = v;\n"
        "    return NULL;\n"
        "}\n"
        "void set_level(int v) { write(fds[1], &v, sizeof v); }",
    .after =
        "static atomic_int current_level;\n"
        "void set_level(int v) {\n"
        "    atomic_store_explicit(&current_level, v, memory_order_release);\n"
        "}",
    .when_not =
        "Not flagged: threads that process what they receive (call other work, update\n"
        "several fields, write output, signal someone), that forward to another channel or\n"
        "queue (a pipeline stage), that keep a running aggregate (total += v: it needs the\n"
        "lock or an atomic add, not a relay), that store a constant (a flag, not the value),\n"
        "and accept loops that spawn handlers.  Keep the thread when the receive is from\n"
        "another process (a pipe or socket from outside): then no sender in this program\n"
        "can store the value itself.",
    .needs = SL_NEED_THREADS,
    .check = check,
};
