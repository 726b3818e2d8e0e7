/* test_summary.c - the per-TU summary: what it records from real code, its
 * JSON round trip, and the project merge being independent of input order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "facts.h"
#include "frontend.h"
#include "lockflow.h"
#include "model.h"
#include "project.h"
#include "summary.h"

static struct sl_frontend *g_front;

static void summarise(const char *code, const char *path, struct sl_tu_summary *out)
{
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(2); }
    fputs("#include <pthread.h>\n#include <stdlib.h>\n", f);
    fputs(code, f);
    fclose(f);
    static const char *args[] = { "-std=gnu11", "-pthread" };
    struct sl_job job = { path, ".", args, 2 };
    struct sl_model m;
    struct sl_diag_list errs;
    sl_model_init(&m, path);
    sl_diag_list_init(&errs);
    if (sl_frontend_lower(g_front, &job, &m, &errs) != 0 || errs.n) {
        fprintf(stderr, "parse failed: %s\n", errs.n ? errs.items[0].message : "?");
        exit(2);
    }
    struct sl_flow fl;
    sl_lockflow_run(&fl, &m, NULL);
    struct sl_facts fx;
    sl_facts_compute(&fx, &m, &fl, SL_SUMMARY_NEEDS);
    sl_summary_build(out, &m, &fl, &fx, NULL);
    sl_facts_free(&fx);
    sl_flow_free(&fl);
    sl_model_free(&m);
    sl_diag_list_free(&errs);
    unlink(path);
}

static const char *A =
    "struct conn { pthread_mutex_t mu; int state; };\n"
    "static pthread_mutex_t tab_lock = PTHREAD_MUTEX_INITIALIZER;\n"
    "pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;\n"
    "static int hits;\n"
    "void helper(void);\n"
    "static void inner(void) { pthread_mutex_lock(&g_lock); pthread_mutex_unlock(&g_lock); }\n"
    "void outer(struct conn *c) {\n"
    "  pthread_mutex_lock(&c->mu);\n"
    "  c->state = 1;\n"
    "  inner();\n"
    "  helper();\n"
    "  pthread_mutex_unlock(&c->mu);\n"
    "}\n"
    "void count(void) { pthread_mutex_lock(&tab_lock); hits++; pthread_mutex_unlock(&tab_lock); }\n"
    "struct conn *conn_make(void) { struct conn *c = malloc(sizeof *c); c->state = 0; return c; }\n";

static const struct sl_sum_lock *lock_named(const struct sl_tu_summary *s, const char *cls)
{
    for (uint32_t i = 0; i < s->n_locks; i++)
        if (!strcmp(s->locks[i].cls, cls)) return &s->locks[i];
    return NULL;
}

static void test_contents(void)
{
    struct sl_tu_summary s;
    summarise(A, "/tmp/sl_sum_a.c", &s);
    CHECK(lock_named(&s, "struct conn::mu"), "field lock class");
    CHECK(lock_named(&s, "g_lock"), "global lock class");
    CHECK(lock_named(&s, "/tmp/sl_sum_a.c#tab_lock"), "a file static is qualified by its file");
    const struct sl_sum_lock *g = lock_named(&s, "g_lock");
    CHECK(g && g->has_decl && g->decl.line == 5, "declaration of g_lock at line %u", g ? g->decl.line : 0);
    /* inner() acquires g_lock; outer() acquires conn::mu and, through inner, g_lock */
    const struct sl_sum_fn *outer = NULL;
    for (uint32_t i = 0; i < s.n_fns; i++)
        if (!strcmp(s.fns[i].name, "outer")) outer = &s.fns[i];
    CHECK(outer && outer->n_acqs == 2, "outer acquires 2 classes: %u", outer ? outer->n_acqs : 0);
    bool via_inner = false;
    for (uint32_t i = 0; outer && i < outer->n_acqs; i++)
        if (!strcmp(s.locks[outer->acqs[i].lock].cls, "g_lock"))
            via_inner = outer->acqs[i].n_chain == 2 && !strcmp(outer->acqs[i].chain[0].callee, "inner");
    CHECK(via_inner, "g_lock reached through inner() with its chain");
    CHECK(outer && outer->n_ext_calls == 1 && !strcmp(outer->ext_calls[0].callee, "helper"),
          "the call to helper (defined elsewhere) is recorded");
    /* calls under a lock: inner() and helper() with conn::mu held */
    unsigned under = 0;
    for (uint32_t i = 0; i < s.n_calls; i++)
        if (s.calls[i].n_held == 1 && !strcmp(s.locks[s.calls[i].held[0].lock].cls, "struct conn::mu")) under++;
    CHECK(under == 2, "calls under conn::mu: %u", under);
    /* accesses: state written under mu in outer, unpublished in conn_make */
    unsigned guarded = 0, fresh = 0;
    for (uint32_t i = 0; i < s.n_accesses; i++) {
        const struct sl_sum_access *a = &s.accesses[i];
        if (strcmp(a->obj, "struct conn::state")) continue;
        if (a->n_held == 1 && (a->flags & SL_ACC_WRITE)) guarded++;
        if (a->flags & SL_ACC_UNPUBLISHED) fresh++;
    }
    CHECK(guarded == 1 && fresh == 1, "state: %u guarded write, %u unpublished", guarded, fresh);
    sl_summary_free(&s);
}

static void test_thread_wrappers(void)
{
    static const char *C =
        "typedef void *(*start_fn)(void *);\n"
        "void ovs_thread_create(const char *name, start_fn fn, void *arg);\n"
        "int uv_thread_create(void *tid, void (*entry)(void *), void *arg);\n"
        "void thread_stats_print(void (*each)(void));\n"
        "static void *handler(void *arg) { return arg; }\n"
        "static void loop(void *arg) { (void)arg; }\n"
        "static void *worker(void *arg) { return arg; }\n"
        "static void report_cb(void) { }\n"
        "void start(pthread_t *t) {\n"
        "  ovs_thread_create(\"handler\", handler, 0);\n"
        "  uv_thread_create(0, loop, 0);\n"
        "  thread_stats_print(report_cb);   /* a callback, not a thread */\n"
        "  pthread_create(t, 0, worker, 0);\n"
        "}\n";
    struct sl_tu_summary s;
    summarise(C, "/tmp/sl_sum_t.c", &s);
    bool h = false, l = false, n = false;
    for (uint32_t i = 0; i < s.n_thread_entries; i++) {
        h |= !strcmp(s.thread_entries[i], "handler");
        l |= !strcmp(s.thread_entries[i], "loop");
        n |= !strcmp(s.thread_entries[i], "worker");
    }
    CHECK(h && l && n && s.n_thread_entries == 3,
          "thread entries through pthread_create and creation wrappers: %u", s.n_thread_entries);
    sl_summary_free(&s);
}

/* The inventory's events: init, wait (with its mutex), signal, thread
 * start and join with one handle; they survive the JSON round trip. */
static void test_events(void)
{
    static const char *C =
        "struct pool { pthread_mutex_t mu; pthread_cond_t cv; pthread_t th[2]; int on; };\n"
        "static void *run(void *a) { struct pool *p = a;\n"
        "  pthread_mutex_lock(&p->mu); while (p->on) pthread_cond_wait(&p->cv, &p->mu);\n"
        "  pthread_mutex_unlock(&p->mu); return 0; }\n"
        "void start(struct pool *p) { pthread_mutex_init(&p->mu, 0);\n"
        "  pthread_create(&p->th[0], 0, run, p); }\n"
        "void stop(struct pool *p) { pthread_mutex_lock(&p->mu); p->on = 0;\n"
        "  pthread_cond_signal(&p->cv); pthread_mutex_unlock(&p->mu);\n"
        "  pthread_join(p->th[0], 0); }\n";
    struct sl_tu_summary s, t;
    summarise(C, "/tmp/sl_sum_ev.c", &s);
    unsigned init = 0, wait = 0, signal = 0, create = 0, join = 0;
    for (uint32_t i = 0; i < s.n_events; i++) {
        const struct sl_sum_event *e = &s.events[i];
        const char *l = e->lock < s.n_locks ? s.locks[e->lock].cls : "";
        const char *m = e->mutex < s.n_locks ? s.locks[e->mutex].cls : "";
        init += e->what == SL_EV_INIT && !strcmp(l, "struct pool::mu");
        wait += e->what == SL_EV_WAIT && !strcmp(l, "struct pool::cv") && !strcmp(m, "struct pool::mu");
        signal += e->what == SL_EV_SIGNAL && !strcmp(l, "struct pool::cv");
        create += e->what == SL_EV_CREATE && e->entry && !strcmp(e->entry, "run") && e->handle &&
                  !strcmp(e->handle, "struct pool::th");
        join += e->what == SL_EV_JOIN && e->handle && !strcmp(e->handle, "struct pool::th");
    }
    CHECK(init == 1 && wait == 1 && signal == 1 && create == 1 && join == 1 && s.n_events == 5,
          "events: %u init, %u wait, %u signal, %u create, %u join of %u", init, wait, signal, create,
          join, s.n_events);
    char *j1 = sl_summary_to_json(&s);
    char err[256];
    CHECK(j1 && sl_summary_from_json(&t, j1, err, sizeof err) == 0, "parse back: %s", err);
    char *j2 = sl_summary_to_json(&t);
    CHECK(j1 && j2 && !strcmp(j1, j2) && t.n_events == s.n_events, "events round trip");
    free(j1);
    free(j2);
    sl_summary_free(&t);
    CHECK(sl_summary_from_json(&t, "{\"version\":1,\"tu\":\"x.c\",\"locks\":[],\"acqs\":[],\"calls\":[],"
                               "\"fns\":[],\"accesses\":[],\"thread_entries\":[],\"events\":[{\"what\":1,"
                               "\"op\":8,\"lock\":0,\"at\":{\"file\":\"x.c\",\"line\":1,\"col\":1}}]}",
                               err, sizeof err) == -1 && strstr(err, "unknown lock"), "event range: %s", err);
    sl_summary_free(&s);
}

static void test_round_trip(void)
{
    struct sl_tu_summary s, t;
    summarise(A, "/tmp/sl_sum_b.c", &s);
    char *j1 = sl_summary_to_json(&s);
    char err[256];
    CHECK(j1 && sl_summary_from_json(&t, j1, err, sizeof err) == 0, "parse back: %s", err);
    char *j2 = sl_summary_to_json(&t);
    CHECK(j1 && j2 && !strcmp(j1, j2), "JSON round trip is exact");
    CHECK(t.n_locks == s.n_locks && t.n_acqs == s.n_acqs && t.n_accesses == s.n_accesses &&
          t.n_fns == s.n_fns && t.n_calls == s.n_calls, "same counts after the round trip");
    free(j1);
    free(j2);
    sl_summary_free(&t);
    /* malformed input: errors, never a crash */
    CHECK(sl_summary_from_json(&t, "{", err, sizeof err) == -1 && strstr(err, "not JSON"), "%s", err);
    CHECK(sl_summary_from_json(&t, "{\"version\":2}", err, sizeof err) == -1, "version: %s", err);
    CHECK(sl_summary_from_json(&t, "{\"version\":1,\"tu\":\"x.c\",\"locks\":[],\"acqs\":[{\"lock\":3,"
                               "\"op\":1,\"at\":{\"file\":\"x.c\",\"line\":1,\"col\":1},\"held\":[],"
                               "\"weight\":1,\"hotness\":1,\"tiny\":true}],\"calls\":[],\"fns\":[],\"accesses\":[],\"thread_entries\":[]}",
                               err, sizeof err) == -1 && strstr(err, "unknown lock"), "range: %s", err);
    sl_summary_free(&s);
}

static void test_merge_order(void)
{
    static const char *B =
        "extern pthread_mutex_t g_lock;\n"
        "struct conn { pthread_mutex_t mu; int state; };\n"
        "void helper(void) { pthread_mutex_lock(&g_lock); pthread_mutex_unlock(&g_lock); }\n"
        "int peek(struct conn *c) { return c->state; }\n";
    struct sl_tu_summary a, b;
    summarise(A, "/tmp/sl_sum_c.c", &a);
    summarise(B, "/tmp/sl_sum_d.c", &b);
    struct sl_project p1, p2;
    sl_project_init(&p1);
    sl_project_init(&p2);
    sl_project_add(&p1, &a);
    sl_project_add(&p1, &b);
    sl_project_add(&p2, &b);
    sl_project_add(&p2, &a);
    sl_project_finish(&p1);
    sl_project_finish(&p2);
    CHECK(p1.n_locks == p2.n_locks && p1.n_acqs == p2.n_acqs && p1.n_accesses == p2.n_accesses,
          "same sizes whatever the order");
    bool same = p1.n_locks == p2.n_locks;
    for (uint32_t i = 0; same && i < p1.n_locks; i++) same = !strcmp(p1.locks[i].cls, p2.locks[i].cls);
    for (uint32_t i = 0; same && i < p1.n_acqs; i++)
        same = p1.acqs[i].lock == p2.acqs[i].lock && !sl_site_cmp(&p1.acqs[i].at, &p2.acqs[i].at);
    CHECK(same, "locks and acquisitions in the same canonical order");
    const struct sl_pfn *h = sl_project_resolve(&p1, 0, "helper");
    CHECK(h && h->n_acqs == 1 && !strcmp(p1.locks[h->acqs[0].lock].cls, "g_lock"),
          "a call resolves to the other TU's definition");
    sl_project_free(&p1);
    sl_project_free(&p2);
    sl_summary_free(&a);
    sl_summary_free(&b);
}

/* What a lock class is called (its text as written), and which of two
 * summaries of one path a project keeps, do not depend on the add order:
 * workers finish in any order and a --merge adds shards' summaries. */
static void test_merge_order_text(void)
{
    static const char *C1 =
        "struct conn { pthread_mutex_t mu; int state; };\n"
        "void c1(struct conn *conn) { pthread_mutex_lock(&conn->mu); conn->state = 1; pthread_mutex_unlock(&conn->mu); }\n";
    static const char *C2 =
        "struct conn { pthread_mutex_t mu; int state; };\n"
        "void c2(struct conn *other) { pthread_mutex_lock(&other->mu); other->state = 2; pthread_mutex_unlock(&other->mu); }\n";
    struct sl_tu_summary a, b, a2;
    summarise(C1, "/tmp/sl_sum_e.c", &a);
    summarise(C2, "/tmp/sl_sum_f.c", &b);
    summarise(C2, "/tmp/sl_sum_e.c", &a2);   /* another configuration of e.c */
    struct sl_project p1, p2;
    sl_project_init(&p1);
    sl_project_init(&p2);
    sl_project_add_keyed(&p1, &a, 0);
    sl_project_add_keyed(&p1, &a2, 1);
    sl_project_add_keyed(&p1, &b, 2);
    sl_project_add_keyed(&p2, &b, 2);
    sl_project_add_keyed(&p2, &a2, 1);
    sl_project_add_keyed(&p2, &a, 0);
    sl_project_finish(&p1);
    sl_project_finish(&p2);
    CHECK(p1.n_locks == 1 && p2.n_locks == 1, "one class 'struct conn::mu' (%u, %u)", p1.n_locks,
          p2.n_locks);
    CHECK(!strcmp(p1.locks[0].text, p2.locks[0].text) && strstr(p1.locks[0].text, "conn->mu"),
          "the text of the first TU by path and key, whatever the order: '%s' vs '%s'",
          p1.locks[0].text, p2.locks[0].text);
    bool same = p1.n_acqs == p2.n_acqs && p1.n_acqs == 3;
    for (uint32_t i = 0; same && i < p1.n_acqs; i++)
        same = p1.acqs[i].tu == p2.acqs[i].tu && !sl_site_cmp(&p1.acqs[i].at, &p2.acqs[i].at) &&
               !strcmp(p1.tus[p1.acqs[i].tu], p2.tus[p2.acqs[i].tu]);
    CHECK(same, "acquisitions and their TUs the same whatever the order (%u, %u)", p1.n_acqs, p2.n_acqs);
    const struct sl_pfn *f1 = sl_project_resolve(&p1, 0, "c1"), *f2 = sl_project_resolve(&p2, 0, "c1");
    CHECK(f1 && f2 && f1->tu == f2->tu, "a function resolves to the same TU");
    sl_project_free(&p1);
    sl_project_free(&p2);
    sl_summary_free(&a);
    sl_summary_free(&a2);
    sl_summary_free(&b);
}

/* The front end records the functions initialisers store into
 * function-pointer fields and globals (model->fn_stores): designated,
 * positional, nested, array designators, brace lists inside functions. */
static bool has_store(const struct sl_model *m, const char *slot, const char *func)
{
    for (uint32_t i = 0; i < m->n_fn_stores; i++) {
        const struct sl_fn_store *st = &m->fn_stores[i];
        const char *name = st->field ? st->field->name : st->var ? st->var->name : "?";
        if (!strcmp(name, slot) && !strcmp(st->func, func)) return true;
    }
    return false;
}

static void test_fn_stores(void)
{
    const char *path = "/tmp/sl_test_fn_stores.c";
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(2); }
    fputs("struct ops { int (*open)(int); void (*close)(int); };\n"
          "struct outer { int id; struct ops ops; };\n"
          "static int a_open(int x) { return x; }\n"
          "static void a_close(int x) { (void)x; }\n"
          "static int b_open(int x) { return x + 1; }\n"
          "enum { H0, H1 };\n"
          "const struct ops a_ops = { .open = a_open, .close = a_close };\n"
          "const struct ops b_ops = { b_open, 0 };\n"
          "const struct outer o = { 1, { .close = a_close } };\n"
          "int (*const handlers[])(int) = { [H1] = b_open, [H0] = a_open };\n"
          "void (*hook)(int) = a_close;\n"
          "int use(int v) { struct ops l = { .open = b_open }; return l.open(v); }\n", f);
    fclose(f);
    static const char *args[] = { "-std=gnu11" };
    struct sl_job job = { path, ".", args, 1 };
    struct sl_model m;
    struct sl_diag_list errs;
    sl_model_init(&m, path);
    sl_diag_list_init(&errs);
    CHECK(sl_frontend_lower(g_front, &job, &m, &errs) == 0 && !errs.n, "parses\n");
    CHECK(has_store(&m, "open", "a_open") && has_store(&m, "close", "a_close"), "designated\n");
    CHECK(has_store(&m, "open", "b_open"), "positional and in-function brace list\n");
    CHECK(has_store(&m, "handlers", "b_open") && has_store(&m, "handlers", "a_open"),
          "array designators\n");
    CHECK(has_store(&m, "hook", "a_close"), "a global function pointer\n");
    uint32_t close_stores = 0;
    for (uint32_t i = 0; i < m.n_fn_stores; i++)
        close_stores += m.fn_stores[i].field && !strcmp(m.fn_stores[i].field->name, "close");
    CHECK(close_stores == 2, "nested .close and a_ops.close, not the 0 (%u)\n", close_stores);
    sl_model_free(&m);
    sl_diag_list_free(&errs);
    unlink(path);
}

int main(void)
{
    g_front = sl_frontend_new(NULL);
    test_fn_stores();
    test_merge_order_text();
    test_contents();
    test_thread_wrappers();
    test_round_trip();
    test_events();
    test_merge_order();
    sl_frontend_free(g_front);
    return CHECK_DONE();
}
