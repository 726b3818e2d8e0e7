/* volatile-as-sync - a volatile (not atomic) flag used to signal between
 * threads: spun on or tested in a loop while another function sets it, or
 * written on one thread and read on another. */
#include <string.h>
#include "rulekit.h"

/* One volatile object: a global/static variable or a struct field. */
struct vobj {
    const struct sl_var *var;
    const struct sl_field *field;
    const struct sl_access *loop_read;    /* first read tested in a loop */
    const struct sl_access *read;         /* first read */
    const struct sl_access *write;        /* first write outside a signal handler */
    bool skip;                            /* atomic access, device register, ... */
};

static bool volatile_type(uint32_t tflags, uint32_t elem_tflags)
{
    if ((tflags | elem_tflags) & SL_TY_ATOMIC) return false;
    return (tflags & SL_TY_VOLATILE) || ((tflags & SL_TY_ARRAY) && (elem_tflags & SL_TY_VOLATILE));
}

/* volatile sig_atomic_t: the one use of volatile the C standard blesses
 * (a flag set by a signal handler). */
static bool is_sig_atomic(const char *type_name)
{
    return type_name && strstr(type_name, "sig_atomic_t");
}

static bool candidate_var(const struct sl_var *v)
{
    return v && volatile_type(v->tflags, v->elem_tflags) && v->sync == SL_SYNC_NONE &&
           !is_sig_atomic(v->type_name) && !v->from_system_header && !v->is_thread_local;
}

static bool candidate_field(const struct sl_field *f)
{
    return f && volatile_type(f->tflags, f->elem_tflags) && f->sync == SL_SYNC_NONE &&
           !is_sig_atomic(f->type_name) && !(f->record && f->record->from_system_header);
}

/* ---- signal handlers ---- */

static void add_handler(const struct sl_func **set, uint32_t *n, uint32_t max,
                        const struct sl_expr *e)
{
    if (e && e->kind == SL_EX_REF && e->func && *n < max) set[(*n)++] = e->func;
}

/* Functions installed as signal handlers in this TU: passed to signal() /
 * sigset(), stored into sa_handler / sa_sigaction, or named in the
 * initializer of a struct sigaction. */
static uint32_t signal_handlers(const struct sl_model *m, const struct sl_func **set, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *e = f->exprs[i];
            if (e->kind == SL_EX_CALL && e->name &&
                (!strcmp(e->name, "signal") || !strcmp(e->name, "sigset") ||
                 !strcmp(e->name, "bsd_signal")))
                add_handler(set, &n, max, sl_call_arg(e, 1));
            else if (e->kind == SL_EX_ASSIGN && e->n_kids == 2 && e->kids[0]->kind == SL_EX_MEMBER &&
                     e->kids[0]->name && (!strcmp(e->kids[0]->name, "sa_handler") ||
                                          !strcmp(e->kids[0]->name, "sa_sigaction")))
                add_handler(set, &n, max, e->kids[1]);
            else if (e->kind == SL_EX_REF && e->func && e->stmt && e->stmt->kind == SL_ST_DECL &&
                     e->stmt->var && e->stmt->var->record &&
                     !strcmp(e->stmt->var->record->name, "struct sigaction"))
                add_handler(set, &n, max, e);
        }
    }
    return n;
}

static bool in_set(const struct sl_func *const *set, uint32_t n, const struct sl_func *f)
{
    for (uint32_t i = 0; i < n; i++)
        if (set[i] == f) return true;
    return false;
}

/* ---- where a read sits ---- */

static const struct sl_expr *root_expr(const struct sl_expr *e)
{
    while (e->parent) e = e->parent;
    return e;
}

static bool inside_loop(const struct sl_stmt *s)
{
    for (; s; s = s->parent)
        if (sl_stmt_is_loop(s)) return true;
    return false;
}

/* The read is a loop's condition (`while (!done)`, `for (; !stop; )`), or
 * the condition of an `if` inside a loop body (`if (w->quit) break;`). */
static bool tested_in_loop(const struct sl_expr *e)
{
    const struct sl_stmt *s = e->stmt;
    if (!s) return false;
    const struct sl_expr *r = root_expr(e);
    if (sl_stmt_is_loop(s)) return r == s->expr;
    if (s->kind == SL_ST_IF) return r == s->expr && inside_loop(s->parent);
    return false;
}

/* A struct whose every field is volatile is a register block or a layout
 * shared with a device or another process, not a thread's flag. */
static bool register_block(const struct sl_record *r)
{
    if (!r || r->n_fields < 2) return false;
    for (uint32_t i = 0; i < r->n_fields; i++)
        if (!volatile_type(r->fields[i]->tflags, r->fields[i]->elem_tflags)) return false;
    return true;
}

static bool calls_setjmp(const struct sl_func *f)
{
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const char *n = f->calls[i]->name;
        if (n && (strstr(n, "setjmp") || !strcmp(n, "getcontext"))) return true;
    }
    return false;
}

/* ---- collecting the objects ---- */

static struct vobj *find_obj(struct vobj *objs, uint32_t n, const struct sl_access *a)
{
    for (uint32_t i = 0; i < n; i++)
        if (objs[i].var == a->var && objs[i].field == a->field) return &objs[i];
    return NULL;
}

static uint32_t collect(struct sl_rule_ctx *cx, const struct sl_func *const *handlers,
                        uint32_t n_handlers, struct vobj **out)
{
    const struct sl_facts *fx = cx->facts;
    struct vobj *objs = sl_arena_alloc(cx->scratch, (fx->n_accesses + 1) * sizeof *objs);
    uint32_t n = 0;
    for (uint32_t i = 0; i < fx->n_accesses; i++) {
        const struct sl_access *a = &fx->accesses[i];
        if (a->field ? !candidate_field(a->field) : !candidate_var(a->var)) continue;
        struct vobj *o = find_obj(objs, n, a);
        if (!o) {
            o = &objs[n++];
            memset(o, 0, sizeof *o);
            o->var = a->var;
            o->field = a->field;
        }
        if (a->atomic || sl_through_constant_address(fx, a->e) || calls_setjmp(a->func) ||
            (a->field && register_block(a->field->record)))
            o->skip = true;
        if (a->write) {
            if (!o->write && !in_set(handlers, n_handlers, a->func)) o->write = a;
        } else {
            if (!o->read) o->read = a;
            if (!o->loop_read && tested_in_loop(a->e)) o->loop_read = a;
        }
    }
    *out = objs;
    return n;
}

enum { MAX_HELD = 16 };

/* The lock classes held at e on some path (may-held), on every path, or by
 * every caller of its function. */
static uint32_t held_somehow(const struct sl_rule_ctx *cx, const struct sl_expr *e, const char **out)
{
    uint32_t n = sl_facts_held_classes(cx->facts, e, out, MAX_HELD);
    const struct sl_lockset *may = sl_held_may(cx->flow, e);
    for (uint32_t i = 0; i < sl_lockset_size(may) && n < MAX_HELD; i++)
        out[n++] = may->items[i].lock->cls;
    return n;
}

/* Both accesses hold a common lock: the lock orders them, and volatile is
 * only redundant there.  May-held counts: a flag read and written under
 * its lock on the paths lock-flow can follow is the lock's, not a signal. */
static bool under_common_lock(const struct sl_rule_ctx *cx, const struct sl_access *a,
                              const struct sl_access *b)
{
    const char *ha[MAX_HELD], *hb[MAX_HELD];
    uint32_t na = held_somehow(cx, a->e, ha);
    uint32_t nb = held_somehow(cx, b->e, hb);
    for (uint32_t i = 0; i < na; i++)
        for (uint32_t j = 0; j < nb; j++)
            if (ha[i] == hb[j]) return true;
    return false;
}

/* The reading function joins a thread before the read: the join orders
 * the thread's writes before it (num_threads checked after the joins). */
static bool joined_before(const struct sl_access *r)
{
    static const char *const join_words[] = {"join", NULL};
    for (uint32_t i = 0; i < r->func->n_calls; i++) {
        const struct sl_expr *c = r->func->calls[i];
        if (c->loc.line > r->e->loc.line) break;
        if (c->name && sl_name_has_word(c->name, join_words)) return true;
    }
    return false;
}

/* The write is made before its function starts a thread: thread creation
 * orders it before everything the new thread does (flag = 1; then
 * pthread_create), so it signals nothing. */
static bool before_thread_start(const struct sl_access *w)
{
    for (uint32_t i = 0; i < w->func->n_calls; i++) {
        const struct sl_expr *c = w->func->calls[i];
        if (c->loc.line >= w->e->loc.line && sl_thread_start_target(c)) return true;
    }
    return false;
}

/* The read and the write that show the signalling, or false: a test in a
 * loop with a write in another function, or a write and a read in two
 * functions of which one runs on a thread this TU starts (the read not
 * after a join).  Accesses under a common lock are ordered by it. */
static bool signalling_pair(struct sl_rule_ctx *cx, const struct vobj *o,
                            const struct sl_func *const *handlers, uint32_t n_handlers,
                            const struct sl_access **rd, const struct sl_access **wr)
{
    const struct sl_facts *fx = cx->facts;
    const struct sl_access *first = NULL;
    for (uint32_t i = 0; i < fx->n_accesses; i++) {
        const struct sl_access *w = &fx->accesses[i];
        if (!w->write || w->var != o->var || w->field != o->field ||
            in_set(handlers, n_handlers, w->func) || before_thread_start(w))
            continue;
        if (o->loop_read && w->func != o->loop_read->func &&
            !under_common_lock(cx, o->loop_read, w)) {
            *rd = o->loop_read;
            *wr = w;
            return true;
        }
        if (!first && !(o->loop_read && under_common_lock(cx, o->loop_read, w))) first = w;
    }
    if (!first) return false;
    for (uint32_t i = 0; i < fx->n_accesses; i++) {
        const struct sl_access *r = &fx->accesses[i];
        if (r->write || r->var != o->var || r->field != o->field || r->func == first->func ||
            under_common_lock(cx, r, first) || joined_before(r))
            continue;
        if (sl_runs_on_thread(fx, r->func) || sl_runs_on_thread(fx, first->func)) {
            *rd = r;
            *wr = first;
            return true;
        }
    }
    return false;
}

static const char *obj_name(struct sl_rule_ctx *cx, const struct vobj *o)
{
    if (o->var) return o->var->name;
    return sl_arena_printf(cx->scratch, "%s.%s", o->field->record ? o->field->record->name : "?",
                           o->field->name);
}

static void report(struct sl_rule_ctx *cx, const struct vobj *o, const struct sl_access *rd,
                   const struct sl_access *wr, const char *how)
{
    const char *name = obj_name(cx, o);
    struct sl_diag *d = sl_report(cx, rd->e->loc,
        "'%s' is volatile, not atomic, yet %s while '%s' sets it: volatile gives neither "
        "atomicity nor ordering between threads, so this is a data race and what was written "
        "before the flag may not be seen after it",
        name, how, wr->func->name);
    sl_set_identity(cx, d, name);
    sl_note(cx, d, o->var ? o->var->loc : o->field->loc, "'%s' is declared volatile here", name);
    sl_note(cx, d, wr->e->loc, "set here, in '%s'", wr->func->name);
    sl_note_text(cx, d, "use: _Atomic with atomic_store_explicit(..., memory_order_release) / "
                 "atomic_load_explicit(..., memory_order_acquire), or sl_event "
                 "(<synclint/event.h>) for a one-shot signal");
}

static void check_shared(struct sl_rule_ctx *cx)
{
    enum { MAX_HANDLERS = 32 };
    const struct sl_func *handlers[MAX_HANDLERS];
    uint32_t n_handlers = signal_handlers(cx->model, handlers, MAX_HANDLERS);
    struct vobj *objs;
    uint32_t n = collect(cx, handlers, n_handlers, &objs);
    for (uint32_t i = 0; i < n; i++) {
        const struct vobj *o = &objs[i];
        if (o->skip || !o->write || !o->read) continue;
        const struct sl_access *rd, *wr;
        if (!signalling_pair(cx, o, handlers, n_handlers, &rd, &wr)) continue;
        if (!rd->func->in_main_file && !wr->func->in_main_file) continue;
        const char *how = tested_in_loop(rd->e)
            ? sl_arena_printf(cx->scratch, "'%s' tests it in a loop", rd->func->name)
            : sl_arena_printf(cx->scratch, "'%s' reads it on another thread", rd->func->name);
        report(cx, o, rd, wr, how);
    }
}

/* ---- a volatile local handed to a thread: pthread_create(&t, 0, fn, &done) ---- */

static bool handed_to_thread(const struct sl_func *f, const struct sl_var *v,
                             const struct sl_expr **call)
{
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        if (!c->name || (strcmp(c->name, "pthread_create") && strcmp(c->name, "thrd_create")))
            continue;
        const struct sl_expr *arg = sl_call_arg(c, !strcmp(c->name, "thrd_create") ? 2 : 3);
        if (arg && arg->kind == SL_EX_UNARY && arg->op == SL_U_ADDROF && arg->n_kids &&
            arg->kids[0]->kind == SL_EX_REF && arg->kids[0]->var == v) {
            *call = c;
            return true;
        }
    }
    return false;
}

static void check_locals(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file || calls_setjmp(f)) continue;
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *e = f->exprs[i];
            const struct sl_var *v = e->kind == SL_EX_REF ? e->var : NULL;
            if (!v || v->kind != SL_VAR_LOCAL || v->is_static || !candidate_var(v) ||
                !tested_in_loop(e))
                continue;
            const struct sl_expr *call;
            if (!handed_to_thread(f, v, &call)) continue;
            struct sl_diag *d = sl_report(cx, e->loc,
                "'%s' is volatile, not atomic, yet '%s' tests it in a loop while the thread it "
                "was handed to sets it: volatile gives neither atomicity nor ordering between "
                "threads, so this is a data race and what was written before the flag may not "
                "be seen after it", v->name, f->name);
            sl_set_identity(cx, d, v->name);
            sl_note(cx, d, v->loc, "'%s' is declared volatile here", v->name);
            sl_note(cx, d, call->loc, "its address is handed to a new thread here");
            sl_note_text(cx, d, "use: _Atomic with acquire/release, pthread_join, or sl_event "
                         "(<synclint/event.h>) for a one-shot signal");
            break;
        }
    }
}

static void check(struct sl_rule_ctx *cx)
{
    check_shared(cx);
    check_locals(cx);
}

const struct sl_rule sl_rule_volatile_as_sync = {
    .id = "volatile-as-sync",
    .tier = 3,
    .summary = "a volatile (not atomic) flag used to signal between threads",
    .replacement = "_Atomic / atomic_* with acquire/release, or sl_event",
    .what =
        "A volatile object that is not _Atomic - a global, a static, a struct field, or a\n"
        "local whose address is handed to pthread_create / thrd_create - used to signal\n"
        "between threads: tested in a loop (while (!done), if (w->quit) break; in a loop body)\n"
        "while another function sets it, or written on one thread and read on another (the\n"
        "functions this file starts as threads). Not reported: volatile sig_atomic_t, and any\n"
        "volatile written only by signal handlers (functions passed to signal() or stored in\n"
        "sa_handler / sa_sigaction); device registers (reached through a constant address,\n"
        "or fields of a struct whose every field is volatile: a register block);\n"
        "volatile locals in a function that calls setjmp; benchmark sinks (written, never\n"
        "read elsewhere); objects also accessed with atomic builtins; _Atomic volatile;\n"
        "accesses that hold a common lock (the lock orders them), reads after a join, and\n"
        "writes made before the writer starts the thread that reads;\n"
        "pthread_spinlock_t (a volatile int). A flag set only in another file is not seen.",
    .why =
        "volatile only stops the compiler from caching the object in a register; it makes no\n"
        "access atomic and orders nothing. The C11 memory model calls concurrent plain and\n"
        "volatile accesses a data race (undefined behaviour), and on weakly ordered CPUs (ARM,\n"
        "POWER) the data the writer prepared before setting the flag can be seen after the\n"
        "flag, so the reader acts on stale or half-written state. Even on x86 the compiler may\n"
        "move non-volatile stores across the volatile one. ThreadSanitizer reports every such\n"
        "pair. A spinning reader also burns a core that a blocking wait (sl_event) would free.",
    .before =
        "static volatile int done;\n"
        "static int result;\n"
        "void *worker(void *arg) { result = compute(); done = 1; return NULL; }\n"
        "int wait_result(void) { while (!done) ; return result; }",
    .after =
        "static atomic_int done;\n"
        "static int result;\n"
        "void *worker(void *arg)\n"
        "{\n"
        "    result = compute();\n"
        "    atomic_store_explicit(&done, 1, memory_order_release);\n"
        "    return NULL;\n"
        "}\n"
        "int wait_result(void)\n"
        "{\n"
        "    while (!atomic_load_explicit(&done, memory_order_acquire)) ;\n"
        "    return result;\n"
        "}\n"
        "/* or: sl_event_set(&ev) / sl_event_wait(&ev), which also stops the spinning */",
    .when_not =
        "Code built only for a compiler and platform that give volatile acquire/release\n"
        "semantics (MSVC's /volatile:ms on x86), and that stays there; memory shared with\n"
        "another process or a device, where volatile is the point (add the fences then);\n"
        "a flag whose writer is a signal handler but is not typed sig_atomic_t (fix the type).",
    .precision = "high",   /* docs/precision.md */
    .needs = SL_NEED_ACCESS | SL_NEED_THREADS | SL_NEED_DEFUSE,
    .check = check,
};
