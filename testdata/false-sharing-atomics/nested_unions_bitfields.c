/* Nested structs, unions and bit-fields next to atomics: judged by real offsets. */
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>

/* positive: the pair lives inside a nested struct - reported at that type, once */
struct dir_counters { // expect: false-sharing-atomics
    atomic_long rx;
    atomic_long tx;
};

struct port {
    int ifindex;
    struct dir_counters c;
    char name[16];
};

/* a wrapper with one atomic: never a problem by itself */
struct atomic_count {
    atomic_uint n;
};

/* positive: two wrapped counters side by side, bumped by push and pop */
struct queue_stats { // expect: false-sharing-atomics
    struct atomic_count pushed;
    struct atomic_count popped;
};

/* negative: wrapped counters, each wrapper aligned to its own line */
struct line_count {
    alignas(64) atomic_uint n;
};
struct padded_queue_stats {
    struct line_count pushed;
    struct line_count popped;
};

/* negative: union members overlap - one word, not two */
union gen_word {
    atomic_ulong whole;
    atomic_uint half;
};

/* positive: bit-fields first, then two atomics written by different functions */
struct node_state { // expect: false-sharing-atomics
    unsigned dirty : 1;
    unsigned kind : 3;
    atomic_int refs;
    atomic_int waiters;
};

/* negative: one atomic next to bit-fields written elsewhere (plain, not atomic) */
struct flags_and_ref {
    unsigned visible : 1;
    unsigned pinned : 1;
    atomic_int refs;
};

/* negative: an anonymous union of atomics (all at offset 8) and one more atomic
 * on a later line */
struct mixed {
    long id;
    union {
        atomic_long seq;
        atomic_int seq_lo;
    };
    char gap[64];
    atomic_long epoch;
};

static struct port g_port;
static struct queue_stats g_qs;
static struct padded_queue_stats g_pqs;
static union gen_word g_gen;
static struct node_state g_node;
static struct flags_and_ref g_fr;
static struct mixed g_mixed;

static void port_rx(struct port *p) { atomic_fetch_add(&p->c.rx, 1); }
static void port_tx(struct port *p) { atomic_fetch_add(&p->c.tx, 1); }

static void q_push(void)
{
    atomic_fetch_add(&g_qs.pushed.n, 1);
    atomic_fetch_add(&g_pqs.pushed.n, 1);
}

static void q_pop(void)
{
    atomic_fetch_add(&g_qs.popped.n, 1);
    atomic_fetch_add(&g_pqs.popped.n, 1);
}

static void gen_bump(void) { atomic_fetch_add(&g_gen.whole, 1); }
static void gen_set_low(unsigned v) { atomic_store(&g_gen.half, v); }

static void node_ref(struct node_state *n) { atomic_fetch_add(&n->refs, 1); }
static void node_wait(struct node_state *n) { atomic_fetch_add(&n->waiters, 1); }

static void fr_ref(void) { atomic_fetch_add(&g_fr.refs, 1); }
static void fr_show(void) { g_fr.visible = 1; }

static void mixed_next(void) { atomic_fetch_add(&g_mixed.seq, 1); }
static void mixed_low(void) { atomic_store(&g_mixed.seq_lo, 0); }
static void mixed_epoch(void) { atomic_fetch_add(&g_mixed.epoch, 1); }

static void *side_a(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        port_rx(&g_port);
        q_push();
        gen_bump();
        node_ref(&g_node);
        fr_ref();
        mixed_next();
    }
    return NULL;
}

static void *side_b(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        port_tx(&g_port);
        q_pop();
        gen_set_low(1);
        node_wait(&g_node);
        fr_show();
        mixed_low();
        mixed_epoch();
    }
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    g_node.kind = 2;
    pthread_create(&a, NULL, side_a, NULL);
    pthread_create(&b, NULL, side_b, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("%ld %d\n", atomic_load(&g_port.c.rx), (int)g_node.dirty);
    return 0;
}
