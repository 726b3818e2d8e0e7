/* busy-wait: the spin hidden behind a pause helper, a macro, a pointer,
 * and descriptor-less poll/select used as sleeps. */
#include <poll.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/select.h>

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

#define SPIN_UNTIL(cond) while (!(cond)) cpu_relax()

struct worker {
    _Atomic int up;
    volatile int quit;
};

void wait_up(struct worker *w)
{
    SPIN_UNTIL(atomic_load_explicit(&w->up, memory_order_acquire)); // expect: busy-wait
}

void wait_ptr(volatile int *flag)
{
    while (*flag == 0) // expect: busy-wait
        cpu_relax();
}

void wait_quit_poll(struct worker *w)
{
    while (!w->quit) // expect: busy-wait
        poll(NULL, 0, 10);
}

void wait_quit_select(struct worker *w)
{
    while (!w->quit) { // expect: busy-wait
        struct timeval tv = { 0, 10000 };
        select(0, NULL, NULL, NULL, &tv);
    }
}

/* OVS-style read macro: the value is stored through *(&v) */
#define flag_read(SRC, DST) (*(DST) = atomic_load_explicit(SRC, memory_order_acquire), (void) 0)

void wait_up_macro(struct worker *w)
{
    int up;
    for (;;) { // expect: busy-wait
        flag_read(&w->up, &up);
        if (up) break;
        cpu_relax();
    }
}
