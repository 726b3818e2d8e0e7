/* test_snapshot.c - sl_snapshot: units, error paths, and a stress test in
 * which readers must never see a freed snapshot (poisoned on free; ASan and
 * TSan reruns catch use-after-free and races). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synclint/snapshot.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

#define ALIVE 0x5a5a5a5au
#define DEAD  0xdeaddeadu

struct config { _Atomic unsigned magic; unsigned version; unsigned check; };

static _Atomic unsigned long freed;

static struct config *make(unsigned v)
{
    struct config *c = malloc(sizeof *c);
    atomic_init(&c->magic, ALIVE);
    c->version = v;
    c->check = v * 2654435761u;
    return c;
}

static void free_config(void *p)
{
    struct config *c = p;
    atomic_store_explicit(&c->magic, DEAD, memory_order_relaxed);
    atomic_fetch_add(&freed, 1);
    free(c);
}

static sl_snapshot snap;
static _Atomic int stop;
static _Atomic unsigned long bad_reads, reads;
static _Atomic int readers_running;

static void *reader(void *arg)
{
    (void)arg;
    unsigned last = 0;
    unsigned long n = 0;
    atomic_fetch_add(&readers_running, 1);
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        const struct config *c = sl_snapshot_read_begin(&snap);
        /* nested section must be allowed */
        const struct config *c2 = sl_snapshot_read_begin(&snap);
        if (atomic_load_explicit(&c->magic, memory_order_relaxed) != ALIVE ||
            c->check != c->version * 2654435761u || c->version < last ||
            atomic_load_explicit(&c2->magic, memory_order_relaxed) != ALIVE)
            atomic_fetch_add(&bad_reads, 1);
        last = c->version;
        sl_snapshot_read_end();
        sl_snapshot_read_end();
        n++;
    }
    atomic_fetch_add(&reads, n);
    return NULL;
}

int main(void)
{
    /* units */
    CHECK(sl_snapshot_init(NULL, NULL, free_config) == -EINVAL);
    struct config *unused = make(0);
    CHECK(sl_snapshot_init(&snap, unused, NULL) == -EINVAL);
    free_config(unused);
    atomic_store(&freed, 0);
    CHECK(sl_snapshot_init(&snap, make(1), free_config) == 0);
    const struct config *c = sl_snapshot_read_begin(&snap);
    CHECK(c->version == 1);
    struct config *refused = make(2);
    CHECK(sl_snapshot_publish(&snap, refused) == -EDEADLK);        /* inside a section */
    free(refused);                                                /* still ours on error */
    CHECK(sl_snapshot_synchronize() == -EDEADLK);
    /* nested: the section stays open until the outermost end */
    CHECK(sl_snapshot_read_begin(&snap) == c);
    CHECK(sl_snapshot_read_begin(&snap) == c);
    sl_snapshot_read_end();
    CHECK(sl_snapshot_synchronize() == -EDEADLK);
    sl_snapshot_read_end();
    CHECK(sl_snapshot_synchronize() == -EDEADLK);
    sl_snapshot_read_end();
    CHECK(sl_snapshot_synchronize() == 0);
    CHECK(sl_snapshot_publish(&snap, make(2)) == 0);
    CHECK(atomic_load(&freed) == 1);
    c = sl_snapshot_read_begin(&snap);
    CHECK(c->version == 2);
    sl_snapshot_read_end();
    CHECK(sl_snapshot_publish_deferred(&snap, make(3)) == 0);
    CHECK(atomic_load(&freed) == 1);                               /* not yet */
    CHECK(sl_snapshot_reclaim(&snap) == 0);
    CHECK(atomic_load(&freed) == 2);
    CHECK(sl_snapshot_synchronize() == 0);

    /* stress: 4 readers, one writer mixing synchronous and deferred publish */
    enum { READERS = 4, VERSIONS = 3000 };
    pthread_t t[READERS];
    for (int i = 0; i < READERS; i++) CHECK(pthread_create(&t[i], NULL, reader, NULL) == 0);
    while (atomic_load(&readers_running) < READERS) sched_yield();   /* overlap for real */
    for (unsigned v = 4; v < 4 + VERSIONS; v++) {
        if (v % 3 == 0) CHECK(sl_snapshot_publish(&snap, make(v)) == 0);
        else CHECK(sl_snapshot_publish_deferred(&snap, make(v)) == 0);
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < READERS; i++) pthread_join(t[i], NULL);
    CHECK(sl_snapshot_reclaim(&snap) == 0);
    CHECK(atomic_load(&bad_reads) == 0);
    CHECK(atomic_load(&reads) > 0);
    CHECK(atomic_load(&freed) == 2 + VERSIONS);   /* every replaced snapshot freed */
    sl_snapshot_destroy(&snap);
    CHECK(atomic_load(&freed) == 3 + VERSIONS);
    printf("snapshot: %lu reads, %d failures\n", atomic_load(&reads), failures);
    return failures != 0;
}
