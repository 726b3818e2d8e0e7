/* project.h - the whole-program pass: per-TU summaries merged into one
 * project-wide view that the whole-program rules read.
 *
 * Add every TU's summary (in any order, from any number of shards), then
 * finish: the result is canonical — sorted by place, with the entries a
 * header contributes to several TUs kept once — so the rules see the same
 * project whatever -j or the order of the files.  Read-only after finish.
 */
#ifndef SL_PROJECT_H
#define SL_PROJECT_H

#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "summary.h"

/* A lock class, project-wide. */
struct sl_plock {
    const char *cls, *text;
    uint8_t kind, scope;
    bool has_decl, decl_is_definition;
    struct sl_site decl;
    uint32_t text_tu;          /* while adding: the TU text, kind and scope come from */
};

struct sl_pheld { uint32_t lock; struct sl_site at; };

struct sl_pacq {
    uint32_t lock;
    uint32_t tu;
    uint8_t op;
    struct sl_site at;
    const struct sl_pheld *held;
    uint32_t n_held;
    uint32_t weight;
    uint8_t hotness;
    bool tiny, keyed;
    const char *keyed_how;
};

struct sl_pcall {
    const char *callee;
    uint32_t tu;                   /* index into tus[]: where to resolve static callees */
    struct sl_site at;
    const struct sl_pheld *held;
    uint32_t n_held;
};

/* released: a caller's lock dropped before the acquisition (SL_SUM_NO_LOCK: none). */
struct sl_pfn_acq { uint32_t lock; const struct sl_sum_chain_step *chain; uint32_t n_chain;
                    uint32_t released; };

struct sl_pfn {
    const char *name;
    uint32_t tu;
    bool is_static;
    struct sl_site at;
    const struct sl_pfn_acq *acqs;
    uint32_t n_acqs;
    const struct sl_sum_chain_step *ext_calls;
    uint32_t n_ext_calls;
    const char *const *callers;    /* same-TU callers' names */
    uint32_t n_callers;
    const struct sl_sum_fact *facts;   /* stated by rules about it */
    uint32_t n_facts;
    bool on_thread;                /* a thread entry, or called only from thread code */
};

struct sl_paccess {
    const char *obj, *name;
    struct sl_site at;
    uint32_t flags;
    const uint32_t *held;
    uint32_t n_held;
};

/* An inventory event (summary.h's SL_EV_*), with lock classes by name. */
struct sl_pevent {
    uint8_t what, op;
    const char *lock, *mutex;      /* classes, NULL: none */
    const char *entry, *handle;
    struct sl_site at;
};

struct sl_project {
    struct sl_arena arena;
    const char **tus;       uint32_t n_tus, cap_tus;
    uint32_t *tu_keys;      /* while adding: each TU's key (sl_project_add_keyed) */
    struct sl_plock *locks; uint32_t n_locks, cap_locks;
    struct sl_pacq *acqs;   uint32_t n_acqs, cap_acqs;
    struct sl_pcall *calls; uint32_t n_calls, cap_calls;
    struct sl_pfn *fns;     uint32_t n_fns, cap_fns;
    struct sl_paccess *accesses; uint32_t n_accesses, cap_accesses;
    struct sl_pevent *events; uint32_t n_events, cap_events;   /* by place */
    struct sl_strmap *lock_ids;   /* class -> index */
    struct sl_strmap *thread_entries;   /* names of functions threads start, project-wide */
    struct sl_strmap *strings;    /* one copy of every file, function and lock name */
    bool finished;
};

void sl_project_init(struct sl_project *p);
void sl_project_free(struct sl_project *p);
/* Copy s into the project (s may be freed afterwards). */
void sl_project_add(struct sl_project *p, const struct sl_tu_summary *s);
/* The same with the TU's key: its index in the run's job list.  Two TUs
 * of one path (two configurations of a file) are ordered by key, so the
 * project is the same whatever order the summaries arrive in (workers
 * finishing in any order, shards merged).  sl_project_add's key is the
 * count of TUs added before. */
void sl_project_add_keyed(struct sl_project *p, const struct sl_tu_summary *s, uint32_t key);
/* Sort and deduplicate; after this the project is read-only. */
void sl_project_finish(struct sl_project *p);

/* The definition a call from TU tu to callee resolves to: a function of
 * that TU first (static or not), else a non-static one elsewhere; NULL
 * when the project does not define it. */
const struct sl_pfn *sl_project_resolve(const struct sl_project *p, uint32_t tu, const char *callee);

/* The fact rule stated about fn with this what, or NULL. */
const struct sl_sum_fact *sl_pfn_fact(const struct sl_pfn *fn, const char *rule, const char *what);

/* Does a thread start at a function of this name (pthread_create /
 * thrd_create target in any TU)? */
bool sl_project_is_thread_entry(const struct sl_project *p, const char *func);

/* Does function func of TU tu run on a thread started somewhere in the
 * project (an entry, or called only from thread code within its TU)? */
bool sl_project_runs_on_thread(const struct sl_project *p, uint32_t tu, const char *func);

/* Order sites: file, line, column. */
int sl_site_cmp(const struct sl_site *a, const struct sl_site *b);

#endif
