/* membarrier.h - asymmetric memory barriers (private to libsynclint).
 *
 *   sl__membarrier_ready()   true when the heavy side can force a barrier on
 *                            every running thread (Linux membarrier, private
 *                            expedited); registers on first call
 *   sl__barrier_heavy()      the rare side: membarrier, or a seq_cst fence
 *   sl__barrier_light()      the hot side: a compiler barrier when membarrier
 *                            works, else a seq_cst fence
 *
 * A store-then-load on the hot side and a store-then-load on the rare side
 * (Dekker's pattern) are ordered by light + heavy: the rare side pays a
 * system call so the hot side pays nothing.
 */
#ifndef SL_MEMBARRIER_H
#define SL_MEMBARRIER_H

#include <stdatomic.h>
#include <stdbool.h>

extern _Atomic int sl__membarrier_state;   /* 0 unknown, 1 available, 2 not */
bool sl__membarrier_ready(void);
void sl__barrier_heavy(void);

static inline void sl__barrier_light(void)
{
    if (__builtin_expect(atomic_load_explicit(&sl__membarrier_state, memory_order_relaxed) == 1, 1))
        atomic_signal_fence(memory_order_seq_cst);
    else
        atomic_thread_fence(memory_order_seq_cst);
}

#endif
