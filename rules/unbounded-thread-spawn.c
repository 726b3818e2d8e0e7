/* unbounded-thread-spawn - a thread per iteration of a loop whose trip count
 * comes from input, with no cap. */
#include <string.h>
#include "rulekit.h"

#define ORIGIN_DEPTH 3
#define HELPER_DEPTH 2

/* Where a loop's count comes from. */
enum origin_kind { OR_UNKNOWN, OR_BOUNDED, OR_INPUT };

struct origin {
    enum origin_kind kind;
    const char *what;              /* "atoi()", "argc", "accept()", "the configuration" */
    struct sl_loc loc;             /* where the input is read */
    bool has_loc;
};

static struct origin unknown(void) { return (struct origin){ OR_UNKNOWN, NULL, { 0 }, false }; }
static struct origin bounded(void) { return (struct origin){ OR_BOUNDED, NULL, { 0 }, false }; }
static struct origin input_at(const char *what, struct sl_loc loc)
{
    return (struct origin){ OR_INPUT, what, loc, true };
}

static bool in_list(const char *n, const char *const *tab)
{
    for (size_t i = 0; n && tab[i]; i++)
        if (!strcmp(n, tab[i])) return true;
    return false;
}

/* A call whose result is a number parsed or received from outside. */
static bool is_input_number_call(const char *n)
{
    static const char *const tab[] = {
        "atoi", "atol", "atoll", "strtol", "strtoul", "strtoll", "strtoull", "strtoimax",
        "strtoumax", "ntohl", "ntohs", "be16toh", "be32toh", "be64toh", "le16toh", "le32toh",
        "le64toh", "read", "recv", "recvfrom", "fread", "getc", "fgetc",
        /* what ntohl, ntohs and be32toh expand to in an optimised build
         * (glibc under __OPTIMIZE__), and <byteswap.h>: byte-order
         * conversion, of a number that came off the wire */
        "__bswap_16", "__bswap_32", "__bswap_64", "__builtin_bswap16", "__builtin_bswap32",
        "__builtin_bswap64", "bswap_16", "bswap_32", "bswap_64", NULL
    };
    static const char *const getter[] = { "get", "parse", "read", "json", "config", "cfg", "conf", NULL };
    static const char *const number[] = { "int", "uint", "long", "ulong", "integer", "number",
                                          "num", "u32", "u64", "i32", "i64", "unsigned", NULL };
    if (!n) return false;
    return in_list(n, tab) || (sl_name_has_word(n, getter) && sl_name_has_word(n, number));
}

/* A call that stores a parsed number through a pointer argument. */
static bool is_input_store_call(const char *n)
{
    static const char *const tab[] = { "sscanf", "scanf", "fscanf", "read", "recv", "fread",
                                       "recvfrom", NULL };
    static const char *const words[] = { "parse", "scan", NULL };
    return n && (in_list(n, tab) || sl_name_has_word(n, words));
}

/* A call that hands over one more connection / line / record from outside. */
static bool is_input_event_call(const char *n)
{
    static const char *const tab[] = { "accept", "accept4", "recv", "recvfrom", "recvmsg",
                                       "read", "fgets", "getline", "getdelim", "fread", "scanf",
                                       "fscanf", "readdir", "msgrcv", "mq_receive", NULL };
    static const char *const words[] = { "accept", NULL };
    return n && (in_list(n, tab) || sl_name_has_word(n, words));
}

/* Calls whose value is bounded by the machine: the CPU count. */
static bool is_cpu_count_call(const char *n)
{
    static const char *const tab[] = { "sysconf", "get_nprocs", "get_nprocs_conf",
                                       "sched_getaffinity", "pthread_num_processors_np", NULL };
    static const char *const words[] = { "cpu", "cpus", "ncpu", "ncpus", "nproc", "nprocs",
                                          "cores", "processors", "min", "clamp", NULL };
    return n && (in_list(n, tab) || sl_name_has_word(n, words));
}

static bool is_const(const struct sl_expr *e)
{
    return (e->kind == SL_EX_INT || e->kind == SL_EX_SIZEOF) && e->has_value;
}

static bool is_small_const(const struct sl_expr *e)
{
    return is_const(e) && e->ival >= -1 && e->ival <= 1;
}

static bool is_relational(int op)
{
    return op == SL_B_LT || op == SL_B_LE || op == SL_B_GT || op == SL_B_GE;
}

/* Does e refer to the object key (a variable, or a field of any object)? */
static bool same_object(const struct sl_expr *e, const struct sl_expr *key)
{
    if (key->kind == SL_EX_REF) return e->kind == SL_EX_REF && e->var && e->var == key->var;
    if (key->kind == SL_EX_MEMBER) return e->kind == SL_EX_MEMBER && e->field && e->field == key->field;
    return false;
}

static bool mentions(const struct sl_expr *e, const struct sl_expr *key)
{
    if (same_object(e, key)) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (mentions(e->kids[i], key)) return true;
    return false;
}

static bool contains(const struct sl_expr *e, const struct sl_expr *x)
{
    if (e == x) return true;
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (contains(e->kids[i], x)) return true;
    return false;
}

/* A comparison in e against a limit, not against 0, 1 or -1 (the error and
 * emptiness tests): of key when given, else of anything with a relational
 * operator (active >= max) or an equality with a constant (n == MAX). */
static bool compares_against_limit(const struct sl_expr *e, const struct sl_expr *key)
{
    if (e->kind == SL_EX_BINARY && e->n_kids == 2 &&
        (is_relational(e->op) || e->op == SL_B_EQ || e->op == SL_B_NE)) {
        const struct sl_expr *x = e->kids[0], *y = e->kids[1];
        if (key)
            return (mentions(x, key) && !is_small_const(y)) || (mentions(y, key) && !is_small_const(x));
        if (is_small_const(x) || is_small_const(y)) return false;
        return is_relational(e->op) || is_const(x) || is_const(y);
    }
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (compares_against_limit(e->kids[i], key)) return true;
    return false;
}

/* Does the statement (sub)tree leave the current path: return, goto,
 * break, continue, or a noreturn-looking call (exit, usage, fatal)? */
static bool stmt_leaves(const struct sl_stmt *s)
{
    static const char *const words[] = { "exit", "abort", "fatal", "die", "usage", "panic",
                                          "error", "err", "errx", NULL };
    if (!s) return false;
    if (s->kind == SL_ST_RETURN || s->kind == SL_ST_GOTO || s->kind == SL_ST_BREAK ||
        s->kind == SL_ST_CONTINUE)
        return true;
    if (s->expr && s->expr->kind == SL_EX_CALL && sl_name_has_word(s->expr->name, words)) return true;
    for (uint32_t i = 0; i < s->n_kids; i++)
        if (stmt_leaves(s->kids[i])) return true;
    return false;
}

/* Does the (sub)tree store into key? */
static bool stmt_assigns(const struct sl_func *f, const struct sl_stmt *s, const struct sl_expr *key)
{
    for (uint32_t i = 0; i < f->n_exprs; i++) {
        const struct sl_expr *e = f->exprs[i];
        if (e->kind != SL_EX_ASSIGN || !e->n_kids || !same_object(e->kids[0], key)) continue;
        for (const struct sl_stmt *p = e->stmt; p; p = p->parent)
            if (p == s) return true;
    }
    return false;
}

/* `if (n > MAX) n = MAX;` or `if (n < 1 || n > MAX) return usage();` in f. */
static bool clamped_in(const struct sl_func *f, const struct sl_expr *key)
{
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (s->kind != SL_ST_IF || !s->expr || !compares_against_limit(s->expr, key)) continue;
        if (stmt_leaves(s->kids[0]) || stmt_assigns(f, s->kids[0], key)) return true;
    }
    return false;
}

static bool clamped_anywhere(const struct sl_model *m, const struct sl_expr *key)
{
    for (uint32_t fi = 0; fi < m->n_funcs; fi++)
        if (clamped_in(m->funcs[fi], key)) return true;
    return false;
}

/* Names of objects that hold settings read from outside. */
static bool names_config(const char *n)
{
    static const char *const words[] = { "config", "conf", "cfg", "opts", "options", "opt",
                                         "settings", NULL };
    return n && sl_name_has_word(n, words);
}

static struct origin origin_of(struct sl_rule_ctx *cx, const struct sl_func *f,
                               const struct sl_expr *e, int depth);

static struct origin combine(struct origin a, struct origin b)
{
    if (a.kind == OR_INPUT) return a;
    if (b.kind == OR_INPUT) return b;
    if (a.kind == OR_BOUNDED && b.kind == OR_BOUNDED) return a;
    return unknown();
}

/* Every store into a global or a field anywhere in the TU, and whether one
 * stores input. */
static struct origin stores_anywhere(struct sl_rule_ctx *cx, const struct sl_expr *key, int depth)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *g = m->funcs[fi];
        for (uint32_t i = 0; i < g->n_exprs; i++) {
            const struct sl_expr *e = g->exprs[i];
            if (e->kind != SL_EX_ASSIGN || e->n_kids != 2 || !same_object(e->kids[0], key)) continue;
            struct origin o = origin_of(cx, g, e->kids[1], depth + 1);
            if (o.kind == OR_INPUT) return o;
        }
    }
    return unknown();
}

/* The local's stores, and calls filling it through &v (sscanf(s, "%d", &n)). */
static struct origin local_origin(struct sl_rule_ctx *cx, const struct sl_func *f,
                                  const struct sl_expr *ref, int depth)
{
    const struct sl_var *v = ref->var;
    const struct sl_var_defs *d = sl_var_defs(cx->facts, v);
    if (clamped_in(f, ref)) return bounded();
    struct origin o = d->n_values ? bounded() : unknown();
    for (uint32_t i = 0; i < d->n_values; i++)
        o = combine(o, origin_of(cx, f, d->values[i], depth + 1));
    if (d->address_taken) {
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            if (!is_input_store_call(c->name)) continue;
            for (uint32_t k = 0; k < c->n_kids; k++) {
                const struct sl_expr *a = c->kids[k];
                if (a->kind == SL_EX_UNARY && a->op == SL_U_ADDROF && a->n_kids &&
                    a->kids[0]->kind == SL_EX_REF && a->kids[0]->var == v)
                    return input_at(c->name, c->loc);
            }
        }
    }
    return o;
}

/* A parameter: what the callers in this TU pass. */
static struct origin param_origin(struct sl_rule_ctx *cx, const struct sl_func *f,
                                  const struct sl_expr *ref, int depth)
{
    const struct sl_var *v = ref->var;
    if (f->name && !strcmp(f->name, "main") && v->param_index == 0)
        return input_at("argc (the command line)", v->loc);
    if (clamped_in(f, ref)) return bounded();
    uint32_t n = sl_n_callers(cx->facts, f);
    struct origin o = n ? bounded() : unknown();
    for (uint32_t i = 0; i < n; i++) {
        const struct sl_expr *c = sl_caller(cx->facts, f, i);
        const struct sl_expr *a = sl_call_arg(c, (uint32_t)v->param_index);
        const struct sl_func *g = sl_expr_func(c);
        o = combine(o, a && g ? origin_of(cx, g, a, depth + 1) : unknown());
    }
    return o;
}

static struct origin origin_of(struct sl_rule_ctx *cx, const struct sl_func *f,
                               const struct sl_expr *e, int depth)
{
    if (!e || depth > ORIGIN_DEPTH) return unknown();
    if (is_const(e)) return bounded();
    switch (e->kind) {
    case SL_EX_CALL:
        if (is_cpu_count_call(e->name)) return bounded();
        if (is_input_number_call(e->name)) {
            /* atoi(argv[1]), strtol(getenv(...)): name the call */
            return input_at(sl_arena_printf(cx->scratch, "%s()", e->name), e->loc);
        }
        return unknown();
    case SL_EX_COND:
        /* MIN(n, MAX) and the like: one arm a constant limit */
        if (e->n_kids == 3 && (is_const(e->kids[1]) || is_const(e->kids[2]))) return bounded();
        break;
    case SL_EX_REF:
        if (!e->var) return unknown();
        if (e->var->kind == SL_VAR_LOCAL && !e->var->is_static) return local_origin(cx, f, e, depth);
        if (e->var->kind == SL_VAR_PARAM) return param_origin(cx, f, e, depth);
        if (clamped_anywhere(cx->model, e)) return bounded();
        return stores_anywhere(cx, e, depth);
    case SL_EX_MEMBER: {
        if (clamped_anywhere(cx->model, e)) return bounded();
        struct origin o = stores_anywhere(cx, e, depth);
        if (o.kind == OR_INPUT) return o;
        /* a setting: cfg->n_threads, opts.workers */
        const struct sl_var *root = sl_expr_root_var(e);
        const struct sl_record *rec = e->field ? e->field->record : NULL;
        if ((root && names_config(root->name)) || (rec && names_config(rec->name))) {
            struct origin set = input_at(sl_arena_printf(cx->scratch, "the setting '%s'",
                                                         sl_expr_text(cx->scratch, e)), e->loc);
            set.has_loc = false;   /* read elsewhere: the loop is the place */
            return set;
        }
        return unknown();
    }
    case SL_EX_ASSIGN:
        return e->n_kids == 2 ? origin_of(cx, f, e->kids[1], depth) : unknown();
    default:
        break;
    }
    if (e->kind == SL_EX_UNARY || e->kind == SL_EX_BINARY || e->kind == SL_EX_OTHER) {
        if (!e->n_kids) return unknown();
        /* a % or & with a constant bounds the value */
        if (e->kind == SL_EX_BINARY && (e->op == SL_B_REM || e->op == SL_B_AND) && e->n_kids == 2 &&
            is_const(e->kids[1]))
            return bounded();
        struct origin o = bounded();
        for (uint32_t i = 0; i < e->n_kids; i++) o = combine(o, origin_of(cx, f, e->kids[i], depth + 1));
        return o;
    }
    return unknown();
}

/* ---- the loops ---- */

static bool stepped_in(const struct sl_stmt *loop, const struct sl_expr *ref)
{
    if (!ref->var) return false;
    if (loop->inc && mentions(loop->inc, ref)) return true;
    return false;
}

/* The count side of one comparison `i < n`: n; for `n-- > 0`, `n--`: n. */
static const struct sl_expr *count_of(const struct sl_stmt *loop, const struct sl_expr *c)
{
    if (c->kind == SL_EX_UNARY && (c->op == SL_U_POSTDEC || c->op == SL_U_PREDEC) && c->n_kids)
        return c->kids[0];
    if (c->kind != SL_EX_BINARY || c->n_kids != 2) return NULL;
    if (!is_relational(c->op) && c->op != SL_B_NE) return NULL;
    const struct sl_expr *x = c->kids[0], *y = c->kids[1];
    if (x->kind == SL_EX_UNARY && (x->op == SL_U_POSTDEC || x->op == SL_U_PREDEC) && is_small_const(y))
        return x->kids[0];
    bool ix = x->kind == SL_EX_REF && stepped_in(loop, x);
    bool iy = y->kind == SL_EX_REF && stepped_in(loop, y);
    if (ix && !iy) return y;
    if (iy && !ix) return x;
    if (!loop->inc) {                       /* while (i < n) { ... i++; } */
        if (x->kind == SL_EX_REF && y->kind != SL_EX_REF) return y;
        if (x->kind == SL_EX_REF && y->kind == SL_EX_REF) return y;
    }
    return NULL;
}

/* The count of a counted loop, classified: bounded if any conjunct of the
 * condition is. */
static struct origin count_origin(struct sl_rule_ctx *cx, const struct sl_func *f,
                                  const struct sl_stmt *loop, const struct sl_expr *c,
                                  const struct sl_expr **count)
{
    if (!c) return unknown();
    if (c->kind == SL_EX_BINARY && c->op == SL_B_LAND && c->n_kids == 2) {
        struct origin a = count_origin(cx, f, loop, c->kids[0], count);
        if (a.kind == OR_BOUNDED) return a;
        struct origin b = count_origin(cx, f, loop, c->kids[1], count);
        if (b.kind == OR_BOUNDED) return b;
        return a.kind == OR_INPUT ? a : b;
    }
    const struct sl_expr *n = count_of(loop, c);
    if (!n) return unknown();
    *count = n;
    return origin_of(cx, f, n, 0);
}

/* The loop reads its next item from outside (accept, recv, fgets) in its
 * condition or body: the call, or NULL. */
static const struct sl_expr *input_event(const struct sl_func *f, const struct sl_stmt *loop)
{
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        if (is_input_event_call(c->name) && c->stmt && sl_stmt_within(c->stmt, loop)) return c;
    }
    return NULL;
}

/* Inside the loop, a limit is checked before the creation: an `if` on a
 * counter against a limit that skips or leaves (or holds the creation), a
 * semaphore or condition wait for a free slot, or a bounding loop
 * condition `while (active < MAX)`. */
static bool capped_inside(const struct sl_rule_ctx *cx, const struct sl_func *f,
                          const struct sl_stmt *loop, const struct sl_expr *create)
{
    for (uint32_t i = 0; i < f->n_stmts; i++) {
        const struct sl_stmt *s = f->stmts[i];
        if (!sl_stmt_within(s, loop) || s == create->stmt) continue;
        if (s->kind == SL_ST_IF && s->expr && compares_against_limit(s->expr, NULL) &&
            !contains(s->expr, create) &&
            (stmt_leaves(s->kids[0]) || sl_stmt_within(create->stmt, s->kids[0]) ||
             (s->kids[1] && sl_stmt_within(create->stmt, s->kids[1]))))
            return true;
        if ((s->kind == SL_ST_WHILE || s->kind == SL_ST_DO) && s != loop && s->expr &&
            compares_against_limit(s->expr, NULL) && !sl_stmt_within(create->stmt, s))
            return true;
    }
    for (uint32_t i = 0; i < f->n_calls; i++) {
        const struct sl_expr *c = f->calls[i];
        enum sl_lockop op = sl_call_lockop(cx->flow, c);
        if (c->stmt && sl_stmt_within(c->stmt, loop) &&
            (op == SL_OP_SEM_WAIT || op == SL_OP_SEM_TIMEDWAIT || op == SL_OP_SEM_TRYWAIT ||
             op == SL_OP_WAIT || op == SL_OP_TIMEDWAIT))
            return true;
    }
    return false;
}

static void report(struct sl_rule_ctx *cx, const struct sl_func *f, const struct sl_expr *create,
                   const struct sl_stmt *loop, const char *count, struct origin o,
                   const struct sl_expr *inner)
{
    struct sl_diag *d;
    if (count)
        d = sl_report(cx, create->loc,
            "'%s' starts a thread on every iteration of a loop run '%s' times, a count that comes "
            "from %s with no upper limit: the input decides how many threads (each with its own "
            "stack) '%s' creates, so a large value exhausts memory or the thread limit",
            create->name, count, o.what, f->name);
    else
        d = sl_report(cx, create->loc,
            "'%s' starts a thread for every item the loop reads with '%s', with no limit on how "
            "many run at once: a burst of input creates threads (each with its own stack) until "
            "memory or the thread limit runs out",
            create->name, o.what);
    sl_note(cx, d, loop->loc, "the loop, with no cap on the threads it starts");
    if (inner)
        sl_note(cx, d, inner->loc, "'%s' starts the thread here", sl_expr_func(inner)->name);
    if (o.has_loc) sl_note(cx, d, o.loc, "the count comes from %s here", o.what);
    sl_note_text(cx, d, "use: a fixed pool of workers fed by a queue, or sl_group "
                 "(<synclint/group.h>) initialised with a limit, sl_group_init(&g, NULL, max), "
                 "which runs at most max tasks at once; or clamp the count "
                 "(if (n > MAX) n = MAX;)");
}

/* c: the creation, or a call to a helper that creates (inner) */
static void check_create(struct sl_rule_ctx *cx, const struct sl_func *f, const struct sl_expr *c,
                         const struct sl_expr *inner)
{
    for (const struct sl_stmt *s = c->stmt; s; s = s->parent) {
        if (!sl_stmt_is_loop(s)) continue;
        if (capped_inside(cx, f, s, c)) return;
        const struct sl_expr *count = NULL;
        struct origin o = count_origin(cx, f, s, s->expr, &count);
        if (o.kind == OR_BOUNDED) continue;
        if (o.kind == OR_INPUT) {
            report(cx, f, c, s, sl_expr_text(cx->scratch, count), o, inner);
            return;
        }
        const struct sl_expr *ev = input_event(f, s);
        if (ev) {
            report(cx, f, c, s, NULL, input_at(ev->name, ev->loc), inner);
            return;
        }
    }
}

/* The thread creation a same-file helper performs (create_worker(fn, arg)
 * calling pthread_create), within HELPER_DEPTH calls, or NULL. */
static const struct sl_expr *helper_creation(const struct sl_func *g, int depth)
{
    if (!g || !g->body || depth > HELPER_DEPTH) return NULL;
    for (uint32_t i = 0; i < g->n_calls; i++) {
        const struct sl_expr *c = g->calls[i];
        if (sl_is_thread_create_call(c)) return c;
        if (c->func && c->func != g) {
            const struct sl_expr *in = helper_creation(c->func, depth + 1);
            if (in) return in;
        }
    }
    return NULL;
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *m = cx->model;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->in_main_file) continue;
        for (uint32_t i = 0; i < f->n_calls; i++) {
            const struct sl_expr *c = f->calls[i];
            if (sl_is_thread_create_call(c)) check_create(cx, f, c, NULL);
            else if (c->func) {
                const struct sl_expr *inner = helper_creation(c->func, 1);
                if (inner) check_create(cx, f, c, inner);
            }
        }
    }
}

const struct sl_rule sl_rule_unbounded_thread_spawn = {
    .id = "unbounded-thread-spawn",
    .tier = 3,
    .precision = "high",   /* docs/precision.md */
    .summary = "a thread created per iteration of a loop whose count comes from input, with no cap",
    .replacement = "a bounded pool, or sl_group_init(&g, NULL, limit) (<synclint/group.h>)",
    .what =
        "A pthread_create / thrd_create (or a project's thread-creation wrapper) inside a\n"
        "loop whose trip count comes from input: a count parsed with atoi/strtol or sscanf,\n"
        "main's argc, a value received from the network or read from a file, a setting\n"
        "(cfg->n_threads), also through a parameter whose callers in the file pass such a\n"
        "value; or a loop that starts a thread per item it reads (an accept() loop creating\n"
        "a thread per connection, a thread per line of fgets). Bounded loops are not\n"
        "flagged: a constant or macro bound, sizeof arr / sizeof arr[0], the CPU count\n"
        "(sysconf(_SC_NPROCESSORS_ONLN), get_nprocs), a count clamped before the loop\n"
        "(if (n > MAX) n = MAX;, n = MIN(n, MAX), or an error exit when it is too big),\n"
        "and a per-connection loop that checks a counter against a limit (or waits on a\n"
        "slot semaphore) before creating.",
    .why =
        "Correctness under load. Every thread reserves a stack (8 MiB of address space by\n"
        "default) and a kernel task; past the core count extra threads only add context\n"
        "switches. When input decides the count, a large number or a connection flood\n"
        "makes pthread_create fail with EAGAIN or the process run out of memory: a\n"
        "denial of service one request away.",
    .before =
        "int main(int argc, char **argv)\n"
        "{\n"
        "    int n = atoi(argv[1]);\n"
        "    pthread_t *t = calloc(n, sizeof *t);\n"
        "    for (int i = 0; i < n; i++)\n"
        "        pthread_create(&t[i], NULL, work, NULL);\n"
        "    ...\n"
        "}",
    .after =
        "int main(int argc, char **argv)\n"
        "{\n"
        "    int n = atoi(argv[1]);\n"
        "    sl_group g;\n"
        "    sl_group_init(&g, NULL, MAX_PARALLEL);   /* at most MAX_PARALLEL at once */\n"
        "    for (int i = 0; i < n; i++)\n"
        "        sl_group_go(&g, work_fn, NULL);\n"
        "    return sl_group_wait(&g);\n"
        "}\n"
        "/* or clamp: if (n < 1 || n > MAX_THREADS) n = MAX_THREADS; */",
    .when_not =
        "When the input is trusted and small by construction (a test harness's -j flag\n"
        "documented as such), or when the limit is enforced somewhere the rule does not\n"
        "see (a caller in another file, a listen backlog with a connection limit checked in\n"
        "another function): clamp the value where it is read to make that visible. The\n"
        "count's origin is followed through locals, parameters of same-file callers,\n"
        "globals and fields stored in this file, up to three steps.",
    .needs = SL_NEED_DEFUSE | SL_NEED_CALLGRAPH,
    .check = check,
};
