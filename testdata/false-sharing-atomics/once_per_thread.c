/* A per-thread slot written once per thread (a result stored at exit) and
 * one-shot flags set once are not false sharing; slots written in a loop
 * are.  Layouts come from clang: bitfields and arrays between atomics count. */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>

#define NW 4

struct result { long value; int err; };
static struct result results[NW];

static void *worker_once(void *arg)
{
    long id = (long)arg;
    long v = 0;
    for (int i = 0; i < 1000; i++)
        v += i;
    results[id].value = v;
    return 0;
}

struct tally { long count; };
static struct tally tallies[NW]; // expect: false-sharing-atomics

static void *worker_loop(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < 1000; i++)
        tallies[id].count++;
    return 0;
}

/* a bitfield and a 40-byte array between them: b is still on a's line */
struct mixed { _Atomic long a; unsigned f1 : 3; char name[40]; _Atomic long b; }; // expect: false-sharing-atomics
static struct mixed mx;

static void *bump_a(void *x) { (void)x; for (int i = 0; i < 100; i++) atomic_fetch_add(&mx.a, 1); return 0; }
static void *bump_b(void *x) { (void)x; for (int i = 0; i < 100; i++) atomic_fetch_add(&mx.b, 1); return 0; }

/* the same with the second counter on its own line */
struct apart { _Atomic long a; unsigned f1 : 3; char name[40]; alignas(64) _Atomic long b; };
static struct apart ap;

static void *bump_pa(void *x) { (void)x; for (int i = 0; i < 100; i++) atomic_fetch_add(&ap.a, 1); return 0; }
static void *bump_pb(void *x) { (void)x; for (int i = 0; i < 100; i++) atomic_fetch_add(&ap.b, 1); return 0; }

/* one-shot flags: each thread sets its flag once */
struct flags { _Atomic int done; _Atomic int stop; };
static struct flags fl;

static void *finisher(void *x) { (void)x; atomic_store(&fl.done, 1); return 0; }
static void *stopper(void *x) { (void)x; atomic_fetch_or(&fl.stop, 1); return 0; }

void start_all(void)
{
    pthread_t t[NW];
    for (long i = 0; i < NW; i++) pthread_create(&t[i], 0, worker_once, (void *)i);
    for (int i = 0; i < NW; i++) pthread_join(t[i], 0);
    for (long i = 0; i < NW; i++) pthread_create(&t[i], 0, worker_loop, (void *)i);
    for (int i = 0; i < NW; i++) pthread_join(t[i], 0);
    pthread_create(&t[0], 0, bump_a, 0);
    pthread_create(&t[1], 0, bump_b, 0);
    pthread_create(&t[2], 0, bump_pa, 0);
    pthread_create(&t[3], 0, bump_pb, 0);
    for (int i = 0; i < NW; i++) pthread_join(t[i], 0);
    pthread_create(&t[0], 0, finisher, 0);
    pthread_create(&t[1], 0, stopper, 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], 0);
}
