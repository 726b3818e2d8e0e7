/* test_lockops.c - the built-in lock-function table and --wrapper specs. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lockops.h"

static void test_builtins(void)
{
    static const struct { const char *name; enum sl_lockop op; int a0, a1; } want[] = {
        { "pthread_mutex_lock", SL_OP_LOCK, 0, -1 },
        { "pthread_mutex_trylock", SL_OP_TRYLOCK, 0, -1 },
        { "pthread_mutex_timedlock", SL_OP_LOCK, 0, -1 },
        { "pthread_mutex_unlock", SL_OP_UNLOCK, 0, -1 },
        { "pthread_mutex_init", SL_OP_INIT, 0, -1 },
        { "pthread_mutex_destroy", SL_OP_DESTROY, 0, -1 },
        { "pthread_spin_lock", SL_OP_LOCK, 0, -1 },
        { "pthread_spin_trylock", SL_OP_TRYLOCK, 0, -1 },
        { "pthread_spin_unlock", SL_OP_UNLOCK, 0, -1 },
        { "pthread_spin_init", SL_OP_INIT, 0, -1 },
        { "pthread_spin_destroy", SL_OP_DESTROY, 0, -1 },
        { "pthread_rwlock_rdlock", SL_OP_RDLOCK, 0, -1 },
        { "pthread_rwlock_wrlock", SL_OP_WRLOCK, 0, -1 },
        { "pthread_rwlock_tryrdlock", SL_OP_TRYRDLOCK, 0, -1 },
        { "pthread_rwlock_trywrlock", SL_OP_TRYWRLOCK, 0, -1 },
        { "pthread_rwlock_timedrdlock", SL_OP_RDLOCK, 0, -1 },
        { "pthread_rwlock_timedwrlock", SL_OP_WRLOCK, 0, -1 },
        { "pthread_rwlock_unlock", SL_OP_UNLOCK, 0, -1 },
        { "pthread_rwlock_init", SL_OP_INIT, 0, -1 },
        { "pthread_rwlock_destroy", SL_OP_DESTROY, 0, -1 },
        { "pthread_cond_wait", SL_OP_WAIT, 0, 1 },
        { "pthread_cond_timedwait", SL_OP_TIMEDWAIT, 0, 1 },
        { "pthread_cond_signal", SL_OP_SIGNAL, 0, -1 },
        { "pthread_cond_broadcast", SL_OP_BROADCAST, 0, -1 },
        { "pthread_cond_init", SL_OP_INIT, 0, -1 },
        { "pthread_cond_destroy", SL_OP_DESTROY, 0, -1 },
        { "mtx_lock", SL_OP_LOCK, 0, -1 },
        { "mtx_trylock", SL_OP_TRYLOCK, 0, -1 },
        { "mtx_timedlock", SL_OP_LOCK, 0, -1 },
        { "mtx_unlock", SL_OP_UNLOCK, 0, -1 },
        { "mtx_init", SL_OP_INIT, 0, -1 },
        { "mtx_destroy", SL_OP_DESTROY, 0, -1 },
        { "cnd_wait", SL_OP_WAIT, 0, 1 },
        { "cnd_timedwait", SL_OP_TIMEDWAIT, 0, 1 },
        { "cnd_signal", SL_OP_SIGNAL, 0, -1 },
        { "cnd_broadcast", SL_OP_BROADCAST, 0, -1 },
        { "cnd_init", SL_OP_INIT, 0, -1 },
        { "cnd_destroy", SL_OP_DESTROY, 0, -1 },
        { "sem_wait", SL_OP_SEM_WAIT, 0, -1 },
        { "sem_trywait", SL_OP_SEM_TRYWAIT, 0, -1 },
        { "sem_timedwait", SL_OP_SEM_TIMEDWAIT, 0, -1 },
        { "sem_post", SL_OP_SEM_POST, 0, -1 },
        { "sem_init", SL_OP_INIT, 0, -1 },
        { "sem_destroy", SL_OP_DESTROY, 0, -1 },
        { "__pthread_mutex_lock", SL_OP_LOCK, 0, -1 },
        { "__pthread_mutex_unlock", SL_OP_UNLOCK, 0, -1 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct sl_wrapper *w = sl_builtin_lockop(want[i].name);
        CHECK(w != NULL, "'%s' is not in the built-in table", want[i].name);
        if (!w) continue;
        CHECK(w->op == want[i].op, "'%s' is %s", want[i].name, sl_lockop_name(w->op));
        CHECK(w->arg[0] == want[i].a0 && w->arg[1] == want[i].a1, "'%s' args %d,%d",
              want[i].name, w->arg[0], w->arg[1]);
        CHECK(!w->global, "'%s' has a global", want[i].name);
    }
    /* a lookup of every name proves the table is sorted for bsearch */
    CHECK(sl_builtin_lockop("printf") == NULL, "printf is not a lock op");
    CHECK(sl_builtin_lockop("pthread_mutex_lockx") == NULL, "prefix match");
    CHECK(sl_builtin_lockop("") == NULL && sl_builtin_lockop(NULL) == NULL, "empty/NULL");
}

static void test_ops(void)
{
    for (int op = SL_OP_LOCK; op < SL_OP__COUNT; op++) {
        const char *n = sl_lockop_name((enum sl_lockop)op);
        CHECK(n && strcmp(n, "?") != 0, "op %d has no name", op);
        CHECK(sl_lockop_parse(n) == (enum sl_lockop)op, "'%s' does not parse back", n);
    }
    CHECK(sl_lockop_parse("frob") == SL_OP_NONE && sl_lockop_parse("") == SL_OP_NONE, "unknown");
    CHECK(sl_lockop_acquires(SL_OP_LOCK) && sl_lockop_acquires(SL_OP_RDLOCK) &&
          sl_lockop_acquires(SL_OP_WRLOCK) && !sl_lockop_acquires(SL_OP_UNLOCK) &&
          !sl_lockop_acquires(SL_OP_TRYLOCK), "acquires");
    CHECK(sl_lockop_is_try(SL_OP_TRYLOCK) && sl_lockop_is_try(SL_OP_TRYRDLOCK) &&
          sl_lockop_is_try(SL_OP_TRYWRLOCK) && !sl_lockop_is_try(SL_OP_LOCK), "is_try");
}

/* sl_wrapper_parse, releasing what the previous parse into w kept */
static int wparse(const char *spec, struct sl_wrapper *w, char *err, size_t errsz)
{
    sl_wrapper_free(w);
    return sl_wrapper_parse(spec, w, err, errsz);
}

static void test_wrappers(void)
{
    struct sl_wrapper w = {0};
    char err[256] = "";
    CHECK(wparse("ovs_mutex_lock_at:lock", &w, err, sizeof err) == 0 &&
          !strcmp(w.name, "ovs_mutex_lock_at") && w.op == SL_OP_LOCK && w.arg[0] == 0 &&
          w.arg[1] == -1 && !w.global, "%s", err);
    CHECK(wparse("Lck_CondWait:wait", &w, err, sizeof err) == 0 &&
          w.op == SL_OP_WAIT && w.arg[0] == 0 && w.arg[1] == 1, "wait defaults: %s", err);
    CHECK(wparse("Lck_CondWait:wait:0:1", &w, err, sizeof err) == 0 &&
          w.op == SL_OP_WAIT && w.arg[0] == 0 && w.arg[1] == 1, "%s", err);
    CHECK(wparse("my_wait:wait:2:0", &w, err, sizeof err) == 0 &&
          w.arg[0] == 2 && w.arg[1] == 0, "%s", err);
    CHECK(wparse("STATS_LOCK:lock:@stats_lock", &w, err, sizeof err) == 0 &&
          w.global && !strcmp(w.global, "stats_lock") && w.arg[0] == -1, "%s", err);
    CHECK(wparse("f:unlock:2", &w, err, sizeof err) == 0 && w.arg[0] == 2, "%s", err);
    CHECK(!sl_wrapper_field(&w), "a function name has no field");
    /* lock functions called through function-pointer fields */
    CHECK(wparse("evthread_lock_fns_.lock:lock:1", &w, err, sizeof err) == 0 &&
          !strcmp(w.name, "evthread_lock_fns_.lock") && w.op == SL_OP_LOCK && w.arg[0] == 1 &&
          sl_wrapper_field(&w) && !strcmp(sl_wrapper_field(&w), "lock"), "field wrapper: %s", err);
    CHECK(wparse("lock_ops.release:unlock", &w, err, sizeof err) == 0 &&
          w.op == SL_OP_UNLOCK && w.arg[0] == 0 && !strcmp(sl_wrapper_field(&w), "release"),
          "type.field wrapper: %s", err);
    CHECK(wparse("ops.wait:wait:1:2", &w, err, sizeof err) == 0 && w.arg[0] == 1 &&
          w.arg[1] == 2, "field wait: %s", err);
    /* condvars bound to their mutex at init; waits with only a condvar */
    CHECK(wparse("cv_init:bind:0:1", &w, err, sizeof err) == 0 && w.op == SL_OP_BIND &&
          w.arg[0] == 0 && w.arg[1] == 1, "bind: %s", err);
    CHECK(wparse("cv_init:bind", &w, err, sizeof err) == 0 && w.arg[0] == 0 &&
          w.arg[1] == 1, "bind defaults: %s", err);
    CHECK(wparse("cv_setup:bind:2:0", &w, err, sizeof err) == 0 && w.arg[0] == 2 &&
          w.arg[1] == 0, "bind args: %s", err);
    CHECK(wparse("cv_wait:wait:0", &w, err, sizeof err) == 0 && w.op == SL_OP_WAIT &&
          w.arg[0] == 0 && w.arg[1] == -1, "wait on a bound condvar: %s", err);
    CHECK(wparse("cv_timedwait:timedwait:1", &w, err, sizeof err) == 0 &&
          w.arg[0] == 1 && w.arg[1] == -1, "timedwait on a bound condvar: %s", err);
    static const char *const ops[] = {
        "lock", "trylock", "rdlock", "wrlock", "unlock", "wait", "sem_wait", "sem_post",
        "timedwait", "tryrdlock", "trywrlock", "signal", "broadcast", "bind",
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        char spec[64];
        snprintf(spec, sizeof spec, "f:%s", ops[i]);
        CHECK(wparse(spec, &w, err, sizeof err) == 0 &&
              !strcmp(sl_lockop_name(w.op), ops[i]), "'%s': %s", spec, err);
    }
    static const struct { const char *spec, *says; } bad[] = {
        { "f:frob", "unknown operation 'frob'" },
        { "f", "expected NAME:OP" },
        { "", "expected NAME:OP" },
        { ":lock", "is not a C identifier" },
        { "1f:lock", "'1f' is not a C identifier" },
        { "f-g:lock", "is not a C identifier" },
        { "f:lock:x", "argument 'x'" },
        { "f:lock:-1", "argument '-1'" },
        { "f:lock:", "argument ''" },
        { "f:lock:0:1", "only wait and bind take two arguments" },
        { "f:bind:@g", "@GLOBAL" },
        { "f:wait:@g", "@GLOBAL" },
        { "a.b.c:lock", "STRUCT_OR_GLOBAL.FIELD" },
        { ".lock:lock", "is not a C identifier" },
        { "ops.:lock", "is not a C identifier" },
        { "ops.1x:lock", "is not a C identifier" },
        { "ops->lock:lock", "is not a C identifier" },
        { "f:wait:0:1:2", "expected NAME:OP" },
        { "f:lock:@", "@GLOBAL" },
        { "f:lock:@a.b", "@GLOBAL" },
        { "f:init", "unknown operation 'init'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        CHECK(wparse(bad[i].spec, &w, err, sizeof err) != 0, "'%s' accepted", bad[i].spec);
        CHECK(strstr(err, bad[i].says) != NULL, "'%s': message '%s' lacks '%s'", bad[i].spec, err,
              bad[i].says);
    }
    sl_wrapper_free(&w);
}

int main(void)
{
    test_builtins();
    test_ops();
    test_wrappers();
    return CHECK_DONE();
}
