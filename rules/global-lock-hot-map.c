/* global-lock-hot-map - one file-scope lock serialising a keyed table used from many functions. */
#include <stdlib.h>
#include <string.h>
#include "rulekit.h"

#define MIN_FUNCTIONS 3
#define MAX_NAMED 3

static bool is_lock_kind(uint8_t k)
{
    return k == SL_SYNC_MUTEX || k == SL_SYNC_RWLOCK || k == SL_SYNC_SPIN || k == SL_SYNC_CNDMTX ||
           k == SL_SYNC_NONE;   /* declared wrappers' objects */
}

static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    /* the keyed acquisitions of each lock, in place order: one pass to count,
     * one to fill (linear in acquisitions, not locks x acquisitions) */
    uint32_t *start = sl_arena_alloc(cx->scratch, (p->n_locks + 1) * sizeof *start);
    for (uint32_t i = 0; i < p->n_acqs; i++)
        if (p->acqs[i].keyed && p->acqs[i].at.func && p->acqs[i].hotness != SL_COLD)
            start[p->acqs[i].lock + 1]++;
    for (uint32_t l = 0; l < p->n_locks; l++) start[l + 1] += start[l];
    const struct sl_pacq **by_lock = sl_arena_alloc(cx->scratch, (start[p->n_locks] + 1) * sizeof *by_lock);
    uint32_t *fill = sl_arena_alloc(cx->scratch, (p->n_locks + 1) * sizeof *fill);
    for (uint32_t i = 0; i < p->n_acqs; i++) {
        const struct sl_pacq *a = &p->acqs[i];
        if (a->keyed && a->at.func && a->hotness != SL_COLD)
            by_lock[start[a->lock] + fill[a->lock]++] = a;
    }
    for (uint32_t l = 0; l < p->n_locks; l++) {
        const struct sl_plock *L = &p->locks[l];
        if (L->scope != SL_LOCK_GLOBAL || !is_lock_kind(L->kind)) continue;
        if (strstr(L->cls, "[]")) continue;   /* an array of locks: already striped */
        const struct sl_pacq *funcs[64];
        uint32_t n = 0;
        for (uint32_t i = start[l]; i < start[l + 1] && n < 64; i++) {
            const struct sl_pacq *a = by_lock[i];
            bool seen = false;
            for (uint32_t k = 0; k < n && !seen; k++)
                seen = !strcmp(funcs[k]->at.func, a->at.func) &&
                       !strcmp(funcs[k]->at.file ? funcs[k]->at.file : "", a->at.file ? a->at.file : "");
            if (!seen) funcs[n++] = a;
        }
        if (n < MIN_FUNCTIONS) continue;
        /* a table worth sharding is used on a hot path: a thread, per-request
         * code, or a loop */
        bool hot = false;
        for (uint32_t k = 0; k < n && !hot; k++)
            hot = funcs[k]->hotness == SL_HOT || funcs[k]->weight % 16 == 0 ||
                  sl_project_runs_on_thread(p, funcs[k]->tu, funcs[k]->at.func);
        if (!hot) continue;
        char names[256] = "";
        for (uint32_t k = 0; k < n && k < MAX_NAMED; k++) {
            strncat(names, k ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, funcs[k]->at.func, sizeof names - strlen(names) - 1);
        }
        if (n > MAX_NAMED) strncat(names, ", ...", sizeof names - strlen(names) - 1);
        const struct sl_site *at = L->has_decl ? &L->decl : &funcs[0]->at;
        struct sl_diag *d = sl_preport(cx, at,
            "'%s' serialises a keyed table: %u functions (%s) look up or change entries by key "
            "under this one lock, so threads working on different keys queue behind each other",
            L->text, n, names);
        sl_pset_identity(cx, d, L->cls);
        for (uint32_t k = 0; k < n && k < MAX_NAMED; k++)
            sl_pnote(cx, d, &funcs[k]->at, "'%s' taken here; the section %s", L->text,
                     funcs[k]->keyed_how ? funcs[k]->keyed_how : "uses a key");
        sl_pnote_text(cx, d, "use: sl_shardmap (<synclint/shardmap.h>): the keys hashed over "
                      "independently locked shards; or one lock per bucket");
    }
}

const struct sl_rule sl_rule_global_lock_hot_map = {
    .id = "global-lock-hot-map",
    .tier = 2,
    .precision = "high",   /* docs/precision.md */
    .summary = "one file-scope lock serialising a keyed table taken in three or more functions",
    .replacement = "sl_shardmap / striped locks",
    .what =
        "A global or file-static mutex, rwlock or spinlock (not a struct field, not an array\n"
        "of locks) whose critical sections, in three or more functions across the project,\n"
        "look up, insert or remove by key: calls named find/lookup/search/hash..., or\n"
        "get/put/insert/remove on something named map/table/cache/dict/tree/index or with a\n"
        "string key, indexing by a hash of the key, or comparing keys with strcmp/memcmp in a\n"
        "loop - and that is on a hot path: at least one of those sections runs on a thread\n"
        "(a pthread_create target, or only called from one), in a function named for\n"
        "per-request or per-packet work, or in a loop. Set-up, administration and periodic\n"
        "functions (init, unixctl, show, dump, config, register, run...) do not count: a\n"
        "registry only they touch is cold, and sharding it buys nothing.",
    .why =
        "Every thread serialises on one lock even when the keys it works on never collide: on\n"
        "N cores the table does the work of one. Striping the table over 64 independently\n"
        "locked shards measured 2.8x faster than one mutex with two threads on disjoint keys\n"
        "(sl-bench shardmap), for the same cost with one thread.",
    .before =
        "static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;\n"
        "struct item *cache_get(const char *key) {\n"
        "    pthread_mutex_lock(&cache_lock);\n"
        "    struct item *it = ht_find(cache, key);\n"
        "    pthread_mutex_unlock(&cache_lock);\n"
        "    return it;\n"
        "}   /* and cache_put, cache_remove ... */",
    .after =
        "#include <synclint/shardmap.h>\n"
        "static sl_shardmap cache;                     /* sl_shardmap_init(&cache, ...) */\n"
        "struct item *cache_get(const char *key) {\n"
        "    return sl_shardmap_get(&cache, key);        /* locks one shard */\n"
        "}",
    .when_not =
        "When the table is small and cold (configuration, a registry read at start-up), when\n"
        "operations must see the whole table consistently (iteration that must not miss\n"
        "concurrent inserts), or when the lock also guards state outside the table.",
    .check_project = check_project,
};
