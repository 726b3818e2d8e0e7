/* busy-wait: the spin loops of lock and RCU implementations - retries
 * and acquires, not waits for another thread's flag. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("pause");
#endif
}

struct spin { atomic_flag f; };
struct ttas { atomic_int locked; };
struct node { struct node *next; };
struct reader { struct reader *next; _Atomic uint64_t epoch; };

static _Atomic(struct node *) top;
static struct reader *readers;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

/* test-and-set: the loop is the acquire */
void spin_acquire(struct spin *s)
{
    while (atomic_flag_test_and_set_explicit(&s->f, memory_order_acquire))
        cpu_relax();
}

/* test-and-test-and-set: the inner wait belongs to the lock's acquire */
void ttas_lock(struct ttas *l)
{
    for (;;) {
        if (!atomic_exchange_explicit(&l->locked, 1, memory_order_acquire)) return;
        while (atomic_load_explicit(&l->locked, memory_order_relaxed))
            cpu_relax();
    }
}

void ttas_unlock(struct ttas *l)
{
    atomic_store_explicit(&l->locked, 0, memory_order_release);
}

/* a CAS loop is a retry */
void push(struct node *n)
{
    struct node *old = atomic_load(&top);
    do {
        n->next = old;
    } while (!atomic_compare_exchange_weak(&top, &old, n));
}

/* trylock polling is a lock acquire */
void lock_politely(void)
{
    while (pthread_mutex_trylock(&m) != 0)
        usleep(10);
}

/* a grace period: wait for every reader's record in turn */
void synchronize(uint64_t next)
{
    pthread_mutex_lock(&m);
    for (struct reader *r = readers; r; r = r->next) {
        unsigned spins = 0;
        for (;;) {
            uint64_t e = atomic_load_explicit(&r->epoch, memory_order_acquire);
            if (e == 0 || e >= next) break;
            if (++spins > 64) sched_yield();
        }
    }
    pthread_mutex_unlock(&m);
}
