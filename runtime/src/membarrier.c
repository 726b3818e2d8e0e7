/* membarrier.c - Linux membarrier registration and the heavy barrier. */
#define _GNU_SOURCE
#include "membarrier.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/membarrier.h>
#endif

_Atomic int sl__membarrier_state;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void probe(void)
{
    int ok = 0;
#if defined(__linux__) && defined(SYS_membarrier) && !defined(SL_NO_MEMBARRIER)
    ok = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
#endif
    atomic_store(&sl__membarrier_state, ok ? 1 : 2);
}

bool sl__membarrier_ready(void)
{
    pthread_once(&once, probe);
    return atomic_load_explicit(&sl__membarrier_state, memory_order_relaxed) == 1;
}

void sl__barrier_heavy(void)
{
#if defined(__linux__) && defined(SYS_membarrier)
    if (sl__membarrier_ready()) {
        syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
        return;
    }
#endif
    atomic_thread_fence(memory_order_seq_cst);
}
