/* lockops.c - the built-in table of lock functions and --wrapper parsing. */
#include "lockops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W1(n, op) { n, op, { 0, -1 }, NULL }
#define WW(n, op) { n, op, { 0, 1 }, NULL }

/* Sorted by name (strcmp) for bsearch. */
static const struct sl_wrapper builtins[] = {
    W1("__pthread_mutex_lock", SL_OP_LOCK),
    W1("__pthread_mutex_trylock", SL_OP_TRYLOCK),
    W1("__pthread_mutex_unlock", SL_OP_UNLOCK),
    W1("cnd_broadcast", SL_OP_BROADCAST),
    W1("cnd_destroy", SL_OP_DESTROY),
    W1("cnd_init", SL_OP_INIT),
    W1("cnd_signal", SL_OP_SIGNAL),
    WW("cnd_timedwait", SL_OP_TIMEDWAIT),
    WW("cnd_wait", SL_OP_WAIT),
    W1("mtx_destroy", SL_OP_DESTROY),
    W1("mtx_init", SL_OP_INIT),
    W1("mtx_lock", SL_OP_LOCK),
    W1("mtx_timedlock", SL_OP_LOCK),
    W1("mtx_trylock", SL_OP_TRYLOCK),
    W1("mtx_unlock", SL_OP_UNLOCK),
    W1("pthread_cond_broadcast", SL_OP_BROADCAST),
    W1("pthread_cond_destroy", SL_OP_DESTROY),
    W1("pthread_cond_init", SL_OP_INIT),
    W1("pthread_cond_signal", SL_OP_SIGNAL),
    WW("pthread_cond_timedwait", SL_OP_TIMEDWAIT),
    WW("pthread_cond_wait", SL_OP_WAIT),
    W1("pthread_mutex_destroy", SL_OP_DESTROY),
    W1("pthread_mutex_init", SL_OP_INIT),
    W1("pthread_mutex_lock", SL_OP_LOCK),
    W1("pthread_mutex_timedlock", SL_OP_LOCK),
    W1("pthread_mutex_trylock", SL_OP_TRYLOCK),
    W1("pthread_mutex_unlock", SL_OP_UNLOCK),
    W1("pthread_rwlock_destroy", SL_OP_DESTROY),
    W1("pthread_rwlock_init", SL_OP_INIT),
    W1("pthread_rwlock_rdlock", SL_OP_RDLOCK),
    W1("pthread_rwlock_timedrdlock", SL_OP_RDLOCK),
    W1("pthread_rwlock_timedwrlock", SL_OP_WRLOCK),
    W1("pthread_rwlock_tryrdlock", SL_OP_TRYRDLOCK),
    W1("pthread_rwlock_trywrlock", SL_OP_TRYWRLOCK),
    W1("pthread_rwlock_unlock", SL_OP_UNLOCK),
    W1("pthread_rwlock_wrlock", SL_OP_WRLOCK),
    W1("pthread_spin_destroy", SL_OP_DESTROY),
    W1("pthread_spin_init", SL_OP_INIT),
    W1("pthread_spin_lock", SL_OP_LOCK),
    W1("pthread_spin_trylock", SL_OP_TRYLOCK),
    W1("pthread_spin_unlock", SL_OP_UNLOCK),
    W1("sem_destroy", SL_OP_DESTROY),
    W1("sem_init", SL_OP_INIT),
    W1("sem_post", SL_OP_SEM_POST),
    W1("sem_timedwait", SL_OP_SEM_TIMEDWAIT),
    W1("sem_trywait", SL_OP_SEM_TRYWAIT),
    W1("sem_wait", SL_OP_SEM_WAIT),
};

static const char *const op_names[SL_OP__COUNT] = {
    [SL_OP_NONE] = "none", [SL_OP_LOCK] = "lock", [SL_OP_TRYLOCK] = "trylock",
    [SL_OP_RDLOCK] = "rdlock", [SL_OP_WRLOCK] = "wrlock", [SL_OP_TRYRDLOCK] = "tryrdlock",
    [SL_OP_TRYWRLOCK] = "trywrlock", [SL_OP_UNLOCK] = "unlock", [SL_OP_WAIT] = "wait",
    [SL_OP_TIMEDWAIT] = "timedwait", [SL_OP_SEM_WAIT] = "sem_wait",
    [SL_OP_SEM_TRYWAIT] = "sem_trywait", [SL_OP_SEM_TIMEDWAIT] = "sem_timedwait",
    [SL_OP_SEM_POST] = "sem_post", [SL_OP_SIGNAL] = "signal", [SL_OP_BROADCAST] = "broadcast",
    [SL_OP_INIT] = "init", [SL_OP_DESTROY] = "destroy", [SL_OP_BIND] = "bind",
};

const char *sl_lockop_name(enum sl_lockop op)
{
    return op < SL_OP__COUNT && op_names[op] ? op_names[op] : "?";
}

enum sl_lockop sl_lockop_parse(const char *s)
{
    for (int i = 1; i < SL_OP__COUNT; i++)
        if (op_names[i] && !strcmp(op_names[i], s)) return (enum sl_lockop)i;
    return SL_OP_NONE;
}

bool sl_lockop_acquires(enum sl_lockop op)
{
    return op == SL_OP_LOCK || op == SL_OP_RDLOCK || op == SL_OP_WRLOCK;
}

bool sl_lockop_is_try(enum sl_lockop op)
{
    return op == SL_OP_TRYLOCK || op == SL_OP_TRYRDLOCK || op == SL_OP_TRYWRLOCK ||
           op == SL_OP_SEM_TRYWAIT;
}

static int cmp_builtin(const void *key, const void *elem)
{
    return strcmp(key, ((const struct sl_wrapper *)elem)->name);
}

const struct sl_wrapper *sl_builtin_lockop(const char *name)
{
    if (!name) return NULL;
    return bsearch(name, builtins, sizeof builtins / sizeof builtins[0], sizeof builtins[0],
                   cmp_builtin);
}

static bool is_ident(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9')) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* IDENT or IDENT.IDENT (a lock function called through a struct field). */
static bool is_wrapper_name(const char *s)
{
    const char *dot = strchr(s, '.');
    if (!dot) return is_ident(s);
    char head[128];
    size_t n = (size_t)(dot - s);
    if (n == 0 || n >= sizeof head) return false;
    memcpy(head, s, n);
    head[n] = 0;
    return is_ident(head) && is_ident(dot + 1);
}

const char *sl_wrapper_field(const struct sl_wrapper *w)
{
    const char *dot = w && w->name ? strchr(w->name, '.') : NULL;
    return dot ? dot + 1 : NULL;
}

static int parse_index(const char *s, int *out)
{
    if (!*s) return -1;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 0 || v > 63) return -1;
    *out = (int)v;
    return 0;
}

void sl_wrapper_free(struct sl_wrapper *w)
{
    free((char *)w->name);   /* the start of the copy every string points into */
    w->name = w->global = NULL;
}

/* A failed parse leaves nothing in *out to free. */
static int parse_failed(struct sl_wrapper *out, char *copy)
{
    free(copy);
    memset(out, 0, sizeof *out);
    return -1;
}

int sl_wrapper_parse(const char *spec, struct sl_wrapper *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    out->arg[0] = 0;
    out->arg[1] = -1;
    char *copy = strdup(spec);
    if (!copy) { snprintf(err, errsz, "out of memory"); return -1; }
    char *parts[5] = {0};
    int n = 0;
    for (char *p = copy, *colon; n < 5; p = colon + 1) {
        parts[n++] = p;
        colon = strchr(p, ':');
        if (!colon) break;
        *colon = 0;
    }
    if (n < 2 || n > 4) {
        snprintf(err, errsz, "bad wrapper '%s': expected NAME:OP[:ARG[:ARG]]", spec);
        return parse_failed(out, copy);
    }
    if (!is_wrapper_name(parts[0])) {
        snprintf(err, errsz, "bad wrapper '%s': '%s' is not a C identifier or "
                 "STRUCT_OR_GLOBAL.FIELD", spec, parts[0]);
        return parse_failed(out, copy);
    }
    enum sl_lockop op = sl_lockop_parse(parts[1]);
    if (op == SL_OP_NONE || op == SL_OP_INIT || op == SL_OP_DESTROY) {
        snprintf(err, errsz, "bad wrapper '%s': unknown operation '%s' (lock, trylock, rdlock, "
                 "wrlock, unlock, wait, bind, sem_wait, sem_post)", spec, parts[1]);
        return parse_failed(out, copy);
    }
    out->name = parts[0];
    out->op = op;
    bool wait = op == SL_OP_WAIT || op == SL_OP_TIMEDWAIT;
    bool two = wait || op == SL_OP_BIND;   /* condvar, mutex */
    /* Defaults: (condvar 0, mutex 1).  A wait given only its condvar index
     * has no mutex argument: the mutex is the one bound to the condvar. */
    if (two) out->arg[1] = wait && n == 3 ? -1 : 1;
    for (int i = 2; i < n; i++) {
        const char *a = parts[i];
        if (a[0] == '@') {
            if (i != 2 || n != 3 || !is_ident(a + 1) || two) {
                snprintf(err, errsz, "bad wrapper '%s': '@GLOBAL' must be the only argument and "
                         "a C identifier (not for wait or bind)", spec);
                return parse_failed(out, copy);
            }
            out->global = a + 1;
            out->arg[0] = -1;
        } else if (parse_index(a, &out->arg[i - 2]) != 0) {
            snprintf(err, errsz, "bad wrapper '%s': argument '%s' is not an index 0..63 or @GLOBAL",
                     spec, a);
            return parse_failed(out, copy);
        }
    }
    if (n == 4 && !two) {
        snprintf(err, errsz, "bad wrapper '%s': only wait and bind take two arguments", spec);
        return parse_failed(out, copy);
    }
    /* copy is kept: out's strings point into it for the process lifetime */
    return 0;
}
