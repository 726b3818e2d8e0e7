/* relax.h - the spin-wait hint (private to libsynclint). */
#ifndef SL_RELAX_H
#define SL_RELAX_H

/* Tell the core we are spinning: saves power and yields the pipeline to a
 * hyper-thread sibling. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
