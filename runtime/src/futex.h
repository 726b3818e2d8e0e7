/* futex.h - private: sleep until a 32-bit word changes, and wake its sleepers.
 *
 * Interface (internal to libsynclint, not installed):
 *   sl_futex_wait(addr, expected, deadline_ns) -> 0 | -EAGAIN | -ETIMEDOUT | -EINTR
 *   sl_futex_wake(addr, n)                      wake up to n sleepers on addr
 *   sl_futex_wake_all(addr)                     wake every sleeper on addr
 *
 * On Linux (SL_HAVE_FUTEX, set by CMake when <linux/futex.h> and SYS_futex
 * exist) these are the futex(2) system call on a process-private word.
 * Elsewhere, or with -DSL_PORTABLE_FUTEX=ON, a table of pthread mutex +
 * condvar buckets hashed by address gives the same contract.
 *
 * Contract (both implementations): wait sleeps only if *addr still equals
 * `expected` when checked atomically with respect to wake; a waker must
 * change the word before calling wake.  Returns may be spurious: callers
 * re-check their condition in a loop.  deadline_ns is an absolute
 * CLOCK_MONOTONIC time in nanoseconds, or a negative value for none.
 */
#ifndef SYNCLINT_FUTEX_H
#define SYNCLINT_FUTEX_H

#include <stdatomic.h>
#include <stdint.h>

int sl_futex_wait(_Atomic uint32_t *addr, uint32_t expected, int64_t deadline_ns);
void sl_futex_wake(_Atomic uint32_t *addr, int n);
void sl_futex_wake_all(_Atomic uint32_t *addr);

#endif
