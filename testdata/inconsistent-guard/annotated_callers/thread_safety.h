/* Clang thread-safety annotations, as projects define them (Open vSwitch's
 * compiler.h): a macro in a header whose lock argument is written at the
 * function. */
#include <pthread.h>
#define CAPABILITY(x) __attribute__((capability(x)))
#define REQUIRES(...) __attribute__((exclusive_locks_required(__VA_ARGS__)))
#define NO_THREAD_SAFETY_ANALYSIS __attribute__((no_thread_safety_analysis))

struct CAPABILITY("mutex") lock { pthread_mutex_t m; };
void lock_acquire(struct lock *l);
void lock_release(struct lock *l);
