/* test_lockflow.c - unit tests of the program model and the lock-flow pass
 * on small C snippets parsed by the real front end. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend.h"
#include "lockflow.h"
#include "model.h"

static int failures, checks;
static struct sl_frontend *g_front;

#define CHECK(cond, ...) do { \
        checks++; \
        if (!(cond)) { \
            failures++; \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__); \
            fputc('\n', stderr); \
        } \
    } while (0)

struct tu {
    struct sl_model m;
    struct sl_flow fl;
    struct sl_diag_list errs;
    char path[64];
};

static void parse(struct tu *t, const char *code, const struct sl_wrapper *w, size_t nw)
{
    strcpy(t->path, "/tmp/sl_unit_XXXXXX.c");
    int fd = mkstemps(t->path, 2);
    if (fd < 0) { perror("mkstemps"); exit(2); }
    FILE *f = fdopen(fd, "w");
    fputs("#include <pthread.h>\n#include <stdatomic.h>\n#include <stdbool.h>\n", f);
    fputs(code, f);
    fclose(f);
    static const char *args[] = { "-std=gnu11", "-pthread" };
    struct sl_job job = { t->path, ".", args, 2 };
    sl_model_init(&t->m, t->path);
    sl_diag_list_init(&t->errs);
    int rc = sl_frontend_lower(g_front, &job, &t->m, &t->errs);
    if (rc != 0 || t->errs.n) {
        fprintf(stderr, "parse failed: %s\n", t->errs.n ? t->errs.items[0].message : "?");
        exit(2);
    }
    struct sl_lockflow_config cfg = { w, nw };
    sl_lockflow_run(&t->fl, &t->m, &cfg);
}

static void done(struct tu *t)
{
    unlink(t->path);
    sl_diag_list_free(&t->errs);
    sl_flow_free(&t->fl);
    sl_model_free(&t->m);
}

static struct sl_func *func(struct tu *t, const char *name)
{
    for (uint32_t i = 0; i < t->m.n_funcs; i++)
        if (!strcmp(t->m.funcs[i]->name, name)) return t->m.funcs[i];
    fprintf(stderr, "no function %s\n", name);
    exit(2);
}

/* The nth call to callee in f (0-based). */
static struct sl_expr *call(struct sl_func *f, const char *callee, int nth)
{
    for (uint32_t i = 0; i < f->n_calls; i++)
        if (f->calls[i]->name && !strcmp(f->calls[i]->name, callee) && nth-- == 0)
            return f->calls[i];
    fprintf(stderr, "no call %s in %s\n", callee, f->name);
    exit(2);
}

/* Comma-separated lock texts of a set, sorted as stored. */
static const char *set_text(const struct sl_lockset *s)
{
    static char buf[512];
    buf[0] = 0;
    for (uint32_t i = 0; s && i < s->n; i++) {
        if (i) strcat(buf, ",");
        strcat(buf, s->items[i].lock->text);
    }
    return buf;
}

static void test_model_shape(void)
{
    struct tu t;
    parse(&t,
          "struct S { int a; _Atomic long b; char pad[64]; atomic_int c; pthread_mutex_t mu; };\n"
          "static int g;\n"
          "int f(struct S *s, int n) {\n"
          "  for (int i = 0; i < n; i++) { if (i & 1) continue; s->a += i; }\n"
          "  switch (n) { case 1: g++; break; default: break; }\n"
          "  return atomic_fetch_add(&s->b, 1) + g;\n"
          "}\n", NULL, 0);
    struct sl_func *f = func(&t, "f");
    CHECK(f->n_params == 2, "params %u", f->n_params);
    CHECK(f->params[0]->kind == SL_VAR_PARAM && !strcmp(f->params[0]->name, "s"), "param s");
    CHECK(f->body && f->body->kind == SL_ST_BLOCK && f->body->n_kids == 3, "body kids %u",
          f->body ? f->body->n_kids : 0);
    struct sl_stmt *loop = f->body->kids[0];
    CHECK(loop->kind == SL_ST_FOR && loop->kids[0] && loop->expr && loop->inc && loop->kids[1],
          "for parts");
    CHECK(f->body->kids[1]->kind == SL_ST_SWITCH, "switch");
    struct sl_expr *fa = call(f, "atomic_fetch_add", 0);
    CHECK(fa->atomic == SL_AT_RMW, "atomic kind %d", fa->atomic);
    const struct sl_expr *w = sl_expr_written_object(fa);
    CHECK(w && w->kind == SL_EX_MEMBER && w->field && !strcmp(w->field->name, "b"), "written b");
    /* layout: real offsets */
    struct sl_record *r = NULL;
    for (uint32_t i = 0; i < t.m.n_records; i++)
        if (!strcmp(t.m.records[i]->name, "struct S")) r = t.m.records[i];
    CHECK(r && r->n_fields == 5, "record S fields");
    if (r && r->n_fields == 5) {
        CHECK(r->fields[1]->offset_bits == 64 && (r->fields[1]->tflags & SL_TY_ATOMIC), "b at 8, atomic");
        CHECK(r->fields[3]->offset_bits == 80 * 8 && (r->fields[3]->tflags & SL_TY_ATOMIC), "c at 80");
        CHECK(r->fields[4]->sync == SL_SYNC_MUTEX, "mu is a mutex");
    }
    done(&t);
}

static void test_basic_sections(void)
{
    struct tu t;
    parse(&t,
          "struct C { pthread_mutex_t mu; int n; };\n"
          "void use(int);\n"
          "void f(struct C *c) {\n"
          "  use(0);\n"
          "  pthread_mutex_lock(&c->mu);\n"
          "  use(1);\n"
          "  pthread_mutex_unlock(&c->mu);\n"
          "  use(2);\n"
          "}\n", NULL, 0);
    struct sl_func *f = func(&t, "f");
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 0))), ""), "before: %s", set_text(sl_held_must(&t.fl, call(f, "use", 0))));
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 1))), "c->mu"), "inside: %s", set_text(sl_held_must(&t.fl, call(f, "use", 1))));
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 2))), ""), "after");
    const struct sl_lockref *l = sl_held_must(&t.fl, call(f, "use", 1))->items[0].lock;
    CHECK(!strcmp(l->cls, "struct C::mu"), "class %s", l->cls);
    CHECK(sl_func_flow(&t.fl, f)->n_exits == 1 && !sl_func_flow(&t.fl, f)->exits[0].must, "one clean exit");
    done(&t);
}

static void test_branches_and_loops(void)
{
    struct tu t;
    parse(&t,
          "pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;\n"
          "void use(int);\n"
          "void f(int x) {\n"
          "  pthread_mutex_lock(&a);\n"
          "  if (x) { pthread_mutex_lock(&b); use(0); } else { use(1); }\n"
          "  use(2);\n"                     /* a: must; b: must if x (conditional locking) */
          "  if (x) pthread_mutex_unlock(&b);\n"
          "  while (x--) { use(3); pthread_mutex_unlock(&a); use(4); pthread_mutex_lock(&a); }\n"
          "  use(5);\n"
          "  pthread_mutex_unlock(&a);\n"
          "}\n", NULL, 0);
    struct sl_func *f = func(&t, "f");
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 0))), "a,b"), "then: %s", set_text(sl_held_must(&t.fl, call(f, "use", 0))));
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 1))), "a"), "else");
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 2))), "a,b"), "merge must: %s", set_text(sl_held_must(&t.fl, call(f, "use", 2))));
    {
        const struct sl_lockset *m2 = sl_held_must(&t.fl, call(f, "use", 2));
        CHECK(sl_lockset_size(m2) == 2 && !m2->items[0].guard && m2->items[1].guard &&
              m2->items[1].guard_true && !strcmp(m2->items[1].guard->name, "x"),
              "a unconditional, b held if x");
    }
    CHECK(!strcmp(set_text(sl_held_may(&t.fl, call(f, "use", 2))), "a,b"), "merge may: %s", set_text(sl_held_may(&t.fl, call(f, "use", 2))));
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 3))), "a"), "loop head");
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 4))), ""), "loop middle");
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 5))), "a"), "after loop");
    done(&t);
}

static void test_goto_cleanup_and_returns(void)
{
    struct tu t;
    parse(&t,
          "struct C { pthread_mutex_t mu; int n; };\n"
          "void use(int);\n"
          "int f(struct C *c, int x) {\n"
          "  int rc = 0;\n"
          "  pthread_mutex_lock(&c->mu);\n"
          "  if (x < 0) { rc = -1; goto out_unlock; }\n"
          "  if (x == 0) return 5;\n"                 /* leaks the lock */
          "  use(0);\n"
          "out_unlock:\n"
          "  use(1);\n"
          "  pthread_mutex_unlock(&c->mu);\n"
          "  return rc;\n"
          "}\n", NULL, 0);
    struct sl_func *f = func(&t, "f");
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 1))), "c->mu"), "label: %s", set_text(sl_held_must(&t.fl, call(f, "use", 1))));
    int leaking = 0, clean = 0;
    for (uint32_t i = 0; i < sl_func_flow(&t.fl, f)->n_exits; i++) {
        if (sl_lockset_size(sl_func_flow(&t.fl, f)->exits[i].must)) leaking++;
        else clean++;
    }
    CHECK(leaking == 1 && clean == 1, "exits: %d leaking, %d clean", leaking, clean);
    done(&t);
}

static void test_trylock(void)
{
    struct tu t;
    parse(&t,
          "pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
          "void use(int);\n"
          "void f(void) {\n"
          "  if (pthread_mutex_trylock(&m) == 0) { use(0); pthread_mutex_unlock(&m); } else use(1);\n"
          "  if (!pthread_mutex_trylock(&m)) { use(2); pthread_mutex_unlock(&m); }\n"
          "  if (pthread_mutex_trylock(&m) != 0) { use(3); return; }\n"
          "  use(4);\n"
          "  pthread_mutex_unlock(&m);\n"
          "  int rc = pthread_mutex_trylock(&m);\n"
          "  if (rc) return;\n"
          "  use(5);\n"
          "  pthread_mutex_unlock(&m);\n"
          "  while (pthread_mutex_trylock(&m)) use(6);\n"
          "  use(7);\n"
          "  pthread_mutex_unlock(&m);\n"
          "}\n", NULL, 0);
    struct sl_func *f = func(&t, "f");
    const char *want[] = { "m", "", "m", "", "m", "m", "", "m" };
    for (int i = 0; i < 8; i++) {
        const char *got = set_text(sl_held_must(&t.fl, call(f, "use", i)));
        CHECK(!strcmp(got, want[i]), "use(%d): held '%s', want '%s'", i, got, want[i]);
    }
    done(&t);
}

static void test_wrappers(void)
{
    static const struct sl_wrapper decl[] = {
        { "my_lock", SL_OP_LOCK, { 0, -1 }, NULL },
        { "my_unlock", SL_OP_UNLOCK, { 0, -1 }, NULL },
        { "STATS_LOCK", SL_OP_LOCK, { -1, -1 }, "stats_lock" },
        { "STATS_UNLOCK", SL_OP_UNLOCK, { -1, -1 }, "stats_lock" },
    };
    struct tu t;
    parse(&t,
          "struct C { pthread_mutex_t mu; int n; };\n"
          "void my_lock(pthread_mutex_t *); void my_unlock(pthread_mutex_t *);\n"
          "void STATS_LOCK(void); void STATS_UNLOCK(void);\n"
          "void use(int);\n"
          "static void c_lock(struct C *c) { pthread_mutex_lock(&c->mu); }\n"
          "static void c_unlock(struct C *c) { pthread_mutex_unlock(&c->mu); }\n"
          "static void m_lock(pthread_mutex_t *m) { pthread_mutex_lock(m); }\n"
          "static void outer_lock(struct C *c) { c_lock(c); }\n"
          "#define LOCK_C(c) c_lock(c)\n"
          "void f(struct C *c, struct C *d, pthread_mutex_t *x) {\n"
          "  c_lock(c); use(0); c_unlock(c); use(1);\n"
          "  m_lock(&d->mu); use(2); pthread_mutex_unlock(&d->mu);\n"
          "  my_lock(x); use(3); my_unlock(x);\n"
          "  STATS_LOCK(); use(4); STATS_UNLOCK();\n"
          "  outer_lock(d); use(5); c_unlock(d);\n"
          "  LOCK_C(c); use(6); c_unlock(c);\n"
          "}\n", decl, 4);
    struct sl_func *f = func(&t, "f");
    const char *want[] = { "c->mu", "", "d->mu", "x", "stats_lock", "d->mu", "c->mu" };
    for (int i = 0; i < 7; i++) {
        const char *got = set_text(sl_held_must(&t.fl, call(f, "use", i)));
        CHECK(!strcmp(got, want[i]), "use(%d): held '%s', want '%s'", i, got, want[i]);
    }
    CHECK(!strcmp(sl_held_must(&t.fl, call(f, "use", 2))->items[0].lock->cls, "struct C::mu"),
          "wrapper on the lock itself keeps the class");
    struct sl_func *w = func(&t, "c_lock");
    CHECK(sl_func_flow(&t.fl, w)->n_effects == 1 && sl_func_flow(&t.fl, w)->effects[0].op == SL_OP_LOCK &&
          sl_func_flow(&t.fl, w)->effects[0].param == 0,
          "c_lock summarised as lock of param 0");
    done(&t);
}

static void test_switch_and_stmt_expr(void)
{
    struct tu t;
    parse(&t,
          "pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
          "void use(int);\n"
          "#define WITH_LOCK(e) ({ pthread_mutex_lock(&m); int r_ = (e); pthread_mutex_unlock(&m); r_; })\n"
          "int f(int k) {\n"
          "  switch (k) {\n"
          "  case 0: pthread_mutex_lock(&m);\n"     /* falls through */
          "  case 1: use(0); break;\n"
          "  default: pthread_mutex_lock(&m); use(1); break;\n"
          "  }\n"
          "  use(2);\n"
          "  pthread_mutex_unlock(&m);\n"
          "  return WITH_LOCK(k + 1);\n"
          "}\n", NULL, 0);
    struct sl_func *f = func(&t, "f");
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 0))), ""), "case 1 may come from case 0 or the switch");
    CHECK(!strcmp(set_text(sl_held_may(&t.fl, call(f, "use", 0))), "m"), "may after fallthrough");
    CHECK(!strcmp(set_text(sl_held_must(&t.fl, call(f, "use", 1))), "m"), "default");
    int unlocks = 0;
    for (uint32_t i = 0; i < f->n_calls; i++)
        if (sl_call_lockop(&t.fl, f->calls[i]) == SL_OP_UNLOCK) unlocks++;
    CHECK(unlocks == 2, "statement-expression calls are lowered (%d unlocks)", unlocks);
    done(&t);
}

/* Must / may text before the nth use() in f. */
static const char *must_at(struct tu *t, struct sl_func *f, int nth)
{
    return set_text(sl_held_must(&t->fl, call(f, "use", nth)));
}
static const char *may_at(struct tu *t, struct sl_func *f, int nth)
{
    return set_text(sl_held_may(&t->fl, call(f, "use", nth)));
}
/* Exits of f where some lock is (must or may) held. */
static int dirty_exits(struct tu *t, struct sl_func *f)
{
    int n = 0;
    const struct sl_func_flow *ff = sl_func_flow(&t->fl, f);
    for (uint32_t i = 0; i < ff->n_exits; i++)
        if (sl_lockset_size(ff->exits[i].must) || sl_lockset_size(ff->exits[i].may)) n++;
    return n;
}
static int events_of(struct tu *t, struct sl_func *f, enum sl_flow_event_kind k)
{
    int n = 0;
    const struct sl_func_flow *ff = sl_func_flow(&t->fl, f);
    for (uint32_t i = 0; i < ff->n_events; i++) n += ff->events[i].kind == k;
    return n;
}

/* Conditional locking: `if (g) lock(l); ... if (g) unlock(l);` holds l
 * between the two (must, under guard g) and nowhere after. */
static void test_conditional_locking(void)
{
    struct tu t;
    parse(&t,
          "#include <stddef.h>\n"
          "struct P { pthread_mutex_t *mu; int n; struct P *next; };\n"
          "pthread_mutex_t gm = PTHREAD_MUTEX_INITIALIZER;\n"
          "int threaded;\n"
          "void use(int);\n"
          "#define LOCK(l) do { if (l) pthread_mutex_lock(l); } while (0)\n"
          "#define UNLOCK(l) do { if (l) pthread_mutex_unlock(l); } while (0)\n"
          "void plain(pthread_mutex_t *lock, int y) {\n"
          "  if (lock) pthread_mutex_lock(lock);\n"
          "  use(0);\n"
          "  if (y) use(1); else use(2);\n"
          "  for (int i = 0; i < y; i++) use(3);\n"
          "  if (lock) pthread_mutex_unlock(lock);\n"
          "  use(4);\n"
          "}\n"
          "void field(struct P *p) {\n"
          "  if (p->mu != NULL) pthread_mutex_lock(p->mu);\n"
          "  use(0);\n"
          "  if (p->mu) { use(1); pthread_mutex_unlock(p->mu); }\n"
          "  use(2);\n"
          "}\n"
          "void negated(pthread_mutex_t *m) {\n"
          "  if (!m) use(0); else pthread_mutex_lock(m);\n"
          "  use(1);\n"
          "  if (m == NULL) return;\n"
          "  use(2);\n"
          "  pthread_mutex_unlock(m);\n"
          "}\n"
          "void global_flag(void) {\n"
          "  if (threaded) pthread_mutex_lock(&gm);\n"
          "  use(0);\n"
          "  if (!threaded) use(1);\n"
          "  use(2);\n"
          "  if (threaded) pthread_mutex_unlock(&gm);\n"
          "}\n"
          "void local_flag(struct P *p, int k) {\n"
          "  int need_lock = k > 1;\n"
          "  if (need_lock) pthread_mutex_lock(&gm);\n"
          "  use(0);\n"
          "  if (need_lock) pthread_mutex_unlock(&gm);\n"
          "}\n"
          "void macros(struct P *p) {\n"
          "  LOCK(p->mu);\n"
          "  use(0);\n"
          "  UNLOCK(p->mu);\n"
          "  use(1);\n"
          "}\n"
          "void lock_first(int done) {\n"
          "  pthread_mutex_lock(&gm);\n"
          "  if (done) pthread_mutex_unlock(&gm);\n"
          "  use(0);\n"
          "  if (!done) pthread_mutex_unlock(&gm);\n"
          "}\n", NULL, 0);
    struct sl_func *f = func(&t, "plain");
    const char *want[] = { "lock", "lock", "lock", "lock", "" };
    for (int i = 0; i < 5; i++)
        CHECK(!strcmp(must_at(&t, f, i), want[i]), "plain use(%d): must '%s', want '%s'", i,
              must_at(&t, f, i), want[i]);
    CHECK(!strcmp(may_at(&t, f, 4), ""), "plain: nothing may be held after: %s", may_at(&t, f, 4));
    const struct sl_lockset *m0 = sl_held_must(&t.fl, call(f, "use", 0));
    CHECK(m0 && m0->items[0].guard && m0->items[0].guard_true &&
          !strcmp(m0->items[0].guard->name, "lock"), "held if 'lock'");
    CHECK(dirty_exits(&t, f) == 0, "plain: no exit holds the lock");
    CHECK(events_of(&t, f, SL_EV_UNLOCK_NOT_HELD) == 0, "plain: the guarded unlock is not stray");

    f = func(&t, "field");
    CHECK(!strcmp(must_at(&t, f, 0), "p->mu"), "field use(0): %s", must_at(&t, f, 0));
    CHECK(!strcmp(must_at(&t, f, 1), "p->mu"), "field use(1): %s", must_at(&t, f, 1));
    const struct sl_lockset *m1 = sl_held_must(&t.fl, call(f, "use", 1));
    CHECK(m1 && !m1->items[0].guard, "inside the second if(g) it is held unconditionally");
    CHECK(!strcmp(must_at(&t, f, 2), "") && !strcmp(may_at(&t, f, 2), ""), "field use(2): %s / %s",
          must_at(&t, f, 2), may_at(&t, f, 2));
    CHECK(dirty_exits(&t, f) == 0, "field: clean exits");

    f = func(&t, "negated");
    CHECK(!strcmp(must_at(&t, f, 0), "") && !strcmp(may_at(&t, f, 0), ""), "negated use(0)");
    CHECK(!strcmp(must_at(&t, f, 1), "m"), "negated use(1): %s", must_at(&t, f, 1));
    const struct sl_lockset *n1 = sl_held_must(&t.fl, call(f, "use", 1));
    CHECK(n1 && n1->items[0].guard && n1->items[0].guard_true, "held if m (from if (!m) ... else)");
    CHECK(!strcmp(must_at(&t, f, 2), "m"), "negated use(2): %s", must_at(&t, f, 2));
    CHECK(dirty_exits(&t, f) == 0, "negated: the early return when m == NULL holds nothing");

    f = func(&t, "global_flag");
    CHECK(!strcmp(must_at(&t, f, 0), "gm"), "global use(0): %s", must_at(&t, f, 0));
    CHECK(!strcmp(must_at(&t, f, 1), "") && !strcmp(may_at(&t, f, 1), ""),
          "global: under !threaded nothing is held: %s / %s", must_at(&t, f, 1), may_at(&t, f, 1));
    CHECK(!strcmp(must_at(&t, f, 2), "gm"), "global use(2): %s", must_at(&t, f, 2));
    CHECK(dirty_exits(&t, f) == 0, "global: clean exit");

    f = func(&t, "local_flag");
    CHECK(!strcmp(must_at(&t, f, 0), "gm"), "local use(0): %s", must_at(&t, f, 0));
    CHECK(dirty_exits(&t, f) == 0, "local: clean exit");

    f = func(&t, "macros");
    CHECK(!strcmp(must_at(&t, f, 0), "p->mu"), "do-while(0) macros use(0): %s", must_at(&t, f, 0));
    CHECK(!strcmp(must_at(&t, f, 1), "") && !strcmp(may_at(&t, f, 1), ""), "macros use(1)");
    CHECK(dirty_exits(&t, f) == 0, "macros: clean exit");

    f = func(&t, "lock_first");
    CHECK(!strcmp(must_at(&t, f, 0), "gm"), "lock_first use(0): %s", must_at(&t, f, 0));
    const struct sl_lockset *l0 = sl_held_must(&t.fl, call(f, "use", 0));
    CHECK(l0 && l0->items[0].guard && !l0->items[0].guard_true, "held if !done");
    CHECK(dirty_exits(&t, f) == 0, "lock_first: clean exit");
    done(&t);
}

/* Where the correlation must give up, or the code is wrong. */
static void test_conditional_locking_limits(void)
{
    struct tu t;
    parse(&t,
          "struct P { pthread_mutex_t *mu; int n; };\n"
          "pthread_mutex_t gm = PTHREAD_MUTEX_INITIALIZER;\n"
          "void use(int);\n"
          "void reassigned(pthread_mutex_t *lock, pthread_mutex_t *other) {\n"
          "  if (lock) pthread_mutex_lock(lock);\n"
          "  lock = other;\n"
          "  use(0);\n"
          "  if (lock) pthread_mutex_unlock(lock);\n"
          "}\n"
          "void field_written(struct P *p, pthread_mutex_t *o) {\n"
          "  if (p->mu) pthread_mutex_lock(p->mu);\n"
          "  p->mu = o;\n"
          "  use(0);\n"
          "}\n"
          "void base_written(struct P *p, struct P *q) {\n"
          "  if (p->mu) pthread_mutex_lock(p->mu);\n"
          "  p = q;\n"
          "  use(0);\n"
          "}\n"
          "void inc_written(int g) {\n"
          "  if (g) pthread_mutex_lock(&gm);\n"
          "  g++;\n"
          "  use(0);\n"
          "}\n"
          "void other_write(struct P *p, int g) {\n"
          "  if (g) pthread_mutex_lock(&gm);\n"
          "  p->n = 0;\n"
          "  use(0);\n"
          "  if (g) pthread_mutex_unlock(&gm);\n"
          "}\n"
          "void wrong_polarity(int g) {\n"
          "  if (g) pthread_mutex_lock(&gm);\n"
          "  use(0);\n"
          "  if (!g) pthread_mutex_unlock(&gm);\n"
          "}\n"
          "void different_guard(int g, int h) {\n"
          "  if (g) pthread_mutex_lock(&gm);\n"
          "  if (h) pthread_mutex_unlock(&gm);\n"
          "  use(0);\n"
          "}\n"
          "void never_unlocked(int g) {\n"
          "  if (g) pthread_mutex_lock(&gm);\n"
          "  use(0);\n"
          "}\n"
          "void relocked(int g) {\n"
          "  if (g) pthread_mutex_lock(&gm);\n"
          "  pthread_mutex_lock(&gm);\n"
          "  use(0);\n"
          "  pthread_mutex_unlock(&gm);\n"
          "}\n"
          "void in_loop(int g, int n) {\n"
          "  for (int i = 0; i < n; i++) {\n"
          "    if (g) pthread_mutex_lock(&gm);\n"
          "    use(0);\n"
          "    if (g) pthread_mutex_unlock(&gm);\n"
          "  }\n"
          "  use(1);\n"
          "}\n"
          "void nested(int a, int b, int c, int d, int e, int g) {\n"
          "  if (a) if (b) if (c) if (d) if (e) { if (g) pthread_mutex_lock(&gm); use(0); if (g) pthread_mutex_unlock(&gm); }\n"
          "  use(1);\n"
          "}\n"
          "void declared_in_loop(int n) {\n"
          "  for (int i = 0; i < n; i++) {\n"
          "    int g = i & 1;\n"
          "    if (g) pthread_mutex_lock(&gm);\n"
          "    use(0);\n"
          "    if (g) pthread_mutex_unlock(&gm);\n"
          "  }\n"
          "}\n", NULL, 0);
    const char *gave_up[] = { "reassigned", "field_written", "base_written", "inc_written" };
    for (int i = 0; i < 4; i++) {
        struct sl_func *f = func(&t, gave_up[i]);
        CHECK(!strcmp(must_at(&t, f, 0), "") && strcmp(may_at(&t, f, 0), ""),
              "%s: the guard is written, so may only (must '%s', may '%s')", gave_up[i],
              must_at(&t, f, 0), may_at(&t, f, 0));
    }
    struct sl_func *f = func(&t, "other_write");
    CHECK(!strcmp(must_at(&t, f, 0), "gm"), "other_write: %s", must_at(&t, f, 0));
    CHECK(dirty_exits(&t, f) == 0, "other_write: clean");
    f = func(&t, "wrong_polarity");
    CHECK(events_of(&t, f, SL_EV_UNLOCK_NOT_HELD) == 1, "unlock under !g of a lock taken under g");
    CHECK(dirty_exits(&t, f) == 1, "wrong_polarity: the lock leaks when g");
    f = func(&t, "different_guard");
    CHECK(!strcmp(must_at(&t, f, 0), ""), "different guard: %s", must_at(&t, f, 0));
    f = func(&t, "never_unlocked");
    CHECK(!strcmp(must_at(&t, f, 0), "gm") && dirty_exits(&t, f) == 1, "never unlocked: leaks if g");
    f = func(&t, "relocked");
    const struct sl_lockset *r0 = sl_held_must(&t.fl, call(f, "use", 0));
    CHECK(r0 && r0->n == 1 && !r0->items[0].guard, "an unconditional lock makes it unconditional");
    f = func(&t, "in_loop");
    CHECK(!strcmp(must_at(&t, f, 0), "gm"), "in_loop use(0): %s", must_at(&t, f, 0));
    CHECK(!strcmp(must_at(&t, f, 1), "") && !strcmp(may_at(&t, f, 1), ""), "in_loop after: %s / %s",
          must_at(&t, f, 1), may_at(&t, f, 1));
    f = func(&t, "nested");
    CHECK(!strcmp(must_at(&t, f, 0), "gm"), "nested use(0): %s", must_at(&t, f, 0));
    CHECK(!strcmp(may_at(&t, f, 1), "") && dirty_exits(&t, f) == 0, "nested: clean");
    f = func(&t, "declared_in_loop");
    CHECK(!strcmp(must_at(&t, f, 0), "gm") && dirty_exits(&t, f) == 0, "declared_in_loop: %s",
          must_at(&t, f, 0));
    done(&t);
}

/* Guarded acquire / release functions compose as wrappers when the guard
 * is visible to the caller (a parameter's field); a lock left held under a
 * local's guard does not make an acquire wrapper. */
static void test_conditional_wrappers(void)
{
    struct tu t;
    parse(&t,
          "struct S { pthread_mutex_t *mu; int n; };\n"
          "pthread_mutex_t gm = PTHREAD_MUTEX_INITIALIZER;\n"
          "void use(int);\n"
          "int find(int);\n"
          "static void s_lock(struct S *s) { if (s->mu) pthread_mutex_lock(s->mu); }\n"
          "static void s_unlock(struct S *s) { if (s->mu) pthread_mutex_unlock(s->mu); }\n"
          "static int lookup(int k) {\n"
          "  pthread_mutex_lock(&gm);\n"
          "  int found = find(k);\n"
          "  if (!found) pthread_mutex_unlock(&gm);\n"
          "  return found;\n"
          "}\n"
          "void f(struct S *s) { s_lock(s); use(0); s_unlock(s); use(1); }\n", NULL, 0);
    struct sl_func *f = func(&t, "f");
    CHECK(!strcmp(must_at(&t, f, 0), "s->mu"), "via guarded wrappers: %s", must_at(&t, f, 0));
    CHECK(!strcmp(must_at(&t, f, 1), "") && !strcmp(may_at(&t, f, 1), ""), "released");
    struct sl_func *w = func(&t, "s_lock");
    CHECK(sl_func_flow(&t.fl, w)->n_effects == 1 && sl_func_flow(&t.fl, w)->effects[0].op == SL_OP_LOCK,
          "s_lock: lock of param 0");
    CHECK(sl_func_flow(&t.fl, func(&t, "lookup"))->n_effects == 0,
          "lookup returns locked only if found: not an acquire wrapper");
    done(&t);
}

/* The nth indirect call in f. */
static struct sl_expr *indirect_call(struct sl_func *f, int nth)
{
    for (uint32_t i = 0; i < f->n_calls; i++)
        if (f->calls[i]->indirect && nth-- == 0) return f->calls[i];
    fprintf(stderr, "no indirect call %d in %s\n", nth, f->name);
    exit(2);
}

static void test_field_wrappers(void)
{
    static const struct sl_wrapper decl[] = {
        { "evthread_lock_fns_.lock", SL_OP_LOCK, { 1, -1 }, NULL },
        { "evthread_lock_fns_.unlock", SL_OP_UNLOCK, { 1, -1 }, NULL },
        { "lock_ops.acquire", SL_OP_LOCK, { 0, -1 }, NULL },
        { "lock_ops.release", SL_OP_UNLOCK, { 0, -1 }, NULL },
        { "pool_ops.get", SL_OP_LOCK, { 0, -1 }, NULL },
        { "pool_ops.put", SL_OP_UNLOCK, { 0, -1 }, NULL },
        { "unused_ops.lock", SL_OP_LOCK, { 0, -1 }, NULL },
    };
    struct tu t;
    parse(&t,
          "struct evthread_lock_callbacks { int (*lock)(unsigned, void *); int (*unlock)(unsigned, void *); };\n"
          "struct evthread_lock_callbacks evthread_lock_fns_;\n"
          "struct lock_ops { void (*acquire)(pthread_mutex_t *); void (*release)(pthread_mutex_t *); };\n"
          "typedef struct { void (*get)(pthread_mutex_t *); void (*put)(pthread_mutex_t *); } pool_ops;\n"
          "struct other { void (*acquire)(pthread_mutex_t *); };\n"
          "struct holder { const struct lock_ops *ops; pthread_mutex_t mu; };\n"
          "void use(int);\n"
          "void f(void *l, const struct lock_ops *ops, pool_ops *po, struct other *ot,\n"
          "       struct holder *h, pthread_mutex_t *m) {\n"
          "  evthread_lock_fns_.lock(0, l); use(0); evthread_lock_fns_.unlock(0, l); use(1);\n"
          "  ops->acquire(m); use(2); ops->release(m); use(3);\n"
          "  (*po->get)(m); use(4); po->put(m); use(5);\n"
          "  ot->acquire(m); use(6);\n"
          "  h->ops->acquire(&h->mu); use(7); h->ops->release(&h->mu);\n"
          "  if (l) evthread_lock_fns_.lock(0, l); use(8); if (l) evthread_lock_fns_.unlock(0, l);\n"
          "}\n", decl, 7);
    struct sl_func *f = func(&t, "f");
    const char *want[] = { "l", "", "m", "", "m", "", "", "h->mu", "l" };
    for (int i = 0; i < 9; i++)
        CHECK(!strcmp(must_at(&t, f, i), want[i]), "use(%d): held '%s', want '%s'", i,
              must_at(&t, f, i), want[i]);
    CHECK(sl_call_lockop(&t.fl, indirect_call(f, 0)) == SL_OP_LOCK, "evthread_lock_fns_.lock is a lock");
    CHECK(sl_call_lockop(&t.fl, indirect_call(f, 6)) == SL_OP_NONE, "struct other's acquire is not");
    for (int i = 0; i < 6; i++) CHECK(t.fl.wrapper_used[i], "wrapper %d used", i);
    CHECK(!t.fl.wrapper_used[6], "unused field wrapper not marked used");
    CHECK(dirty_exits(&t, f) == 0, "nothing leaks (struct other.acquire is no lock)");
    done(&t);
}

/* cv_init(cv, mtx) binds a condvar to its mutex; cv_wait(cv) releases it. */
static void test_bound_condvars(void)
{
    static const struct sl_wrapper decl[] = {
        { "cv_init", SL_OP_BIND, { 0, 1 }, NULL },
        { "cv_wait", SL_OP_WAIT, { 0, -1 }, NULL },
        { "cv_timedwait", SL_OP_TIMEDWAIT, { 0, -1 }, NULL },
        { "unused_bind", SL_OP_BIND, { 0, 1 }, NULL },
    };
    struct tu t;
    parse(&t,
          "struct Q { pthread_mutex_t mu; pthread_cond_t cv; int ready; };\n"
          "struct R { pthread_mutex_t a, b; pthread_cond_t cv; };\n"
          "struct U { pthread_mutex_t mu; pthread_cond_t cv; };\n"
          "pthread_mutex_t gm = PTHREAD_MUTEX_INITIALIZER;\n"
          "pthread_cond_t gc;\n"
          "void cv_init(pthread_cond_t *cv, pthread_mutex_t *m);\n"
          "void cv_wait(pthread_cond_t *cv);\n"
          "int cv_timedwait(pthread_cond_t *cv, long ms);\n"
          "void unused_bind(pthread_cond_t *cv, pthread_mutex_t *m);\n"
          "void q_init(struct Q *q) { cv_init(&q->cv, &q->mu); }\n"
          "void g_init(void) { cv_init(&gc, &gm); }\n"
          "void r_init(struct R *r, int k) { if (k) cv_init(&r->cv, &r->a); else cv_init(&r->cv, &r->b); }\n"
          "static void q_wait(struct Q *q) { cv_wait(&q->cv); }\n"
          "void q_get(struct Q *p) {\n"
          "  pthread_mutex_lock(&p->mu);\n"
          "  while (!p->ready) cv_wait(&p->cv);\n"
          "  while (!p->ready) cv_timedwait(&p->cv, 10);\n"
          "  while (!p->ready) q_wait(p);\n"
          "  pthread_mutex_unlock(&p->mu);\n"
          "}\n"
          "void g_get(void) { pthread_mutex_lock(&gm); cv_wait(&gc); pthread_mutex_unlock(&gm); }\n"
          "void r_get(struct R *r) { cv_wait(&r->cv); }\n"
          "void u_get(struct U *u) { cv_wait(&u->cv); }\n", decl, 4);
    struct sl_func *f = func(&t, "q_get");
    const struct sl_call_op *op = sl_call_op(&t.fl, call(f, "cv_wait", 0));
    CHECK(op->op == SL_OP_WAIT && op->lock && !strcmp(op->lock->text, "p->mu") &&
          !strcmp(op->lock->cls, "struct Q::mu") && op->cond && !strcmp(op->cond->text, "p->cv"),
          "cv_wait(&p->cv) releases p->mu (%s)", op->lock ? op->lock->text : "none");
    op = sl_call_op(&t.fl, call(f, "cv_timedwait", 0));
    CHECK(op->op == SL_OP_TIMEDWAIT && op->lock && !strcmp(op->lock->text, "p->mu"),
          "the timeout is not taken for the mutex");
    op = sl_call_op(&t.fl, call(f, "q_wait", 0));
    CHECK(op->op == SL_OP_WAIT && op->lock && !strcmp(op->lock->text, "p->mu") && op->cond &&
          !strcmp(op->cond->text, "p->cv"), "same-TU wrapper of a bound wait (%s)",
          op->lock ? op->lock->text : "none");
    op = sl_call_op(&t.fl, call(func(&t, "g_get"), "cv_wait", 0));
    CHECK(op->lock && !strcmp(op->lock->text, "gm"), "global condvar bound to gm");
    op = sl_call_op(&t.fl, call(func(&t, "q_init"), "cv_init", 0));
    CHECK(op->op == SL_OP_BIND && op->lock && op->cond, "the bind call is classified");
    op = sl_call_op(&t.fl, call(func(&t, "r_get"), "cv_wait", 0));
    CHECK(op->op == SL_OP_WAIT && !op->lock, "bound to two mutex classes: unknown");
    op = sl_call_op(&t.fl, call(func(&t, "u_get"), "cv_wait", 0));
    CHECK(op->op == SL_OP_WAIT && !op->lock && op->cond, "never bound: as before");
    CHECK(t.fl.wrapper_used[0] && t.fl.wrapper_used[1] && t.fl.wrapper_used[2] &&
          !t.fl.wrapper_used[3], "wrapper_used");
    done(&t);
}

/* What lock-not-released needs from lock-flow: a tested built-in lock holds
 * nothing on its error branch; a NULL lock pointer holds nothing; a flag set
 * beside the lock tells the locked paths apart; a helper that drops its
 * caller's lock and takes it back is not an unlock. */
static void test_leak_shapes(void)
{
    static const struct sl_wrapper decl[] = {
        { "evthread_lock_fns_.lock", SL_OP_LOCK, { 1, -1 }, NULL },
        { "evthread_lock_fns_.unlock", SL_OP_UNLOCK, { 1, -1 }, NULL },
    };
    struct tu t;
    parse(&t,
          "struct evthread_lock_callbacks { int (*lock)(unsigned, void *); int (*unlock)(unsigned, void *); };\n"
          "struct evthread_lock_callbacks evthread_lock_fns_;\n"
          "struct P { void *lock; int n; };\n"
          "struct B { struct P *port; pthread_mutex_t mu; int z; };\n"
          "void use(int);\n"
          "int tested(struct B *b) {\n"
          "  if (pthread_mutex_lock(&b->mu) != 0) return -1;\n"
          "  use(0);\n"
          "  pthread_mutex_unlock(&b->mu);\n"
          "  return 0;\n"
          "}\n"
          "void null_lock(struct P *p) {\n"
          "  if (p->lock) evthread_lock_fns_.lock(0, p->lock);\n"
          "  use(0);\n"
          "  if (p->lock) evthread_lock_fns_.unlock(0, p->lock);\n"
          "  use(1);\n"
          "}\n"
          "void flag(struct B *b) {\n"
          "  int locked = 0;\n"
          "  if (b->port) { if (b->port->lock) evthread_lock_fns_.lock(0, b->port->lock); locked = 1; }\n"
          "  use(0);\n"
          "  if (locked) if (b->port->lock) evthread_lock_fns_.unlock(0, b->port->lock);\n"
          "  use(1);\n"
          "}\n"
          "static void reap(struct B *b) {\n"
          "  while (b->z) { pthread_mutex_unlock(&b->mu); b->z--; pthread_mutex_lock(&b->mu); }\n"
          "}\n"
          "void caller(struct B *b) {\n"
          "  pthread_mutex_lock(&b->mu);\n"
          "  reap(b);\n"
          "  use(0);\n"
          "  pthread_mutex_unlock(&b->mu);\n"
          "}\n", decl, 2);
    struct sl_func *f = func(&t, "tested");
    CHECK(!strcmp(must_at(&t, f, 0), "b->mu"), "tested: held after success");
    CHECK(dirty_exits(&t, f) == 0, "tested: the error return holds nothing");
    f = func(&t, "null_lock");
    CHECK(!strcmp(may_at(&t, f, 1), ""), "null_lock: nothing after (may '%s')", may_at(&t, f, 1));
    CHECK(dirty_exits(&t, f) == 0, "null_lock: clean");
    f = func(&t, "flag");
    CHECK(!strcmp(may_at(&t, f, 1), ""), "flag: nothing after the flagged unlock (may '%s')",
          may_at(&t, f, 1));
    CHECK(dirty_exits(&t, f) == 0, "flag: clean");
    f = func(&t, "reap");
    CHECK(sl_func_flow(&t.fl, f)->n_effects == 0, "reap: drop and retake is no effect (%u)",
          sl_func_flow(&t.fl, f)->n_effects);
    f = func(&t, "caller");
    CHECK(!strcmp(must_at(&t, f, 0), "b->mu") || !strcmp(may_at(&t, f, 0), "b->mu"),
          "caller: still (maybe) held after reap");
    CHECK(events_of(&t, f, SL_EV_UNLOCK_NOT_HELD) == 0, "caller: its unlock is of a held lock");
    done(&t);
}

int main(void)
{
    g_front = sl_frontend_new(NULL);
    test_model_shape();
    test_basic_sections();
    test_branches_and_loops();
    test_goto_cleanup_and_returns();
    test_trylock();
    test_wrappers();
    test_switch_and_stmt_expr();
    test_conditional_locking();
    test_conditional_locking_limits();
    test_conditional_wrappers();
    test_field_wrappers();
    test_bound_condvars();
    test_leak_shapes();
    sl_frontend_free(g_front);
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
