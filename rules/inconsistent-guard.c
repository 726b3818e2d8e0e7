/* inconsistent-guard - a field or global accessed under one lock almost everywhere, and without it here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rulekit.h"

#define MIN_GUARDED 3         /* sites under the lock before it counts as the guard */
#define MAX_HELD_SEEN 64

/* Accesses that say nothing about the guard: atomics, set-up and teardown,
 * objects not yet published, code before threads start or after they are
 * joined. */
#define IGNORED (SL_ACC_ATOMIC | SL_ACC_SETUP | SL_ACC_UNPUBLISHED | SL_ACC_BEFORE_THREADS | \
                 SL_ACC_AFTER_JOIN | SL_ACC_CALLER_HOLDS)

static bool holds(const struct sl_paccess *a, uint32_t lock)
{
    for (uint32_t i = 0; i < a->n_held; i++)
        if (a->held[i] == lock) return true;
    return false;
}

/* Functions named for running with the lock already held by their caller
 * (callers in other files are not visible): conn_close_locked(). */
static bool caller_holds_by_name(const struct sl_paccess *a)
{
    static const char *const words[] = { "locked", "unlocked", "nolock", "held", NULL };
    return a->at.func && sl_name_has_word(a->at.func, words);
}

static bool counted(const struct sl_paccess *a)
{
    return !(a->flags & IGNORED) && !caller_holds_by_name(a);
}

/* One object's accesses [lo, hi). */
static void check_object(struct sl_project_ctx *cx, uint32_t lo, uint32_t hi)
{
    const struct sl_project *p = cx->project;
    uint32_t total = 0, writes = 0;
    uint32_t locks[MAX_HELD_SEEN], counts[MAX_HELD_SEEN], wcounts[MAX_HELD_SEEN], nl = 0;
    for (uint32_t i = lo; i < hi; i++) {
        const struct sl_paccess *a = &p->accesses[i];
        if (!counted(a)) continue;
        total++;
        if (a->flags & SL_ACC_WRITE) writes++;
        for (uint32_t k = 0; k < a->n_held; k++) {
            uint32_t j;
            for (j = 0; j < nl && locks[j] != a->held[k]; j++) {}
            if (j == nl) {
                if (nl == MAX_HELD_SEEN) continue;
                locks[nl] = a->held[k];
                counts[nl] = wcounts[nl] = 0;
                nl++;
            }
            counts[j]++;
            if (a->flags & SL_ACC_WRITE) wcounts[j]++;
        }
    }
    if (!writes || !nl) return;
    /* the guard: the lock held at most sites (ties: the first class) */
    uint32_t best = 0;
    for (uint32_t j = 1; j < nl; j++)
        if (counts[j] > counts[best] || (counts[j] == counts[best] && locks[j] < locks[best])) best = j;
    uint32_t guard = locks[best], guarded = counts[best], gwrites = wcounts[best];
    if (guarded < MIN_GUARDED || guarded * 4 < total * 3 || !gwrites || guarded == total) return;
    const struct sl_plock *L = &p->locks[guard];
    const struct sl_paccess *a_write = NULL;
    for (uint32_t i = lo; i < hi && !a_write; i++)
        if (counted(&p->accesses[i]) && holds(&p->accesses[i], guard) &&
            (p->accesses[i].flags & SL_ACC_WRITE))
            a_write = &p->accesses[i];
    for (uint32_t i = lo; i < hi; i++) {
        const struct sl_paccess *a = &p->accesses[i];
        if (!counted(a) || holds(a, guard)) continue;
        bool w = a->flags & SL_ACC_WRITE;
        struct sl_diag *d = sl_preport(cx, &a->at,
            "'%s' is accessed with '%s' held at %u of its %u sites (%u of them writes) but %s "
            "here without it: %s", a->name, L->text, guarded, total, gwrites,
            w ? "written" : "read",
            w ? "this write races with the guarded ones" :
                "this read races with the guarded writes and can see a torn or stale value");
        sl_pset_identity(cx, d, a->obj);
        if (a_write) sl_pnote(cx, d, &a_write->at, "written with '%s' held here", L->text);
        if (L->has_decl) sl_pnote(cx, d, &L->decl, "'%s' declared here", L->text);
        sl_pnote_text(cx, d, "use: take '%s' around this access; or, if '%s' stands alone (no "
                      "invariant with other fields), make it atomic (atomic_load / atomic_store, "
                      "sl_counter from <synclint/counter.h>)", L->text, a->name);
    }
}

static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    for (uint32_t lo = 0; lo < p->n_accesses;) {
        uint32_t hi = lo + 1;
        while (hi < p->n_accesses && !strcmp(p->accesses[hi].obj, p->accesses[lo].obj)) hi++;
        check_object(cx, lo, hi);
        lo = hi;
    }
}

const struct sl_rule sl_rule_inconsistent_guard = {
    .id = "inconsistent-guard",
    .tier = 3,
    .precision = "low",   /* docs/precision.md */
    .experimental = true,
    .summary = "a field or global accessed under lock L at most sites and without it at another",
    .replacement = "take the lock there, or make the field atomic",
    .what =
        "Guard inference over every access in the project: for each struct field (of any\n"
        "instance) and each global, the lock held at most of its access sites is taken to be\n"
        "its guard when it is held at three or more sites, at 75% of them or more, and at\n"
        "some write. Every other access of the object is reported, with the counts.\n"
        "Not counted: atomic accesses; init/setup/teardown functions; objects reached through\n"
        "a pointer fresh from an allocator (not yet published); code before the function's\n"
        "first pthread_create or after its pthread_join (start-up and teardown); static\n"
        "functions whose every caller holds the lock; functions named *_locked / *_held or\n"
        "annotated as called with a lock held (OVS_REQUIRES, REQUIRES(), EXCLUSIVE_LOCKS_\n"
        "REQUIRED) or exempt from thread-safety analysis (NO_THREAD_SAFETY_ANALYSIS).\n"
        "Checked by hand on libevent, curl and Open vSwitch, real code guards fields through\n"
        "conventions it does not yet follow (locks held by callers in other files, a lock\n"
        "pointer copied into a local and swapped to order two locks, functions that drop and\n"
        "retake their caller's lock).",
    .why =
        "An access without the lock races with the writers that hold it: a reader sees a\n"
        "half-updated value or an invariant broken in the middle, a writer loses updates.\n"
        "The bug is in the one place that skipped the lock, which is what makes it hard to\n"
        "find by reading the code around the other, correct sites.",
    .before =
        "void conn_set_state(struct conn *c, int s) {\n"
        "    pthread_mutex_lock(&c->mu); c->state = s; pthread_mutex_unlock(&c->mu);\n"
        "}\n"
        "/* ... two more sites under c->mu ... */\n"
        "int conn_is_open(struct conn *c) {\n"
        "    return c->state == OPEN;                /* no lock */\n"
        "}",
    .after =
        "int conn_is_open(struct conn *c) {\n"
        "    pthread_mutex_lock(&c->mu);\n"
        "    int open = c->state == OPEN;\n"
        "    pthread_mutex_unlock(&c->mu);\n"
        "    return open;\n"
        "}\n"
        "/* or, when state stands alone: _Atomic int state; atomic_load(&c->state) */",
    .when_not =
        "When the unguarded access runs while no other thread can see the object (during\n"
        "construction through a pointer the analysis did not recognise, or after the last\n"
        "thread using it was joined), or when a stale read is acceptable by design (a\n"
        "statistics snapshot, a hint re-checked under the lock) — then say so with a\n"
        "suppression comment, or make the field atomic with a relaxed load.",
    .check_project = check_project,
};
