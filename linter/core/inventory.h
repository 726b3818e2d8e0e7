/* inventory.h - every synchronisation primitive of a run as plain data
 * (--format=inventory): built by the engine from the whole-program
 * project, rendered by output/.  Everything lives in the arena; lists are
 * sorted (by place, or by name), so the rendering is deterministic. */
#ifndef SL_INVENTORY_H
#define SL_INVENTORY_H

#include <stdbool.h>
#include <stdint.h>
#include "arena.h"

struct sl_inv_site {
    const char *file;
    unsigned line;
    const char *func;          /* enclosing function, NULL at file scope */
};

struct sl_inv_sites { struct sl_inv_site *v; uint32_t n; };
struct sl_inv_names { const char **v; uint32_t n; };

/* A lock class: a mutex, rwlock, spinlock, C11 mtx_t or semaphore used as one. */
struct sl_inv_lock {
    const char *cls, *text, *kind;   /* kind in words: "mutex", "rwlock", ... */
    bool has_decl;
    struct sl_inv_site decl;
    struct sl_inv_sites inits;       /* pthread_mutex_init & co */
    struct sl_inv_names funcs;       /* functions that take it */
    struct sl_inv_names guards;      /* objects accessed with it held (not atomically) */
    struct sl_inv_sites reads;       /* shared acquisitions (rdlock) */
    struct sl_inv_sites writes;      /* exclusive acquisitions (lock, wrlock, trylock) */
};

struct sl_inv_cond {
    const char *cls, *text;
    bool has_decl;
    struct sl_inv_site decl;
    struct sl_inv_sites inits;
    struct sl_inv_names mutexes;     /* the mutexes its waits release */
    struct sl_inv_sites waits, signals;
};

/* The atomics of one struct type ("struct meter") or, with record NULL,
 * the atomic globals and statics. */
struct sl_inv_atomics {
    const char *record;
    struct sl_inv_names fields;
    struct sl_inv_sites writes;      /* atomic stores and read-modify-writes */
    uint32_t n_reads;
};

/* One thread start and the joins of the same handle. */
struct sl_inv_thread {
    const char *entry;               /* NULL: not known (a function pointer) */
    const char *handle;              /* NULL: not known */
    struct sl_inv_site created;
    struct sl_inv_sites joined;
    struct sl_inv_sites detached;    /* pthread_detach of the handle, or by the thread itself */
};

struct sl_inventory {
    struct sl_arena arena;
    uint32_t n_files;                /* translation units analysed */
    struct sl_inv_lock *locks;       uint32_t n_locks;
    struct sl_inv_cond *conds;       uint32_t n_conds;
    struct sl_inv_atomics *atomics;  uint32_t n_atomics;
    struct sl_inv_thread *threads;   uint32_t n_threads;
};

void sl_inventory_init(struct sl_inventory *inv);
void sl_inventory_free(struct sl_inventory *inv);

#endif
