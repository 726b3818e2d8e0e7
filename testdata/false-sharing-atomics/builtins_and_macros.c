/* Plain fields updated through GCC __atomic / __sync builtins, often via stats macros. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define STAT_INC(s, field) __atomic_fetch_add(&(s)->field, 1, __ATOMIC_RELAXED)
#define STAT_ADD(s, field, n) __atomic_add_fetch(&(s)->field, (n), __ATOMIC_RELAXED)

/* positive: counters bumped through macros from the rx and tx paths */
struct link_stats { // expect: false-sharing-atomics
    unsigned long rx_packets;
    unsigned long tx_packets;
    unsigned long rx_bytes;
    unsigned long tx_bytes;
};

/* positive: a legacy __sync work queue: enqueue and dequeue indices side by side */
struct wq { // expect: false-sharing-atomics
    volatile unsigned enq;
    volatile unsigned deq;
    int slots[128];
};

/* positive: __atomic_store_n / __atomic_exchange_n on a flag and an owner word */
struct lease { // expect: false-sharing-atomics
    int held;
    long owner;
};

/* negative: same builtins, but only the rx path touches this struct */
struct rx_only {
    unsigned long packets;
    unsigned long bytes;
};

/* negative: one builtin-updated field; 'mode' is written plainly elsewhere,
 * so it is not an atomic field */
struct tunables {
    unsigned long reloads;
    int mode;
};

/* negative: settings stored now and then by two setters - cold writes,
 * nothing hammers the line */
struct limits {
    unsigned max_conns;
    unsigned max_rate;
};

/* negative: the builtin counters are padded apart with GCC's aligned attribute */
struct aligned_pair {
    unsigned long a __attribute__((aligned(64)));
    unsigned long b __attribute__((aligned(64)));
};

static struct link_stats g_link;
static struct wq g_wq;
static struct lease g_lease;
static struct rx_only g_rx;
static struct tunables g_tun;
static struct aligned_pair g_pair;
static struct limits g_limits;

static void set_max_conns(unsigned v)
{
    __atomic_store_n(&g_limits.max_conns, v, __ATOMIC_RELAXED);
}

static void set_max_rate(unsigned v)
{
    __atomic_store_n(&g_limits.max_rate, v, __ATOMIC_RELAXED);
}

static void rx_path(unsigned len)
{
    STAT_INC(&g_link, rx_packets);
    STAT_ADD(&g_link, rx_bytes, len);
    STAT_INC(&g_rx, packets);
    STAT_ADD(&g_rx, bytes, len);
    __atomic_fetch_add(&g_pair.a, 1, __ATOMIC_RELAXED);
}

static void tx_path(unsigned len)
{
    STAT_INC(&g_link, tx_packets);
    STAT_ADD(&g_link, tx_bytes, len);
    __atomic_fetch_add(&g_pair.b, 1, __ATOMIC_RELAXED);
}

static int wq_put(int v)
{
    unsigned i = __sync_fetch_and_add(&g_wq.enq, 1);
    g_wq.slots[i % 128] = v;
    return 0;
}

static int wq_take(void)
{
    unsigned i = __sync_fetch_and_add(&g_wq.deq, 1);
    return g_wq.slots[i % 128];
}

static int lease_try(long me)
{
    (void)me;
    return !__atomic_exchange_n(&g_lease.held, 1, __ATOMIC_ACQUIRE);
}

static void lease_steal(long me)
{
    __atomic_store_n(&g_lease.owner, me, __ATOMIC_RELAXED);
}

static void lease_drop(void)
{
    __atomic_store_n(&g_lease.held, 0, __ATOMIC_RELEASE);
}

static void reload(int mode)
{
    __atomic_fetch_add(&g_tun.reloads, 1, __ATOMIC_RELAXED);
    g_tun.mode = mode;
}

static void set_mode(int mode)
{
    g_tun.mode = mode;
}

static void *rx_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        rx_path(64);
        wq_put(i);
        if (lease_try(1))
            lease_drop();
    }
    return NULL;
}

static void *tx_thread(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        tx_path(64);
        (void)wq_take();
        lease_steal(2);
    }
    reload(1);
    set_mode(2);
    set_max_conns(100);
    set_max_rate(1000);
    return NULL;
}

int main(void)
{
    pthread_t rx, tx;
    memset(&g_link, 0, sizeof g_link);
    pthread_create(&rx, NULL, rx_thread, NULL);
    pthread_create(&tx, NULL, tx_thread, NULL);
    pthread_join(rx, NULL);
    pthread_join(tx, NULL);
    printf("%lu %lu\n", __atomic_load_n(&g_link.rx_packets, __ATOMIC_RELAXED), g_rx.packets);
    return 0;
}
