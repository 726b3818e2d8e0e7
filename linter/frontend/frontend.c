/* frontend.c - the only libclang consumer: lowers a TU into the program model. */
#include "frontend.h"
#include "stats.h"
#include "pmap.h"
#include "strmap.h"
#include "err.h"
#include "source.h"

#include <clang-c/Index.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SL_MAX_FILE_BYTES (64u * 1024 * 1024)
#define SL_MAX_PARSE_ERRORS 5

/* ---- small growable vectors (malloc; freed at the end of lowering) ---- */

struct ptrvec { void **v; uint32_t n, cap; };

static void pv_push(struct ptrvec *pv, void *p)
{
    if (pv->n == pv->cap) {
        pv->cap = pv->cap ? pv->cap * 2 : 64;
        void **nv = sl_xrealloc(pv->v, pv->cap * sizeof *nv);
        pv->v = nv;
    }
    pv->v[pv->n++] = p;
}

/* ---- decl map: libclang declaration cursor -> model node ---- */

struct decl_slot { CXCursor key; void *node; bool used; };
struct decl_map { struct decl_slot *slots; uint32_t cap, n; };

static void dm_grow(struct decl_map *dm);

static struct decl_slot *dm_find(struct decl_map *dm, CXCursor c, bool insert)
{
    if (!dm->cap) {
        if (!insert) return NULL;
        dm_grow(dm);
    }
    unsigned h = clang_hashCursor(c);
    for (uint32_t i = h & (dm->cap - 1);; i = (i + 1) & (dm->cap - 1)) {
        struct decl_slot *s = &dm->slots[i];
        if (!s->used) {
            if (!insert) return NULL;
            if ((dm->n + 1) * 4 > dm->cap * 3) {
                dm_grow(dm);
                return dm_find(dm, c, true);
            }
            s->used = true;
            s->key = c;
            s->node = NULL;
            dm->n++;
            return s;
        }
        if (clang_equalCursors(s->key, c))
            return s;
    }
}

static void dm_grow(struct decl_map *dm)
{
    struct decl_map old = *dm;
    dm->cap = old.cap ? old.cap * 2 : 1024;
    dm->n = 0;
    dm->slots = sl_xcalloc(dm->cap, sizeof *dm->slots);
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.slots[i].used)
            dm_find(dm, old.slots[i].key, true)->node = old.slots[i].node;
    free(old.slots);
}

/* ---- lowering context ---- */

struct fe {
    CXTranslationUnit tu;
    struct sl_model *m;
    struct sl_arena *a;
    CXFile main_file;
    struct sl_pmap file_ids;     /* CXFile -> file index + 1, every file met */
    struct sl_strmap *file_names;   /* file name -> index */
    CXFile last_file;            /* one-entry cache: most locations are in one file */
    uint32_t last_idx;
    struct line_table *lines;    /* [file index], built on first use */
    uint32_t n_lines;
    struct loc_memo *loc_memo;   /* raw location -> expansion place, direct-mapped */
    /* A header's static functions are lowered only once something lowered
     * uses them: most of a big header's inline helpers are dead in a given
     * TU, and the TUs that call one lower it. */
    struct sl_pmap deferred;     /* stub sl_func -> its definition's index + 1 */
    CXCursor *deferred_defs;
    uint32_t n_deferred, cap_deferred;
    uint32_t *queue;             /* deferred definitions now used, to lower */
    uint32_t n_queue;
    CXCursor extent_of;          /* the last cursor whose extent was taken ... */
    struct sl_loc extent;        /* ... and that extent (an expression statement's) */
    struct decl_map decls;
    struct ptrvec files, funcs, records, vars;
    struct sl_fn_store *fn_stores;   /* initialisers' function-pointer stores */
    uint32_t n_fn_stores, cap_fn_stores;
    /* current function */
    struct sl_func *fn;
    struct ptrvec stmts, exprs, calls;
    struct sl_stmt *cur_stmt;
    /* The TU may have a precompiled preamble whose declarations its visit
     * skips: header functions, variables and typedef names are then taken
     * when lowered code first refers to them (see header_func). */
    bool lazy_headers;
    struct sl_frontend_doc *doc;   /* the document lowered, or NULL */
};

/* Copy a CXString into the model arena and dispose it. */
static const char *cx_into_arena(struct fe *fe, CXString s)
{
    const char *c = clang_getCString(s);
    const char *r = sl_arena_strdup(fe->a, c ? c : "");
    clang_disposeString(s);
    return r;
}

/* The model's index of a file: every CXFile is looked up once in a hash map
 * (a big TU has hundreds of headers and a location per expression); two
 * CXFiles with one name (a header reached by two paths) share an index. */
static uint32_t file_index(struct fe *fe, CXFile f)
{
    if (!f) return UINT32_MAX;
    if (f == fe->last_file) return fe->last_idx;
    void **slot = sl_pmap_slot(&fe->file_ids, SL_PKEY(f), 0);
    if (!*slot) {
        uint32_t idx = 0;
        if (!fe->main_file || !clang_File_isEqual(f, fe->main_file)) {
            const char *name = cx_into_arena(fe, clang_getFileName(f));
            idx = sl_strmap_put(fe->file_names, name, fe->files.n);
            if (idx == fe->files.n) pv_push(&fe->files, (void *)name);
        }
        *slot = (void *)(uintptr_t)(idx + 1);
    }
    fe->last_file = f;
    fe->last_idx = (uint32_t)((uintptr_t)*slot - 1);
    return fe->last_idx;
}

/* Line starts of one file, from its buffer: a location's line and column
 * from its offset by a search here, instead of two more trips through
 * clang's SourceManager per location (half the cost of lowering was
 * there).  Columns are byte columns from 1, as clang counts them. */
struct line_table {
    uint32_t *starts;            /* offset of each line's first byte */
    uint32_t n, last;            /* last: the line found last time */
    bool built, none;            /* none: no buffer, ask clang */
    bool borrowed;               /* starts and buf belong to the document */
    const char *buf;             /* the file's bytes (clang's buffer) */
    uint32_t size;
};

/* The offsets of the starts of buf's lines, malloc'd; *n set. */
static uint32_t *line_starts(const char *buf, size_t size, uint32_t *n)
{
    uint32_t cap = 64;
    uint32_t *starts = sl_xmalloc(cap * sizeof *starts);
    *n = 0;
    starts[(*n)++] = 0;
    for (const char *p = buf, *end = buf + size; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
        if (*n == cap) starts = sl_xreallocarray(starts, cap *= 2, sizeof *starts);
        starts[(*n)++] = (uint32_t)(p - buf) + 1;
    }
    return starts;
}

static bool doc_lines(struct fe *fe, CXFile f, uint32_t idx, struct line_table *t);

static struct line_table *lines_of(struct fe *fe, CXFile f, uint32_t idx)
{
    if (idx == UINT32_MAX) return NULL;
    if (idx >= fe->n_lines) {
        uint32_t n = fe->n_lines ? fe->n_lines : 16;
        while (n <= idx) n *= 2;
        fe->lines = sl_xrealloc(fe->lines, n * sizeof *fe->lines);
        memset(fe->lines + fe->n_lines, 0, (n - fe->n_lines) * sizeof *fe->lines);
        fe->n_lines = n;
    }
    struct line_table *t = &fe->lines[idx];
    if (!t->built) {
        t->built = true;
        if (doc_lines(fe, f, idx, t)) return t;
        size_t size = 0;
        const char *buf = clang_getFileContents(fe->tu, f, &size);
        if (!buf || size >= UINT32_MAX) {
            t->none = true;
            return NULL;
        }
        t->buf = buf;
        t->size = (uint32_t)size;
        t->starts = line_starts(buf, size, &t->n);
    }
    return t->none ? NULL : t;
}

/* Line (from 1) and column of offset off: near the last answer first, as
 * lowering walks a file mostly forward. */
static void line_col(struct line_table *t, uint32_t off, unsigned *line, unsigned *col)
{
    uint32_t i = t->last;
    if (!(t->starts[i] <= off && (i + 1 == t->n || off < t->starts[i + 1]))) {
        if (i + 2 <= t->n - 1 && t->starts[i + 1] <= off && off < t->starts[i + 2]) {
            i++;
        } else {
            uint32_t lo = 0, hi = t->n;      /* last start <= off */
            while (hi - lo > 1) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (t->starts[mid] <= off) lo = mid; else hi = mid;
            }
            i = lo;
        }
        t->last = i;
    }
    *line = i + 1;
    *col = off - t->starts[i] + 1;
}

/* Places already resolved, by the raw location's encoding: an operator
 * starts where its left operand does and ends where its right one ends, so
 * most raw locations come twice.  A miss costs one clang call. */
#define LOC_MEMO_SIZE 4096
struct loc_memo {
    unsigned raw;                /* CXSourceLocation.int_data; 0: empty */
    CXFile file;
    uint32_t idx;
    unsigned line, col, off;
};

/* A location's expansion file, line, column and offset: the file and
 * offset from clang, the rest from the file's line table. */
static CXFile expansion_loc_off(struct fe *fe, CXSourceLocation sl, uint32_t *idx, unsigned *line,
                                unsigned *col, unsigned *offset)
{
    struct loc_memo *m = sl.int_data ? &fe->loc_memo[sl.int_data % LOC_MEMO_SIZE] : NULL;
    if (m && m->raw == sl.int_data) {
        *idx = m->idx;
        *line = m->line;
        *col = m->col;
        *offset = m->off;
        return m->file;
    }
    CXFile f = NULL;
    unsigned off = 0;
    clang_getExpansionLocation(sl, &f, NULL, NULL, &off);
    *idx = file_index(fe, f);
    *offset = off;
    struct line_table *t = f ? lines_of(fe, f, *idx) : NULL;
    if (t) line_col(t, off, line, col);
    else if (f) clang_getExpansionLocation(sl, NULL, line, col, NULL);
    else *line = *col = 0;
    if (m) *m = (struct loc_memo){ sl.int_data, f, *idx, *line, *col, off };
    return f;
}

static CXFile expansion_loc(struct fe *fe, CXSourceLocation sl, uint32_t *idx, unsigned *line,
                            unsigned *col)
{
    unsigned off;
    return expansion_loc_off(fe, sl, idx, line, col, &off);
}

static struct sl_loc range_loc(struct fe *fe, CXSourceRange r)
{
    struct sl_loc l = {0};
    unsigned line = 0, col = 0, eline = 0, ecol = 0;
    uint32_t idx2 = 0;
    CXFile f = expansion_loc(fe, clang_getRangeStart(r), &l.file, &line, &col);
    CXFile f2 = expansion_loc(fe, clang_getRangeEnd(r), &idx2, &eline, &ecol);
    l.line = line;
    l.col = col;
    if (f2 == f && (eline > line || (eline == line && ecol >= col))) {
        l.end_line = eline;
        l.end_col = ecol;   /* one past the last character */
    } else {
        l.end_line = line;
        l.end_col = col + 1;
    }
    return l;
}

/* An expression statement is its expression's cursor: its statement and
 * its expression ask for one extent, taken once. */
static struct sl_loc cursor_extent_loc(struct fe *fe, CXCursor c)
{
    /* bit-for-bit: the statement and its expression are one cursor value */
    const CXCursor *m = &fe->extent_of;
    if (c.kind != m->kind || c.xdata != m->xdata || c.data[0] != m->data[0] ||
        c.data[1] != m->data[1] || c.data[2] != m->data[2]) {
        fe->extent = range_loc(fe, clang_getCursorExtent(c));
        fe->extent_of = c;
    }
    return fe->extent;
}

static bool ident_char(char ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || (unsigned char)ch >= 0x80;
}

/* Length of the pp-number at p (a numeric literal: digits, letters, '.',
 * digit separators and signed exponents), 0 if p does not start one. */
static size_t ppnumber_len(const char *p, const char *end)
{
    if (p == end || !((*p >= '0' && *p <= '9') ||
                      (*p == '.' && p + 1 < end && p[1] >= '0' && p[1] <= '9')))
        return 0;
    const char *q = p + 1;
    while (q < end) {
        char ch = *q;
        if ((ch == '+' || ch == '-') && strchr("eEpP", q[-1])) q++;
        else if (ident_char(ch) || ch == '.' || (ch == '\'' && q + 1 < end && ident_char(q[1]))) q++;
        else break;
    }
    return (size_t)(q - p);
}

/* The extent of an expression that is one token (a variable's name, a
 * numeric literal), from its location and the token's length in the file,
 * without clang re-lexing the token for its end.  When the file does not
 * show that token there (it comes from a macro), clang's extent. */
static struct sl_loc token_extent_loc(struct fe *fe, CXCursor c, const char *name)
{
    uint32_t idx = 0;
    unsigned line = 0, col = 0, off = 0;
    CXFile f = expansion_loc_off(fe, clang_getCursorLocation(c), &idx, &line, &col, &off);
    struct line_table *t = f ? lines_of(fe, f, idx) : NULL;
    if (t && off < t->size) {
        const char *p = t->buf + off, *end = t->buf + t->size;
        size_t n = 0;
        if (name) {
            size_t len = strlen(name);
            if (len && len <= (size_t)(end - p) && !memcmp(p, name, len) &&
                (p + len == end || !ident_char(p[len])))
                n = len;
        } else {
            n = ppnumber_len(p, end);
        }
        if (n && line)
            return (struct sl_loc){ .file = idx, .line = line, .col = col,
                                    .end_line = line, .end_col = col + (uint32_t)n };
    }
    return cursor_extent_loc(fe, c);
}

/* clang_getInclusions: record each #include of a <synclint/...> header,
 * by the file and line where the directive is written. */
struct incl_rec { uint32_t file, line; bool pad; };
struct incl_ctx { struct fe *fe; struct incl_rec *v; size_t n, cap; };

static void inclusion_cb(CXFile included, CXSourceLocation *stack, unsigned depth, CXClientData d)
{
    struct incl_ctx *ic = d;
    if (!depth) return;
    CXString name = clang_getFileName(included);
    const char *s = clang_getCString(name);
    const char *at = s ? strstr(s, "/synclint/") : NULL;
    if (at && strchr(at + 10, '/') == NULL) {
        uint32_t idx = 0;
        unsigned line = 0, col = 0;
        expansion_loc(ic->fe, stack[0], &idx, &line, &col);
        if (idx != UINT32_MAX) {
            if (ic->n == ic->cap) {
                ic->cap = ic->cap ? ic->cap * 2 : 8;
                ic->v = sl_xreallocarray(ic->v, ic->cap, sizeof *ic->v);
            }
            ic->v[ic->n++] = (struct incl_rec){ idx, line, !strcmp(at + 10, "pad.h") };
        }
    }
    clang_disposeString(name);
}

/* Is a location inside a macro expansion (spelled elsewhere than where it
 * expands)? */
static bool from_macro(CXSourceLocation sl)
{
    CXFile ef = NULL, sf = NULL;
    unsigned eo = 0, so = 0;
    clang_getExpansionLocation(sl, &ef, NULL, NULL, &eo);
    clang_getSpellingLocation(sl, &sf, NULL, NULL, &so);
    return eo != so || !ef || !sf || !clang_File_isEqual(ef, sf);
}

static struct sl_loc cursor_name_loc(struct fe *fe, CXCursor c)
{
    struct sl_loc l = {0};
    unsigned line = 0, col = 0;
    expansion_loc(fe, clang_getCursorLocation(c), &l.file, &line, &col);
    l.line = l.end_line = line;
    l.col = col;
    CXString sp = clang_getCursorSpelling(c);
    const char *s = clang_getCString(sp);
    l.end_col = col + (s && *s ? (uint32_t)strlen(s) : 1);
    clang_disposeString(sp);
    return l;
}

/* ---- children ---- */

struct kids { CXCursor *v; unsigned n, cap; CXCursor buf[8]; };

static enum CXChildVisitResult collect_cb(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct kids *k = d;
    if (k->n == k->cap) {
        unsigned ncap = k->cap * 2;
        CXCursor *nv = sl_xmalloc(ncap * sizeof *nv);
        memcpy(nv, k->v, k->n * sizeof *nv);
        if (k->v != k->buf) free(k->v);
        k->v = nv;
        k->cap = ncap;
    }
    k->v[k->n++] = c;
    return CXChildVisit_Continue;
}

static void kids_collect(CXCursor c, struct kids *k)
{
    k->v = k->buf;
    k->n = 0;
    k->cap = 8;
    clang_visitChildren(c, collect_cb, k);
}

static void kids_free(struct kids *k)
{
    if (k->v != k->buf) free(k->v);
}

/* ---- types ---- */

static bool is_integer_kind(enum CXTypeKind k)
{
    return (k >= CXType_Bool && k <= CXType_Int128) || k == CXType_Enum;
}

static uint32_t type_flags(CXType t)
{
    uint32_t f = 0;
    if (clang_isVolatileQualifiedType(t)) f |= SL_TY_VOLATILE;
    if (clang_isConstQualifiedType(t)) f |= SL_TY_CONST;
    CXType c = clang_getCanonicalType(t);
    if (clang_isVolatileQualifiedType(c)) f |= SL_TY_VOLATILE;
    if (c.kind == CXType_Atomic) {
        f |= SL_TY_ATOMIC;
        c = clang_getCanonicalType(clang_Type_getValueType(c));
    }
    if (is_integer_kind(c.kind)) f |= SL_TY_INT;
    else if (c.kind == CXType_Float || c.kind == CXType_Double || c.kind == CXType_LongDouble)
        f |= SL_TY_FLOAT;
    else if (c.kind == CXType_Pointer) {
        f |= SL_TY_PTR;
        CXType p = clang_getCanonicalType(clang_getPointeeType(c));
        if (p.kind == CXType_FunctionProto || p.kind == CXType_FunctionNoProto)
            f |= SL_TY_FUNCPTR;
    } else if (c.kind == CXType_Record) f |= SL_TY_RECORD;
    else if (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray ||
             c.kind == CXType_VariableArray || c.kind == CXType_DependentSizedArray)
        f |= SL_TY_ARRAY;
    else if (c.kind == CXType_Void) f |= SL_TY_VOID;
    return f;
}

static enum sl_sync_kind sync_from_name(const char *s)
{
    static const struct { const char *name; enum sl_sync_kind k; } tab[] = {
        {"pthread_mutex_t", SL_SYNC_MUTEX}, {"pthread_spinlock_t", SL_SYNC_SPIN},
        {"pthread_rwlock_t", SL_SYNC_RWLOCK}, {"pthread_cond_t", SL_SYNC_COND},
        {"sem_t", SL_SYNC_SEM}, {"pthread_t", SL_SYNC_THREAD},
        {"pthread_once_t", SL_SYNC_ONCE}, {"mtx_t", SL_SYNC_CNDMTX},
        {"cnd_t", SL_SYNC_COND}, {"thrd_t", SL_SYNC_THREAD}, {"once_flag", SL_SYNC_ONCE},
        {"union pthread_mutex_t", SL_SYNC_MUTEX}, {"union pthread_cond_t", SL_SYNC_COND},
        {"union pthread_rwlock_t", SL_SYNC_RWLOCK},
    };
    if (!s) return SL_SYNC_NONE;
    if (strncmp(s, "const ", 6) == 0) s += 6;
    if (strncmp(s, "volatile ", 9) == 0) s += 9;
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(s, tab[i].name) == 0) return tab[i].k;
    return SL_SYNC_NONE;
}

/* Sync kind of a type, looking through typedef chains (pthread_spinlock_t
 * is a plain int underneath, so names must be checked before canonicalising). */
static enum sl_sync_kind type_sync(CXType t)
{
    for (int depth = 0; depth < 8; depth++) {
        if (t.kind == CXType_Elaborated) { t = clang_Type_getNamedType(t); continue; }
        if (t.kind == CXType_Typedef) {
            CXString n = clang_getTypedefName(t);
            enum sl_sync_kind k = sync_from_name(clang_getCString(n));
            clang_disposeString(n);
            if (k) return k;
            t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
            continue;
        }
        break;
    }
    CXString n = clang_getTypeSpelling(clang_getCanonicalType(t));
    enum sl_sync_kind k = sync_from_name(clang_getCString(n));
    clang_disposeString(n);
    return k;
}

/* Element / pointee type for arrays and pointers, else t itself. */
static CXType object_type(CXType t)
{
    CXType c = clang_getCanonicalType(t);
    if (c.kind == CXType_Pointer) return clang_getPointeeType(t);
    if (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray ||
        c.kind == CXType_VariableArray) {
        CXType e = clang_getArrayElementType(t);
        if (e.kind == CXType_Invalid) e = clang_getArrayElementType(c);
        return e;
    }
    return t;
}

static struct sl_record *lower_record(struct fe *fe, CXCursor decl);

static bool unnamed_record(const struct sl_record *r)
{
    return strstr(r->name, "(unnamed") || strstr(r->name, "(anonymous");
}

/* typedef struct { ... } name_t;  gives the anonymous record its name: the
 * innermost typedef of t's chain outside system headers (the first
 * declared, as the visit, which skips system headers, names it). */
static void name_by_typedef(struct fe *fe, CXType t, struct sl_record *r)
{
    CXCursor innermost = clang_getNullCursor();
    for (int depth = 0; depth < 16; depth++) {
        if (t.kind == CXType_Elaborated) t = clang_Type_getNamedType(t);
        if (t.kind != CXType_Typedef) break;
        CXCursor td = clang_getTypeDeclaration(t);
        if (!clang_Location_isInSystemHeader(clang_getCursorLocation(td))) innermost = td;
        t = clang_getTypedefDeclUnderlyingType(td);
    }
    if (!clang_Cursor_isNull(innermost))
        r->name = cx_into_arena(fe, clang_getCursorSpelling(innermost));
}

static struct sl_record *record_of_type(struct fe *fe, CXType t)
{
    CXType c = clang_getCanonicalType(t);
    if (c.kind == CXType_Atomic) c = clang_getCanonicalType(clang_Type_getValueType(c));
    if (c.kind != CXType_Record) return NULL;
    CXCursor d = clang_getTypeDeclaration(c);
    if (clang_Cursor_isNull(d)) return NULL;
    struct sl_record *r = lower_record(fe, d);
    /* the preamble's typedefs are not visited: name the record here */
    if (r && fe->lazy_headers && unnamed_record(r)) name_by_typedef(fe, t, r);
    return r;
}

/* ---- records ---- */

static void add_fields(struct fe *fe, struct sl_record *r, CXCursor decl,
                       uint64_t base_bits, struct ptrvec *out)
{
    struct kids k;
    kids_collect(decl, &k);
    for (unsigned i = 0; i < k.n; i++) {
        CXCursor c = k.v[i];
        if (clang_getCursorKind(c) != CXCursor_FieldDecl) continue;
        CXType ft = clang_getCursorType(c);
        long long off = clang_Cursor_getOffsetOfField(c);
        CXType fc = clang_getCanonicalType(ft);
        CXCursor fdecl = clang_getTypeDeclaration(fc);
        if (fc.kind == CXType_Record && clang_Cursor_isAnonymousRecordDecl(fdecl)) {
            /* Anonymous struct/union member: its fields belong to r. */
            add_fields(fe, r, fdecl, base_bits + (off >= 0 ? (uint64_t)off : 0), out);
            continue;
        }
        struct sl_field *f = sl_arena_alloc(fe->a, sizeof *f);
        f->name = cx_into_arena(fe, clang_getCursorSpelling(c));
        f->record = r;
        f->offset_bits = off >= 0 ? base_bits + (uint64_t)off : UINT64_MAX;
        long long sz = clang_Type_getSizeOf(ft);
        long long al = clang_Type_getAlignOf(ft);
        f->size = sz > 0 ? (uint64_t)sz : 0;
        f->align = al > 0 ? (uint32_t)al : 0;
        f->tflags = type_flags(ft);
        f->sync = type_sync(object_type(ft));
        f->type_name = cx_into_arena(fe, clang_getTypeSpelling(ft));
        f->loc = cursor_name_loc(fe, c);
        f->decl = range_loc(fe, clang_getCursorExtent(c));
        /* a macro for the type (`HOT_COUNTER a;`, `ATOMIC(int) c;`) is text the
         * fix can go before; a macro that writes the name is not */
        f->decl_in_macro = from_macro(clang_getCursorLocation(c));
        f->is_bitfield = clang_Cursor_isBitField(c) != 0;
        if (f->tflags & (SL_TY_RECORD | SL_TY_ARRAY)) {
            CXType et = object_type(ft);
            f->type_record = record_of_type(fe, et);
            if (f->tflags & SL_TY_ARRAY) {
                long long es = clang_Type_getSizeOf(et);
                long long n = clang_getArraySize(clang_getCanonicalType(ft));
                f->elem_size = es > 0 ? (uint64_t)es : 0;
                f->array_len = n > 0 ? (uint64_t)n : 0;
                f->elem_tflags = type_flags(et);
            }
        }
        f->index = out->n;
        pv_push(out, f);
        dm_find(&fe->decls, clang_getCanonicalCursor(c), true)->node = f;
    }
    kids_free(&k);
}

static struct sl_record *lower_record(struct fe *fe, CXCursor decl)
{
    CXCursor canon = clang_getCanonicalCursor(decl);
    struct decl_slot *slot = dm_find(&fe->decls, canon, true);
    if (slot->node) return slot->node;
    /* Use the definition when there is one: that is where the fields are. */
    CXCursor def = clang_getCursorDefinition(decl);
    struct sl_record *r = sl_arena_alloc(fe->a, sizeof *r);
    slot->node = r;   /* before recursing: self-referential structs */
    r->is_union = clang_getCursorKind(decl) == CXCursor_UnionDecl;
    CXType t = clang_getCursorType(decl);
    r->name = cx_into_arena(fe, clang_getTypeSpelling(t));
    CXCursor where = clang_Cursor_isNull(def) ? decl : def;
    r->loc = cursor_name_loc(fe, where);
    r->in_main_file = r->loc.file == 0;
    r->from_system_header = clang_Location_isInSystemHeader(clang_getCursorLocation(where));
    long long sz = clang_Type_getSizeOf(t);
    r->size = sz > 0 ? (uint64_t)sz : 0;
    r->index = fe->records.n;
    pv_push(&fe->records, r);
    if (!clang_Cursor_isNull(def) && !r->from_system_header) {
        struct ptrvec fields = {0};
        add_fields(fe, r, def, 0, &fields);
        r->n_fields = fields.n;
        r->fields = sl_arena_alloc(fe->a, (fields.n ? fields.n : 1) * sizeof *r->fields);
        if (fields.n) memcpy(r->fields, fields.v, fields.n * sizeof *r->fields);
        free(fields.v);
    }
    return r;
}

static struct sl_field *field_of(struct fe *fe, CXCursor fdecl)
{
    CXCursor canon = clang_getCanonicalCursor(fdecl);
    struct decl_slot *s = dm_find(&fe->decls, canon, false);
    if (s && s->node) return s->node;
    /* Lower the enclosing record (outermost non-anonymous one). */
    CXCursor p = clang_getCursorSemanticParent(fdecl);
    while (!clang_Cursor_isNull(p) && clang_Cursor_isAnonymousRecordDecl(p))
        p = clang_getCursorSemanticParent(p);
    if (clang_Cursor_isNull(p)) return NULL;
    lower_record(fe, p);
    s = dm_find(&fe->decls, canon, false);
    return s ? s->node : NULL;
}

/* ---- variables ---- */

static struct sl_var *lower_var(struct fe *fe, CXCursor decl, enum sl_var_kind kind, int param_index)
{
    CXCursor canon = clang_getCanonicalCursor(decl);
    struct decl_slot *slot = dm_find(&fe->decls, canon, true);
    if (slot->node) return slot->node;
    struct sl_var *v = sl_arena_alloc(fe->a, sizeof *v);
    slot->node = v;
    v->name = cx_into_arena(fe, clang_getCursorSpelling(decl));
    v->kind = kind;
    v->param_index = param_index;
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
    v->is_static = sc == CX_SC_Static;
    v->from_system_header = clang_Location_isInSystemHeader(clang_getCursorLocation(decl));
    v->is_thread_local = clang_getCursorTLSKind(decl) != CXTLS_None;
    CXType t = clang_getCursorType(decl);
    v->tflags = type_flags(t);
    CXType ot = object_type(t);
    v->sync = type_sync(ot);
    v->type_name = cx_into_arena(fe, clang_getTypeSpelling(t));
    v->record = record_of_type(fe, ot);
    if (v->tflags & SL_TY_ARRAY) {
        long long es = clang_Type_getSizeOf(ot);
        v->elem_size = es > 0 ? (uint64_t)es : 0;
        long long n = clang_getArraySize(clang_getCanonicalType(t));
        v->array_len = n > 0 ? (uint64_t)n : 0;
        v->elem_tflags = type_flags(ot);
    }
    v->loc = cursor_name_loc(fe, decl);
    v->func = kind == SL_VAR_GLOBAL ? NULL : fe->fn;
    v->index = fe->vars.n;
    pv_push(&fe->vars, v);
    return v;
}

static void var_definition(struct fe *fe, CXCursor c, struct sl_var *v);

/* A preamble's variable, first met as a reference (see header_func): its
 * header definition, if it has one, as the visit would have taken it. */
static void header_var(struct fe *fe, CXCursor decl, struct sl_var *v)
{
    CXSourceLocation loc = clang_getCursorLocation(decl);
    if (clang_Location_isInSystemHeader(loc) || clang_Location_isFromMainFile(loc)) return;
    CXCursor def = clang_getCursorDefinition(decl);
    if (clang_Cursor_isNull(def)) return;
    CXSourceLocation dloc = clang_getCursorLocation(def);
    if (!clang_Location_isFromMainFile(dloc) && !clang_Location_isInSystemHeader(dloc))
        var_definition(fe, def, v);
}

static struct sl_var *var_of(struct fe *fe, CXCursor decl)
{
    CXCursor canon = clang_getCanonicalCursor(decl);
    struct decl_slot *s = dm_find(&fe->decls, canon, false);
    if (s && s->node) return s->node;
    enum sl_var_kind k = SL_VAR_GLOBAL;
    if (clang_getCursorKind(decl) == CXCursor_ParmDecl) k = SL_VAR_PARAM;
    else if (clang_getCursorKind(clang_getCursorSemanticParent(decl)) == CXCursor_FunctionDecl)
        k = SL_VAR_LOCAL;
    if (k == SL_VAR_LOCAL && clang_Cursor_getStorageClass(decl) == CX_SC_Extern)
        k = SL_VAR_GLOBAL;
    struct sl_var *v = lower_var(fe, decl, k, -1);
    if (fe->lazy_headers && k == SL_VAR_GLOBAL) header_var(fe, decl, v);
    return v;
}

/* ---- functions (declarations referenced by calls) ---- */

static struct sl_func *header_func(struct fe *fe, CXCursor decl);

static struct sl_func *func_of(struct fe *fe, CXCursor decl)
{
    CXCursor canon = clang_getCanonicalCursor(decl);
    struct decl_slot *s = dm_find(&fe->decls, canon, false);
    if (s) return s->node;
    return fe->lazy_headers ? header_func(fe, decl) : NULL;
}

static void declare_function(struct fe *fe, CXCursor c);
static void defer_function(struct fe *fe, CXCursor c);
static void lower_function(struct fe *fe, CXCursor c);

/* The deferred table's values: a definition's index + 1, or one of these. */
#define USED_EARLY (UINTPTR_MAX - 1)   /* used before its definition was met */
#define QUEUED UINTPTR_MAX

/* f is called or has its address taken: lower it if its definition waits,
 * or remember the use for when the definition comes (a prototype first). */
static void note_use(struct fe *fe, const struct sl_func *f)
{
    if (!f || f->body || f->index != UINT32_MAX) return;
    void **slot = sl_pmap_slot(&fe->deferred, SL_PKEY(f), 0);
    uintptr_t v = (uintptr_t)*slot;
    if (v == QUEUED || v == USED_EARLY) return;
    if (!v) {
        *slot = (void *)USED_EARLY;
        return;
    }
    fe->queue[fe->n_queue++] = (uint32_t)(v - 1);
    *slot = (void *)QUEUED;
}

static void defer_function(struct fe *fe, CXCursor c)
{
    declare_function(fe, c);
    struct sl_func *f = func_of(fe, c);
    if (!f || f->body) return;
    void **slot = sl_pmap_slot(&fe->deferred, SL_PKEY(f), 0);
    if (*slot == (void *)USED_EARLY) {          /* already needed: lower it now */
        *slot = (void *)QUEUED;
        lower_function(fe, c);
        return;
    }
    if (*slot) return;                           /* a second definition: keep the first */
    if (fe->n_deferred == fe->cap_deferred) {
        fe->cap_deferred = fe->cap_deferred ? fe->cap_deferred * 2 : 64;
        fe->deferred_defs = sl_xreallocarray(fe->deferred_defs, fe->cap_deferred,
                                             sizeof *fe->deferred_defs);
        fe->queue = sl_xreallocarray(fe->queue, fe->cap_deferred, sizeof *fe->queue);
    }
    fe->deferred_defs[fe->n_deferred++] = c;
    *slot = (void *)(uintptr_t)fe->n_deferred;
}

/* A function of the preamble, met first as a reference from lowered code
 * (the visit of a TU with a precompiled preamble skips the preamble's
 * declarations: deserialising all of a big project's headers to visit them
 * costs more than the lowering itself).  Declared as the visit would have
 * declared it, its header definition deferred to be lowered on use, as a
 * header's static functions always are.  System functions stay unknown, as
 * in the visit; a main-file declaration is the visit's to make. */
static struct sl_func *header_func(struct fe *fe, CXCursor decl)
{
    if (clang_getCursorKind(decl) != CXCursor_FunctionDecl) return NULL;
    CXSourceLocation loc = clang_getCursorLocation(decl);
    if (clang_Location_isInSystemHeader(loc) || clang_Location_isFromMainFile(loc)) return NULL;
    CXCursor def = clang_getCursorDefinition(decl);
    CXSourceLocation dloc = clang_getCursorLocation(def);
    if (!clang_Cursor_isNull(def) && !clang_Location_isFromMainFile(dloc) &&
        !clang_Location_isInSystemHeader(dloc))
        defer_function(fe, def);
    else
        declare_function(fe, decl);
    struct decl_slot *s = dm_find(&fe->decls, clang_getCanonicalCursor(decl), false);
    return s ? s->node : NULL;
}

/* ---- expressions ---- */

static struct sl_stmt *lower_stmt(struct fe *fe, CXCursor c, struct sl_stmt *parent);
static struct sl_expr *lower_expr(struct fe *fe, CXCursor c, struct sl_expr *parent);
static void walk_init(struct fe *fe, CXCursor c, CXType t, const struct sl_field *field,
                      const struct sl_var *var, int depth);

/* A node whose type facts are known without asking clang (a literal's, a
 * variable reference's: its declaration's type), or TYPE_ASK. */
#define TYPE_ASK UINT32_MAX

static struct sl_expr *new_expr_at(struct fe *fe, CXCursor c, enum sl_expr_kind kind,
                                   struct sl_expr *parent, uint32_t tflags, struct sl_loc loc)
{
    struct sl_expr *e = sl_arena_alloc(fe->a, sizeof *e);
    e->kind = (uint8_t)kind;
    e->loc = loc;
    e->parent = parent;
    e->stmt = fe->cur_stmt;
    e->tflags = tflags != TYPE_ASK ? tflags : type_flags(clang_getCursorType(c));
    if (tflags == TYPE_ASK && (e->tflags & SL_TY_RECORD))
        e->record = record_of_type(fe, clang_getCursorType(c));
    e->index = fe->exprs.n;
    pv_push(&fe->exprs, e);
    return e;
}

static struct sl_expr *new_typed_expr(struct fe *fe, CXCursor c, enum sl_expr_kind kind,
                                      struct sl_expr *parent, uint32_t tflags)
{
    return new_expr_at(fe, c, kind, parent, tflags, cursor_extent_loc(fe, c));
}

/* A one-token expression: name is its spelling (NULL: a numeric literal). */
static struct sl_expr *new_token_expr(struct fe *fe, CXCursor c, enum sl_expr_kind kind,
                                      struct sl_expr *parent, uint32_t tflags, const char *name)
{
    return new_expr_at(fe, c, kind, parent, tflags, token_extent_loc(fe, c, name));
}

static struct sl_expr *new_expr(struct fe *fe, CXCursor c, enum sl_expr_kind kind,
                                struct sl_expr *parent)
{
    return new_typed_expr(fe, c, kind, parent, TYPE_ASK);
}

/* A node's children while they are lowered (an expression's operands, a
 * block's statements): on the stack unless there are many.  The per-
 * function lists, which grow large, stay in ptrvecs. */
struct nodevec { void **v; uint32_t n, cap; void *buf[6]; };

static void nv_init(struct nodevec *nv)
{
    nv->v = nv->buf;
    nv->n = 0;
    nv->cap = 6;
}

static void nv_push(struct nodevec *nv, void *x)
{
    if (nv->n == nv->cap) {
        void **grown = sl_xreallocarray(NULL, nv->cap * 2, sizeof *grown);
        memcpy(grown, nv->v, nv->n * sizeof *grown);
        if (nv->v != nv->buf) free(nv->v);
        nv->v = grown;
        nv->cap *= 2;
    }
    nv->v[nv->n++] = x;
}

static void nv_free(struct nodevec *nv)
{
    if (nv->v != nv->buf) free(nv->v);
}

static void set_kids(struct fe *fe, struct sl_expr *e, struct nodevec *kv)
{
    e->n_kids = kv->n;
    if (kv->n) {
        e->kids = sl_arena_alloc(fe->a, kv->n * sizeof *e->kids);
        memcpy(e->kids, kv->v, kv->n * sizeof *e->kids);
    }
    nv_free(kv);
}

static void lower_kids_into(struct fe *fe, CXCursor c, struct sl_expr *e)
{
    struct kids k;
    kids_collect(c, &k);
    struct nodevec kv;
    nv_init(&kv);
    for (unsigned i = 0; i < k.n; i++) {
        if (!clang_isExpression(clang_getCursorKind(k.v[i]))) continue;
        struct sl_expr *x = lower_expr(fe, k.v[i], e);
        if (x) nv_push(&kv, x);
    }
    kids_free(&k);
    set_kids(fe, e, &kv);
}

static enum sl_unop map_unop(enum CXUnaryOperatorKind k)
{
    switch (k) {
    case CXUnaryOperator_PostInc: return SL_U_POSTINC;
    case CXUnaryOperator_PostDec: return SL_U_POSTDEC;
    case CXUnaryOperator_PreInc: return SL_U_PREINC;
    case CXUnaryOperator_PreDec: return SL_U_PREDEC;
    case CXUnaryOperator_AddrOf: return SL_U_ADDROF;
    case CXUnaryOperator_Deref: return SL_U_DEREF;
    case CXUnaryOperator_Plus: return SL_U_PLUS;
    case CXUnaryOperator_Minus: return SL_U_MINUS;
    case CXUnaryOperator_Not: return SL_U_NOT;
    case CXUnaryOperator_LNot: return SL_U_LNOT;
    default: return SL_U_OTHER;
    }
}

static enum sl_binop map_binop(enum CXBinaryOperatorKind k)
{
    switch (k) {
    case CXBinaryOperator_Mul: return SL_B_MUL;
    case CXBinaryOperator_Div: return SL_B_DIV;
    case CXBinaryOperator_Rem: return SL_B_REM;
    case CXBinaryOperator_Add: return SL_B_ADD;
    case CXBinaryOperator_Sub: return SL_B_SUB;
    case CXBinaryOperator_Shl: return SL_B_SHL;
    case CXBinaryOperator_Shr: return SL_B_SHR;
    case CXBinaryOperator_LT: return SL_B_LT;
    case CXBinaryOperator_GT: return SL_B_GT;
    case CXBinaryOperator_LE: return SL_B_LE;
    case CXBinaryOperator_GE: return SL_B_GE;
    case CXBinaryOperator_EQ: return SL_B_EQ;
    case CXBinaryOperator_NE: return SL_B_NE;
    case CXBinaryOperator_And: return SL_B_AND;
    case CXBinaryOperator_Xor: return SL_B_XOR;
    case CXBinaryOperator_Or: return SL_B_OR;
    case CXBinaryOperator_LAnd: return SL_B_LAND;
    case CXBinaryOperator_LOr: return SL_B_LOR;
    case CXBinaryOperator_Comma: return SL_B_COMMA;
    case CXBinaryOperator_Assign: return SL_B_ASSIGN;
    case CXBinaryOperator_MulAssign: return SL_B_MUL_ASSIGN;
    case CXBinaryOperator_DivAssign: return SL_B_DIV_ASSIGN;
    case CXBinaryOperator_RemAssign: return SL_B_REM_ASSIGN;
    case CXBinaryOperator_AddAssign: return SL_B_ADD_ASSIGN;
    case CXBinaryOperator_SubAssign: return SL_B_SUB_ASSIGN;
    case CXBinaryOperator_ShlAssign: return SL_B_SHL_ASSIGN;
    case CXBinaryOperator_ShrAssign: return SL_B_SHR_ASSIGN;
    case CXBinaryOperator_AndAssign: return SL_B_AND_ASSIGN;
    case CXBinaryOperator_XorAssign: return SL_B_XOR_ASSIGN;
    case CXBinaryOperator_OrAssign: return SL_B_OR_ASSIGN;
    default: return SL_B_OTHER;
    }
}

static enum sl_atomic_kind atomic_kind_from_name(const char *n)
{
    if (strstr(n, "compare") || strstr(n, "cmpxchg") || strstr(n, "cas"))
        return SL_AT_CMPXCHG;
    if (strstr(n, "load")) return SL_AT_LOAD;
    if (strstr(n, "store") || strstr(n, "init")) return SL_AT_STORE;
    if (strstr(n, "fetch") || strstr(n, "exchange") || strstr(n, "add") ||
        strstr(n, "sub") || strstr(n, "inc") || strstr(n, "dec") ||
        strstr(n, "_and") || strstr(n, "_or") || strstr(n, "xor") ||
        strstr(n, "nand") || strstr(n, "test_and_set") || strstr(n, "lock_release"))
        return SL_AT_RMW;
    return SL_AT_OTHER;
}

/* Name of a builtin-looking atomic call, or NULL. */
static bool is_atomic_builtin_name(const char *n)
{
    return strncmp(n, "__atomic_", 9) == 0 || strncmp(n, "__sync_", 7) == 0 ||
           strncmp(n, "__c11_atomic_", 13) == 0 || strncmp(n, "atomic_", 7) == 0;
}

/* The range the user wrote for an expression that may come from a macro
 * (its raw extent can start inside the macro's definition). */
static CXSourceRange expansion_range(struct fe *fe, CXSourceRange r)
{
    CXFile f1 = NULL, f2 = NULL;
    unsigned o1 = 0, o2 = 0;
    clang_getExpansionLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o1);
    clang_getExpansionLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &o2);
    if (f1 && f2 && clang_File_isEqual(f1, f2) && o2 >= o1)
        return clang_getRange(clang_getLocationForOffset(fe->tu, f1, o1),
                              clang_getLocationForOffset(fe->tu, f1, o2));
    return r;
}

/* The name called at the start of extent r (`NAME (`), read from the
 * expansion file's bytes: clang_tokenize would need a range in that file,
 * and making one (clang_getLocationForOffset) costs a third of lowering a
 * TU with a precompiled preamble.  Returns 1 and sets *name, returns 0 when
 * the text there is not a call, -1 when it cannot tell (a comment after the
 * name, no buffer): ask the tokenizer. */
static int call_name_at(struct fe *fe, CXSourceRange r, const char **name)
{
    uint32_t idx = 0;
    unsigned line = 0, col = 0, off = 0;
    CXFile f = expansion_loc_off(fe, clang_getRangeStart(r), &idx, &line, &col, &off);
    struct line_table *t = f ? lines_of(fe, f, idx) : NULL;
    if (!t || off >= t->size) return -1;
    const char *p = t->buf + off, *end = t->buf + t->size, *q = p;
    if (*p >= '0' && *p <= '9') return 0;
    while (q < end && ident_char(*q)) q++;
    if (q == p) return 0;
    const char *after = q;
    for (;;) {
        while (after < end && (*after == ' ' || *after == '\t' || *after == '\n' || *after == '\r' ||
                               *after == '\f' || *after == '\v'))
            after++;
        if (after + 1 < end && after[0] == '\\' && (after[1] == '\n' || after[1] == '\r')) {
            after += 2;
            continue;
        }
        break;
    }
    if (after < end && *after == '/') return -1;
    if (after == end || *after != '(') return 0;
    *name = sl_arena_strndup(fe->a, p, (size_t)(q - p));
    return 1;
}

/* An AtomicExpr is unexposed in libclang: recognise it as an unexposed
 * expression with two or more operands, and name it by its first token
 * (the macro or builtin the user wrote). */
static struct sl_expr *lower_unexposed_multi(struct fe *fe, CXCursor c, struct sl_expr *parent,
                                             struct kids *k)
{
    const char *name = NULL;
    CXSourceRange ext = clang_getCursorExtent(c);
    int named = call_name_at(fe, ext, &name);
    bool ok = named == 1;
    if (named < 0) {
        CXToken *toks = NULL;
        unsigned nt = 0;
        clang_tokenize(fe->tu, expansion_range(fe, ext), &toks, &nt);
        if (nt >= 2 && clang_getTokenKind(toks[0]) == CXToken_Identifier &&
            clang_getTokenKind(toks[1]) == CXToken_Punctuation) {
            name = cx_into_arena(fe, clang_getTokenSpelling(fe->tu, toks[0]));
            CXString p = clang_getTokenSpelling(fe->tu, toks[1]);
            ok = strcmp(clang_getCString(p), "(") == 0;
            clang_disposeString(p);
        }
        if (toks) clang_disposeTokens(fe->tu, toks, nt);
    }
    struct sl_expr *e = new_expr(fe, c, ok ? SL_EX_CALL : SL_EX_OTHER, parent);
    if (ok) {
        /* <stdatomic.h>'s atomic_fetch_add is spelled __c11_atomic_fetch_add
         * inside the header: report the name users write. */
        e->name = !strncmp(name, "__c11_", 6) ? name + 6 : name;
        enum sl_atomic_kind ak = atomic_kind_from_name(name);
        if (ak == SL_AT_OTHER) ak = k->n == 2 ? SL_AT_LOAD : SL_AT_RMW;
        e->atomic = (uint8_t)ak;
    }
    struct nodevec kv;
    nv_init(&kv);
    for (unsigned i = 0; i < k->n; i++) {
        if (!clang_isExpression(clang_getCursorKind(k->v[i]))) continue;
        struct sl_expr *x = lower_expr(fe, k->v[i], e);
        if (x) nv_push(&kv, x);
    }
    set_kids(fe, e, &kv);
    if (ok) pv_push(&fe->calls, e);
    return e;
}

static bool eval_int(CXCursor c, int64_t *out)
{
    CXEvalResult r = clang_Cursor_Evaluate(c);
    if (!r) return false;
    bool ok = clang_EvalResult_getKind(r) == CXEval_Int;
    if (ok) *out = clang_EvalResult_getAsLongLong(r);
    clang_EvalResult_dispose(r);
    return ok;
}

static struct sl_expr *lower_call(struct fe *fe, CXCursor c, struct sl_expr *parent)
{
    struct sl_expr *e = new_expr(fe, c, SL_EX_CALL, parent);
    CXCursor callee = clang_getCursorReferenced(c);
    enum CXCursorKind ck = clang_getCursorKind(callee);
    if (!clang_Cursor_isNull(callee) && ck == CXCursor_FunctionDecl) {
        e->name = cx_into_arena(fe, clang_getCursorSpelling(callee));
        e->func = func_of(fe, callee);   /* may be NULL until defined; resolved later */
        note_use(fe, e->func);
        if (is_atomic_builtin_name(e->name))
            e->atomic = (uint8_t)atomic_kind_from_name(e->name);
    } else {
        e->indirect = true;
        struct kids k;
        kids_collect(c, &k);
        if (k.n > 0 && clang_isExpression(clang_getCursorKind(k.v[0])))
            e->callee = lower_expr(fe, k.v[0], e);
        kids_free(&k);
    }
    int na = clang_Cursor_getNumArguments(c);
    struct nodevec kv;
    nv_init(&kv);
    for (int i = 0; i < na; i++) {
        struct sl_expr *x = lower_expr(fe, clang_Cursor_getArgument(c, (unsigned)i), e);
        if (!x) {
            x = sl_arena_alloc(fe->a, sizeof *x);
            x->kind = SL_EX_OTHER;
            x->parent = e;
            x->stmt = fe->cur_stmt;
            x->loc = e->loc;
        }
        nv_push(&kv, x);
    }
    set_kids(fe, e, &kv);
    pv_push(&fe->calls, e);
    return e;
}

/* A node of kind with operator op whose children are its sub-expressions. */
static struct sl_expr *lower_with_kids(struct fe *fe, CXCursor c, enum sl_expr_kind kind,
                                       unsigned op, struct sl_expr *parent)
{
    struct sl_expr *e = new_expr(fe, c, kind, parent);
    e->op = (uint8_t)op;
    lower_kids_into(fe, c, e);
    return e;
}

/* sizeof x / sizeof(T): the struct type of the operand, for memcpy sizes.  The operand is not evaluated, so it is not lowered: its
 * references are no accesses. */
static void sizeof_operand(struct fe *fe, CXCursor c, struct sl_expr *e)
{
    struct kids k;
    kids_collect(c, &k);
    for (unsigned i = 0; i < k.n && !e->record; i++) {
        enum CXCursorKind kk = clang_getCursorKind(k.v[i]);
        if (clang_isExpression(kk) || kk == CXCursor_TypeRef)
            e->record = record_of_type(fe, clang_getCursorType(k.v[i]));
    }
    kids_free(&k);
    /* sizeof(struct foo *) names struct foo too: keep the record only when the
     * size says the operand is it (or an array of it). */
    if (e->record && (!e->has_value || !e->record->size || e->ival <= 0 ||
                      (uint64_t)e->ival % e->record->size != 0))
        e->record = NULL;
}

static struct sl_expr *lower_expr(struct fe *fe, CXCursor c, struct sl_expr *parent)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    switch (k) {
    case CXCursor_ParenExpr:
    case CXCursor_CStyleCastExpr: {
        struct kids kk;
        kids_collect(c, &kk);
        struct sl_expr *r = NULL;
        for (unsigned i = 0; i < kk.n && !r; i++)
            if (clang_isExpression(clang_getCursorKind(kk.v[i])))
                r = lower_expr(fe, kk.v[i], parent);
        kids_free(&kk);
        return r;
    }
    case CXCursor_UnexposedExpr: {
        struct kids kk;
        kids_collect(c, &kk);
        unsigned nexpr = 0;
        for (unsigned i = 0; i < kk.n; i++)
            if (clang_isExpression(clang_getCursorKind(kk.v[i]))) nexpr++;
        struct sl_expr *r = NULL;
        if (nexpr == 1) {
            /* implicit cast and friends: transparent */
            for (unsigned i = 0; i < kk.n && !r; i++)
                if (clang_isExpression(clang_getCursorKind(kk.v[i])))
                    r = lower_expr(fe, kk.v[i], parent);
        } else if (nexpr >= 2) {
            r = lower_unexposed_multi(fe, c, parent, &kk);
        } else {
            r = new_expr(fe, c, SL_EX_OTHER, parent);
        }
        kids_free(&kk);
        return r;
    }
    case CXCursor_CallExpr:
        return lower_call(fe, c, parent);
    case CXCursor_DeclRefExpr: {
        CXCursor d = clang_getCursorReferenced(c);
        enum CXCursorKind dk = clang_getCursorKind(d);
        if (dk == CXCursor_EnumConstantDecl) {
            struct sl_expr *e = new_typed_expr(fe, c, SL_EX_INT, parent, SL_TY_INT);
            e->ival = clang_getEnumConstantDeclValue(d);
            e->has_value = true;
            e->name = cx_into_arena(fe, clang_getCursorSpelling(d));   /* for messages */
            return e;
        }
        /* a variable's reference has the variable's declared type */
        struct sl_var *v = dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl ? var_of(fe, d) : NULL;
        struct sl_expr *e = v ? new_token_expr(fe, c, SL_EX_REF, parent, v->tflags, v->name)
                              : new_typed_expr(fe, c, SL_EX_REF, parent, TYPE_ASK);
        if (v) {
            e->var = v;
            e->name = e->var->name;
            if (v->tflags & SL_TY_RECORD) e->record = v->record;
        } else if (dk == CXCursor_FunctionDecl) {
            e->name = cx_into_arena(fe, clang_getCursorSpelling(d));
            e->func = func_of(fe, d);
            note_use(fe, e->func);
        } else {
            e->name = cx_into_arena(fe, clang_getCursorSpelling(c));
        }
        return e;
    }
    case CXCursor_MemberRefExpr: {
        struct sl_expr *e = new_expr(fe, c, SL_EX_MEMBER, parent);
        CXCursor d = clang_getCursorReferenced(c);
        if (clang_getCursorKind(d) == CXCursor_FieldDecl) {
            e->field = field_of(fe, d);
            if (e->field) e->name = e->field->name;
        }
        if (!e->name) e->name = cx_into_arena(fe, clang_getCursorSpelling(c));
        lower_kids_into(fe, c, e);
        if (e->n_kids > 0 && (e->kids[0]->tflags & SL_TY_PTR)) e->is_arrow = true;
        return e;
    }
    case CXCursor_ArraySubscriptExpr:
        return lower_with_kids(fe, c, SL_EX_INDEX, 0, parent);
    case CXCursor_UnaryOperator:
        return lower_with_kids(fe, c, SL_EX_UNARY,
                               map_unop(clang_getCursorUnaryOperatorKind(c)), parent);
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator: {
        enum sl_binop op = map_binop(clang_getCursorBinaryOperatorKind(c));
        bool assign = op >= SL_B_ASSIGN && op <= SL_B_OR_ASSIGN;
        return lower_with_kids(fe, c, assign ? SL_EX_ASSIGN : SL_EX_BINARY, op, parent);
    }
    case CXCursor_ConditionalOperator:
        return lower_with_kids(fe, c, SL_EX_COND, 0, parent);
    case CXCursor_IntegerLiteral:
    case CXCursor_CharacterLiteral: {   /* C: a character constant is an int */
        struct sl_expr *e = k == CXCursor_IntegerLiteral
            ? new_token_expr(fe, c, SL_EX_INT, parent, SL_TY_INT, NULL)
            : new_typed_expr(fe, c, SL_EX_INT, parent, SL_TY_INT);
        e->has_value = eval_int(c, &e->ival);
        return e;
    }
    case CXCursor_FloatingLiteral:
        return new_token_expr(fe, c, SL_EX_FLOAT, parent, SL_TY_FLOAT, NULL);
    case CXCursor_StringLiteral:       /* char[N] */
        return new_typed_expr(fe, c, SL_EX_STRING, parent, SL_TY_ARRAY);
    case CXCursor_UnaryExpr: {   /* sizeof / alignof */
        struct sl_expr *e = new_expr(fe, c, SL_EX_SIZEOF, parent);
        e->has_value = eval_int(c, &e->ival);
        sizeof_operand(fe, c, e);
        return e;
    }
    case CXCursor_InitListExpr:
        /* a brace list's stores into struct fields (`struct ops o = { .fn = f }`) */
        if (!parent || parent->kind != SL_EX_INITLIST)
            walk_init(fe, c, clang_getCursorType(c), NULL, NULL, 0);
        return lower_with_kids(fe, c, SL_EX_INITLIST, 0, parent);
    case CXCursor_StmtExpr: {
        struct sl_expr *e = new_expr(fe, c, SL_EX_STMTEXPR, parent);
        struct kids kk;
        kids_collect(c, &kk);
        if (kk.n > 0)
            e->body = lower_stmt(fe, kk.v[0], fe->cur_stmt);
        kids_free(&kk);
        return e;
    }
    default:
        return clang_isExpression(k) ? lower_with_kids(fe, c, SL_EX_OTHER, 0, parent) : NULL;
    }
}

/* ---- statements ---- */

static struct sl_stmt *new_stmt(struct fe *fe, CXCursor c, enum sl_stmt_kind kind,
                                struct sl_stmt *parent)
{
    struct sl_stmt *s = sl_arena_alloc(fe->a, sizeof *s);
    s->kind = (uint8_t)kind;
    s->loc = cursor_extent_loc(fe, c);
    s->parent = parent;
    s->func = fe->fn;
    s->index = fe->stmts.n;
    pv_push(&fe->stmts, s);
    return s;
}

static void set_stmt_kids(struct fe *fe, struct sl_stmt *s, struct sl_stmt **kv, uint32_t n)
{
    s->n_kids = n;
    if (n) {
        s->kids = sl_arena_alloc(fe->a, n * sizeof *s->kids);
        memcpy(s->kids, kv, n * sizeof *kv);
    }
}

static struct sl_expr *stmt_expr(struct fe *fe, struct sl_stmt *s, CXCursor c)
{
    struct sl_stmt *saved = fe->cur_stmt;
    fe->cur_stmt = s;
    struct sl_expr *e = lower_expr(fe, c, NULL);
    fe->cur_stmt = saved;
    return e;
}

/* Which of a for statement's optional parts are present: find the two
 * top-level ';' tokens in the header and place each child before/between/
 * after them.  Falls back to a count-based guess when the header comes from
 * a macro and no ';' is visible. */
static void classify_for_parts(struct fe *fe, CXCursor forc, struct kids *k,
                               int *init, int *cond, int *inc)
{
    *init = *cond = *inc = -1;
    unsigned nparts = k->n ? k->n - 1 : 0;   /* last child is the body */
    if (nparts == 0) return;
    if (nparts == 3) { *init = 0; *cond = 1; *inc = 2; return; }
    unsigned semi[2] = {0, 0}, ns = 0;
    CXSourceRange hdr = clang_getRange(clang_getRangeStart(clang_getCursorExtent(forc)),
                                       clang_getRangeStart(clang_getCursorExtent(k->v[k->n - 1])));
    CXToken *toks = NULL;
    unsigned nt = 0;
    clang_tokenize(fe->tu, hdr, &toks, &nt);
    int depth = 0;
    for (unsigned i = 0; i < nt && ns < 2; i++) {
        if (clang_getTokenKind(toks[i]) != CXToken_Punctuation) continue;
        CXString s = clang_getTokenSpelling(fe->tu, toks[i]);
        const char *p = clang_getCString(s);
        if (!strcmp(p, "(")) depth++;
        else if (!strcmp(p, ")")) depth--;
        else if (!strcmp(p, ";") && depth == 1) {
            unsigned off;
            clang_getExpansionLocation(clang_getTokenLocation(fe->tu, toks[i]), NULL, NULL, NULL, &off);
            semi[ns++] = off;
        }
        clang_disposeString(s);
    }
    if (toks) clang_disposeTokens(fe->tu, toks, nt);
    if (ns == 2) {
        for (unsigned i = 0; i < nparts; i++) {
            unsigned off;
            clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(k->v[i])),
                                       NULL, NULL, NULL, &off);
            if (off < semi[0]) *init = (int)i;
            else if (off < semi[1]) *cond = (int)i;
            else *inc = (int)i;
        }
        return;
    }
    /* Macro-generated header: guess. */
    if (nparts == 2) {
        if (clang_getCursorKind(k->v[0]) == CXCursor_DeclStmt) { *init = 0; *cond = 1; }
        else { *cond = 0; *inc = 1; }
    } else {
        *cond = 0;
    }
}

static struct sl_stmt *lower_block(struct fe *fe, CXCursor c, struct sl_stmt *parent,
                                   enum sl_stmt_kind kind)
{
    struct sl_stmt *s = new_stmt(fe, c, kind, parent);
    struct kids k;
    kids_collect(c, &k);
    struct nodevec kv;
    nv_init(&kv);
    for (unsigned i = 0; i < k.n; i++) {
        struct sl_stmt *x = lower_stmt(fe, k.v[i], s);
        if (x) nv_push(&kv, x);
    }
    kids_free(&k);
    set_stmt_kids(fe, s, (struct sl_stmt **)kv.v, kv.n);
    nv_free(&kv);
    return s;
}

static struct sl_stmt *lower_decl_stmt(struct fe *fe, CXCursor c, struct sl_stmt *parent)
{
    /* One DECL statement per declared variable, grouped in a BLOCK-less
     * sequence: return a BLOCK only when there are several. */
    struct kids k;
    kids_collect(c, &k);
    struct nodevec kv;
    nv_init(&kv);
    for (unsigned i = 0; i < k.n; i++) {
        if (clang_getCursorKind(k.v[i]) != CXCursor_VarDecl) continue;
        struct sl_stmt *s = new_stmt(fe, k.v[i], SL_ST_DECL, parent);
        s->var = lower_var(fe, k.v[i],
                           clang_Cursor_getStorageClass(k.v[i]) == CX_SC_Extern
                               ? SL_VAR_GLOBAL : SL_VAR_LOCAL, -1);
        struct kids vk;
        kids_collect(k.v[i], &vk);
        for (unsigned j = 0; j < vk.n; j++)
            if (clang_isExpression(clang_getCursorKind(vk.v[j]))) {
                s->expr = stmt_expr(fe, s, vk.v[j]);
                break;
            }
        kids_free(&vk);
        nv_push(&kv, s);
    }
    kids_free(&k);
    struct sl_stmt *r;
    if (kv.n == 1) {
        r = kv.v[0];
    } else {
        r = new_stmt(fe, c, SL_ST_BLOCK, parent);
        set_stmt_kids(fe, r, (struct sl_stmt **)kv.v, kv.n);
        for (uint32_t i = 0; i < kv.n; i++) ((struct sl_stmt *)kv.v[i])->parent = r;
    }
    nv_free(&kv);
    return r;
}

static struct sl_stmt *lower_stmt(struct fe *fe, CXCursor c, struct sl_stmt *parent)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    if (clang_isExpression(k)) {
        struct sl_stmt *s = new_stmt(fe, c, SL_ST_EXPR, parent);
        s->expr = stmt_expr(fe, s, c);
        return s;
    }
    switch (k) {
    case CXCursor_CompoundStmt:
        return lower_block(fe, c, parent, SL_ST_BLOCK);
    case CXCursor_DeclStmt:
        return lower_decl_stmt(fe, c, parent);
    case CXCursor_IfStmt:
    case CXCursor_WhileStmt:
    case CXCursor_SwitchStmt:
    case CXCursor_DoStmt: {
        enum sl_stmt_kind sk = k == CXCursor_IfStmt ? SL_ST_IF
                             : k == CXCursor_WhileStmt ? SL_ST_WHILE
                             : k == CXCursor_SwitchStmt ? SL_ST_SWITCH : SL_ST_DO;
        struct sl_stmt *s = new_stmt(fe, c, sk, parent);
        struct kids kk;
        kids_collect(c, &kk);
        struct sl_stmt *sub[2] = {NULL, NULL};
        unsigned nsub = 0;
        if (sk == SL_ST_DO) {
            /* body, cond */
            if (kk.n >= 1) sub[nsub++] = lower_stmt(fe, kk.v[0], s);
            if (kk.n >= 2) s->expr = stmt_expr(fe, s, kk.v[1]);
        } else {
            unsigned i = 0;
            /* a condition variable declaration is not C; skip DeclStmt/VarDecl defensively */
            while (i < kk.n && !clang_isExpression(clang_getCursorKind(kk.v[i]))) i++;
            if (i < kk.n) s->expr = stmt_expr(fe, s, kk.v[i++]);
            for (; i < kk.n && nsub < 2; i++) sub[nsub++] = lower_stmt(fe, kk.v[i], s);
        }
        kids_free(&kk);
        if (sk == SL_ST_IF) set_stmt_kids(fe, s, sub, 2);
        else set_stmt_kids(fe, s, sub, 1);
        return s;
    }
    case CXCursor_ForStmt: {
        struct sl_stmt *s = new_stmt(fe, c, SL_ST_FOR, parent);
        struct kids kk;
        kids_collect(c, &kk);
        int init, cond, inc;
        classify_for_parts(fe, c, &kk, &init, &cond, &inc);
        struct sl_stmt *sub[2] = {NULL, NULL};
        if (init >= 0) sub[0] = lower_stmt(fe, kk.v[init], s);
        if (cond >= 0) s->expr = stmt_expr(fe, s, kk.v[cond]);
        if (inc >= 0) s->inc = stmt_expr(fe, s, kk.v[inc]);
        if (kk.n > 0) sub[1] = lower_stmt(fe, kk.v[kk.n - 1], s);
        kids_free(&kk);
        set_stmt_kids(fe, s, sub, 2);
        return s;
    }
    case CXCursor_CaseStmt: {
        struct sl_stmt *s = new_stmt(fe, c, SL_ST_CASE, parent);
        struct kids kk;
        kids_collect(c, &kk);
        struct sl_stmt *sub = NULL;
        if (kk.n >= 1) s->expr = stmt_expr(fe, s, kk.v[0]);
        if (kk.n >= 2) sub = lower_stmt(fe, kk.v[kk.n - 1], s);
        kids_free(&kk);
        set_stmt_kids(fe, s, &sub, 1);
        return s;
    }
    case CXCursor_DefaultStmt:
    case CXCursor_LabelStmt: {
        struct sl_stmt *s = new_stmt(fe, c, k == CXCursor_DefaultStmt ? SL_ST_DEFAULT : SL_ST_LABEL, parent);
        if (k == CXCursor_LabelStmt) s->label = cx_into_arena(fe, clang_getCursorSpelling(c));
        struct kids kk;
        kids_collect(c, &kk);
        struct sl_stmt *sub = kk.n ? lower_stmt(fe, kk.v[kk.n - 1], s) : NULL;
        kids_free(&kk);
        set_stmt_kids(fe, s, &sub, 1);
        return s;
    }
    case CXCursor_GotoStmt: {
        struct sl_stmt *s = new_stmt(fe, c, SL_ST_GOTO, parent);
        struct kids kk;
        kids_collect(c, &kk);
        for (unsigned i = 0; i < kk.n; i++)
            if (clang_getCursorKind(kk.v[i]) == CXCursor_LabelRef)
                s->label = cx_into_arena(fe, clang_getCursorSpelling(kk.v[i]));
        kids_free(&kk);
        return s;
    }
    case CXCursor_IndirectGotoStmt:
        return new_stmt(fe, c, SL_ST_GOTO, parent);
    case CXCursor_ReturnStmt: {
        struct sl_stmt *s = new_stmt(fe, c, SL_ST_RETURN, parent);
        struct kids kk;
        kids_collect(c, &kk);
        for (unsigned i = 0; i < kk.n; i++)
            if (clang_isExpression(clang_getCursorKind(kk.v[i]))) {
                s->expr = stmt_expr(fe, s, kk.v[i]);
                break;
            }
        kids_free(&kk);
        return s;
    }
    case CXCursor_BreakStmt: return new_stmt(fe, c, SL_ST_BREAK, parent);
    case CXCursor_ContinueStmt: return new_stmt(fe, c, SL_ST_CONTINUE, parent);
    case CXCursor_NullStmt: return new_stmt(fe, c, SL_ST_NULL, parent);
    case CXCursor_GCCAsmStmt:
    case CXCursor_MSAsmStmt: return new_stmt(fe, c, SL_ST_ASM, parent);
    default:
        if (!clang_isStatement(k) && !clang_isDeclaration(k)) return NULL;
        if (clang_isDeclaration(k)) return NULL;   /* nested function/struct decls */
        return lower_block(fe, c, parent, SL_ST_OTHER);
    }
}

/* ---- functions ---- */

enum { ATTR_ACQUIRES = 1, ATTR_REQUIRES = 2, ATTR_NO_ANALYSIS = 4 };

/* The lock contract one token of an attribute states. */
static unsigned attr_token_flags(const char *p)
{
    unsigned found = 0;
    if (!p) return 0;
    /* a try-acquire contract (OVS_TRY_LOCK(true, m), exclusive_trylock_function)
     * is an acquire contract too: the function returns holding the lock
     * when it says so */
    if ((strstr(p, "ACQUIRE") || strstr(p, "acquire") || strstr(p, "lock_function") ||
         strstr(p, "LOCK_FUNCTION") || strstr(p, "TRY_LOCK") || strstr(p, "TRY_RDLOCK") ||
         strstr(p, "TRY_WRLOCK") || strstr(p, "ACQ_RDLOCK") || strstr(p, "ACQ_WRLOCK")) &&
        !strstr(p, "release") && !strstr(p, "RELEASE"))
        found |= ATTR_ACQUIRES;
    if (strstr(p, "requires") || strstr(p, "REQUIRES") || strstr(p, "REQ_") ||
        strstr(p, "locks_required") || strstr(p, "LOCKS_REQUIRED") || strstr(p, "must_hold"))
        found |= ATTR_REQUIRES;
    if (strstr(p, "no_thread_safety_analysis") || strstr(p, "NO_THREAD_SAFETY_ANALYSIS"))
        found |= ATTR_NO_ANALYSIS;
    return found;
}

/* The contract of an attribute from a macro of another header whose
 * argument is written here (OVS_REQUIRES(mutex)): its extent spans two
 * files and has no tokens; read the words of the macro's invocation where
 * it is expanded instead, from the file's bytes (a tokenizer's range there
 * would cost a third of lowering a TU with a precompiled preamble). */
static unsigned attr_expansion_flags(struct fe *fe, CXSourceRange r)
{
    uint32_t i1 = 0, i2 = 0;
    unsigned l1, c1, o1 = 0, l2, c2, o2 = 0;
    CXFile f1 = expansion_loc_off(fe, clang_getRangeStart(r), &i1, &l1, &c1, &o1);
    CXFile f2 = expansion_loc_off(fe, clang_getRangeEnd(r), &i2, &l2, &c2, &o2);
    struct line_table *t = f1 ? lines_of(fe, f1, i1) : NULL;
    if (!f2 || i1 != i2 || o2 < o1 || !t || o2 >= t->size) return 0;
    const char *p = t->buf + o1, *end = t->buf + o2;
    while (end < t->buf + t->size && ident_char(*end)) end++;   /* the last token */
    unsigned found = 0;
    char word[256];
    while (p < end) {
        if (!ident_char(*p)) {
            p++;
            continue;
        }
        const char *q = p;
        while (q < end && ident_char(*q)) q++;
        size_t n = (size_t)(q - p) < sizeof word - 1 ? (size_t)(q - p) : sizeof word - 1;
        memcpy(word, p, n);
        word[n] = 0;
        found |= attr_token_flags(word);
        p = q;
    }
    return found;
}

/* Clang thread-safety annotations on a function (OVS_ACQUIRES, __acquires,
 * OVS_REQUIRES, REQUIRES(), EXCLUSIVE_LOCKS_REQUIRED, OVS_REQ_RDLOCK,
 * NO_THREAD_SAFETY_ANALYSIS...): they expand to attributes libclang shows as
 * unexposed attrs, so their spelling is read from the attribute's tokens. */
static unsigned lock_attributes(struct fe *fe, CXCursor fn)
{
    struct kids k;
    kids_collect(fn, &k);
    unsigned found = 0;
    for (unsigned i = 0; i < k.n; i++) {
        enum CXCursorKind ck = clang_getCursorKind(k.v[i]);
        if (ck != CXCursor_UnexposedAttr && ck != CXCursor_AnnotateAttr) continue;
        CXSourceRange r = clang_getCursorExtent(k.v[i]);
        CXToken *t = NULL;
        unsigned nt = 0;
        clang_tokenize(fe->tu, r, &t, &nt);
        if (!nt) {
            found |= attr_expansion_flags(fe, r);
        } else {
            for (unsigned j = 0; j < nt; j++) {
                CXString sp = clang_getTokenSpelling(fe->tu, t[j]);
                found |= attr_token_flags(clang_getCString(sp));
                clang_disposeString(sp);
            }
        }
        if (t) clang_disposeTokens(fe->tu, t, nt);
    }
    kids_free(&k);
    return found;
}

static void lower_function(struct fe *fe, CXCursor c)
{
    CXCursor canon = clang_getCanonicalCursor(c);
    struct decl_slot *slot = dm_find(&fe->decls, canon, true);
    struct sl_func *f = slot->node;
    if (f && f->body) return;           /* already lowered */
    if (!f) {
        f = sl_arena_alloc(fe->a, sizeof *f);
        slot->node = f;
        f->index = UINT32_MAX;
    }
    if (f->index == UINT32_MAX) {   /* declared earlier, defined now */
        f->index = fe->funcs.n;
        pv_push(&fe->funcs, f);
    }
    f->name = cx_into_arena(fe, clang_getCursorSpelling(c));
    f->loc = cursor_name_loc(fe, c);
    f->in_main_file = f->loc.file == 0;
    f->is_static = clang_Cursor_getStorageClass(c) == CX_SC_Static;
    f->is_inline = clang_Cursor_isFunctionInlined(c);
    CXType rt = clang_getResultType(clang_getCursorType(c));
    f->returns_value = clang_getCanonicalType(rt).kind != CXType_Void;
    f->ret_tflags = f->returns_value ? type_flags(rt) : SL_TY_VOID;
    unsigned attrs = lock_attributes(fe, c);
    f->acquires_annotation = attrs & ATTR_ACQUIRES;
    f->requires_annotation = attrs & ATTR_REQUIRES;
    f->no_analysis_annotation = attrs & ATTR_NO_ANALYSIS;
    CXSourceRange ext = clang_getCursorExtent(c);
    CXFile ef;
    unsigned el, ec;
    clang_getExpansionLocation(clang_getRangeEnd(ext), &ef, &el, &ec, NULL);
    f->end.file = file_index(fe, ef);
    f->end.line = f->end.end_line = el;
    f->end.col = ec > 1 ? ec - 1 : ec;
    f->end.end_col = ec;

    struct sl_func *saved_fn = fe->fn;
    struct ptrvec saved_stmts = fe->stmts, saved_exprs = fe->exprs, saved_calls = fe->calls;
    fe->fn = f;
    memset(&fe->stmts, 0, sizeof fe->stmts);
    memset(&fe->exprs, 0, sizeof fe->exprs);
    memset(&fe->calls, 0, sizeof fe->calls);
    fe->cur_stmt = NULL;

    int np = clang_Cursor_getNumArguments(c);
    f->n_params = np > 0 ? (uint32_t)np : 0;
    if (f->n_params) f->params = sl_arena_alloc(fe->a, f->n_params * sizeof *f->params);
    for (uint32_t i = 0; i < f->n_params; i++) {
        CXCursor p = clang_Cursor_getArgument(c, i);
        struct decl_slot *ps = dm_find(&fe->decls, clang_getCanonicalCursor(p), false);
        f->params[i] = ps && ps->node ? ps->node : lower_var(fe, p, SL_VAR_PARAM, (int)i);
        f->params[i]->kind = SL_VAR_PARAM;
        f->params[i]->param_index = (int)i;
        f->params[i]->func = f;
    }

    struct kids k;
    kids_collect(c, &k);
    for (unsigned i = 0; i < k.n; i++)
        if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt) {
            f->body = lower_stmt(fe, k.v[i], NULL);
            break;
        }
    kids_free(&k);

    f->n_stmts = fe->stmts.n;
    f->stmts = sl_arena_alloc(fe->a, (f->n_stmts ? f->n_stmts : 1) * sizeof *f->stmts);
    if (f->n_stmts) memcpy(f->stmts, fe->stmts.v, f->n_stmts * sizeof *f->stmts);
    f->n_exprs = fe->exprs.n;
    f->exprs = sl_arena_alloc(fe->a, (f->n_exprs ? f->n_exprs : 1) * sizeof *f->exprs);
    if (f->n_exprs) memcpy(f->exprs, fe->exprs.v, f->n_exprs * sizeof *f->exprs);
    f->n_calls = fe->calls.n;
    f->calls = sl_arena_alloc(fe->a, (f->n_calls ? f->n_calls : 1) * sizeof *f->calls);
    if (f->n_calls) memcpy(f->calls, fe->calls.v, f->n_calls * sizeof *f->calls);
    for (uint32_t i = 0; i < f->n_stmts; i++) f->stmts[i]->index = i;
    for (uint32_t i = 0; i < f->n_exprs; i++) f->exprs[i]->index = i;
    free(fe->stmts.v);
    free(fe->exprs.v);
    free(fe->calls.v);
    fe->stmts = saved_stmts;
    fe->exprs = saved_exprs;
    fe->calls = saved_calls;
    fe->fn = saved_fn;
}

/* Register a function declaration (so calls can point at it once defined). */
static void declare_function(struct fe *fe, CXCursor c)
{
    CXCursor canon = clang_getCanonicalCursor(c);
    struct decl_slot *slot = dm_find(&fe->decls, canon, true);
    if (slot->node) return;
    struct sl_func *f = sl_arena_alloc(fe->a, sizeof *f);
    f->name = cx_into_arena(fe, clang_getCursorSpelling(c));
    f->loc = cursor_name_loc(fe, c);
    f->index = UINT32_MAX;   /* not in funcs[] unless defined */
    slot->node = f;
}

/* ---- function-pointer stores in initialisers ---- */

/* The one expression an implicit cast, parenthesis, cast or & wraps. */
static CXCursor strip_init_value(CXCursor c)
{
    for (int depth = 0; depth < 16; depth++) {
        enum CXCursorKind k = clang_getCursorKind(c);
        bool addr = k == CXCursor_UnaryOperator &&
                    clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_AddrOf;
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr &&
            k != CXCursor_CStyleCastExpr && !addr)
            break;
        struct kids kk;
        kids_collect(c, &kk);
        CXCursor only = clang_getNullCursor();
        unsigned n = 0;
        for (unsigned i = 0; i < kk.n; i++)
            if (clang_isExpression(clang_getCursorKind(kk.v[i]))) { only = kk.v[i]; n++; }
        kids_free(&kk);
        if (n != 1) break;
        c = only;
    }
    return c;
}

static void walk_init(struct fe *fe, CXCursor c, CXType t, const struct sl_field *field,
                      const struct sl_var *var, int depth);

/* The fields of record type t in declaration order (positional initialisers). */
static void record_field_decls(CXType t, struct kids *out)
{
    CXCursor d = clang_getTypeDeclaration(clang_getCanonicalType(t));
    out->v = out->buf;
    out->n = 0;
    out->cap = 8;
    if (clang_Cursor_isNull(d)) return;
    struct kids all;
    kids_collect(d, &all);
    for (unsigned i = 0; i < all.n; i++)
        if (clang_getCursorKind(all.v[i]) == CXCursor_FieldDecl) collect_cb(all.v[i], d, out);
    kids_free(&all);
}

/* One brace list of type t: each element goes to its field (designated or
 * positional) or, for an array, to the array's own slot. */
static void walk_init_list(struct fe *fe, CXCursor list, CXType t, const struct sl_field *field,
                           const struct sl_var *var, int depth)
{
    CXType ct = clang_getCanonicalType(t);
    bool is_record = ct.kind == CXType_Record;
    bool is_array = ct.kind == CXType_ConstantArray || ct.kind == CXType_IncompleteArray ||
                    ct.kind == CXType_VariableArray;
    if (!is_record && !is_array) return;
    struct kids fields = {0};
    if (is_record) record_field_decls(ct, &fields);
    struct kids el;
    kids_collect(list, &el);
    unsigned pos = 0;
    for (unsigned i = 0; i < el.n; i++, pos++) {
        CXCursor value = el.v[i];
        CXCursor designated = clang_getNullCursor();
        /* `.fn = value`: a designator (MemberRef) beside the value */
        if (clang_getCursorKind(value) == CXCursor_UnexposedExpr) {
            struct kids dk;
            kids_collect(value, &dk);
            CXCursor last_expr = clang_getNullCursor();
            for (unsigned j = 0; j < dk.n; j++) {
                if (clang_getCursorKind(dk.v[j]) == CXCursor_MemberRef)
                    designated = clang_getCursorReferenced(dk.v[j]);
                else if (clang_isExpression(clang_getCursorKind(dk.v[j])))
                    last_expr = dk.v[j];
            }
            /* `.fn = value`, `[IDX] = value`: the value is the last expression */
            unsigned n_expr = 0;
            for (unsigned j = 0; j < dk.n; j++)
                if (clang_isExpression(clang_getCursorKind(dk.v[j]))) n_expr++;
            kids_free(&dk);
            if (!clang_Cursor_isNull(last_expr) && (!clang_Cursor_isNull(designated) || n_expr >= 2))
                value = last_expr;
        }
        if (is_array) {
            walk_init(fe, value, clang_getArrayElementType(ct), field, var, depth + 1);
            continue;
        }
        CXCursor fd = clang_getNullCursor();
        if (!clang_Cursor_isNull(designated) &&
            clang_getCursorKind(designated) == CXCursor_FieldDecl) {
            fd = designated;
            for (unsigned j = 0; j < fields.n; j++)
                if (clang_equalCursors(fields.v[j], clang_getCanonicalCursor(fd)) ||
                    clang_equalCursors(fields.v[j], fd))
                    pos = j;
        } else if (pos < fields.n) {
            fd = fields.v[pos];
        }
        if (clang_Cursor_isNull(fd)) continue;
        walk_init(fe, value, clang_getCursorType(fd), field_of(fe, fd), NULL, depth + 1);
    }
    kids_free(&el);
    if (is_record) kids_free(&fields);
}

/* Record the functions an initialiser of type t stores into its slot. */
static void walk_init(struct fe *fe, CXCursor c, CXType t, const struct sl_field *field,
                      const struct sl_var *var, int depth)
{
    if (depth > 8) return;
    c = strip_init_value(c);
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_InitListExpr) {
        walk_init_list(fe, c, t, field, var, depth);
        return;
    }
    if (k != CXCursor_DeclRefExpr || (!field && !var)) return;
    CXCursor r = clang_getCursorReferenced(c);
    if (clang_getCursorKind(r) != CXCursor_FunctionDecl) return;
    if (fe->n_fn_stores == fe->cap_fn_stores) {
        fe->cap_fn_stores = fe->cap_fn_stores ? fe->cap_fn_stores * 2 : 16;
        fe->fn_stores = sl_xreallocarray(fe->fn_stores, fe->cap_fn_stores, sizeof *fe->fn_stores);
    }
    fe->fn_stores[fe->n_fn_stores++] = (struct sl_fn_store){
        field, field ? NULL : var, cx_into_arena(fe, clang_getCursorSpelling(r)),
        cursor_name_loc(fe, c) };
}

/* The initialiser of a variable definition, walked for its stores. */
static void record_var_init_stores(struct fe *fe, CXCursor decl, const struct sl_var *v)
{
    struct kids kk;
    kids_collect(decl, &kk);
    for (unsigned i = 0; i < kk.n; i++)
        if (clang_isExpression(clang_getCursorKind(kk.v[i])))
            walk_init(fe, kk.v[i], clang_getCursorType(decl), NULL, v, 0);
    kids_free(&kk);
}

/* Functions named in a file-scope initializer (`.open = helper_open`):
 * a header's static helper used only from such a table is still lowered. */
static enum CXChildVisitResult initializer_uses(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
        CXCursor r = clang_getCursorReferenced(c);
        if (clang_getCursorKind(r) == CXCursor_FunctionDecl) note_use(d, func_of(d, r));
        return CXChildVisit_Continue;
    }
    return CXChildVisit_Recurse;
}

/* A file-scope variable's definition c, met in the visit or (a preamble's)
 * when first referenced. */
static void var_definition(struct fe *fe, CXCursor c, struct sl_var *v)
{
    /* an extern declaration first, the definition later: point at the
     * definition (findings about the object go there) */
    if (!v->defined_here) {
        v->defined_here = true;
        v->loc = cursor_name_loc(fe, c);
    }
    /* a table of function pointers uses the functions it names */
    clang_visitChildren(c, initializer_uses, fe);
    record_var_init_stores(fe, c, v);
}

static enum CXChildVisitResult top_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct fe *fe = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    CXSourceLocation loc = clang_getCursorLocation(c);
    bool system = clang_Location_isInSystemHeader(loc);
    switch (k) {
    case CXCursor_FunctionDecl:
        if (system) break;
        if (clang_isCursorDefinition(c)) {
            if (!clang_Location_isFromMainFile(loc) && clang_Cursor_getStorageClass(c) == CX_SC_Static)
                defer_function(fe, c);
            else
                lower_function(fe, c);
        } else {
            declare_function(fe, c);
        }
        break;
    case CXCursor_VarDecl:
        if (!system) {
            struct sl_var *v = var_of(fe, c);
            if (v && clang_isCursorDefinition(c)) var_definition(fe, c, v);
        }
        break;
    case CXCursor_StructDecl:
    case CXCursor_UnionDecl:
        if (!system && clang_isCursorDefinition(c) && !clang_Cursor_isAnonymousRecordDecl(c))
            lower_record(fe, c);
        break;
    case CXCursor_TypedefDecl: {
        if (system) break;
        /* typedef struct { ... } name_t;  give the anonymous record its name. */
        CXType u = clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(c));
        if (u.kind == CXType_Record) {
            struct sl_record *r = record_of_type(fe, u);
            if (r && unnamed_record(r)) r->name = cx_into_arena(fe, clang_getCursorSpelling(c));
        }
        break;
    }
    default:
        break;
    }
    return CXChildVisit_Continue;
}

/* ---- parse ---- */

static bool has_c_extension(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash)) return false;
    return !strcmp(dot, ".c") || !strcmp(dot, ".h") || !strcmp(dot, ".i");
}

struct sl_frontend {
    CXIndex index;
    /* the documents': its TUs' visits skip the declarations of their
     * precompiled preambles (lowered on first reference instead) */
    CXIndex doc_index;
    const char *resource_dir;
    double parse_s, lower_s;
};

void sl_frontend_times(const struct sl_frontend *fe, double *parse_s, double *lower_s)
{
    *parse_s = fe->parse_s;
    *lower_s = fe->lower_s;
}

struct sl_frontend *sl_frontend_new(const char *resource_dir)
{
    /* LLVM installs its signal handlers, with an alternate signal stack for
     * the thread doing it, the first time anything asks (a precompiled
     * preamble's temporary file does, on libclang's parse thread, which then
     * exits with LLVM's stack in place of the one AddressSanitizer made for
     * it: ASan aborts).  Asking here, on the thread that creates the front
     * ends and outlives the workers, keeps that off the threads that exit;
     * it also gives a stack trace should libclang crash. */
    static bool handlers;
    if (!handlers) {
        handlers = true;
        clang_enableStackTraces();
    }
    struct sl_frontend *fe = sl_xcalloc(1, sizeof *fe);
    fe->index = clang_createIndex(0, 0);
    fe->doc_index = clang_createIndex(1, 0);
    fe->resource_dir = resource_dir ? resource_dir : SL_CLANG_RESOURCE_DIR;
    return fe;
}

void sl_frontend_free(struct sl_frontend *fe)
{
    if (!fe) return;
    clang_disposeIndex(fe->index);
    clang_disposeIndex(fe->doc_index);
    free(fe);
}

/* Is the job C (by its extension, or forced with -x)?  Reported if not. */
static bool c_input(const struct sl_job *job, struct sl_diag_list *errs)
{
    struct sl_range whole = { .file = job->file, .line = 1, .col = 1, .end_line = 1, .end_col = 1 };
    for (size_t i = 0; i < job->n_args; i++)
        if (!strncmp(job->args[i], "-x", 2)) return true;
    if (has_c_extension(job->file)) return true;
    sl_diag_tool(errs, SL_SEV_ERROR, whole,
                "cannot analyse '%s': not a C source file (expected .c, .h or .i; "
                "pass '-- -x c' to force)", job->file);
    return false;
}

/* The checks before a parse: a readable regular C file of sane size, not
 * binary.  text (NULL: read the file) is an editor's unsaved buffer. */
static int check_input(const struct sl_job *job, const char *text, size_t len,
                       struct sl_diag_list *errs)
{
    struct sl_range whole = { .file = job->file, .line = 1, .col = 1, .end_line = 1, .end_col = 1 };
    if (text) {
        if (!c_input(job, errs)) return -1;
        if (len > SL_MAX_FILE_BYTES) {
            sl_diag_tool(errs, SL_SEV_ERROR, whole,
                        "cannot analyse '%s': buffer is %zu bytes, over the %u MiB limit",
                        job->file, len, SL_MAX_FILE_BYTES >> 20);
            return -1;
        }
        if (memchr(text, 0, len < 4096 ? len : 4096)) {
            sl_diag_tool(errs, SL_SEV_ERROR, whole,
                        "cannot analyse '%s': binary file (contains NUL bytes), not C source",
                        job->file);
            return -1;
        }
        return 0;
    }
    struct stat st;
    if (stat(job->file, &st) != 0) {
        sl_diag_tool(errs, SL_SEV_ERROR, whole, "cannot read '%s': %s",
                    job->file, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        sl_diag_tool(errs, SL_SEV_ERROR, whole, "cannot read '%s': is a directory",
                    job->file);
        return -1;
    }
    if ((uint64_t)st.st_size > SL_MAX_FILE_BYTES) {
        sl_diag_tool(errs, SL_SEV_ERROR, whole,
                    "cannot analyse '%s': file is %lld bytes, over the %u MiB limit",
                    job->file, (long long)st.st_size, SL_MAX_FILE_BYTES >> 20);
        return -1;
    }
    if (!c_input(job, errs)) return -1;
    FILE *probe = fopen(job->file, "rb");
    if (!probe) {
        sl_diag_tool(errs, SL_SEV_ERROR, whole, "cannot read '%s': %s",
                    job->file, strerror(errno));
        return -1;
    }
    unsigned char buf[4096];
    size_t got = fread(buf, 1, sizeof buf, probe);
    fclose(probe);
    if (memchr(buf, 0, got)) {
        sl_diag_tool(errs, SL_SEV_ERROR, whole,
                    "cannot analyse '%s': binary file (contains NUL bytes), not C source",
                    job->file);
        return -1;
    }
    return 0;
}

/* The job's arguments, plus the resource dir so <stdatomic.h> and
 * <stddef.h> resolve without a clang driver on PATH; malloc'd, *n set. */
static const char **parse_args(const struct sl_frontend *front, const struct sl_job *job, size_t *n_out)
{
    const char *resource_dir = front->resource_dir;
    size_t na = job->n_args;
    const char **args = sl_xcalloc(na + 5, sizeof *args);
    size_t n = 0;
    bool has_rd = false;
    for (size_t i = 0; i < na; i++) {
        if (!strcmp(job->args[i], "-resource-dir")) has_rd = true;
        args[n++] = job->args[i];
    }
    if (!has_rd && resource_dir && *resource_dir) {
        args[n++] = "-resource-dir";
        args[n++] = resource_dir;
    }
    /* No warnings: only errors are reported, and with warnings off clang
     * skips its analysis-based checks (a CFG per function for
     * -Wreturn-type and friends): 4-11% of the parse on generated units. */
    args[n++] = "-w";
    *n_out = n;
    return args;
}

static void parse_failed(struct sl_diag_list *errs, const struct sl_job *job, enum CXErrorCode ec)
{
    struct sl_range whole = { .file = job->file, .line = 1, .col = 1, .end_line = 1, .end_col = 1 };
    const char *why = ec == CXError_Crashed ? "libclang crashed while parsing"
                    : ec == CXError_InvalidArguments ? "invalid compiler arguments"
                    : ec == CXError_ASTReadError ? "AST read error"
                    : "libclang could not parse it (check the compiler flags)";
    sl_diag_tool(errs, SL_SEV_ERROR, whole, "cannot parse '%s': %s", job->file, why);
}

/* clang's errors (not warnings) as tool diagnostics, the first few in full. */
static void report_parse_errors(CXTranslationUnit tu, const struct sl_job *job,
                                struct sl_diag_list *errs)
{
    struct sl_range whole = { .file = job->file, .line = 1, .col = 1, .end_line = 1, .end_col = 1 };
    unsigned nd = clang_getNumDiagnostics(tu), reported = 0, nerr = 0;
    for (unsigned i = 0; i < nd; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            nerr++;
            if (reported < SL_MAX_PARSE_ERRORS) {
                CXFile f = NULL;
                unsigned line = 0, col = 0;
                clang_getExpansionLocation(clang_getDiagnosticLocation(d), &f, &line, &col, NULL);
                CXString fname = f ? clang_getFileName(f) : clang_getDiagnosticSpelling(d);
                CXString msg = clang_getDiagnosticSpelling(d);
                struct sl_range w = whole;
                if (f && line) {
                    w.file = sl_arena_strdup(&errs->arena, clang_getCString(fname));
                    w.line = w.end_line = line;
                    w.col = col;
                    w.end_col = col + 1;
                }
                sl_diag_tool(errs, SL_SEV_ERROR, w, "cannot parse '%s': %s",
                            job->file, clang_getCString(msg));
                clang_disposeString(msg);
                clang_disposeString(fname);
                reported++;
            }
        }
        clang_disposeDiagnostic(d);
    }
    if (nerr > reported) {
        sl_diag_tool(errs, SL_SEV_ERROR, whole,
                    "cannot parse '%s': %u more errors not shown", job->file, nerr - reported);
    }
}

/* Is "synclint/" written in a file the model has a place in (only those
 * files' includes of the runtime matter, to the false-sharing fix)?  With
 * a precompiled preamble, clang_getInclusions deserialises every file
 * entry of the preamble, a third of lowering after an edit; a project that
 * does not use the runtime never needs it.  Conservative: a file whose
 * bytes are unknown may. */
static bool may_include_runtime(struct fe *fe)
{
    static const char needle[] = "synclint/";
    for (uint32_t i = 0; i < fe->files.n; i++) {
        const struct line_table *t = i < fe->n_lines ? &fe->lines[i] : NULL;
        if (!t || !t->built || t->none) return true;
        /* by its 'y', rarer in C than its other letters */
        if (t->size < sizeof needle - 1) continue;
        for (const char *p = t->buf + 1, *end = t->buf + t->size - (sizeof needle - 3);
             p < end && (p = memchr(p, 'y', (size_t)(end - p))); p++)
            if (!memcmp(p - 1, needle, sizeof needle - 1)) return true;
    }
    return false;
}

/* Lower a parsed TU into m. */
static void lower_tu(struct sl_frontend *front, CXTranslationUnit tu, const struct sl_job *job,
                     struct sl_frontend_doc *doc, struct sl_model *m)
{
    double t1 = sl_now_s();
    struct fe fe = {0};
    fe.tu = tu;
    fe.m = m;
    fe.a = &m->arena;
    fe.main_file = clang_getFile(tu, job->file);
    if (fe.main_file) {
        size_t sz = 0;
        const char *buf = clang_getFileContents(tu, fe.main_file, &sz);
        if (buf) {
            m->main_hash = sl_text_hash(buf, sz);
            m->main_size = sz;
            m->main_hashed = true;
        }
    }
    sl_pmap_init(&fe.file_ids, fe.a);
    fe.file_names = sl_strmap_new(fe.a);
    fe.loc_memo = sl_xcalloc(LOC_MEMO_SIZE, sizeof *fe.loc_memo);
    sl_pmap_init(&fe.deferred, fe.a);
    fe.extent_of = clang_getNullCursor();
    fe.lazy_headers = doc != NULL;
    fe.doc = doc;
    pv_push(&fe.files, (void *)m->main_file);
    clang_visitChildren(clang_getTranslationUnitCursor(tu), top_visit, &fe);
    while (fe.n_queue) lower_function(&fe, fe.deferred_defs[fe.queue[--fe.n_queue]]);

    /* Which files include the runtime's headers (the false-sharing fix). */
    struct incl_ctx ic = { &fe, NULL, 0, 0 };
    if (!fe.doc || may_include_runtime(&fe)) clang_getInclusions(tu, inclusion_cb, &ic);
    struct incl_rec *incl = ic.v;
    /* Publish vectors into the model. */
    m->n_files = fe.files.n;
    m->synclint_include_line = sl_arena_alloc(fe.a, (fe.files.n ? fe.files.n : 1) * sizeof(uint32_t));
    m->includes_pad = sl_arena_alloc(fe.a, (fe.files.n ? fe.files.n : 1) * sizeof(bool));
    memset(m->synclint_include_line, 0, (fe.files.n ? fe.files.n : 1) * sizeof(uint32_t));
    memset(m->includes_pad, 0, (fe.files.n ? fe.files.n : 1) * sizeof(bool));
    for (size_t i = 0; i < ic.n; i++) {
        if (incl[i].file >= fe.files.n) continue;
        if (incl[i].line > m->synclint_include_line[incl[i].file])
            m->synclint_include_line[incl[i].file] = incl[i].line;
        if (incl[i].pad) m->includes_pad[incl[i].file] = true;
    }
    free(incl);
    m->files = sl_arena_alloc(fe.a, fe.files.n * sizeof *m->files);
    memcpy(m->files, fe.files.v, fe.files.n * sizeof *m->files);
    m->n_funcs = fe.funcs.n;
    m->funcs = sl_arena_alloc(fe.a, (fe.funcs.n ? fe.funcs.n : 1) * sizeof *m->funcs);
    if (fe.funcs.n) memcpy(m->funcs, fe.funcs.v, fe.funcs.n * sizeof *m->funcs);
    /* Model-wide expression ids: the key of every later pass's side tables. */
    m->n_exprs = 0;
    for (uint32_t i = 0; i < m->n_funcs; i++)
        for (uint32_t j = 0; j < m->funcs[i]->n_exprs; j++) m->funcs[i]->exprs[j]->id = m->n_exprs++;
    m->n_records = fe.records.n;
    m->records = sl_arena_alloc(fe.a, (fe.records.n ? fe.records.n : 1) * sizeof *m->records);
    if (fe.records.n) memcpy(m->records, fe.records.v, fe.records.n * sizeof *m->records);
    m->n_vars = fe.vars.n;
    m->vars = sl_arena_alloc(fe.a, (fe.vars.n ? fe.vars.n : 1) * sizeof *m->vars);
    if (fe.vars.n) memcpy(m->vars, fe.vars.v, fe.vars.n * sizeof *m->vars);
    m->n_fn_stores = fe.n_fn_stores;
    if (fe.n_fn_stores) {
        m->fn_stores = sl_arena_alloc(fe.a, fe.n_fn_stores * sizeof *m->fn_stores);
        memcpy(m->fn_stores, fe.fn_stores, fe.n_fn_stores * sizeof *m->fn_stores);
    }
    free(fe.fn_stores);
    free(fe.files.v);
    free(fe.funcs.v);
    free(fe.records.v);
    free(fe.vars.v);
    free(fe.decls.slots);
    free(fe.loc_memo);
    free(fe.deferred_defs);
    free(fe.queue);
    for (uint32_t i = 0; i < fe.n_lines; i++)
        if (!fe.lines[i].borrowed) free(fe.lines[i].starts);
    free(fe.lines);
    front->lower_s += sl_now_s() - t1;
}

int sl_frontend_lower(struct sl_frontend *front, const struct sl_job *job,
                      struct sl_model *m, struct sl_diag_list *errs)
{
    if (check_input(job, NULL, 0, errs) != 0) return -1;
    size_t n;
    const char **args = parse_args(front, job, &n);
    CXTranslationUnit tu = NULL;
    unsigned opts = CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    double t0 = sl_now_s();
    enum CXErrorCode ec = clang_parseTranslationUnit2(front->index, job->file, args, (int)n, NULL, 0,
                                                      opts, &tu);
    front->parse_s += sl_now_s() - t0;
    free(args);
    if (ec != CXError_Success || !tu) {
        parse_failed(errs, job, ec);
        return -1;
    }
    report_parse_errors(tu, job, errs);
    lower_tu(front, tu, job, NULL, m);
    clang_disposeTranslationUnit(tu);
    return 0;
}

/* ---- documents kept parsed (the language server) ---- */

/* A header's bytes and line starts, kept from one lowering of a document
 * to the next: after a reparse, clang would read a preamble header from
 * disk again (and check it) to answer for its contents, and the headers
 * of a big project's TU cost more that way than the lowering itself. */
struct doc_header {
    struct timespec mtime;     /* the file's, when copied */
    off_t disk_size;
    char *buf;
    uint32_t size, n_starts;
    uint32_t *starts;
};

struct sl_frontend_doc {
    CXTranslationUnit tu;      /* NULL until the first parse */
    unsigned parses, reparses;
    struct sl_arena arena;     /* header names */
    struct sl_strmap *header_ids;   /* name -> index in headers */
    struct doc_header *headers;
    uint32_t n_headers, cap_headers;
};

struct sl_frontend_doc *sl_frontend_doc_new(void)
{
    struct sl_frontend_doc *doc = sl_xcalloc(1, sizeof *doc);
    sl_arena_init(&doc->arena);
    doc->header_ids = sl_strmap_new(&doc->arena);
    return doc;
}

void sl_frontend_doc_free(struct sl_frontend *front, struct sl_frontend_doc *doc)
{
    (void)front;
    if (!doc) return;
    if (doc->tu) clang_disposeTranslationUnit(doc->tu);
    for (uint32_t i = 0; i < doc->n_headers; i++) {
        free(doc->headers[i].buf);
        free(doc->headers[i].starts);
    }
    free(doc->headers);
    sl_arena_free(&doc->arena);
    free(doc);
}

/* t for a header of fe's document from the document's copy, made now if
 * there is none or the file has changed since (the main file, the edited
 * buffer, is always clang's).  False when there is no document. */
static bool doc_lines(struct fe *fe, CXFile f, uint32_t idx, struct line_table *t)
{
    struct sl_frontend_doc *doc = fe->doc;
    if (!doc || idx == 0 || idx >= fe->files.n) return false;
    const char *name = fe->files.v[idx];
    uint32_t id = sl_strmap_put(doc->header_ids, name, doc->n_headers);
    if (id == doc->n_headers) {
        if (doc->n_headers == doc->cap_headers) {
            doc->cap_headers = doc->cap_headers ? doc->cap_headers * 2 : 64;
            doc->headers = sl_xreallocarray(doc->headers, doc->cap_headers, sizeof *doc->headers);
        }
        doc->headers[doc->n_headers++] = (struct doc_header){ 0 };
    }
    struct doc_header *h = &doc->headers[id];
    struct stat st;
    if (stat(name, &st) != 0) return false;
    if (!h->buf || h->mtime.tv_sec != st.st_mtim.tv_sec || h->mtime.tv_nsec != st.st_mtim.tv_nsec ||
        h->disk_size != st.st_size) {
        size_t size = 0;
        const char *buf = clang_getFileContents(fe->tu, f, &size);
        if (!buf || size >= UINT32_MAX) return false;
        free(h->buf);
        free(h->starts);
        h->buf = sl_xmalloc(size ? size : 1);
        memcpy(h->buf, buf, size);
        h->size = (uint32_t)size;
        h->starts = line_starts(h->buf, size, &h->n_starts);
        h->mtime = st.st_mtim;
        h->disk_size = st.st_size;
    }
    t->buf = h->buf;
    t->size = h->size;
    t->starts = h->starts;
    t->n = h->n_starts;
    t->borrowed = true;
    return true;
}

int sl_frontend_doc_lower(struct sl_frontend *front, struct sl_frontend_doc *doc,
                          const struct sl_job *job, const char *text, size_t len,
                          struct sl_model *m, struct sl_diag_list *errs)
{
    if (check_input(job, text, len, errs) != 0) return -1;
    struct CXUnsavedFile unsaved = { job->file, text, (unsigned long)len };
    double t0 = sl_now_s();
    if (doc->tu) {
        /* the preamble (the includes at the top) is reused when unchanged */
        int rc = clang_reparseTranslationUnit(doc->tu, 1, &unsaved, clang_defaultReparseOptions(doc->tu));
        if (rc != 0) {
            /* the TU is unusable after a failed reparse: parse afresh */
            clang_disposeTranslationUnit(doc->tu);
            doc->tu = NULL;
        } else {
            doc->reparses++;
        }
    }
    if (!doc->tu) {
        size_t n;
        const char **args = parse_args(front, job, &n);
        /* the preamble is built by the first reparse, not this parse: a file
         * opened only to be read never pays for it (on dpif-netdev.c, open
         * 340 ms instead of 640) */
        unsigned opts = CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles |
                        CXTranslationUnit_PrecompiledPreamble;
        enum CXErrorCode ec = clang_parseTranslationUnit2(front->doc_index, job->file, args, (int)n,
                                                          &unsaved, 1, opts, &doc->tu);
        free(args);
        if (ec != CXError_Success || !doc->tu) {
            front->parse_s += sl_now_s() - t0;
            doc->tu = NULL;
            parse_failed(errs, job, ec);
            return -1;
        }
        doc->parses++;
    }
    front->parse_s += sl_now_s() - t0;
    report_parse_errors(doc->tu, job, errs);
    lower_tu(front, doc->tu, job, doc, m);
    return 0;
}

void sl_frontend_doc_counts(const struct sl_frontend_doc *doc, unsigned *parses, unsigned *reparses)
{
    *parses = doc->parses;
    *reparses = doc->reparses;
}
