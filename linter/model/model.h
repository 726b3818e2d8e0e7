/* model.h - the compact per-TU program model every rule reads.
 *
 * The front end (frontend/) lowers a libclang translation unit once into
 * this model and disposes the TU.  From then on the model is frozen: every
 * later pass (lock-flow, facts, rules) receives it const and keeps its own
 * results in side tables keyed by the model's indices (sl_expr.id,
 * sl_func.index), allocated in arenas of its own.  Everything here is
 * allocated in the model's arena and freed with sl_model_free().  A model
 * is built by one thread; once frozen it may be read by any.  Configuration
 * (wrappers, options) is never stored here: it is passed to each pass.
 *
 * Shape: functions own a statement tree (blocks, branches, loops, switch,
 * labels, goto, return) whose statements hold expression trees (calls,
 * references to variables and fields, operators).  Parentheses and casts are
 * transparent.  Variables, fields and records are shared nodes that
 * expressions point to, so "every access to field f" is a pointer compare.
 */
#ifndef SL_MODEL_H
#define SL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "lockops.h"

struct sl_loc {
    uint32_t file;             /* index into model->files */
    uint32_t line, col;        /* 1-based, expansion location (what the user wrote) */
    uint32_t end_line, end_col;
};

/* Type facts, computed once per expression / declaration. */
enum {
    SL_TY_INT      = 1u << 0,   /* integer, bool, enum, char */
    SL_TY_FLOAT    = 1u << 1,
    SL_TY_PTR      = 1u << 2,
    SL_TY_FUNCPTR  = 1u << 3,   /* pointer to function */
    SL_TY_RECORD   = 1u << 4,   /* struct or union (by value) */
    SL_TY_ARRAY    = 1u << 5,
    SL_TY_ATOMIC   = 1u << 6,   /* _Atomic-qualified (incl. atomic_int typedefs) */
    SL_TY_VOLATILE = 1u << 7,
    SL_TY_CONST    = 1u << 8,
    SL_TY_VOID     = 1u << 9,
};

/* What a declaration's type is, for synchronisation objects. */
enum sl_sync_kind {
    SL_SYNC_NONE, SL_SYNC_MUTEX, SL_SYNC_SPIN, SL_SYNC_RWLOCK, SL_SYNC_COND,
    SL_SYNC_SEM, SL_SYNC_THREAD, SL_SYNC_ONCE, SL_SYNC_CNDMTX /* C11 mtx_t */
};

struct sl_record;
struct sl_func;
struct sl_stmt;

struct sl_field {
    const char *name;
    struct sl_record *record;
    uint64_t offset_bits;      /* real layout from libclang; UINT64_MAX if unknown */
    uint64_t size;             /* bytes; 0 if unknown */
    uint32_t align;            /* bytes, as declared or natural */
    uint32_t tflags;
    enum sl_sync_kind sync;
    const char *type_name;     /* spelling of the declared type */
    struct sl_loc loc;
    /* The whole declaration as written: from its first specifier to the end
     * of its declarator (fields of one `int a, b;` share the start).
     * decl_in_macro: the start or the name comes from a macro expansion, so
     * the text at decl is not the field's own. */
    struct sl_loc decl;
    bool decl_in_macro, is_bitfield;
    uint32_t index;
    /* Struct type of the field (by value, or the array element), else NULL. */
    struct sl_record *type_record;
    uint64_t elem_size;        /* arrays: element size in bytes */
    uint64_t array_len;        /* arrays: number of elements, 0 if unknown */
    uint32_t elem_tflags;      /* arrays: element type facts */
};

struct sl_record {
    const char *name;          /* "struct conn", or the typedef name */
    struct sl_loc loc;
    bool is_union, in_main_file, from_system_header;
    uint64_t size;             /* bytes; 0 if incomplete */
    struct sl_field **fields;
    uint32_t n_fields;
    uint32_t index;            /* in model->records */
};

enum sl_var_kind { SL_VAR_GLOBAL, SL_VAR_LOCAL, SL_VAR_PARAM };

struct sl_var {
    const char *name;
    enum sl_var_kind kind;
    bool is_static;            /* file-scope static or function-local static */
    bool from_system_header;
    bool is_thread_local;      /* _Thread_local / __thread / thread_local */
    bool defined_here;         /* globals: this TU has the definition (not only extern);
                                  loc is then the definition's */
    uint32_t tflags;
    enum sl_sync_kind sync;    /* of the object itself, or of the array element */
    const char *type_name;
    struct sl_record *record;  /* struct type (by value, pointer or array element) */
    uint64_t elem_size;        /* arrays: element size in bytes */
    uint64_t array_len;        /* arrays: number of elements, 0 if unknown */
    uint32_t elem_tflags;      /* arrays: element type facts */
    struct sl_func *func;      /* locals and params: their function */
    int param_index;           /* params: zero-based index, else -1 */
    struct sl_loc loc;
    uint32_t index;            /* in model->vars */
};

enum sl_expr_kind {
    SL_EX_CALL,       /* kids: arguments; name/func for direct calls, callee when indirect */
    SL_EX_REF,        /* var != NULL, or func != NULL for a function designator */
    SL_EX_MEMBER,     /* kids[0] base; field; is_arrow */
    SL_EX_INDEX,      /* kids[0] base, kids[1] index */
    SL_EX_UNARY,      /* op: sl_unop; kids[0] */
    SL_EX_BINARY,     /* op: sl_binop (not assignment); kids[0], kids[1] */
    SL_EX_ASSIGN,     /* op: sl_binop (SL_B_ASSIGN or compound); kids[0] lhs, kids[1] rhs */
    SL_EX_COND,       /* kids: cond, then, else */
    SL_EX_INT,        /* ival valid when has_value */
    SL_EX_FLOAT,
    SL_EX_STRING,
    SL_EX_SIZEOF,
    SL_EX_INITLIST,   /* kids: elements */
    SL_EX_STMTEXPR,   /* GNU ({ ... }): body */
    SL_EX_OTHER,      /* anything else; kids are its sub-expressions */
};

enum sl_unop {
    SL_U_NONE, SL_U_POSTINC, SL_U_POSTDEC, SL_U_PREINC, SL_U_PREDEC,
    SL_U_ADDROF, SL_U_DEREF, SL_U_PLUS, SL_U_MINUS, SL_U_NOT, SL_U_LNOT,
    SL_U_OTHER
};

enum sl_binop {
    SL_B_NONE, SL_B_MUL, SL_B_DIV, SL_B_REM, SL_B_ADD, SL_B_SUB, SL_B_SHL,
    SL_B_SHR, SL_B_LT, SL_B_GT, SL_B_LE, SL_B_GE, SL_B_EQ, SL_B_NE, SL_B_AND,
    SL_B_XOR, SL_B_OR, SL_B_LAND, SL_B_LOR, SL_B_COMMA,
    SL_B_ASSIGN, SL_B_MUL_ASSIGN, SL_B_DIV_ASSIGN, SL_B_REM_ASSIGN,
    SL_B_ADD_ASSIGN, SL_B_SUB_ASSIGN, SL_B_SHL_ASSIGN, SL_B_SHR_ASSIGN,
    SL_B_AND_ASSIGN, SL_B_XOR_ASSIGN, SL_B_OR_ASSIGN, SL_B_OTHER
};

/* Atomic builtins (C11 atomic_*, __c11_atomic_*, __atomic_*, __sync_*). */
enum sl_atomic_kind { SL_AT_NONE, SL_AT_LOAD, SL_AT_STORE, SL_AT_RMW, SL_AT_CMPXCHG, SL_AT_OTHER };

struct sl_expr {
    uint8_t kind;              /* enum sl_expr_kind */
    uint8_t op;                /* sl_unop / sl_binop */
    uint8_t atomic;            /* enum sl_atomic_kind for atomic builtin calls */
    bool is_arrow;             /* MEMBER: -> rather than . */
    bool has_value;            /* INT: ival is the constant value */
    bool indirect;             /* CALL: through a function pointer */
    bool from_macro;           /* the expression comes from a macro expansion */
    uint32_t tflags;           /* type facts of the expression's value */
    struct sl_loc loc;
    struct sl_expr *parent;    /* enclosing expression, NULL at statement level */
    struct sl_stmt *stmt;      /* statement that contains this expression */
    struct sl_expr **kids;
    uint32_t n_kids;
    int64_t ival;
    struct sl_var *var;        /* REF to a variable */
    struct sl_field *field;    /* MEMBER */
    const char *name;          /* CALL: callee name (NULL if indirect); REF: name;
                                  INT: the enumeration constant's name, if it is one */
    struct sl_func *func;      /* CALL: callee when defined in this TU; REF to function */
    struct sl_expr *callee;    /* CALL: the callee expression when indirect */
    struct sl_stmt *body;      /* STMTEXPR */
    /* Struct/union type of the value when tflags has SL_TY_RECORD; SIZEOF:
     * of its operand (a type or an expression) when that is a record or an
     * array of records. */
    struct sl_record *record;
    uint32_t index;            /* in its function's exprs[] */
    uint32_t id;               /* in the model: 0..model->n_exprs, the key of side tables */
};

enum sl_stmt_kind {
    SL_ST_BLOCK,      /* kids */
    SL_ST_EXPR,       /* expr */
    SL_ST_DECL,       /* var, expr = initialiser or NULL */
    SL_ST_IF,         /* expr = cond; kids[0] then, kids[1] else (or NULL) */
    SL_ST_WHILE,      /* expr = cond; kids[0] body */
    SL_ST_DO,         /* expr = cond; kids[0] body */
    SL_ST_FOR,        /* kids[0] init stmt or NULL, expr = cond or NULL, inc, kids[1] body */
    SL_ST_SWITCH,     /* expr = cond; kids[0] body */
    SL_ST_CASE,       /* expr = value; kids[0] sub-statement */
    SL_ST_DEFAULT,    /* kids[0] */
    SL_ST_LABEL,      /* label; kids[0] */
    SL_ST_GOTO,       /* label (NULL for computed goto) */
    SL_ST_RETURN,     /* expr or NULL */
    SL_ST_BREAK,
    SL_ST_CONTINUE,
    SL_ST_NULL,
    SL_ST_ASM,
    SL_ST_OTHER,      /* kids */
};

struct sl_stmt {
    uint8_t kind;
    struct sl_loc loc;
    struct sl_stmt *parent;
    struct sl_func *func;
    struct sl_expr *expr;
    struct sl_expr *inc;       /* FOR */
    struct sl_stmt **kids;
    uint32_t n_kids;
    const char *label;         /* LABEL, GOTO */
    struct sl_var *var;        /* DECL */
    uint32_t index;            /* in its function's stmts[] */
};

struct sl_func {
    const char *name;
    struct sl_loc loc;         /* of the name */
    struct sl_loc end;         /* closing brace */
    bool is_static, is_inline, in_main_file;
    bool returns_value;        /* non-void return type */
    uint32_t ret_tflags;       /* type facts of the return type (SL_TY_VOID if none) */
    bool acquires_annotation;  /* __acquires / OVS_ACQUIRES-like attribute */
    bool requires_annotation;  /* OVS_REQUIRES / REQUIRES(): called with a lock held */
    bool no_analysis_annotation;  /* NO_THREAD_SAFETY_ANALYSIS: unguarded on purpose */
    struct sl_var **params;
    uint32_t n_params;
    struct sl_stmt *body;
    struct sl_stmt **stmts;    /* every statement, pre-order */
    uint32_t n_stmts;
    struct sl_expr **exprs;    /* every expression, pre-order */
    uint32_t n_exprs;
    struct sl_expr **calls;    /* every CALL expression, in source order */
    uint32_t n_calls;
    uint32_t index;            /* in model->funcs; UINT32_MAX: declared, not defined */
};

/* A function stored into a function-pointer slot by an initialiser (a
 * file-scope definition's, or a brace list inside a function): the slot is
 * a struct field (`.run = foo` in `struct ops`, at any nesting) or, with
 * field == NULL, a global variable (`void (*hook)(int) = foo;`, an array of
 * them).  Plain assignments are in the expression trees instead. */
struct sl_fn_store {
    const struct sl_field *field;
    const struct sl_var *var;
    const char *func;          /* the function's name */
    struct sl_loc loc;         /* of the function's name in the initialiser */
};

struct sl_model {
    struct sl_arena arena;
    const char *main_file;     /* path of the TU */
    const char **files;        /* interned file names; files[0] == main_file */
    uint32_t n_files;
    struct sl_func **funcs;
    uint32_t n_funcs;
    struct sl_record **records;
    uint32_t n_records;
    struct sl_var **vars;      /* globals, locals, params */
    uint32_t n_vars;
    uint32_t n_exprs;          /* expressions of every function (sl_expr.id) */
    struct sl_fn_store *fn_stores;   /* initialisers' function-pointer stores */
    uint32_t n_fn_stores;
    /* Per file (indexed as files[], n_files entries): the line of the last
     * `#include` of a <synclint/...> header written in that file (0: none),
     * and whether one of them is <synclint/pad.h>. */
    uint32_t *synclint_include_line;
    bool *includes_pad;
    /* The main file as libclang parsed it: sl_text_hash of its bytes and
     * its size (main_hashed false: clang gave no buffer). */
    uint64_t main_hash, main_size;
    bool main_hashed;
};

void sl_model_init(struct sl_model *m, const char *main_file);
void sl_model_free(struct sl_model *m);

/* Helpers for rules and lock-flow (pure reads of the model). */
/* Does identifier name contain one of words (NULL-terminated, lowercase) as
 * a '_'- or camelCase-separated token?  ("worker_id" has "id", "connFree"
 * has "free", "freeze" has no "free"). */
bool sl_name_has_word(const char *name, const char *const *words);
const char *sl_loc_file(const struct sl_model *m, struct sl_loc l);
bool sl_loc_in_main(struct sl_loc l);
bool sl_stmt_is_loop(const struct sl_stmt *s);
/* Is s anc, or inside anc's subtree? */
bool sl_stmt_within(const struct sl_stmt *s, const struct sl_stmt *anc);
/* Print an expression as C source (best effort, for messages).  With
 * subst != NULL, references to that variable print as repl. */
const char *sl_expr_text(struct sl_arena *a, const struct sl_expr *e);
const char *sl_expr_text_subst(struct sl_arena *a, const struct sl_expr *e,
                               const struct sl_var *subst, const char *repl);
/* The variable an lvalue / pointer expression is rooted at (c->a.b[i] -> c). */
struct sl_var *sl_expr_root_var(const struct sl_expr *e);
/* The call argument i, or NULL. */
static inline struct sl_expr *sl_call_arg(const struct sl_expr *call, uint32_t i)
{
    return i < call->n_kids ? call->kids[i] : NULL;
}
/* Object written by an expression that modifies memory (assignment, ++,
 * atomic RMW/store), or NULL. */
const struct sl_expr *sl_expr_written_object(const struct sl_expr *e);
/* The innermost `if` enclosing s (within its function) whose condition
 * touches shared state, or NULL. */
const struct sl_stmt *sl_enclosing_shared_if(const struct sl_stmt *s);
/* True if e reads or writes a global, a field through a pointer, or memory
 * behind a pointer: something another thread may also see. */
bool sl_expr_touches_shared(const struct sl_expr *e);

#endif
