/* futex.h - private: sleep until a 32-bit word changes, and wake its sleepers.
 *
 * Interface (internal to libsynclint, not installed):
 *   sl_futex_wait(addr, expected, deadline_ns) -> 0 | -EAGAIN | -ETIMEDOUT | -EINTR
 *   sl_futex_wake(addr, n)      -> woken | -1   wake up to n sleepers on addr
 *   sl_futex_wake_all(addr)     -> woken | -1   wake every sleeper on addr
 *   SL_FUTEX_WAKE_COUNTS                        1 when wake returns how many
 *                                               it woke and wait returns 0
 *                                               only for a thread a wake
 *                                               woke; 0 (the fallback): -1
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

#if defined(SL_HAVE_FUTEX) && !defined(SL_PORTABLE_FUTEX)
#define SL_FUTEX_WAKE_COUNTS 1
#else
#define SL_FUTEX_WAKE_COUNTS 0
#endif

int sl_futex_wait(_Atomic uint32_t *addr, uint32_t expected, int64_t deadline_ns);
int sl_futex_wake(_Atomic uint32_t *addr, int n);
int sl_futex_wake_all(_Atomic uint32_t *addr);

#endif
