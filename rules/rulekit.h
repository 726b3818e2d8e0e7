/* rulekit.h - what a rule's check function works with: the frozen model,
 * the lock-flow results, the shared facts, its scratch arena, and helpers to
 * report findings with notes.  See rule.h for the contract. */
#ifndef SL_RULEKIT_H
#define SL_RULEKIT_H

#include "diag.h"
#include "err.h"
#include "facts.h"
#include "lockflow.h"
#include "model.h"
#include "project.h"
#include "rule.h"

/* Options rules read, passed explicitly (command line and config file). */
struct sl_rule_options {
    const char *const *extra_blocking;    /* NULL-terminated, may be NULL */
    const struct sl_wrapper *wrappers;    /* declared --wrapper functions */
    size_t n_wrappers;
    /* Locks declared as output / I-O locks (--io-lock, config "io_locks"):
     * a lock's text or class, NULL-terminated, may be NULL. */
    const char *const *io_locks;
    /* Values of declared rule options (config "rules"); the rest default. */
    const struct sl_rule_optval *values;
    size_t n_values;
};

/* A lock (its class and text) named by one of opts->io_locks: the text as
 * written (`log_mu`, `s->wmu`, `&log_mu`) or the class (`log_mu`, `struct
 * S::wmu`, also `S::wmu`). */
bool sl_is_declared_io_lock(const struct sl_rule_options *opts, const char *cls, const char *text);

/* The value of rule r's declared option name: the configured one, or the
 * declared default.  A name r does not declare, or of another type, is a
 * bug (sl_bug). */
bool sl_opt_bool(const struct sl_rule_options *opts, const struct sl_rule *r, const char *name);
long sl_opt_int(const struct sl_rule_options *opts, const struct sl_rule *r, const char *name);

struct sl_rule_ctx {
    const struct sl_rule *rule;
    const struct sl_model *model;
    const struct sl_flow *flow;
    const struct sl_facts *facts;
    const struct sl_rule_options *opts;
    struct sl_arena *scratch;             /* the rule's own, freed after check() */
    struct sl_diag_list *out;             /* only through sl_report / sl_note */
    struct sl_rule_exports *exports;      /* facts for the summary; NULL: not wanted */
};

/* State a fact about function f of this TU for the rule's own
 * check_project (it reads it, through the project, at calls from other
 * files): what (e.g. "blocks"), and the calls inside f that show it. */
void sl_export_fact(struct sl_rule_ctx *cx, const struct sl_func *f, const char *what,
                    const struct sl_expr *const *chain, uint32_t n_chain);
/* The same with string arguments of the rule's own (copied). */
void sl_export_fact_args(struct sl_rule_ctx *cx, const struct sl_func *f, const char *what,
                         const struct sl_expr *const *chain, uint32_t n_chain,
                         const char *const *args, uint32_t n_args);

/* Report a finding of cx->rule at loc.  Returns the diagnostic for notes. */
struct sl_diag *sl_report(struct sl_rule_ctx *cx, struct sl_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sl_note(struct sl_rule_ctx *cx, struct sl_diag *d, struct sl_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A note with no location (the replacement, an explanation). */
void sl_note_text(struct sl_rule_ctx *cx, struct sl_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What d is about beyond its place (a lock class, a record type), so that
 * dedupe across translation units keeps distinct findings at one place. */
void sl_set_identity(struct sl_rule_ctx *cx, struct sl_diag *d, const char *key);
/* Note "'<lock>' acquired here" at the acquisition site of h. */
void sl_note_held(struct sl_rule_ctx *cx, struct sl_diag *d, const struct sl_held *h);

struct sl_range sl_range_of(const struct sl_model *m, struct sl_loc loc);

/* What a whole-program rule's check_project works with. */
struct sl_project_ctx {
    const struct sl_rule *rule;
    const struct sl_project *project;     /* finished: canonical, read-only */
    const struct sl_rule_options *opts;
    struct sl_arena *scratch;
    struct sl_diag_list *out;
};

/* Report / note at a project site (file, line, column as summarised). */
struct sl_diag *sl_preport(struct sl_project_ctx *cx, const struct sl_site *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sl_pnote(struct sl_project_ctx *cx, struct sl_diag *d, const struct sl_site *at,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void sl_pnote_text(struct sl_project_ctx *cx, struct sl_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* sl_set_identity for a whole-program finding.  The key is copied: the
 * project it usually points into is freed before the filters read it. */
void sl_pset_identity(struct sl_project_ctx *cx, struct sl_diag *d, const char *key);

/* The function an expression / statement belongs to. */
static inline struct sl_func *sl_expr_func(const struct sl_expr *e)
{
    return e && e->stmt ? e->stmt->func : NULL;
}

/* Thread creation (thread-leak, unbounded-thread-spawn): pthread_create,
 * thrd_create, or a project's wrapper named for creating a thread
 * (xpthread_create, ovs_thread_create, Curl_thread_create, uv_thread_create)
 * that is handed a function to run. */
bool sl_is_thread_create_call(const struct sl_expr *c);
/* ---- Escape analysis (per-call-lock-alloc, tiny-heap-alloc,
 * eager-alloc-before-lookup) ----
 *
 * Does a function-local object become reachable from outside the call that
 * made it?  The object is a local variable v of f: either a by-value object
 * (a struct or lock: `struct job j;`, whose address is what can escape) or
 * a pointer holding a heap object (`struct job *j = malloc(...)`, whose
 * value is what can escape).  Copies (q = p, struct s x = { p }, s.f = p on
 * a local s) are followed; the object escapes when a carrier of its address
 * is
 *  - stored into a global or static (also atomically), a field or element
 *    of an object reached from a parameter, a global or a call result, or
 *    through an out-parameter (*out = p);
 *  - returned (a constructor hands it to its caller);
 *  - passed to pthread_create / thrd_create as the thread's argument;
 *  - passed to a function not known to only read it: a same-TU callee is
 *    analysed on its parameter (depth 4; one that returns it makes the call a
 *    carrier too); an external one escapes unless it is a lock operation,
 *    a free-like function (name ending in "free"), a project lock function
 *    on its first argument (ovs_mutex_init: a name with mutex_, rwlock_,
 *    spin_, mtx_) or in a list of libc functions that do not keep their
 *    pointer arguments (mem*, str*, printf/scanf family, read/write, ...);
 *  - or its holder's address (&p) goes anywhere but those libc functions.
 * Flow-insensitive: a store anywhere in f counts, before or after.  Reading
 * or writing the object's contents (p->x = 1, *p, p == NULL) is no escape. */
enum sl_escape_kind {
    SL_ESC_NONE,
    SL_ESC_GLOBAL,     /* stored into a global / static */
    SL_ESC_FIELD,      /* stored into memory reachable from outside */
    SL_ESC_RETURN,
    SL_ESC_THREAD,     /* handed to a new thread */
    SL_ESC_CALL,       /* passed to a function that may keep it */
    SL_ESC_ADDRESS,    /* the address of its holder went out */
};
struct sl_escape {
    enum sl_escape_kind kind;
    const struct sl_expr *at;         /* the expression through which it escapes */
};
/* Does the object of local v escape f?  fl: lock-flow (lock operations do
 * not retain).  why (may be NULL) says how and where. */
bool sl_local_escapes(const struct sl_flow *fl, const struct sl_func *f, const struct sl_var *v,
                      struct sl_escape *why);
/* "stored into a global" ... for messages. */
const char *sl_escape_text(enum sl_escape_kind k);

/* The name a call is made by: the callee's, or for a call through a
 * function pointer the pointer variable / field's (Curl_cmalloc). */
const char *sl_call_name(const struct sl_expr *call);
/* A heap allocation: malloc / calloc by name (also wrappers spelt like them:
 * xmalloc, xzalloc, g_malloc0, Curl_cmalloc, event_mm_malloc_) or a same-TU
 * function returning such a call's result with the size taken from its
 * parameters.  *count / *size: the expressions of the caller that give the
 * number of elements (NULL: one) and the element size (NULL: not known). */
bool sl_alloc_call(const struct sl_expr *call, const struct sl_expr **count,
                   const struct sl_expr **size);
/* free() and functions named like it (xfree, Curl_cfree, event_mm_free_). */
bool sl_free_call(const struct sl_expr *call);
/* The local variable an allocation call's result is stored into
 * (T *p = malloc(..) or p = malloc(..)), or NULL. */
const struct sl_var *sl_alloc_target(const struct sl_expr *call);
/* Is every value stored into local pointer v of f (initialiser, '=') a
 * fresh allocation (sl_alloc_call) or NULL, and at least one an allocation? */
bool sl_local_is_fresh(const struct sl_func *f, const struct sl_var *v);
/* The constant value of an integer expression (literals, sizeof, + - * <<
 * of them), or false. */
bool sl_const_int(const struct sl_expr *e, int64_t *out);

/* A device register (volatile-as-sync, busy-wait): e is reached through a
 * constant address, ((struct uart *)0x4000)->status, or a local pointer
 * whose one value is such an address.  Needs SL_NEED_DEFUSE. */
bool sl_through_constant_address(const struct sl_facts *fx, const struct sl_expr *e);

/* A test's operand without the wrappers that do not change it: transparent
 * nodes and __builtin_expect (likely / unlikely). */
const struct sl_expr *sl_strip_test(const struct sl_expr *e);
/* Is e (part of) the argument of a lock operation? */
bool sl_in_lock_op(const struct sl_flow *fl, const struct sl_expr *e);
/* Is e inside the critical section that the call site acquired (held on
 * every path)? */
bool sl_held_by_site(const struct sl_flow *fl, const struct sl_expr *e, const struct sl_expr *site);

/* The expressions lowered inside each statement's subtree are contiguous in
 * f->exprs: [lo[k], hi[k]) for f->stmts[k] (lo >= hi: none).  lo and hi hold
 * f->n_stmts entries each.  One pass: a scan of a loop's or a branch's own
 * expressions costs their number, not the function's. */
void sl_expr_ranges(const struct sl_func *f, uint32_t *lo, uint32_t *hi);

#endif
