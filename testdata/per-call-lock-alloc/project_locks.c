/* A project's own lock type and functions (Open vSwitch style): the
 * lifecycle calls are external wrappers known by their names. */
// sync-lint-args: --wrapper=my_mutex_lock:lock --wrapper=my_mutex_unlock:unlock
#include <stdlib.h>

struct my_mutex { void *impl; const char *where; };
void my_mutex_init(struct my_mutex *m);
void my_mutex_destroy(struct my_mutex *m);
void my_mutex_lock(struct my_mutex *m);
void my_mutex_unlock(struct my_mutex *m);
void register_stats(struct my_mutex *m);

struct stats { struct my_mutex mutex; long hits; long misses; };

long tally(const int *v, int n)
{
    struct stats st = { .hits = 0 };
    my_mutex_init(&st.mutex); // expect: per-call-lock-alloc
    for (int i = 0; i < n; i++) {
        my_mutex_lock(&st.mutex);
        if (v[i])
            st.hits++;
        else
            st.misses++;
        my_mutex_unlock(&st.mutex);
    }
    my_mutex_destroy(&st.mutex);
    return st.hits - st.misses;
}

/* handed to an external registration: it may be shared, silent */
long tally_registered(void)
{
    struct stats st = { .hits = 0 };
    my_mutex_init(&st.mutex);
    register_stats(&st.mutex);
    my_mutex_destroy(&st.mutex);
    return st.hits;
}
