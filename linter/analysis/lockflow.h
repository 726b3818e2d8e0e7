/* lockflow.h - which locks are held where: lock identities, lock sets, and
 * the per-function data-flow pass that annotates the model.
 *
 * sl_lockflow_run() classifies every call (built-in lock functions,
 * declared --wrapper functions, and same-TU functions whose summary says
 * they lock, unlock or wait on an argument), then walks each function's
 * statement tree computing the locks held before every expression (on all
 * paths: held_must; on some path: held_may) and at every exit.  Functions
 * are processed callees first so wrappers of wrappers compose.
 */
#ifndef SL_LOCKFLOW_H
#define SL_LOCKFLOW_H

#include "model.h"

/* A lock, identified by its normalised lvalue.  cls is the lock class:
 * the same for `&s->mu` in every function on struct S's field mu
 * ("struct S::mu"), the global's name for a global, "fn::name" for a
 * local or parameter.  text is what the code wrote, for messages.
 * Lockrefs are interned per model: equal (cls, text) => same pointer, and
 * equal classes => same cls pointer. */
struct sl_lockref {
    const char *cls;
    const char *text;
    enum sl_sync_kind kind;          /* mutex, rwlock, spin, sem... if known */
};

struct sl_held {
    const struct sl_lockref *lock;
    const struct sl_expr *site;      /* the call that acquired it */
    bool shared;                     /* rdlock */
};

struct sl_lockset {
    uint32_t n;
    struct sl_held items[];
};

/* A way out of a function with the locks held there.  at == NULL: falling
 * off the end of the body. */
struct sl_flow_exit {
    const struct sl_stmt *at;
    const struct sl_lockset *must, *may;
};

enum sl_flow_event_kind { SL_EV_DOUBLE_LOCK, SL_EV_UNLOCK_NOT_HELD };
struct sl_flow_event {
    enum sl_flow_event_kind kind;
    const struct sl_expr *call;
    const struct sl_lockref *lock;
    const struct sl_expr *prev_site; /* DOUBLE_LOCK: where it was first taken */
};

void sl_lockflow_run(struct sl_model *m);

static inline uint32_t sl_lockset_size(const struct sl_lockset *s) { return s ? s->n : 0; }
const struct sl_held *sl_lockset_find(const struct sl_lockset *s, const struct sl_lockref *l);
const struct sl_held *sl_lockset_find_class(const struct sl_lockset *s, const char *cls);

/* The lock a pointer-valued expression designates (the argument of
 * pthread_mutex_lock), interned in m.  Never NULL. */
const struct sl_lockref *sl_lockref_of(struct sl_model *m, const struct sl_expr *ptr);

#endif
