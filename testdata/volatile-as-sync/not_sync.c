/* volatile used for what it is for, and atomics: all must stay clean. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stddef.h>
#include <unistd.h>

/* The standard's blessed use: a volatile sig_atomic_t set by a handler. */
static volatile sig_atomic_t got_sigterm;

static void on_sigterm(int sig)
{
    (void)sig;
    got_sigterm = 1;
}

void serve(void)
{
    signal(SIGTERM, on_sigterm);
    while (!got_sigterm)
        pause();
}

/* A plain volatile int set only by a handler installed with sigaction. */
static volatile int got_hup;

static void on_hup(int sig)
{
    (void)sig;
    got_hup = 1;
}

void install_hup(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
}

void reload_loop(void)
{
    for (;;) {
        if (got_hup) {
            got_hup = 0;
            continue;
        }
        pause();
    }
}

/* Device registers at a fixed address. */
struct uart {
    volatile uint32_t status;
    volatile uint32_t data;
};
#define UART0 ((struct uart *)0x40001000u)

void uart_putc(char c)
{
    while (!(UART0->status & 1u))
        ;
    UART0->data = (uint32_t)c;
}

void uart_reset(void)
{
    UART0->status = 0;
}

uint32_t read_timer(void)
{
    volatile uint32_t *timer = (volatile uint32_t *)0x40002000u;
    uint32_t t0 = *timer;
    while (*timer == t0)
        ;
    return *timer;
}

/* A volatile local that must survive longjmp. */
static jmp_buf env;

int try_parse(const char *s)
{
    volatile int depth = 0;
    if (setjmp(env))
        return -depth;
    while (s[depth] && depth < 100)
        depth++;
    return depth;
}

/* A benchmark sink: written in the loop, never read by anyone else. */
static volatile long sink;

void bench_loop(long n)
{
    for (long i = 0; i < n; i++)
        sink = i * 3;
}

/* A volatile loop counter in a local: this frame only. */
void delay(int n)
{
    for (volatile int i = 0; i < n; i++)
        ;
}

/* _Atomic volatile and plain atomics: the replacement. */
static _Atomic volatile int stop_flag;
static atomic_bool finished;

void *poller(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&stop_flag, memory_order_acquire)) // expect: busy-wait
        usleep(10);
    atomic_store_explicit(&finished, 1, memory_order_release);
    return NULL;
}

void stop_poller(void)
{
    atomic_store(&stop_flag, 1);
    while (!atomic_load(&finished)) // expect: busy-wait
        ;
}

/* A volatile flag accessed with atomic builtins (old GCC style). */
static volatile int legacy_flag;

void legacy_set(void)
{
    __atomic_store_n(&legacy_flag, 1, __ATOMIC_RELEASE);
}

void legacy_wait(void)
{
    while (!__atomic_load_n(&legacy_flag, __ATOMIC_ACQUIRE)) // expect: busy-wait
        ;
}

/* pthread_spinlock_t is a volatile int underneath: a lock, not a flag. */
static pthread_spinlock_t spin;
static int spun, spun_last;

void spin_bump(int v)
{
    pthread_spin_lock(&spin);
    spun++;
    spun_last = v;
    pthread_spin_unlock(&spin);
}

/* A volatile polled and updated by the same function, no other writer. */
struct poll_state {
    volatile int pending;
};

void drain(struct poll_state *ps)
{
    while (ps->pending)
        ps->pending--;
}

/* A volatile function pointer (the memset-not-optimised-away trick). */
static void *(*const volatile memset_fn)(void *, int, size_t) = NULL;

void secure_zero(void *p, size_t n)
{
    if (memset_fn)
        memset_fn(p, 0, n);
}

/* A register block reached through a local pointer set from its base
 * address, polled in one function and written in another. */
struct dma_regs {
    volatile uint32_t ctrl;
    volatile uint32_t busy;
    uint32_t reserved;
};
#define DMA_BASE 0x40003000u

void dma_wait(void)
{
    struct dma_regs *d = (struct dma_regs *)DMA_BASE;
    while (d->busy)
        ;
}

void dma_kick(void)
{
    struct dma_regs *d = (struct dma_regs *)DMA_BASE;
    d->ctrl = 1;
    d->busy = 1;
}

/* A register map whose fields are all volatile, behind a pointer param. */
struct timer_regs {
    volatile uint32_t count;
    volatile uint32_t reload;
};

void timer_spin(struct timer_regs *t, uint32_t until)
{
    while (t->count < until)
        ;
}

void timer_arm(struct timer_regs *t, uint32_t v)
{
    t->reload = v;
    t->count = 0;
}

/* volatile and a mutex: the lock orders the accesses, volatile is only
 * redundant. */
static pthread_mutex_t cb_mu = PTHREAD_MUTEX_INITIALIZER;
static volatile int callbacks;

static void *cb_watcher(void *arg)
{
    (void)arg;
    for (;;) { // expect: busy-wait
        pthread_mutex_lock(&cb_mu);
        int n = callbacks; // expect: mutex-guarded-counter
        pthread_mutex_unlock(&cb_mu);
        if (n >= 3)
            break;
        usleep(100);
    }
    return NULL;
}

void on_callback(void)
{
    pthread_mutex_lock(&cb_mu);
    callbacks++; // expect: mutex-guarded-counter
    pthread_mutex_unlock(&cb_mu);
}

/* Threads bump a volatile counter one at a time; it is read after the
 * joins, which order the writes. */
static volatile int threads_ran;

static void *count_entry(void *arg)
{
    (void)arg;
    threads_ran++;
    return NULL;
}

int spawn_serially(int n)
{
    for (int i = 0; i < n; i++) {
        pthread_t t;
        pthread_create(&t, NULL, count_entry, NULL);
        pthread_join(t, NULL);
    }
    return threads_ran;
}

/* Set before the thread starts, then changed only by the thread itself. */
static volatile int scanning;
static int scanned;

static void *scanner(void *arg)
{
    (void)arg;
    while (scanning) {
        if (++scanned > 100)
            scanning = 0;
    }
    return NULL;
}

void scanner_start(void)
{
    pthread_t t;
    scanning = 1;
    pthread_create(&t, NULL, scanner, NULL);
    pthread_detach(t);
}
