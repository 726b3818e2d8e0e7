/* false-sharing-atomics - hot atomics and per-thread slots that share one 64-byte cache line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rulekit.h"
#include "err.h"
#include "pmap.h"
#include "sort.h"

#define LINE_BYTES 64u
#define MAX_PATH 4          /* nesting depth of by-value struct members we follow */
#define MAX_NOTES 6
#define MAX_PROJECT_WRITES 64   /* writes of one header record compared across files */

/* ---- names ---- */

static const char *const alloc_words[] = {
    "malloc", "calloc", "realloc", "zalloc", "xmalloc", "xcalloc", "xzalloc",
    "aligned_alloc", "xmalloc_cacheline", "xzalloc_cacheline", "alloc", NULL
};

/* ---- pointer-keyed sets of functions, per slot ---- */

struct fset { const struct sl_func *v[8]; const struct sl_expr *site[8]; unsigned n; };

static bool fset_has(const struct fset *s, const struct sl_func *f)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->v[i] == f) return true;
    return false;
}

static void fset_add(struct fset *s, const struct sl_func *f, const struct sl_expr *site)
{
    if (fset_has(s, f) || s->n == 8) return;
    s->v[s->n] = f;
    s->site[s->n++] = site;
}

/* ---- writes ---- */

static const struct sl_expr *strip_addr(const struct sl_expr *e)
{
    while (e && e->kind == SL_EX_UNARY && e->op == SL_U_ADDROF && e->n_kids) e = e->kids[0];
    return e;
}

static bool is_alloc_call(const struct sl_expr *e)
{
    return e && e->kind == SL_EX_CALL && e->name && sl_name_has_word(e->name, alloc_words);
}

/* Was local pointer v set from an allocator (the object is not yet shared
 * while this function fills it in)? */
static bool local_from_alloc(const struct sl_facts *fx, const struct sl_var *v)
{
    const struct sl_var_defs *d = sl_var_defs(fx, v);
    for (uint32_t i = 0; i < d->n_values; i++)
        if (is_alloc_call(d->values[i])) return true;
    return false;
}

/* A write that initialises or tears down rather than contends: atomic_init,
 * a write into a local by-value object or a freshly allocated one, or a
 * write in a function named like a constructor or destructor. */
static bool is_init_write(const struct sl_facts *fx, const struct sl_func *f,
                          const struct sl_expr *x, const struct sl_expr *obj)
{
    if (x->kind == SL_EX_CALL && x->name && strstr(x->name, "init")) return true;
    if (sl_is_setup_function(fx, f)) return true;
    const struct sl_var *v = sl_expr_root_var(obj);
    if (v && v->kind != SL_VAR_GLOBAL && !v->is_static) {
        if (!(v->tflags & SL_TY_PTR)) return true;        /* a local struct or array */
        if (v->kind == SL_VAR_LOCAL && local_from_alloc(fx, v)) return true;
    }
    return false;
}

/* One write to a struct member: the chain of by-value members from the
 * outermost record to the written field (path[0] outermost). */
struct fwrite {
    const struct sl_field *path[MAX_PATH];
    unsigned depth;
    const struct sl_func *func;
    const struct sl_expr *site;
    bool init;                /* is_init_write */
    bool via_builtin;         /* through an atomic builtin call */
    bool hot;                 /* read-modify-write, or a store in a loop */
};

struct wvec { struct fwrite *v; size_t n, cap; };

static void wvec_push(struct wvec *w, const struct fwrite *x)
{
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 64;
        struct fwrite *nv = sl_xrealloc(w->v, nc * sizeof *nv);
        w->v = nv;
        w->cap = nc;
    }
    w->v[w->n++] = *x;
}

/* Record every suffix of the member chain obj as a write: `p->in.a` is a
 * write of inner::a and of outer::in.a. */
static void note_member_write(struct wvec *w, const struct sl_expr *obj, const struct sl_func *f,
                              const struct sl_expr *site, bool init, bool builtin, bool hot)
{
    const struct sl_field *chain[MAX_PATH];
    unsigned n = 0;
    const struct sl_expr *e = obj;
    while (e && e->kind == SL_EX_MEMBER && e->field && n < MAX_PATH) {
        chain[n++] = e->field;
        if (e->is_arrow || !e->n_kids || e->kids[0]->kind != SL_EX_MEMBER) break;
        e = e->kids[0];
    }
    for (unsigned k = 1; k <= n; k++) {   /* chain[0..k-1] reversed is one path */
        struct fwrite fw = { .depth = k, .func = f, .site = site, .init = init,
                             .via_builtin = builtin, .hot = hot };
        for (unsigned i = 0; i < k; i++) fw.path[i] = chain[k - 1 - i];
        wvec_push(w, &fw);
    }
}

/* ---- struct layouts: atomic slots and the lines they fall in ---- */

struct slot {
    const struct sl_field *path[MAX_PATH];
    unsigned depth;
    uint64_t off;             /* bytes from the start of the record */
    uint64_t size;
    struct fset writers;      /* functions with a contending write */
    struct fset hot;          /* those whose write is hot */
    bool used;                /* named in the report */
};

struct svec { struct slot *v; size_t n, cap; };

static void svec_push(struct svec *s, const struct slot *x)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        struct slot *nv = sl_xrealloc(s->v, nc * sizeof *nv);
        s->v = nv;
        s->cap = nc;
    }
    s->v[s->n++] = *x;
}

struct fs {
    struct sl_rule_ctx *cx;
    const struct sl_model *m;
    const struct sl_facts *fx;
    struct wvec writes;
    /* writes listed per written field and per outermost record (index + 1
     * of the first, then next[]), so a query reads only its own writes */
    struct sl_pmap by_field, by_record;
    uint32_t *next_by_field, *next_by_record;
    /* Per record (by index): 0 unknown, 1 not reported, 2 reported. */
    unsigned char *state;
};

static bool same_path(const struct fwrite *w, const struct slot *s)
{
    if (w->depth != s->depth) return false;
    for (unsigned i = 0; i < s->depth; i++)
        if (w->path[i] != s->path[i]) return false;
    return true;
}

/* A plain (non-_Atomic) field counts as atomic when the code writes it
 * through atomic builtins and never with a plain store outside set-up. */
static bool atomic_by_use(const struct fs *st, const struct sl_field *fld)
{
    bool builtin = false;
    for (uintptr_t k = (uintptr_t)sl_pmap_get(&st->by_field, SL_PKEY(fld), 0); k;
         k = st->next_by_field[k - 1]) {
        const struct fwrite *w = &st->writes.v[k - 1];
        if (w->via_builtin) builtin = true;
        else if (!w->init) return false;
    }
    return builtin;
}

static bool is_atomic_field(const struct fs *st, const struct sl_field *fld)
{
    if (fld->tflags & SL_TY_ARRAY) return false;
    if (fld->tflags & SL_TY_ATOMIC) return true;
    if (!(fld->tflags & (SL_TY_INT | SL_TY_PTR))) return false;
    if (fld->offset_bits != UINT64_MAX && fld->offset_bits % 8) return false;   /* bit-field */
    return atomic_by_use(st, fld);
}

static void flatten(const struct fs *st, const struct sl_record *r, uint64_t base,
                    const struct sl_field **prefix, unsigned depth, struct svec *out)
{
    if (depth >= MAX_PATH) return;
    for (uint32_t i = 0; i < r->n_fields; i++) {
        const struct sl_field *fld = r->fields[i];
        if (fld->offset_bits == UINT64_MAX) continue;
        const struct sl_field *path[MAX_PATH];
        memcpy(path, prefix, depth * sizeof *path);
        path[depth] = fld;
        uint64_t off = base + fld->offset_bits / 8;
        if ((fld->tflags & SL_TY_RECORD) && !(fld->tflags & (SL_TY_ARRAY | SL_TY_ATOMIC)) &&
            fld->type_record && fld->type_record != r) {
            flatten(st, fld->type_record, off, path, depth + 1, out);
            continue;
        }
        if (!is_atomic_field(st, fld)) continue;
        struct slot s = { .depth = depth + 1, .off = off, .size = fld->size ? fld->size : 1 };
        memcpy(s.path, path, s.depth * sizeof *s.path);
        svec_push(out, &s);
    }
}

static const char *path_text(struct sl_arena *a, const struct slot *s)
{
    size_t len = 1;
    for (unsigned i = 0; i < s->depth; i++) len += strlen(s->path[i]->name) + 1;
    char *p = sl_arena_alloc(a, len);
    p[0] = 0;
    for (unsigned i = 0; i < s->depth; i++) {
        if (i) strcat(p, ".");
        strcat(p, s->path[i]->name);
    }
    return p;
}

/* Slots s and t contend from different code: some function writes s but
 * not t while another writes t but not s.  (One function writing both - an
 * initialiser, or a hot path that always updates the pair together - is
 * not false sharing.) */
static bool contend_hot(const struct slot *s, const struct slot *t)
{
    for (unsigned i = 0; i < s->hot.n; i++) {
        const struct sl_func *f = s->hot.v[i];
        if (fset_has(&t->writers, f)) continue;
        for (unsigned j = 0; j < t->writers.n; j++) {
            const struct sl_func *g = t->writers.v[j];
            if (g != f && !fset_has(&s->writers, g)) return true;
        }
    }
    return false;
}

/* At least one side must be hot: a flag or setting stored now and then by
 * a configuration function costs nothing measurable. */
static bool contend(const struct slot *s, const struct slot *t)
{
    return contend_hot(s, t) || contend_hot(t, s);
}

static void report_record(struct fs *st, const struct sl_record *r, struct svec *sl);

/* Decide (and report) whether record r has contended atomics on one line. */
static bool record_flagged(struct fs *st, const struct sl_record *r, int depth)
{
    if (st->state[r->index]) return st->state[r->index] == 2;
    st->state[r->index] = 1;
    if (depth > MAX_PATH || r->from_system_header || !r->n_fields || !r->size) return false;
    /* Nested records first: pairs inside one member are theirs to report. */
    for (uint32_t i = 0; i < r->n_fields; i++)
        if (r->fields[i]->type_record && !(r->fields[i]->tflags & SL_TY_PTR))
            record_flagged(st, r->fields[i]->type_record, depth + 1);
    bool header = !r->in_main_file;
    struct svec sv = {0};
    const struct sl_field *none[MAX_PATH];
    flatten(st, r, 0, none, 0, &sv);
    if (sv.n < 2) { free(sv.v); return false; }
    for (uintptr_t k = (uintptr_t)sl_pmap_get(&st->by_record, SL_PKEY(r), 0); k;
         k = st->next_by_record[k - 1]) {
        const struct fwrite *w = &st->writes.v[k - 1];
        if (w->init) continue;
        if (header && !w->func->in_main_file) continue;
        for (size_t k = 0; k < sv.n; k++)
            if (same_path(w, &sv.v[k])) {
                fset_add(&sv.v[k].writers, w->func, w->site);
                if (w->hot) fset_add(&sv.v[k].hot, w->func, w->site);
            }
    }
    bool found = false;
    for (size_t a = 0; a < sv.n; a++)
        for (size_t b = a + 1; b < sv.n; b++) {
            struct slot *s = &sv.v[a], *t = &sv.v[b];
            if (s->off / LINE_BYTES != t->off / LINE_BYTES) continue;
            if (s->off < t->off + t->size && t->off < s->off + s->size) continue;  /* overlap: union */
            if (s->depth > 1 && t->depth > 1 && s->path[0] == t->path[0]) continue;
            const struct sl_record *ns = s->depth > 1 ? s->path[0]->type_record : NULL;
            const struct sl_record *nt = t->depth > 1 ? t->path[0]->type_record : NULL;
            if ((ns && st->state[ns->index] == 2) || (nt && st->state[nt->index] == 2)) continue;
            if (!contend(s, t)) continue;
            s->used = t->used = true;
            found = true;
        }
    if (found) {
        st->state[r->index] = 2;
        report_record(st, r, &sv);
    }
    free(sv.v);
    return found;
}

static int cmp_field_offset(const void *a, const void *b)
{
    const struct sl_field *x = *(const struct sl_field *const *)a, *y = *(const struct sl_field *const *)b;
    return x->offset_bits < y->offset_bits ? -1 : x->offset_bits > y->offset_bits;
}

/* Can an alignment specifier go in front of f's declaration, in the text?
 * Not for a bit-field (C forbids it), a declaration written by a macro,
 * or one declaring several fields (`atomic_int a, b;`: it would align
 * them all, and the first is the one that stays). */
static bool alignable(const struct sl_record *r, const struct sl_field *f)
{
    if (f->is_bitfield || f->decl_in_macro || !f->decl.line || !f->decl.col ||
        f->decl.file != r->loc.file || f->offset_bits == UINT64_MAX)
        return false;
    for (uint32_t i = 0; i < r->n_fields; i++) {
        const struct sl_field *g = r->fields[i];
        if (g != f && g->decl.file == f->decl.file && g->decl.line == f->decl.line &&
            g->decl.col == f->decl.col)
            return false;
    }
    return true;
}

/* The fix: every reported field but the first starts a line of its own.
 * In a file that uses the runtime (includes a <synclint/...> header)
 * SL_ALIGNED_LINE from <synclint/pad.h>, adding that include after the
 * file's last runtime include when it is not there; otherwise plain C11
 * _Alignas(64) (no header needed).  No fix when one of the fields cannot
 * take the specifier (see alignable). */
static void attach_padding_fix(struct fs *st, const struct sl_record *r, const struct svec *sv,
                               struct sl_diag *d)
{
    const struct sl_model *m = st->m;
    const struct sl_field *fields[64];
    size_t n = 0;
    for (size_t i = 0; i < sv->n; i++) {
        if (!sv->v[i].used) continue;
        const struct sl_field *f = sv->v[i].path[0];
        size_t k;
        for (k = 0; k < n && fields[k] != f; k++) {}
        if (k == n) {
            if (n == 64) return;
            fields[n++] = f;
        }
    }
    if (n < 2) return;
    qsort(fields, n, sizeof *fields, cmp_field_offset);
    uint32_t file = r->loc.file;
    if (file >= m->n_files) return;
    uint32_t incl = m->synclint_include_line ? m->synclint_include_line[file] : 0;
    bool runtime = incl != 0, has_pad = runtime && m->includes_pad[file];
    const char *spec = runtime ? "SL_ALIGNED_LINE " : "_Alignas(64) ";
    char desc[256];
    snprintf(desc, sizeof desc, "start '%s'%s on a cache line of %s own (%s)", fields[1]->name,
             n > 2 ? " and the other fields after it" : "", n > 2 ? "their" : "its",
             runtime ? "SL_ALIGNED_LINE from <synclint/pad.h>" : "_Alignas(64)");
    struct sl_fix *fx = sl_fix_start(st->cx->out, desc);
    const char *fname = sl_loc_file(m, r->loc);
    for (size_t i = 1; i < n; i++) {
        if (!alignable(r, fields[i])) return;
        struct sl_range at = { fname, fields[i]->decl.line, fields[i]->decl.col,
                               fields[i]->decl.line, fields[i]->decl.col };
        if (sl_fix_add(st->cx->out, fx, at, spec)) return;
    }
    if (runtime && !has_pad) {
        struct sl_range at = { fname, incl + 1, 1, incl + 1, 1 };
        if (sl_fix_add(st->cx->out, fx, at, "#include <synclint/pad.h>\n")) return;
    }
    sl_fix_attach(st->cx->out, d, fx);
}

static void report_record(struct fs *st, const struct sl_record *r, struct svec *sv)
{
    struct sl_rule_ctx *cx = st->cx;
    struct sl_arena *a = st->cx->scratch;
    const struct slot *first = NULL, *second = NULL;
    unsigned nused = 0;
    for (size_t i = 0; i < sv->n; i++) {
        if (!sv->v[i].used) continue;
        nused++;
        if (!first) first = &sv->v[i];
        else if (!second) second = &sv->v[i];
    }
    /* The message depends on the layout only, so the same header struct
     * reported from several translation units reads the same. */
    struct sl_diag *d = sl_report(cx, r->loc,
        "'%s' keeps atomic fields '%s' (offset %llu) and '%s' (offset %llu)%s in one %u-byte "
        "cache line, and different functions write them: every write invalidates the line "
        "for the threads using the other field (false sharing)",
        r->name, path_text(a, first), (unsigned long long)first->off,
        path_text(a, second), (unsigned long long)second->off,
        nused > 2 ? " and more" : "", LINE_BYTES);
    unsigned notes = 0;
    for (size_t i = 0; i < sv->n && notes < MAX_NOTES; i++) {
        const struct slot *s = &sv->v[i];
        if (!s->used) continue;
        const struct sl_func *f0 = s->writers.v[0];
        char more[96] = "";
        if (s->writers.n > 1)
            snprintf(more, sizeof more, " and %u other function%s", s->writers.n - 1,
                     s->writers.n > 2 ? "s" : "");
        sl_note(cx, d, s->path[0]->loc,
                "'%s' at offset %llu, %llu bytes, cache line %llu; written by '%s'%s",
                path_text(a, s), (unsigned long long)s->off, (unsigned long long)s->size,
                (unsigned long long)(s->off / LINE_BYTES), f0->name, more);
        notes++;
    }
    for (size_t i = 0; i < sv->n && notes < MAX_NOTES; i++) {
        const struct slot *s = &sv->v[i];
        if (!s->used) continue;
        for (unsigned k = 0; k < s->writers.n && notes < MAX_NOTES; k++, notes++)
            sl_note(cx, d, s->writers.site[k]->loc, "'%s' written here in '%s'",
                    path_text(a, s), s->writers.v[k]->name);
    }
    sl_note_text(cx, d, "use: start each independently written atomic on its own line, "
                 "`alignas(SL_CACHELINE) %s %s;`, or put SL_PAD between them "
                 "(<synclint/pad.h>)", second->path[0]->type_name, second->path[0]->name);
    attach_padding_fix(st, r, sv, d);
}

/* ---- (a) per-thread slot arrays ---- */

/* The array an element access `arr[i]` / `p->arr[i]` indexes: a global (or
 * static) array variable, or an array field. */
struct target { const struct sl_var *var; const struct sl_field *field; };

static bool index_base(const struct sl_expr *ix, struct target *t)
{
    if (!ix || ix->kind != SL_EX_INDEX || ix->n_kids < 2) return false;
    const struct sl_expr *b = ix->kids[0];
    t->var = NULL;
    t->field = NULL;
    if (b->kind == SL_EX_REF && b->var && (b->var->tflags & SL_TY_ARRAY)) t->var = b->var;
    else if (b->kind == SL_EX_MEMBER && b->field && (b->field->tflags & SL_TY_ARRAY))
        t->field = b->field;
    return t->var || t->field;
}

/* The element access behind a written object: `a[i]`, `a[i].x.y`, or
 * `p->x` where p was set from `&a[i]`. */
static const struct sl_expr *element_access(const struct sl_facts *fx, const struct sl_func *f,
                                            const struct sl_expr *obj)
{
    const struct sl_expr *e = obj;
    while (e && e->kind == SL_EX_MEMBER && !e->is_arrow && e->n_kids) e = e->kids[0];
    if (e && e->kind == SL_EX_INDEX) return e;
    /* through a local pointer: p->x or *p */
    if (e && ((e->kind == SL_EX_MEMBER && e->is_arrow) ||
              (e->kind == SL_EX_UNARY && e->op == SL_U_DEREF)) && e->n_kids) {
        const struct sl_expr *b = e->kids[0];
        if (b->kind == SL_EX_REF && b->var && b->var->kind == SL_VAR_LOCAL) {
            const struct sl_expr *init = sl_local_single_value(fx, b->var);
            init = strip_addr(init);
            if (init && init->kind == SL_EX_INDEX) return init;
        }
    }
    return NULL;
}

struct slotwrite { const struct sl_expr *site, *index; const struct sl_func *func; };

struct arr {
    struct target t;
    struct slotwrite w[MAX_NOTES];
    unsigned n;
    unsigned total;
};

static bool once_per_thread(const struct sl_facts *fx, const struct sl_func *f,
                            const struct sl_expr *x);

static void check_arrays(struct fs *st)
{
    const struct sl_model *m = st->m;
    const struct sl_facts *fx = st->fx;
    struct arr *arrs = NULL;
    size_t na = 0, cap = 0;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->body) continue;
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *x = f->exprs[i];
            const struct sl_expr *obj = strip_addr(sl_expr_written_object(x));
            if (!obj) continue;
            const struct sl_expr *ix = element_access(fx, f, obj);
            struct target t;
            if (!index_base(ix, &t)) continue;
            uint64_t esz = t.var ? t.var->elem_size : t.field->elem_size;
            uint64_t len = t.var ? t.var->array_len : t.field->array_len;
            uint32_t etf = t.var ? t.var->elem_tflags : t.field->elem_tflags;
            const struct sl_record *er = t.var ? t.var->record : t.field->type_record;
            if (!esz || esz >= LINE_BYTES || len == 1) continue;
            if (t.var) {
                if (t.var->loc.file != 0 || t.var->from_system_header || t.var->is_thread_local)
                    continue;
                if (t.var->kind != SL_VAR_GLOBAL && !t.var->is_static) continue;
            } else if (!t.field->record->in_main_file) {
                continue;
            }
            bool plain = !(etf & SL_TY_ATOMIC) && !(etf & SL_TY_RECORD);
            if (plain && !(etf & (SL_TY_INT | SL_TY_FLOAT | SL_TY_PTR))) continue;
            if (plain && !sl_runs_on_thread(fx, f)) continue;
            if (is_init_write(st->fx, f, x, obj)) continue;
            if (once_per_thread(fx, f, x)) continue;   /* a result stored at exit */
            /* A struct type already reported for its own layout is reported once, there. */
            if (er && st->state[er->index] == 2) continue;
            if (!sl_is_thread_id(fx, f, ix->kids[1])) continue;
            size_t k;
            for (k = 0; k < na; k++)
                if (arrs[k].t.var == t.var && arrs[k].t.field == t.field) break;
            if (k == na) {
                if (na == cap) {
                    cap = cap ? cap * 2 : 8;
                    arrs = sl_xrealloc(arrs, cap * sizeof *arrs);
                }
                memset(&arrs[na], 0, sizeof arrs[na]);
                arrs[na++].t = t;
            }
            struct arr *A = &arrs[k];
            A->total++;
            if (A->n < MAX_NOTES)
                A->w[A->n++] = (struct slotwrite){ x, ix->kids[1], f };
        }
    }
    for (size_t k = 0; k < na; k++) {
        const struct arr *A = &arrs[k];
        const struct target *t = &A->t;
        uint64_t esz = t->var ? t->var->elem_size : t->field->elem_size;
        uint32_t etf = t->var ? t->var->elem_tflags : t->field->elem_tflags;
        const char *name = t->var ? t->var->name : t->field->name;
        struct sl_loc loc = t->var ? t->var->loc : t->field->loc;
        const char *what = (etf & SL_TY_ATOMIC) ? "atomic" : (etf & SL_TY_RECORD) ? "struct" : "plain";
        uint64_t len = t->var ? t->var->array_len : t->field->array_len;
        uint64_t per = LINE_BYTES / esz;
        if (len && len < per) per = len;
        char share[80];
        if (per >= 2)
            snprintf(share, sizeof share, "up to %llu threads' slots share each",
                     (unsigned long long)per);
        else
            snprintf(share, sizeof share, "neighbouring slots straddle a shared");
        struct sl_diag *d = sl_report(st->cx, loc,
            "'%s' holds per-thread slots of %llu bytes (%s elements) indexed by a thread id, so "
            "%s %u-byte cache line and every write bounces the line between their cores "
            "(false sharing)", name, (unsigned long long)esz, what, share, LINE_BYTES);
        for (unsigned i = 0; i < A->n; i++)
            sl_note(st->cx, d, A->w[i].site->loc, "written at index '%s' (a per-thread id) in '%s'",
                    sl_expr_text(st->cx->scratch, A->w[i].index), A->w[i].func->name);
        if (A->total > A->n)
            sl_note_text(st->cx, d, "and %u more write%s", A->total - A->n,
                         A->total - A->n > 1 ? "s" : "");
        sl_note_text(st->cx, d, "use: give every slot its own line, "
                     "`struct { alignas(SL_CACHELINE) ... } %s[N];`, or end the element with "
                     "SL_PAD (<synclint/pad.h>)", name);
    }
    free(arrs);
}

/* ---- hot writes ---- */

/* Does e read field fld, directly or through a local set from it
 * (`h = atomic_load(&r->head); ... store(&r->head, h + 1)`)? */
static bool reads_field(const struct sl_func *f, const struct sl_expr *e,
                        const struct sl_field *fld, int depth)
{
    if (!e || depth > 3) return false;
    if (e->kind == SL_EX_MEMBER && e->field == fld) return true;
    if (e->kind == SL_EX_REF && e->var && e->var->kind == SL_VAR_LOCAL) {
        for (uint32_t i = 0; i < f->n_stmts; i++) {
            const struct sl_stmt *s = f->stmts[i];
            if (s->kind == SL_ST_DECL && s->var == e->var && reads_field(f, s->expr, fld, depth + 1))
                return true;
        }
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *x = f->exprs[i];
            if (x->kind != SL_EX_ASSIGN || x->n_kids != 2) continue;
            const struct sl_expr *l = x->kids[0];
            while (l->kind == SL_EX_UNARY && l->op == SL_U_DEREF && l->n_kids) l = strip_addr(l->kids[0]);
            if (l->kind == SL_EX_REF && l->var == e->var &&
                reads_field(f, x->kids[1], fld, depth + 1))
                return true;
        }
        return false;
    }
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (reads_field(f, e->kids[i], fld, depth)) return true;
    return false;
}

/* A write that happens often: an atomic read-modify-write, ++ or +=, or a
 * store computed from the field's own value.  (A store inside a loop is
 * not enough: reconfiguration loops over many objects store a flag once
 * in each - Open vSwitch's reload flags.) */
static bool is_hot_write(const struct sl_func *f, const struct sl_expr *x,
                         const struct sl_expr *obj)
{
    if (x->kind == SL_EX_CALL)
        if (x->atomic == SL_AT_RMW || x->atomic == SL_AT_CMPXCHG) return true;
    if (x->kind == SL_EX_UNARY) return true;
    if (x->kind == SL_EX_ASSIGN && x->op != SL_B_ASSIGN) return true;
    for (uint32_t i = 1; i < x->n_kids; i++)
        if (reads_field(f, x->kids[i], obj->field, 0)) return true;
    return false;
}

/* A write a thread makes once: in its start function, outside any loop
 * (a result stored at exit, a done flag set once).  It does not bounce a
 * line back and forth.  `do { } while (0)` from macros is no loop. */
static bool once_per_thread(const struct sl_facts *fx, const struct sl_func *f,
                            const struct sl_expr *x)
{
    if (!sl_is_thread_entry(fx, f)) return false;
    for (const struct sl_stmt *s = x->stmt; s; s = s->parent) {
        if (!sl_stmt_is_loop(s)) continue;
        if (s->kind == SL_ST_DO && s->expr && s->expr->kind == SL_EX_INT && s->expr->has_value &&
            s->expr->ival == 0)
            continue;
        return false;
    }
    return true;
}

/* atomic_store(iou->sqtail, v) with a pointer-valued field as the address:
 * the write lands where the field points (a ring index the kernel shares),
 * not in the field itself. */
static bool writes_through_pointer_field(const struct sl_expr *x, const struct sl_expr *obj)
{
    return x->kind == SL_EX_CALL && x->atomic != SL_AT_NONE && x->n_kids &&
           !(x->kids[0]->kind == SL_EX_UNARY && x->kids[0]->op == SL_U_ADDROF) &&
           obj->kind == SL_EX_MEMBER && (obj->tflags & SL_TY_PTR);
}

/* ---- driver ---- */

static void collect_writes(struct fs *st)
{
    const struct sl_model *m = st->m;
    for (uint32_t fi = 0; fi < m->n_funcs; fi++) {
        const struct sl_func *f = m->funcs[fi];
        if (!f->body) continue;
        for (uint32_t i = 0; i < f->n_exprs; i++) {
            const struct sl_expr *x = f->exprs[i];
            const struct sl_expr *obj = strip_addr(sl_expr_written_object(x));
            if (!obj || obj->kind != SL_EX_MEMBER || writes_through_pointer_field(x, obj)) continue;
            bool builtin = x->kind == SL_EX_CALL && x->atomic != SL_AT_NONE;
            note_member_write(&st->writes, obj, f, x, is_init_write(st->fx, f, x, obj), builtin,
                              is_hot_write(f, x, obj) && !once_per_thread(st->fx, f, x));
        }
    }
}

static void index_writes(struct fs *st)
{
    size_t n = st->writes.n;
    sl_pmap_init(&st->by_field, st->cx->scratch);
    sl_pmap_init(&st->by_record, st->cx->scratch);
    st->next_by_field = sl_xcalloc(n ? n : 1, sizeof *st->next_by_field);
    st->next_by_record = sl_xcalloc(n ? n : 1, sizeof *st->next_by_record);
    for (size_t i = n; i-- > 0;) {      /* prepended from the back: lists in write order */
        const struct fwrite *w = &st->writes.v[i];
        void **f = sl_pmap_slot(&st->by_field, SL_PKEY(w->path[w->depth - 1]), 0);
        st->next_by_field[i] = (uint32_t)(uintptr_t)*f;
        *f = (void *)(uintptr_t)(i + 1);
        void **r = sl_pmap_slot(&st->by_record, SL_PKEY(w->path[0]->record), 0);
        st->next_by_record[i] = (uint32_t)(uintptr_t)*r;
        *r = (void *)(uintptr_t)(i + 1);
    }
}

/* For the whole program: each contending write to an atomic field of a
 * record declared in a header, so that writes from functions in different
 * files to fields on one line are seen together (check_project). */
static void export_header_writes(struct fs *st)
{
    struct sl_rule_ctx *cx = st->cx;
    for (size_t i = 0; i < st->writes.n; i++) {
        const struct fwrite *w = &st->writes.v[i];
        if (w->depth != 1 || w->init || !w->hot) continue;
        const struct sl_field *fld = w->path[0];
        const struct sl_record *r = fld->record;
        if (!r || r->in_main_file || r->from_system_header || r->is_union ||
            fld->offset_bits == UINT64_MAX || !fld->size || !is_atomic_field(st, fld))
            continue;
        char off[24], size[24], line[16], col[16];
        snprintf(off, sizeof off, "%llu", (unsigned long long)(fld->offset_bits / 8));
        snprintf(size, sizeof size, "%llu", (unsigned long long)fld->size);
        snprintf(line, sizeof line, "%u", r->loc.line);
        snprintf(col, sizeof col, "%u", r->loc.col);
        const char *args[] = { r->name, fld->name, off, size, sl_loc_file(st->m, r->loc), line, col };
        const struct sl_expr *chain[] = { w->site };
        sl_export_fact_args(cx, w->func, "atomic-write", chain, 1, args, 7);
    }
}

static void check(struct sl_rule_ctx *cx)
{
    const struct sl_model *cm = cx->model;
    struct fs st = { .cx = cx, .m = cm, .fx = cx->facts };
    st.state = sl_xcalloc(cm->n_records ? cm->n_records : 1, 1);
    collect_writes(&st);
    index_writes(&st);
    if (cx->exports) export_header_writes(&st);
    /* (b) structs: records declared in this file, or in a project header
     * when this file's own functions write the fields (see when_not). */
    for (uint32_t i = 0; i < cm->n_records; i++)
        record_flagged(&st, cm->records[i], 0);
    /* (a) arrays of per-thread slots. */
    check_arrays(&st);
    free(st.writes.v);
    free(st.next_by_field);
    free(st.next_by_record);
    free(st.state);
}

/* ---- the whole program: header structs written from several files ---- */

struct pwrite {
    const char *record, *field, *file;   /* file: where the writing function's TU is */
    uint64_t off, size;
    const struct sl_pfn *fn;
    const struct sl_sum_fact *fact;
};

static int cmp_pwrite(const void *a, const void *b)
{
    const struct pwrite *x = a, *y = b;
    int c = strcmp(x->record, y->record);
    if (c) return c;
    if (x->off != y->off) return x->off < y->off ? -1 : 1;
    c = strcmp(x->fn->name, y->fn->name);
    if (c) return c;
    return strcmp(x->file, y->file);
}

static bool same_line(const struct pwrite *a, const struct pwrite *b)
{
    uint64_t a0 = a->off / LINE_BYTES, a1 = (a->off + a->size - 1) / LINE_BYTES;
    uint64_t b0 = b->off / LINE_BYTES, b1 = (b->off + b->size - 1) / LINE_BYTES;
    return a0 <= b1 && b0 <= a1;
}

/* Fields of one header record on one line, written by functions of
 * different files, none of which writes both: the per-file check cannot
 * see the pair. */
static void check_project(struct sl_project_ctx *cx)
{
    const struct sl_project *p = cx->project;
    struct pwrite *v = NULL;
    size_t n = 0, cap = 0;
    for (uint32_t i = 0; i < p->n_fns; i++)
        for (uint32_t k = 0; k < p->fns[i].n_facts; k++) {
            const struct sl_sum_fact *fa = &p->fns[i].facts[k];
            if (strcmp(fa->rule, cx->rule->id) || strcmp(fa->what, "atomic-write") || fa->n_args != 7 ||
                fa->n_chain != 1)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                v = sl_xreallocarray(v, cap, sizeof *v);
            }
            v[n++] = (struct pwrite){ fa->args[0], fa->args[1], p->tus[p->fns[i].tu],
                                      strtoull(fa->args[2], NULL, 10), strtoull(fa->args[3], NULL, 10),
                                      &p->fns[i], fa };
        }
    if (n) sl_sort(v, n, sizeof *v, cmp_pwrite);
    for (size_t lo = 0; lo < n;) {
        size_t hi = lo + 1;
        while (hi < n && !strcmp(v[hi].record, v[lo].record)) hi++;
        /* the first pair of fields on one line, written in two files by
         * different functions, with no file writing both (over the first
         * MAX_PROJECT_WRITES writes of a record: the pair search is quadratic) */
        const struct pwrite *a = NULL, *b = NULL;
        size_t end = hi;
        hi = hi - lo > MAX_PROJECT_WRITES ? lo + MAX_PROJECT_WRITES : hi;
        for (size_t i = lo; i < hi && !a; i++)
            for (size_t j = i + 1; j < hi && !a; j++) {
                if (!strcmp(v[i].field, v[j].field) || !same_line(&v[i], &v[j]) ||
                    !strcmp(v[i].file, v[j].file) || v[i].fn == v[j].fn)
                    continue;
                bool one_file_writes_both = false;
                for (size_t x = lo; x < hi && !one_file_writes_both; x++)
                    for (size_t y = lo; y < hi && !one_file_writes_both; y++)
                        one_file_writes_both = !strcmp(v[x].field, v[i].field) &&
                                               !strcmp(v[y].field, v[j].field) &&
                                               !strcmp(v[x].file, v[y].file) && v[x].fn != v[y].fn;
                if (!one_file_writes_both) { a = &v[i]; b = &v[j]; }
            }
        if (a) {
            struct sl_site decl = { a->fact->args[4], (uint32_t)strtoul(a->fact->args[5], NULL, 10),
                                    (uint32_t)strtoul(a->fact->args[6], NULL, 10), NULL };
            struct sl_diag *d = sl_preport(cx, &decl,
                "'%s' has atomics '%s' and '%s' on one 64-byte cache line, written by different "
                "functions in different files ('%s' and '%s'): each write takes the line away from "
                "the core that wrote the other", a->record, a->field, b->field, a->fn->name, b->fn->name);
            sl_pset_identity(cx, d, a->record);
            sl_pnote(cx, d, &a->fact->chain[0].at, "'%s' (offset %llu) written here in '%s'", a->field,
                     (unsigned long long)a->off, a->fn->name);
            sl_pnote(cx, d, &b->fact->chain[0].at, "'%s' (offset %llu) written here in '%s'", b->field,
                     (unsigned long long)b->off, b->fn->name);
            sl_pnote_text(cx, d, "use: start each independently written atomic on its own line, "
                          "`alignas(SL_CACHELINE)` on '%s', or put SL_PAD between them "
                          "(<synclint/pad.h>)", b->field);
        }
        lo = end;
    }
    free(v);
}

const struct sl_rule sl_rule_false_sharing_atomics = {
    .id = "false-sharing-atomics",
    .tier = 1,
    .precision = "high",   /* docs/precision.md */
    .summary = "independently written atomics or per-thread slots share one 64-byte cache line",
    .replacement = "alignas(SL_CACHELINE) / SL_PAD from <synclint/pad.h>",
    .what =
        "Two shapes of false sharing, judged from the real layout (field offsets from the\n"
        "compiler, 64-byte lines):\n"
        "(a) per-thread slots: a global or struct-member array whose elements are smaller than\n"
        "a cache line, written at an index that is a thread, worker or CPU id - a field of the\n"
        "thread function's argument (`struct worker *w = arg; counts[w->id]++`), a variable or\n"
        "field named like id/tid/idx/self/cpu/worker/slot, sched_getcpu(), or a thread-local.\n"
        "Elements may be atomics, small structs, or plain integers; plain integer arrays are\n"
        "included (they false-share exactly the same) but only when the write is in a thread\n"
        "body or a function only thread bodies call. Reported at the array declaration.\n"
        "(b) a struct with two or more atomic fields (_Atomic, atomic_int-style typedefs, or\n"
        "plain fields written through __atomic_*/__sync_*/atomic_* builtins and never with a\n"
        "plain store outside set-up) in the same 64-byte line, where one function writes one\n"
        "field and a different function writes the other, and at least one of those writes\n"
        "is hot: an atomic read-modify-write, ++/+=, or a store computed from the field's own\n"
        "value (settings stored by two setters do not count). Reported at the struct definition,\n"
        "with the fields, their offsets and their writers as notes. Fields of nested structs\n"
        "count at their real offset; pairs inside one nested member are reported at the\n"
        "nested type, and arrays of a reported struct are reported once, at the type.\n"
        "A struct declared in a project header is reported (at the header) only from\n"
        "translation units whose own functions write both fields, and the message depends\n"
        "only on the layout, so the driver can merge identical reports from several files.\n"
        "Across files: a struct of a header whose atomics on one line are written by functions in\n"
        "different files of the run (a producer file and a consumer file) is reported at the\n"
        "struct, with one write from each file.",
    .why =
        "Caches move memory in 64-byte lines. When core A writes one word of a line, every\n"
        "other core's copy of the whole line is invalidated, even if core B only touches a\n"
        "different word. Two counters bumped by different threads on one line therefore\n"
        "bounce the line between cores on every write: each atomic increment that costs a few\n"
        "nanoseconds alone costs 40-100 ns or more under contention, and the slowdown grows\n"
        "with the core count. The seed benchmark (two atomics, 8 threads) goes from 320 to\n"
        "125 ns/op just by padding. Nothing is wrong in the logic, so it only shows up in a\n"
        "profile (perf stat -e cache-misses, perf c2c).",
    .before =
        "static atomic_long hits[NWORKERS];            /* 8 slots per line */\n"
        "\n"
        "struct conn_state {\n"
        "    atomic_int  status;                       /* offset 0, set by conn_set_status() */\n"
        "    atomic_long bytes;                        /* offset 8, bumped by conn_account() */\n"
        "};\n"
        "\n"
        "static void *worker(void *arg)\n"
        "{\n"
        "    struct worker *w = arg;\n"
        "    atomic_fetch_add(&hits[w->id], 1);\n"
        "    return NULL;\n"
        "}",
    .after =
        "#include <synclint/pad.h>\n"
        "\n"
        "static struct {\n"
        "    alignas(SL_CACHELINE) atomic_long n;      /* one line per worker */\n"
        "} hits[NWORKERS];\n"
        "\n"
        "struct conn_state {\n"
        "    alignas(SL_CACHELINE) atomic_int  status;\n"
        "    alignas(SL_CACHELINE) atomic_long bytes;  /* or: SL_PAD between them */\n"
        "};\n"
        "\n"
        "    atomic_fetch_add_explicit(&hits[w->id].n, 1, memory_order_relaxed);\n"
        "\n"
        "/* often better still: a per-thread local summed once at the end,\n"
        "   or sl_striped_counter (<synclint/counter.h>) */",
    .when_not =
        "When the fields are always written together by the same thread (that is true\n"
        "sharing, and padding only wastes memory); when the struct is allocated by the\n"
        "thousand or million and memory matters more than the contention (padding costs up to\n"
        "64 bytes per field per instance); when profiling shows no cache-miss cost (the writes\n"
        "are rare, e.g. status changes once per connection); on machines with 128-byte lines\n"
        "use SL_CACHELINE, not a hard-coded 64. Writes inside functions named like\n"
        "constructors or destructors (init/create/new/destroy/free...), atomic_init, and\n"
        "writes into a local or freshly allocated object are treated as set-up and ignored.\n"
        "A write a thread makes once in its start function, outside any loop (a result stored\n"
        "at exit, a done or stop flag set once), bounces no line and is ignored too.",
    .needs = SL_NEED_THREADS | SL_NEED_SETUP | SL_NEED_PER_THREAD | SL_NEED_DEFUSE,
    .check = check,
    .check_project = check_project,
};
