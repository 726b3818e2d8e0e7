/* once.c - the once slow path: one runner, sleepers wait on a futex. */
#include "synclint/once.h"

#include "futex.h"

enum { NEW = 0, RUNNING = 1, SLEEPERS = 2, DONE = SL_ONCE_DONE };

int sl_once_slow(sl_once *o, sl_once_fn fn, void *arg)
{
    for (;;) {
        uint32_t s = NEW;
        if (atomic_compare_exchange_strong_explicit(&o->state, &s, RUNNING,
                                                    memory_order_acquire, memory_order_acquire)) {
            int r = fn(arg);
            uint32_t old = atomic_exchange_explicit(&o->state, r == 0 ? DONE : NEW,
                                                    memory_order_acq_rel);
            if (old == SLEEPERS) sl_futex_wake_all(&o->state);
            return r;
        }
        if (s == DONE) return 0;
        if (s == RUNNING &&
            !atomic_compare_exchange_strong_explicit(&o->state, &s, SLEEPERS,
                                                     memory_order_acquire, memory_order_acquire))
            continue;   /* state moved on: re-read */
        sl_futex_wait(&o->state, SLEEPERS, -1);
    }
}
