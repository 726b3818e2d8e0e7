#!/usr/bin/env python3
"""Generate a synthetic C translation unit that stresses sync-lint's cost growth.

  tools/gen-tu.py --shape SHAPE --n N [-o FILE]

Shapes (N is the size of the shape's repeated unit):
  counters       N small functions, each locking one global mutex, adding to
                 one shared counter field and unlocking
  long-function  one function of N statements: locked sections (some with an
                 early unlock-and-goto), if/else, loops, switches, gotos to a
                 cleanup label, calls, condition waits in while loops
  many-locks     N distinct mutexes (half globals, half struct fields) and N
                 functions taking them in varying nested pairs, condition
                 waits in while loops, write()/usleep() under locks
  call-chain     N functions each calling the next, every fourth under its
                 own lock, a write() every hundred
  mixed          N/5 units of each of the above plus atomics in structs,
                 per-worker slot arrays and a semaphore used as a lock
  empty          the common prelude only (the baseline: N is ignored)

The output is valid C11 for `clang -fsyntax-only -std=gnu11 -pthread` and is
deterministic: the same arguments give the same bytes (no randomness; the
variation comes from fixed arithmetic on the unit index).
"""
import argparse
import sys

SHAPES = ("counters", "long-function", "many-locks", "call-chain", "mixed", "empty")

PRELUDE = """\
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stddef.h>
#include <unistd.h>
"""


def gen_counters(out, n, p="ct"):
    out.append(f"static pthread_mutex_t {p}_mu = PTHREAD_MUTEX_INITIALIZER;")
    out.append(f"static struct {p}_stats {{ long hits; long misses; }} {p}_stats;")
    for i in range(n):
        out.append(f"void {p}_add_{i}(void)\n{{\n"
                   f"    pthread_mutex_lock(&{p}_mu);\n"
                   f"    {p}_stats.hits += {i % 7 + 1};\n"
                   f"    pthread_mutex_unlock(&{p}_mu);\n}}")


def gen_long_function(out, n, p="lf"):
    out.append(f"static pthread_mutex_t {p}_mu = PTHREAD_MUTEX_INITIALIZER;")
    out.append(f"static pthread_cond_t {p}_cv = PTHREAD_COND_INITIALIZER;")
    out.append(f"static struct {p}_state {{ long total; long seen; int ready; int closed; int done; }} {p}_state;")
    out.append(f"long {p}_helper(long v);")
    body = []
    for i in range(n):
        k = i % 10
        c = i % 13 + 1
        if k == 0:
            body.append(f"pthread_mutex_lock(&{p}_mu); {p}_state.total += v; "
                        f"pthread_mutex_unlock(&{p}_mu);")
        elif k == 1:
            body.append(f"if (v > {i}) v -= {c}; else v += {i % 11 + 1};")
        elif k == 2:
            body.append(f"for (int j = 0; j < n_items; j++) v += items[j] * {c};")
        elif k == 3:
            body.append(f"switch (v & 3) {{ case 0: v++; break; case 1: v--; break; "
                        f"case 2: v ^= {c}; break; default: v = {p}_helper(v); break; }}")
        elif k == 4:
            body.append(f"if (v == {i}) goto cleanup;")
        elif k == 5:
            body.append(f"v = {p}_helper(v + {i});")
        elif k == 6:
            body.append(f"pthread_mutex_lock(&{p}_mu); if ({p}_state.closed) {{ "
                        f"pthread_mutex_unlock(&{p}_mu); goto cleanup; }} {p}_state.seen++; "
                        f"pthread_mutex_unlock(&{p}_mu);")
        elif k == 7:
            if (i // 10) % 2 == 0:
                body.append(f"pthread_mutex_lock(&{p}_mu); while (!{p}_state.ready) "
                            f"pthread_cond_wait(&{p}_cv, &{p}_mu); {p}_state.ready = 0; "
                            f"pthread_mutex_unlock(&{p}_mu);")
            else:
                body.append("while (v > 1000000) v /= 2;")
        elif k == 8:
            if (i // 10) % 8 == 0:
                body.append(f"pthread_mutex_lock(&{p}_mu); if (write(fd, \"x\", 1) < 0) "
                            f"v = -v; pthread_mutex_unlock(&{p}_mu);")
            else:
                body.append(f"if (write(fd, \"y\", 1) < 0) goto cleanup;")
        else:
            body.append(f"do {{ v = v * 3 + {c}; }} while (v < {i % 97});")
    out.append(f"long {p}_run(int fd, const int *items, int n_items)\n{{\n    long v = 0;")
    out.extend("    " + s for s in body)
    out.append(f"cleanup:\n    pthread_mutex_lock(&{p}_mu);\n    {p}_state.done = 1;\n"
               f"    pthread_mutex_unlock(&{p}_mu);\n    return v;\n}}")
    out.append(f"long {p}_helper(long v) {{ return v / 2 + 1; }}")


def gen_many_locks(out, n, p="ml"):
    out.append(f"struct {p}_node {{ pthread_mutex_t lock; pthread_cond_t cv; int ready; long value; }};")
    for i in range(n):
        if i % 2 == 0:
            out.append(f"static pthread_mutex_t {p}_mu_{i} = PTHREAD_MUTEX_INITIALIZER; "
                       f"static long {p}_val_{i};")
        else:
            out.append(f"static struct {p}_node {p}_node_{i} = "
                       f"{{ PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 }};")

    def mu(i):
        return f"&{p}_mu_{i}" if i % 2 == 0 else f"&{p}_node_{i}.lock"

    def val(i):
        return f"{p}_val_{i}" if i % 2 == 0 else f"{p}_node_{i}.value"

    for i in range(n):
        a = i
        b = (i * 7 + 3) % n
        if b == a:
            b = (a + 1) % n
        outer, inner = (b, a) if i % 3 == 0 else (a, b)
        lines = [f"void {p}_fn_{i}(struct {p}_node *peer, int fd)", "{"]
        if i % 6 == 5:
            lines.append("    pthread_mutex_lock(&peer->lock);")
        lines.append(f"    pthread_mutex_lock({mu(outer)});")
        if inner != outer:
            lines.append(f"    pthread_mutex_lock({mu(inner)});")
        lines.append(f"    {val(outer)} += {val(inner)} + {i};")
        if i % 5 == 0:
            lines.append("    if (write(fd, \"x\", 1) < 0)")
            lines.append(f"        {val(outer)} = 0;")
        if inner != outer:
            lines.append(f"    pthread_mutex_unlock({mu(inner)});")
        if i % 4 in (1, 2) and outer % 2 == 1:
            lines.append(f"    while (!{p}_node_{outer}.ready)")
            lines.append(f"        pthread_cond_wait(&{p}_node_{outer}.cv, &{p}_node_{outer}.lock);")
            lines.append(f"    {p}_node_{outer}.ready = 0;")
        if i % 7 == 2:
            lines.append("    usleep(10);")
        lines.append(f"    pthread_mutex_unlock({mu(outer)});")
        if i % 6 == 5:
            lines.append("    peer->value++;")
            lines.append("    pthread_cond_signal(&peer->cv);")
            lines.append("    pthread_mutex_unlock(&peer->lock);")
        lines.append("}")
        out.append("\n".join(lines))


def gen_call_chain(out, n, p="cc"):
    out.append(f"static int {p}_fd = 2;")
    for i in range(n):
        out.append(f"long {p}_step_{i}(long x);")
    for i in range(0, n, 4):
        out.append(f"static pthread_mutex_t {p}_mu_{i} = PTHREAD_MUTEX_INITIALIZER; "
                   f"static long {p}_state_{i};")
    for i in range(n):
        nxt = f"{p}_step_{i + 1}" if i + 1 < n else None
        lines = [f"long {p}_step_{i}(long x)", "{"]
        if i % 100 == 99:
            lines.append(f"    if (write({p}_fd, \"x\", 1) < 0)")
            lines.append("        x = 0;")
        if nxt is None:
            lines.append("    return x;")
        elif i % 4 == 0:
            lines.append(f"    pthread_mutex_lock(&{p}_mu_{i});")
            lines.append(f"    {p}_state_{i} += x;")
            lines.append(f"    long r = {nxt}(x + {i});")
            lines.append(f"    pthread_mutex_unlock(&{p}_mu_{i});")
            lines.append("    return r;")
        elif i % 4 == 2:
            lines.append(f"    if (x > {i * 10})")
            lines.append(f"        return {nxt}(x / 2);")
            lines.append(f"    return {nxt}(x * 3 + 1);")
        else:
            lines.append(f"    return {nxt}(x + {i % 9});")
        lines.append("}")
        out.append("\n".join(lines))


def gen_atomics(out, n, p="at"):
    """Atomics in structs, written from worker threads: false-sharing shapes."""
    out.append(f"#define {p.upper()}_NWORKERS 4")
    out.append(f"struct {p}_slot {{ atomic_int state; int owner; }};")
    out.append(f"static struct {p}_slot {p}_slots[{p.upper()}_NWORKERS];")
    out.append(f"static sem_t {p}_sem;")
    out.append(f"static long {p}_guarded;")
    out.append(f"void {p}_sem_setup(void) {{ sem_init(&{p}_sem, 0, 1); }}")
    out.append(f"void {p}_sem_bump(void) {{ sem_wait(&{p}_sem); {p}_guarded += 2; sem_post(&{p}_sem); }}")
    for i in range(n):
        if i % 3 == 0:
            out.append(f"struct {p}_stats_{i} {{ _Atomic long produced; _Atomic long consumed; int id; }};")
            out.append(f"static struct {p}_stats_{i} {p}_stats_{i};")
            out.append(f"static void *{p}_producer_{i}(void *arg)\n{{\n    (void)arg;\n"
                       f"    for (int k = 0; k < 1000; k++)\n"
                       f"        atomic_fetch_add_explicit(&{p}_stats_{i}.produced, 1, memory_order_relaxed);\n"
                       f"    return NULL;\n}}")
            out.append(f"static void *{p}_consumer_{i}(void *arg)\n{{\n    (void)arg;\n"
                       f"    for (int k = 0; k < 1000; k++)\n"
                       f"        atomic_fetch_add(&{p}_stats_{i}.consumed, 1);\n"
                       f"    return NULL;\n}}")
            out.append(f"void {p}_start_{i}(pthread_t t[2])\n{{\n"
                       f"    pthread_create(&t[0], NULL, {p}_producer_{i}, NULL);\n"
                       f"    pthread_create(&t[1], NULL, {p}_consumer_{i}, NULL);\n}}")
        elif i % 3 == 1:
            out.append(f"static void *{p}_worker_{i}(void *arg)\n{{\n"
                       f"    int wid = *(int *)arg;\n"
                       f"    atomic_store(&{p}_slots[wid].state, {i % 5});\n"
                       f"    {p}_slots[wid].owner = wid;\n"
                       f"    return NULL;\n}}")
            out.append(f"void {p}_spawn_{i}(pthread_t *t, int *wid) "
                       f"{{ pthread_create(t, NULL, {p}_worker_{i}, wid); }}")
        else:
            out.append(f"struct {p}_padded_{i} {{ _Alignas(64) _Atomic long head; _Alignas(64) _Atomic long tail; }};")
            out.append(f"static struct {p}_padded_{i} {p}_padded_{i};")
            out.append(f"long {p}_depth_{i}(void) {{ return atomic_load(&{p}_padded_{i}.tail) - "
                       f"atomic_load(&{p}_padded_{i}.head); }}")


def generate(shape, n):
    out = [f"/* generated by tools/gen-tu.py --shape {shape} --n {n}; do not edit */", PRELUDE]
    if shape == "counters":
        gen_counters(out, n)
    elif shape == "long-function":
        gen_long_function(out, n)
    elif shape == "many-locks":
        gen_many_locks(out, max(n, 2))
    elif shape == "call-chain":
        gen_call_chain(out, max(n, 1))
    elif shape == "mixed":
        part = max(n // 5, 2)
        gen_counters(out, part, "mx_ct")
        gen_long_function(out, part, "mx_lf")
        gen_many_locks(out, part, "mx_ml")
        gen_call_chain(out, part, "mx_cc")
        gen_atomics(out, part, "mx_at")
    elif shape != "empty":
        raise ValueError(f"unknown shape '{shape}'")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 3)[3])
    ap.add_argument("--shape", required=True, choices=SHAPES)
    ap.add_argument("--n", type=int, required=True, help="size (units of the shape)")
    ap.add_argument("-o", "--output", help="write here instead of standard output")
    a = ap.parse_args()
    if a.n < 0:
        ap.error("--n must be >= 0")
    text = generate(a.shape, a.n)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
