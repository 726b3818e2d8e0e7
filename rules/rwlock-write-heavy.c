/* rwlock-write-heavy - a rwlock that writers take about as often as readers, or whose read sections are all tiny. */
#include <stdlib.h>
#include <string.h>
#include "rulekit.h"

struct tally {
    uint32_t reads, writes, read_w, write_w, tiny_reads;
    const struct sl_pacq *first_read, *first_write;
};

static bool is_read(enum sl_lockop op) { return op == SL_OP_RDLOCK || op == SL_OP_TRYRDLOCK; }
static bool is_write(enum sl_lockop op) { return op == SL_OP_WRLOCK || op == SL_OP_TRYWRLOCK; }

static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    struct tally *t = sl_arena_alloc(cx->scratch, (p->n_locks ? p->n_locks : 1) * sizeof *t);
    for (uint32_t i = 0; i < p->n_acqs; i++) {
        const struct sl_pacq *a = &p->acqs[i];
        struct tally *x = &t[a->lock];
        enum sl_lockop op = (enum sl_lockop)a->op;
        /* a thread started in another file: its sites weigh as thread code */
        uint32_t w = a->weight;
        if (a->hotness == SL_WARM && sl_project_runs_on_thread(p, a->tu, a->at.func)) w *= 4;
        if (is_read(op)) {
            x->reads++;
            x->read_w += w;
            x->tiny_reads += a->tiny;
            if (!x->first_read) x->first_read = a;
        } else if (is_write(op) || (op == SL_OP_LOCK && p->locks[a->lock].kind == SL_SYNC_RWLOCK)) {
            x->writes++;
            x->write_w += w;
            if (!x->first_write) x->first_write = a;
        }
    }
    for (uint32_t l = 0; l < p->n_locks; l++) {
        const struct tally *x = &t[l];
        const struct sl_plock *L = &p->locks[l];
        if (!x->reads && !x->writes) continue;
        bool heavy = x->writes >= 2 && x->write_w > x->read_w;
        bool tiny = !heavy && x->reads >= 2 && x->tiny_reads == x->reads;
        if (!heavy && !tiny) continue;
        const struct sl_site *at = L->has_decl ? &L->decl :
                                   x->first_write ? &x->first_write->at : &x->first_read->at;
        struct sl_diag *d;
        if (heavy)
            d = sl_preport(cx, at,
                "rwlock '%s' is write-locked at %u sites and read-locked at %u; weighted by where "
                "they run (loops, thread and per-request functions) writes %u vs reads %u, an "
                "estimate: readers rarely get to share it, and each acquisition costs more than "
                "a mutex's", L->text, x->writes, x->reads, x->write_w, x->read_w);
        else
            d = sl_preport(cx, at,
                "every read section of rwlock '%s' (%u sites) is tiny: the read lock's own atomic "
                "update costs as much as the work it protects, so readers gain nothing over a "
                "mutex", L->text, x->reads);
        sl_pset_identity(cx, d, L->cls);
        if (x->first_write) sl_pnote(cx, d, &x->first_write->at, "write-locked here");
        if (x->first_read) sl_pnote(cx, d, &x->first_read->at, "read-locked here");
        sl_pnote_text(cx, d, "use: pthread_mutex_t%s", tiny ?
                      "; or, when readers only load a pointer to read-mostly data, sl_snapshot "
                      "(<synclint/snapshot.h>)" : "");
    }
}

const struct sl_rule sl_rule_rwlock_write_heavy = {
    .id = "rwlock-write-heavy",
    .tier = 2,
    .precision = "low",   /* docs/precision.md */
    .experimental = true,
    .summary = "a rwlock whose write sites outweigh its read sites, or whose read sections are all tiny",
    .replacement = "pthread_mutex_t",
    .what =
        "Every pthread_rwlock_t (and declared rdlock/wrlock wrappers) counted across the whole\n"
        "project: reported when write-lock sites outweigh read-lock sites (at least two write\n"
        "sites), each site weighted by where it runs: 16 in a thread body (or a function only\n"
        "called from one, in any file) or a function named for per-request work (handle,\n"
        "process, packet, recv, xlate, lookup, request, message, event...), 1 in set-up,\n"
        "teardown, administration and periodic code (unixctl, show, dump, config, run, wait,\n"
        "stats...), 4 elsewhere; x4 inside a loop. Sites are a static estimate of how often\n"
        "each lock mode is taken, and the message says so. Also reported: a rwlock\n"
        "with two or more read sections, all tiny (no call, at most one statement).\n"
        "Reported once per lock, at its declaration.\n"
        "On Open vSwitch its site weighting still called read-mostly locks write-heavy (the\n"
        "per-packet readers are many calls away from any thread body or hot-named function),\n"
        "so its precision is below the bar (docs/precision.md).",
    .why =
        "A read lock is not free: it is an atomic read-modify-write on the lock word, like a\n"
        "mutex, and glibc's rwlock does more work than its mutex per acquisition. Readers win\n"
        "only when many of them overlap for a while; when writers come often, or read\n"
        "sections are a single load, the rwlock is a slower mutex (measured here: 1.6-1.9x\n"
        "slower than pthread_mutex_t in sl-bench's rwlock-write-heavy pair).",
    .before =
        "static pthread_rwlock_t stats_rw = PTHREAD_RWLOCK_INITIALIZER;\n"
        "void on_request(void) {\n"
        "    pthread_rwlock_wrlock(&stats_rw); stats.n++; ... pthread_rwlock_unlock(&stats_rw);\n"
        "}",
    .after =
        "static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;\n"
        "void on_request(void) {\n"
        "    pthread_mutex_lock(&stats_mu); stats.n++; ... pthread_mutex_unlock(&stats_mu);\n"
        "}",
    .when_not =
        "When a read path the analysis cannot see dominates (readers in a file not linted, a\n"
        "read site in a hot loop behind a function pointer), or read sections that look tiny\n"
        "call inline functions that do real work. The weighting is a guess; a profile beats\n"
        "it: measure lock hold and wait times before changing a lock on a hot path.",
    .check_project = check_project,
};
