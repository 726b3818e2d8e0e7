/* busy-wait: hand-made start barriers (arrival counts and the check-in
 * gate), probe and list walks, and load loops that stay quiet. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct run {
    atomic_int ready;
    atomic_int go;
    atomic_int stop;
};

struct slot { uintptr_t key; void *val; };
struct table { struct slot *slots; uint32_t cap; };

static atomic_int arrived;

static inline void keep_alive(uint64_t v)
{
    __asm__ __volatile__("" : : "r"(v) : "memory");
}

/* the worker checks in, then waits for the release */
static void *runner(void *arg)
{
    struct run *r = arg;
    atomic_fetch_add(&r->ready, 1);
    while (!atomic_load_explicit(&r->go, memory_order_acquire))
        sched_yield();
    atomic_fetch_add(&arrived, 1);
    return NULL;
}

/* the main thread waits for every worker to arrive */
void start_all(struct run *r, pthread_t *t, int n)
{
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, runner, r);
    while (atomic_load(&r->ready) < n)
        sched_yield();
    atomic_store_explicit(&r->go, 1, memory_order_release);
}

/* an open-addressing probe: the cursor moves each round */
void *table_get(const struct table *tb, uintptr_t key)
{
    if (!tb->cap) return NULL;
    for (uint32_t j = (uint32_t)key & (tb->cap - 1);; j = (j + 1) & (tb->cap - 1)) {
        const struct slot *s = &tb->slots[j];
        if (!s->key) return NULL;
        if (s->key == key) return s->val;
    }
}

/* a load generator: burns cpu on purpose until told to stop */
void *burn(void *arg)
{
    struct run *r = arg;
    uint64_t x = 0;
    while (!atomic_load_explicit(&r->stop, memory_order_relaxed))
        for (int i = 0; i < 4096; i++) keep_alive(++x);
    return NULL;
}
