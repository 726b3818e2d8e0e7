/* report_inventory.c - every synchronisation primitive of the run in markdown (--format=inventory). */
#include "report.h"

#include <string.h>

#include "inventory.h"
#include "md.h"

/* Sites listed before the rest is counted. */
enum { SHOWN_SITES = 8 };

static void put_code(FILE *out, const char *s)
{
    /* a code span cannot hold a backtick; names never do */
    fputc('`', out);
    fputs(s, out);
    fputc('`', out);
}

static void put_site(FILE *out, const struct sl_inv_site *s, const char *root)
{
    sl_md_link(out, s->file, s->line, root);
    if (s->func) { fputs(" (", out); put_code(out, s->func); fputc(')', out); }
}

/* "- label, N sites: site, site, ... and K more", or nothing when empty. */
static void put_sites(FILE *out, const char *label, const struct sl_inv_sites *l, const char *root)
{
    if (!l->n) return;
    fprintf(out, "- %s, %u site%s: ", label, l->n, l->n == 1 ? "" : "s");
    for (uint32_t i = 0; i < l->n && i < SHOWN_SITES; i++) {
        if (i) fputs(", ", out);
        put_site(out, &l->v[i], root);
    }
    if (l->n > SHOWN_SITES) fprintf(out, " and %u more", l->n - SHOWN_SITES);
    fputc('\n', out);
}

static void put_names(FILE *out, const char *label, const struct sl_inv_names *l, const char *none)
{
    if (!l->n && !none) return;
    fprintf(out, "- %s: ", label);
    if (!l->n) fputs(none, out);
    for (uint32_t i = 0; i < l->n; i++) {
        if (i) fputs(", ", out);
        put_code(out, l->v[i]);
    }
    fputc('\n', out);
}

static void put_decl(FILE *out, bool has, const struct sl_inv_site *d, const struct sl_inv_sites *inits,
                     const char *root)
{
    if (has) {
        fputs("- declared: ", out);
        sl_md_link(out, d->file, d->line, root);
        fputc('\n', out);
    }
    if (inits->n) put_sites(out, "initialised", inits, root);
    else fputs("- initialised: no init call seen (a static initialiser, or outside the analysed code)\n", out);
}

static void put_heading(FILE *out, const char *cls, const char *text, const char *kind)
{
    fputs("#### ", out);
    put_code(out, cls);
    if (kind) fprintf(out, " (%s)", kind);
    fputc('\n', out);
    if (text && strcmp(text, cls)) { fputs("- written as: ", out); put_code(out, text); fputc('\n', out); }
}

int sl_report_inventory(FILE *out, const struct sl_inventory *inv, const char *root)
{
    if (!inv) return -1;
    uint32_t n_threads = inv->n_threads;
    fputs("## sync-lint inventory\n\n", out);
    fprintf(out, "%u file%s analysed: %u lock%s, %u condition variable%s, %u group%s of atomics, "
            "%u thread start%s.\n", inv->n_files, inv->n_files == 1 ? "" : "s",
            inv->n_locks, inv->n_locks == 1 ? "" : "s", inv->n_conds, inv->n_conds == 1 ? "" : "s",
            inv->n_atomics, inv->n_atomics == 1 ? "" : "s", n_threads, n_threads == 1 ? "" : "s");

    fputs("\n### Locks\n\n", out);
    if (!inv->n_locks) fputs("None found.\n", out);
    for (uint32_t i = 0; i < inv->n_locks; i++) {
        const struct sl_inv_lock *k = &inv->locks[i];
        if (i) fputc('\n', out);
        put_heading(out, k->cls, k->text, k->kind);
        put_decl(out, k->has_decl, &k->decl, &k->inits, root);
        put_names(out, "taken in", &k->funcs, NULL);
        put_names(out, "guards", &k->guards, "no shared object accessed under it");
        put_sites(out, "exclusive (lock, wrlock)", &k->writes, root);
        put_sites(out, "shared (rdlock)", &k->reads, root);
    }

    fputs("\n### Condition variables\n\n", out);
    if (!inv->n_conds) fputs("None found.\n", out);
    for (uint32_t i = 0; i < inv->n_conds; i++) {
        const struct sl_inv_cond *c = &inv->conds[i];
        if (i) fputc('\n', out);
        put_heading(out, c->cls, c->text, NULL);
        put_decl(out, c->has_decl, &c->decl, &c->inits, root);
        put_names(out, "mutex", &c->mutexes, "not known (no wait with a mutex seen)");
        put_sites(out, "waits", &c->waits, root);
        put_sites(out, "signals", &c->signals, root);
    }

    fputs("\n### Atomics\n\n", out);
    if (!inv->n_atomics) fputs("None found.\n", out);
    for (uint32_t i = 0; i < inv->n_atomics; i++) {
        const struct sl_inv_atomics *g = &inv->atomics[i];
        if (i) fputc('\n', out);
        fputs("#### ", out);
        if (g->record) put_code(out, g->record);
        else fputs("globals and statics", out);
        fputc('\n', out);
        put_names(out, g->record ? "fields" : "objects", &g->fields, NULL);
        put_sites(out, "atomic writes", &g->writes, root);
        fprintf(out, "- atomic reads: %u site%s\n", g->n_reads, g->n_reads == 1 ? "" : "s");
    }

    fputs("\n### Threads\n\n", out);
    if (!inv->n_threads) fputs("None found.\n", out);
    for (uint32_t i = 0; i < inv->n_threads; i++) {
        const struct sl_inv_thread *t = &inv->threads[i];
        fputs("- ", out);
        if (t->entry) put_code(out, t->entry);
        else fputs("a thread (entry not known)", out);
        fputs(" started at ", out);
        put_site(out, &t->created, root);
        if (t->handle) { fputs(", handle ", out); put_code(out, t->handle); }
        if (!t->joined.n && !t->detached.n) {
            fputs(": not joined in the analysed code\n", out);
            continue;
        }
        const struct sl_inv_sites *lists[2] = { &t->joined, &t->detached };
        static const char *const words[2] = { "; joined at ", "; detached at " };
        for (int w = 0; w < 2; w++) {
            const struct sl_inv_sites *l = lists[w];
            if (!l->n) continue;
            fputs(words[w], out);
            for (uint32_t k = 0; k < l->n && k < SHOWN_SITES; k++) {
                if (k) fputs(", ", out);
                put_site(out, &l->v[k], root);
            }
            if (l->n > SHOWN_SITES) fprintf(out, " and %u more", l->n - SHOWN_SITES);
        }
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}
