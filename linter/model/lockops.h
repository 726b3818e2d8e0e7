/* lockops.h - the operations the analysis knows a call can perform on a
 * lock, and declared wrappers (--wrapper=NAME:OP[:ARG[:ARG]]). */
#ifndef SL_LOCKOPS_H
#define SL_LOCKOPS_H

#include <stdbool.h>
#include <stddef.h>

enum sl_lockop {
    SL_OP_NONE = 0,
    SL_OP_LOCK,       /* exclusive acquire (mutex, spin, mtx, wrapper) */
    SL_OP_TRYLOCK,    /* acquire on success; returns 0 on success */
    SL_OP_RDLOCK,     /* shared acquire (rwlock) */
    SL_OP_WRLOCK,     /* exclusive acquire (rwlock) */
    SL_OP_TRYRDLOCK,  /* shared acquire on success (returns 0) */
    SL_OP_TRYWRLOCK,  /* exclusive acquire on success (returns 0) */
    SL_OP_UNLOCK,     /* release */
    SL_OP_WAIT,       /* condvar wait: arg0 condvar, arg1 mutex (released while blocked) */
    SL_OP_TIMEDWAIT,  /* as WAIT, with a deadline */
    SL_OP_SEM_WAIT,   /* sem_wait: a lock only when the semaphore is used as one */
    SL_OP_SEM_TRYWAIT,
    SL_OP_SEM_TIMEDWAIT,
    SL_OP_SEM_POST,
    SL_OP_SIGNAL,     /* pthread_cond_signal / cnd_signal */
    SL_OP_BROADCAST,  /* pthread_cond_broadcast / cnd_broadcast */
    SL_OP_INIT,       /* pthread_mutex_init & co: arg0 is the object */
    SL_OP_DESTROY,
    SL_OP_BIND,       /* declared only: arg0 a condvar, arg1 the mutex its waits release */
    SL_OP__COUNT
};

/* A lock function known by name, built in or declared by the user.
 * arg[0] is the index of the lock (for WAIT and BIND: the condvar), arg[1]
 * the mutex for WAIT and BIND; -1 when absent (a WAIT without a mutex
 * argument waits on the mutex its condvar was bound to by a BIND call).
 * global != NULL: the wrapper takes no lock argument and always acts on that
 * global object (STATS_LOCK:lock:@stats_lock).
 * name is a function name, or "OBJ.FIELD" for a lock function called through
 * a function-pointer field: OBJ is a global struct variable
 * (evthread_lock_fns_.lock) or a struct tag / typedef name (lock_ops.acquire:
 * that field of any object of the type, as in ops->acquire(m)). */
struct sl_wrapper {
    const char *name;
    enum sl_lockop op;
    int arg[2];
    const char *global;
};

const char *sl_lockop_name(enum sl_lockop op);          /* "lock", "trylock", ... */
enum sl_lockop sl_lockop_parse(const char *s);          /* SL_OP_NONE if unknown */
bool sl_lockop_acquires(enum sl_lockop op);
bool sl_lockop_is_try(enum sl_lockop op);

/* The FIELD of an "OBJ.FIELD" wrapper name, or NULL for a function name. */
const char *sl_wrapper_field(const struct sl_wrapper *w);

/* Parse "NAME:OP[:ARG[:ARG]]" (NAME an identifier or IDENT.IDENT; OP also
 * "bind": ARGs condvar, mutex; "wait" with one ARG: a condvar whose mutex
 * comes from its bind).  Returns 0, or -1 with a message (static or
 * written into err, size errsz) saying what is wrong.  Strings in *out point
 * into one malloc'd copy of spec, which sl_wrapper_free releases. */
int sl_wrapper_parse(const char *spec, struct sl_wrapper *out, char *err, size_t errsz);
void sl_wrapper_free(struct sl_wrapper *w);

/* The built-in table (pthread_mutex_lock, mtx_lock, sem_wait, cnd_wait, ...). */
const struct sl_wrapper *sl_builtin_lockop(const char *name);

#endif
