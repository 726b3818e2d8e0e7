/* pad.h - cache-line size, padding, and a compile-time check that two
 * fields do not share a line.
 *
 * Interface:
 *   SL_CACHELINE                      64: the line size assumed on x86-64/arm64
 *   SL_ALIGNED_LINE                   alignas(SL_CACHELINE), for a field or type
 *   SL_PAD(name, used)                a char array filling the rest of a line
 *                                     after `used` bytes
 *   SL_PADDED(type) name              declares `struct { type v; } name` taking
 *                                     whole lines (access as name.v)
 *   SL_ASSERT_APART(type, f1, f2)     static_assert that f1 and f2 of struct
 *                                     `type` start on different lines
 *
 * Why: two variables written by different threads on one 64-byte line make
 * the line bounce between cores on every write (false sharing), costing up
 * to tens of nanoseconds per write even though the data is independent.
 * Padding costs memory: use it for a few hot, per-thread or contended words,
 * not for every field.  Adjacent-line prefetch on some CPUs makes 128 bytes
 * safer for the very hottest pairs; SL_CACHELINE stays 64 to match the
 * lines sync-lint's false-sharing-atomics rule measures.
 */
#ifndef SYNCLINT_PAD_H
#define SYNCLINT_PAD_H

#include <assert.h>
#include <stdalign.h>
#include <stddef.h>

#define SL_CACHELINE 64

#define SL_ALIGNED_LINE alignas(SL_CACHELINE)

/* Fill the rest of the line after `used` bytes (used < SL_CACHELINE). */
#define SL_PAD(name, used) char name[SL_CACHELINE - ((used) % SL_CACHELINE)]

/* A value alone on its own line(s). */
#define SL_PADDED(type) struct { SL_ALIGNED_LINE type v; }

/* Fail to compile if f1 and f2 of struct type share a cache line. */
#define SL_ASSERT_APART(type, f1, f2)                                           \
    static_assert(offsetof(type, f1) / SL_CACHELINE != offsetof(type, f2) / SL_CACHELINE, \
                  #f1 " and " #f2 " of " #type " share a cache line")

#endif
