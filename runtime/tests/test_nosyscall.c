/* test_nosyscall.c - the fast paths that the headers promise make no system
 * call really make none: a child process runs them under a seccomp filter
 * that lets through only write and exit; any other system call traps, and
 * the child reports its number and fails.
 *
 * Covered (each after its one-time set-up, done before strict mode):
 * sl_event_set with no waiters, is_set; sl_once_call once done; sl_counter
 * and sl_striped_counter add/sum; sl_chan send/recv on a channel nobody
 * waits on, try_send on a full channel (dropped and counted), try_recv on
 * an empty one; sl_snapshot read sections; sl_pool get/put from the
 * thread's cache; sl_ctx_err / is_done on a live context without deadline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "synclint/chan.h"
#include "synclint/counter.h"
#include "synclint/ctx.h"
#include "synclint/event.h"
#include "synclint/once.h"
#include "synclint/pool.h"
#include "synclint/snapshot.h"

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

/* ctest's SKIP_RETURN_CODE for this test. */
enum { SKIP = 77 };

/* Under the filter only write and exit are allowed: no stdio, no exit(). */
static void say(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

static _Noreturn void child_exit(int code)
{
    syscall(SYS_exit, code);
    for (;;) {}
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    char msg[] = "test_nosyscall: a fast path made system call number     \n";
    int nr = si->si_syscall;
    for (int i = 0; i < 5 && nr > 0; i++, nr /= 10) msg[sizeof msg - 3 - i] = (char)('0' + nr % 10);
    say(msg);
    child_exit(1);
}

/* Allow write, exit, exit_group and rt_sigreturn; trap everything else. */
static int forbid_syscalls(void)
{
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 3, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rt_sigreturn, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
    };
    struct sock_fprog prog = { .len = sizeof filter / sizeof filter[0], .filter = filter };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSYS, &sa, NULL) != 0) return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

#define REQUIRE(c) do { if (!(c)) { say("test_nosyscall: failed: " #c "\n"); child_exit(1); } } while (0)

static int init_value(void *arg) { *(int *)arg = 42; return 0; }

static int cfg_a = 1;
static void static_config(void *p) { (void)p; }   /* cfg_a is not heap memory */

static void run_fast_paths(void)
{
    /* --- set-up, system calls allowed --- */
    sl_event ev = SL_EVENT_INIT;
    sl_once once = SL_ONCE_INIT;
    int once_value = 0;
    REQUIRE(sl_once_call(&once, init_value, &once_value) == 0);

    sl_counter c = SL_COUNTER_INIT;
    sl_striped_counter sc;
    REQUIRE(sl_striped_counter_init(&sc, 0) == 0);
    sl_striped_counter_add(&sc, 1);              /* assigns this thread's slot */

    sl_chan ch, full;
    REQUIRE(sl_chan_init(&ch, 8) == 0);
    REQUIRE(sl_chan_init(&full, 2) == 0);
    REQUIRE(sl_chan_try_send(&full, (void *)1) == 0);
    REQUIRE(sl_chan_try_send(&full, (void *)2) == 0);

    sl_snapshot snap;
    REQUIRE(sl_snapshot_init(&snap, &cfg_a, static_config) == 0);
    sl_snapshot_read_begin(&snap);               /* registers this reader */
    sl_snapshot_read_end();

    sl_pool pool;
    REQUIRE(sl_pool_init(&pool, 256, NULL, NULL, NULL, NULL, 4) == 0);
    void *obj = sl_pool_get(&pool);              /* allocates; fills the cache on put */
    REQUIRE(obj != NULL);
    sl_pool_put(&pool, obj);

    sl_ctx ctx;
    REQUIRE(sl_ctx_init(&ctx, NULL) == 0);

    /* --- from here on, any system call but write/exit traps --- */
    if (forbid_syscalls() != 0) child_exit(SKIP);

    REQUIRE(!sl_event_is_set(&ev));
    REQUIRE(sl_event_set(&ev) == 0);             /* no waiters: no futex wake */
    REQUIRE(sl_event_is_set(&ev));
    REQUIRE(sl_event_set(&ev) == -EALREADY);

    for (int i = 0; i < 1000; i++) REQUIRE(sl_once_call(&once, init_value, &once_value) == 0);
    REQUIRE(sl_once_done(&once) && once_value == 42);

    for (int i = 0; i < 1000; i++) {
        sl_counter_inc(&c);
        sl_striped_counter_add(&sc, 2);
    }
    REQUIRE(sl_counter_load(&c) == 1000);
    REQUIRE(sl_striped_counter_sum(&sc) == 2001);

    void *it;
    for (uintptr_t i = 1; i <= 1000; i++) {
        REQUIRE(sl_chan_send(&ch, (void *)i, NULL, -1) == 0);
        REQUIRE(sl_chan_recv(&ch, &it, NULL, -1) == 0 && it == (void *)i);
    }
    REQUIRE(sl_chan_try_recv(&ch, &it) == -EAGAIN);
    for (int i = 0; i < 1000; i++) REQUIRE(sl_chan_try_send(&full, (void *)3) == -EAGAIN);
    REQUIRE(sl_chan_drops(&full) == 1000);

    for (int i = 0; i < 1000; i++) {
        const int *v = sl_snapshot_read_begin(&snap);
        REQUIRE(*v == 1);
        sl_snapshot_read_end();
    }

    for (int i = 0; i < 1000; i++) {
        void *o = sl_pool_get(&pool);
        REQUIRE(o == obj);                       /* this thread's cached object */
        sl_pool_put(&pool, o);
    }

    REQUIRE(sl_ctx_err(&ctx) == 0 && !sl_ctx_is_done(&ctx));

    child_exit(0);
}

int main(void)
{
#ifdef UNDER_SANITIZER
    /* Sanitizer runtimes make their own system calls (shadow memory,
     * reports); the plain build runs this test. */
    (void)run_fast_paths;   /* built, not run: keeps it compiling */
    puts("test_nosyscall: skipped under a sanitizer");
    return SKIP;
#else
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("test_nosyscall: fork");
        return 1;
    }
    if (pid == 0) run_fast_paths();
    int st;
    if (waitpid(pid, &st, 0) != pid) {
        perror("test_nosyscall: waitpid");
        return 1;
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == SKIP) {
        puts("test_nosyscall: seccomp filters unavailable here: skipped");
        return SKIP;
    }
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "test_nosyscall: child killed by signal %d\n", WTERMSIG(st));
        return 1;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 1;
    puts("test_nosyscall: every fast path ran without a system call");
    return 0;
#endif
}
