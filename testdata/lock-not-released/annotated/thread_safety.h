/* Clang thread-safety annotations as Open vSwitch's compiler.h spells them. */
#include <pthread.h>
#define OVS_LOCKABLE __attribute__((lockable))
#define OVS_ACQUIRES(...) __attribute__((exclusive_lock_function(__VA_ARGS__)))
#define OVS_RELEASES(...) __attribute__((unlock_function(__VA_ARGS__)))
#define OVS_REQUIRES(...) __attribute__((exclusive_locks_required(__VA_ARGS__)))

struct OVS_LOCKABLE ovs_mutex { pthread_mutex_t m; };
void ovs_mutex_lock(const struct ovs_mutex *m) OVS_ACQUIRES(m);
void ovs_mutex_unlock(const struct ovs_mutex *m) OVS_RELEASES(m);
