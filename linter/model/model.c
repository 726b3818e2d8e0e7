/* model.c - lifetime of the program model, and small queries rules share. */
#include "model.h"

#include <stdio.h>
#include <string.h>

void sl_model_init(struct sl_model *m, const char *main_file)
{
    memset(m, 0, sizeof *m);
    sl_arena_init(&m->arena);
    m->main_file = sl_arena_strdup(&m->arena, main_file);
}

void sl_model_free(struct sl_model *m)
{
    sl_arena_free(&m->arena);
    memset(m, 0, sizeof *m);
}

/* ASCII only, without the ctype table calls per character: names are
 * identifiers, and this runs for every call and function of a TU. */
static bool is_up(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_low(char c) { return c >= 'a' && c <= 'z'; }

bool sl_name_has_word(const char *name, const char *const *words)
{
    if (!name) return false;
    char tok[64];
    size_t n = 0;
    for (const char *p = name;; p++) {
        bool boundary = !*p || *p == '_' || (is_up(*p) && n > 0 && is_low(p[-1]));
        if (boundary && n > 0) {
            tok[n] = 0;
            for (size_t i = 0; words[i]; i++)
                if (tok[0] == words[i][0] && !strcmp(tok, words[i])) return true;
            n = 0;
        }
        if (!*p) break;
        if (*p != '_' && n + 1 < sizeof tok) tok[n++] = is_up(*p) ? (char)(*p - 'A' + 'a') : *p;
    }
    return false;
}

const char *sl_loc_file(const struct sl_model *m, struct sl_loc l)
{
    return l.file < m->n_files ? m->files[l.file] : m->main_file;
}

bool sl_loc_in_main(struct sl_loc l) { return l.file == 0; }

bool sl_stmt_is_loop(const struct sl_stmt *s)
{
    return s && (s->kind == SL_ST_WHILE || s->kind == SL_ST_DO || s->kind == SL_ST_FOR);
}

struct sl_var *sl_expr_root_var(const struct sl_expr *e)
{
    while (e) {
        switch (e->kind) {
        case SL_EX_REF: return e->var;
        case SL_EX_MEMBER:
        case SL_EX_INDEX:
        case SL_EX_UNARY:
            e = e->n_kids ? e->kids[0] : NULL;
            break;
        case SL_EX_BINARY:   /* pointer arithmetic: p + i */
            if (e->op == SL_B_ADD || e->op == SL_B_SUB) {
                e = (e->kids[0]->tflags & (SL_TY_PTR | SL_TY_ARRAY)) ? e->kids[0] : e->kids[1];
                break;
            }
            return NULL;
        default:
            return NULL;
        }
    }
    return NULL;
}

/* ---- printer ---- */

struct sbuf { char *p; size_t n, cap; struct sl_arena *a; };

static void sb_put(struct sbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        size_t ncap = (b->cap ? b->cap * 2 : 64);
        while (ncap < b->n + l + 1) ncap *= 2;
        b->p = sl_arena_grow(b->a, b->p, b->n, ncap, 1);
        b->cap = ncap;
    }
    memcpy(b->p + b->n, s, l);
    b->n += l;
    b->p[b->n] = 0;
}

static const char *binop_text(unsigned op)
{
    static const char *t[] = {
        [SL_B_MUL] = "*", [SL_B_DIV] = "/", [SL_B_REM] = "%", [SL_B_ADD] = "+",
        [SL_B_SUB] = "-", [SL_B_SHL] = "<<", [SL_B_SHR] = ">>", [SL_B_LT] = "<",
        [SL_B_GT] = ">", [SL_B_LE] = "<=", [SL_B_GE] = ">=", [SL_B_EQ] = "==",
        [SL_B_NE] = "!=", [SL_B_AND] = "&", [SL_B_XOR] = "^", [SL_B_OR] = "|",
        [SL_B_LAND] = "&&", [SL_B_LOR] = "||", [SL_B_COMMA] = ",",
        [SL_B_ASSIGN] = "=", [SL_B_MUL_ASSIGN] = "*=", [SL_B_DIV_ASSIGN] = "/=",
        [SL_B_REM_ASSIGN] = "%=", [SL_B_ADD_ASSIGN] = "+=", [SL_B_SUB_ASSIGN] = "-=",
        [SL_B_SHL_ASSIGN] = "<<=", [SL_B_SHR_ASSIGN] = ">>=", [SL_B_AND_ASSIGN] = "&=",
        [SL_B_XOR_ASSIGN] = "^=", [SL_B_OR_ASSIGN] = "|=",
    };
    return op < sizeof t / sizeof t[0] && t[op] ? t[op] : "?";
}

static void print_expr(struct sbuf *b, const struct sl_expr *e, const struct sl_var *subst,
                       const char *repl, int depth)
{
    char tmp[32];
    if (!e) { sb_put(b, "?"); return; }
    if (depth > 12) { sb_put(b, "..."); return; }
    switch (e->kind) {
    case SL_EX_REF:
        if (subst && e->var == subst) sb_put(b, repl);
        else sb_put(b, e->name ? e->name : "?");
        break;
    case SL_EX_MEMBER:
        if (e->n_kids && e->is_arrow && e->kids[0]->kind == SL_EX_UNARY &&
            e->kids[0]->op == SL_U_ADDROF && e->kids[0]->n_kids) {
            /* (&x)->f prints as x.f (after wrapper substitution) */
            print_expr(b, e->kids[0]->kids[0], subst, repl, depth + 1);
            sb_put(b, ".");
            sb_put(b, e->name ? e->name : "?");
            break;
        }
        if (e->n_kids) {
            const struct sl_expr *base = e->kids[0];
            bool wrap = base->kind != SL_EX_REF && base->kind != SL_EX_MEMBER &&
                        base->kind != SL_EX_INDEX && base->kind != SL_EX_CALL;
            if (wrap) sb_put(b, "(");
            print_expr(b, base, subst, repl, depth + 1);
            if (wrap) sb_put(b, ")");
        }
        sb_put(b, e->is_arrow ? "->" : ".");
        sb_put(b, e->name ? e->name : "?");
        break;
    case SL_EX_INDEX:
        print_expr(b, e->n_kids > 0 ? e->kids[0] : NULL, subst, repl, depth + 1);
        sb_put(b, "[");
        print_expr(b, e->n_kids > 1 ? e->kids[1] : NULL, subst, repl, depth + 1);
        sb_put(b, "]");
        break;
    case SL_EX_UNARY: {
        const char *pre = NULL, *post = NULL;
        switch (e->op) {
        case SL_U_POSTINC: post = "++"; break;
        case SL_U_POSTDEC: post = "--"; break;
        case SL_U_PREINC: pre = "++"; break;
        case SL_U_PREDEC: pre = "--"; break;
        case SL_U_ADDROF: pre = "&"; break;
        case SL_U_DEREF: pre = "*"; break;
        case SL_U_MINUS: pre = "-"; break;
        case SL_U_PLUS: pre = "+"; break;
        case SL_U_NOT: pre = "~"; break;
        case SL_U_LNOT: pre = "!"; break;
        default: pre = ""; break;
        }
        if (pre) sb_put(b, pre);
        const struct sl_expr *k = e->n_kids ? e->kids[0] : NULL;
        bool wrap = k && (k->kind == SL_EX_BINARY || k->kind == SL_EX_ASSIGN || k->kind == SL_EX_COND);
        if (wrap) sb_put(b, "(");
        print_expr(b, k, subst, repl, depth + 1);
        if (wrap) sb_put(b, ")");
        if (post) sb_put(b, post);
        break;
    }
    case SL_EX_BINARY:
    case SL_EX_ASSIGN:
        print_expr(b, e->n_kids > 0 ? e->kids[0] : NULL, subst, repl, depth + 1);
        sb_put(b, " ");
        sb_put(b, binop_text(e->op));
        sb_put(b, " ");
        print_expr(b, e->n_kids > 1 ? e->kids[1] : NULL, subst, repl, depth + 1);
        break;
    case SL_EX_CALL:
        if (e->name) sb_put(b, e->name);
        else print_expr(b, e->callee, subst, repl, depth + 1);
        sb_put(b, "(");
        for (uint32_t i = 0; i < e->n_kids; i++) {
            if (i) sb_put(b, ", ");
            print_expr(b, e->kids[i], subst, repl, depth + 1);
        }
        sb_put(b, ")");
        break;
    case SL_EX_INT:
        if (e->name) {                  /* an enumeration constant: as the source names it */
            sb_put(b, e->name);
        } else if (e->has_value) {
            snprintf(tmp, sizeof tmp, "%lld", (long long)e->ival);
            sb_put(b, tmp);
        } else sb_put(b, "<int>");
        break;
    case SL_EX_STRING: sb_put(b, "\"...\""); break;
    case SL_EX_COND:
        print_expr(b, e->n_kids > 0 ? e->kids[0] : NULL, subst, repl, depth + 1);
        sb_put(b, " ? ");
        print_expr(b, e->n_kids > 1 ? e->kids[1] : NULL, subst, repl, depth + 1);
        sb_put(b, " : ");
        print_expr(b, e->n_kids > 2 ? e->kids[2] : NULL, subst, repl, depth + 1);
        break;
    default:
        sb_put(b, "<expr>");
        break;
    }
}

const char *sl_expr_text_subst(struct sl_arena *a, const struct sl_expr *e,
                               const struct sl_var *subst, const char *repl)
{
    struct sbuf b = { .a = a };
    sb_put(&b, "");
    print_expr(&b, e, subst, repl, 0);
    return b.p;
}

const char *sl_expr_text(struct sl_arena *a, const struct sl_expr *e)
{
    return sl_expr_text_subst(a, e, NULL, NULL);
}

const struct sl_expr *sl_expr_written_object(const struct sl_expr *e)
{
    if (!e) return NULL;
    if (e->kind == SL_EX_ASSIGN && e->n_kids) return e->kids[0];
    if (e->kind == SL_EX_UNARY && e->n_kids &&
        (e->op == SL_U_POSTINC || e->op == SL_U_POSTDEC || e->op == SL_U_PREINC ||
         e->op == SL_U_PREDEC))
        return e->kids[0];
    if (e->kind == SL_EX_CALL && e->atomic && e->atomic != SL_AT_LOAD && e->n_kids) {
        const struct sl_expr *p = e->kids[0];
        if (p->kind == SL_EX_UNARY && p->op == SL_U_ADDROF && p->n_kids) return p->kids[0];
        return p;
    }
    return NULL;
}

bool sl_stmt_within(const struct sl_stmt *s, const struct sl_stmt *anc)
{
    for (; s; s = s->parent)
        if (s == anc) return true;
    return false;
}

bool sl_expr_touches_shared(const struct sl_expr *e)
{
    if (!e) return false;
    switch (e->kind) {
    case SL_EX_REF:
        return e->var && (e->var->kind == SL_VAR_GLOBAL || e->var->is_static);
    case SL_EX_MEMBER:
        if (e->is_arrow) return true;
        break;
    case SL_EX_UNARY:
        if (e->op == SL_U_DEREF) return true;
        break;
    case SL_EX_INDEX:
        if (e->n_kids && (e->kids[0]->tflags & SL_TY_PTR)) return true;
        break;
    case SL_EX_CALL:
        return true;   /* a call may read anything */
    default:
        break;
    }
    for (uint32_t i = 0; i < e->n_kids; i++)
        if (sl_expr_touches_shared(e->kids[i])) return true;
    return false;
}

const struct sl_stmt *sl_enclosing_shared_if(const struct sl_stmt *s)
{
    for (const struct sl_stmt *p = s ? s->parent : NULL, *child = s; p; child = p, p = p->parent) {
        if (p->kind == SL_ST_IF && p->expr != NULL && child != NULL &&
            sl_expr_touches_shared(p->expr))
            return p;
    }
    return NULL;
}
