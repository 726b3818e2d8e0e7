/* summary.h - what one translation unit tells the whole-program pass,
 * serialisable to and from JSON (the cache and sharded runs store it).
 *
 * Built once per TU from the frozen model, its lock-flow and its facts;
 * it owns copies of every string, so it outlives them.  Lock classes are
 * made project-wide: a file-scope static's class is qualified by its file
 * ("src/a.c#lock"), a field's ("struct S::mu") and a global's ("g_lock")
 * are the same in every TU; locks rooted at locals are left out.
 *
 * Contents:
 *   locks     every lock class the TU operates on (class, text, kind, scope,
 *             declaration when known)
 *   acqs      every acquisition, with the locks held there (and where they
 *             were taken), the rwlock weight of its place, whether its
 *             section is tiny, and whether it does a keyed-table operation
 *   calls     every call made with a lock held to a function that is not a
 *             lock operation (cross-TU chains start here)
 *   fns       per defined function: the lock classes it acquires, directly
 *             or through same-TU callees (with the chain), and the calls it
 *             makes to functions not defined in this TU
 *   accesses  every field/global access with its held lock classes and why
 *             it does not count for guard inference (atomic, setup, not yet
 *             published, before threads start, after join)
 *   events    what the inventory lists beyond acquisitions: lock and condvar
 *             initialisation, condvar waits (with the mutex they release) and
 *             signals, thread starts (with their entry) and joins
 */
#ifndef SL_SUMMARY_H
#define SL_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "facts.h"
#include "lockflow.h"
#include "model.h"

struct sl_site {
    const char *file;
    uint32_t line, col;
    const char *func;          /* enclosing function, NULL if none */
};

struct sl_sum_lock {
    const char *cls;           /* project-wide class */
    const char *text;          /* as written at its first use */
    uint8_t kind;              /* enum sl_sync_kind */
    uint8_t scope;             /* enum sl_lock_scope */
    bool has_decl;
    bool decl_is_definition;   /* decl is where the object is defined, not an extern */
    struct sl_site decl;       /* the lock object's declaration */
};

struct sl_sum_held { uint32_t lock; struct sl_site at; };

/* How often a site runs, estimated from its function: set-up, admin and
 * periodic code is cold; thread bodies and per-request code are hot. */
enum { SL_COLD, SL_WARM, SL_HOT };

/* Access flags: why an access does not count for guard inference. */
enum {
    SL_ACC_WRITE      = 1u << 0,
    SL_ACC_ATOMIC     = 1u << 1,
    SL_ACC_SETUP      = 1u << 2,   /* in an init/teardown function */
    SL_ACC_UNPUBLISHED = 1u << 3,  /* through a pointer fresh from an allocator */
    SL_ACC_BEFORE_THREADS = 1u << 4, /* before this function's first pthread_create */
    SL_ACC_AFTER_JOIN = 1u << 5,   /* after a pthread_join in this function */
    SL_ACC_CALLER_HOLDS = 1u << 6, /* the function is annotated as called with a lock
                                      held, or opted out of thread-safety analysis */
};

struct sl_sum_acq {
    uint32_t lock;
    uint8_t op;                /* enum sl_lockop: lock, rdlock, wrlock, trylock... */
    struct sl_site at;
    struct sl_sum_held *held;  /* locks held when it is taken */
    uint32_t n_held;
    uint8_t hotness;           /* SL_COLD, SL_WARM, SL_HOT: where it runs */
    uint32_t weight;           /* cold 1, warm 4, hot 16; x4 in a loop */
    bool tiny;                 /* its section: no call, at most one statement */
    bool keyed;                /* its section looks up / inserts / removes by key */
    const char *keyed_how;     /* what showed it ("calls 'ht_find'") */
};

struct sl_sum_call {
    const char *callee;
    struct sl_site at;
    struct sl_sum_held *held;
    uint32_t n_held;
};

struct sl_sum_chain_step { struct sl_site at; const char *callee; };

/* A lock class a function acquires: the call chain from its body (call
 * sites of same-TU callees, outermost first) ending at the acquisition. */
struct sl_sum_fn_acq {
    uint32_t lock;
    struct sl_sum_chain_step *chain;
    uint32_t n_chain;
    /* A lock the function (or a callee on the chain) released, though it
     * had not taken it, before this acquisition: its caller's lock, dropped
     * first (dp_netdev_offload_flush drops the port lock, then takes
     * flush_mutex).  SL_SUM_NO_LOCK if none. */
    uint32_t released;
};
#define SL_SUM_NO_LOCK UINT32_MAX

/* A fact a rule stated about a function (staticcheck's facts): the rule's
 * own check_project reads it for calls from other files.  "blocks", with
 * the chain of calls inside the function that ends at the blocking one. */
struct sl_sum_fact {
    const char *rule;
    const char *what;
    struct sl_sum_chain_step *chain;
    uint32_t n_chain;
    const char **args;         /* the rule's own strings (object keys, names, counts) */
    uint32_t n_args;
};

struct sl_sum_fn {
    const char *name;
    bool is_static;
    struct sl_site at;
    struct sl_sum_fn_acq *acqs;
    uint32_t n_acqs;
    struct sl_sum_chain_step *ext_calls;   /* calls to functions not defined here */
    uint32_t n_ext_calls;
    const char **callers;                  /* functions of this TU that call it */
    uint32_t n_callers;
    struct sl_sum_fact *facts;             /* stated by rules, in rule order */
    uint32_t n_facts;
};

/* What rules export while they check one TU, for the summary: kept by the
 * engine per TU, filled through the rule kit (sl_export_fact), read by
 * sl_summary_build.  Strings and chains live in arena. */
struct sl_rule_export {
    const char *rule, *what;
    const struct sl_func *func;
    const struct sl_expr *const *chain;
    uint32_t n_chain;
    const char *const *args;
    uint32_t n_args;
};
struct sl_rule_exports {
    struct sl_arena *arena;
    struct sl_rule_export *v;
    uint32_t n, cap;
};

struct sl_sum_access {
    const char *obj;           /* project-wide key: "struct S::f", "g", "a.c#s" */
    const char *name;          /* as written */
    struct sl_site at;
    uint32_t flags;            /* SL_ACC_* */
    uint32_t *held;            /* lock indices */
    uint32_t n_held;
};

/* An inventory event (--format=inventory). */
/* SL_EV_DETACH: pthread_detach / thrd_detach of a handle, or (handle NULL)
 * of the running thread itself, in its function (at.func). */
enum { SL_EV_INIT, SL_EV_WAIT, SL_EV_SIGNAL, SL_EV_CREATE, SL_EV_JOIN, SL_EV_DETACH };
struct sl_sum_event {
    uint8_t what;              /* SL_EV_* */
    uint8_t op;                /* enum sl_lockop of INIT/WAIT/SIGNAL; 0 for threads */
    uint32_t lock;             /* INIT: the object; WAIT, SIGNAL: the condvar; UINT32_MAX: none */
    uint32_t mutex;            /* WAIT: the mutex it releases; UINT32_MAX: none */
    const char *entry;         /* CREATE: the function the thread runs, NULL if not known */
    const char *handle;        /* CREATE, JOIN: the thread handle ("struct pool::threads",
                                  a global, "fn:t" for a local), NULL if not known */
    struct sl_site at;
};

struct sl_tu_summary {
    struct sl_arena arena;
    const char *tu;
    struct sl_sum_lock *locks;      uint32_t n_locks;
    struct sl_sum_acq *acqs;        uint32_t n_acqs;
    struct sl_sum_call *calls;      uint32_t n_calls;
    struct sl_sum_fn *fns;          uint32_t n_fns;
    struct sl_sum_access *accesses; uint32_t n_accesses;
    const char **thread_entries;    uint32_t n_thread_entries;   /* pthread_create targets */
    struct sl_sum_event *events;    uint32_t n_events;
};

/* The facts the builder reads (the engine computes them when a
 * whole-program rule is enabled). */
#define SL_SUMMARY_NEEDS (SL_NEED_CALLGRAPH | SL_NEED_THREADS | SL_NEED_SETUP | \
                          SL_NEED_DEFUSE | SL_NEED_ACCESS)

/* The project-wide names the summary gives a lock class and an accessed
 * object (a file's statics qualified by tu), for rules that export facts
 * about them.  Allocated in a. */
const char *sl_summary_lock_class(struct sl_arena *a, const char *tu, const struct sl_lockref *l);
const char *sl_summary_object_key(struct sl_arena *a, const char *tu, const struct sl_field *field,
                                  const struct sl_var *var);

/* exports may be NULL (no rule exported anything). */
void sl_summary_build(struct sl_tu_summary *s, const struct sl_model *m,
                      const struct sl_flow *fl, const struct sl_facts *fx,
                      const struct sl_rule_exports *exports);
void sl_summary_free(struct sl_tu_summary *s);

/* JSON (cJSON, printed unformatted, keys in a fixed order): malloc'd text
 * the caller frees with free(); NULL only if it could not be rendered. */
char *sl_summary_to_json(const struct sl_tu_summary *s);
/* Parse what sl_summary_to_json wrote.  Returns 0, or -1 with err saying
 * what is wrong (s is then empty). */
int sl_summary_from_json(struct sl_tu_summary *s, const char *json, char *err, size_t errsz);
/* The same from the parsed object (a shard report holds it in its own
 * document: no print and parse again). */
struct cJSON;
int sl_summary_from_cjson(struct sl_tu_summary *s, const struct cJSON *root, char *err, size_t errsz);

/* A 64-bit hash of everything in s (FNV-1a over every field, in order):
 * equal summaries hash alike, so a language server can tell whether an edit
 * changed what the whole-program rules read of a file. */
uint64_t sl_summary_hash(const struct sl_tu_summary *s);

#endif
