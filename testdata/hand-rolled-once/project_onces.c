/* A project's own once object (OVS's ovsthread_once shape): the fast path
 * reads `done`, the slow path locks and re-tests it, and returns with the
 * lock held; done() sets it and unlocks.  Its users are correct onces. */
#include <pthread.h>
#include <stdbool.h>

struct my_once {
    bool done;
    pthread_mutex_t mutex;
};
#define MY_ONCE_INIT { false, PTHREAD_MUTEX_INITIALIZER }

static bool my_once_start__(struct my_once *once)
{
    pthread_mutex_lock(&once->mutex);
    if (!once->done)
        return true;
    pthread_mutex_unlock(&once->mutex);
    return false;
}

static inline bool my_once_start(struct my_once *once)
{
    return __builtin_expect(!once->done && !my_once_start__(once), 0);
}

static void my_once_done(struct my_once *once)
{
    once->done = true;
    pthread_mutex_unlock(&once->mutex);
}

void register_types(void);
int lookup_type(int id);

/* negative: a user of the project's once */
int type_lookup(int id)
{
    static struct my_once once = MY_ONCE_INIT;
    if (my_once_start(&once)) {
        register_types();
        my_once_done(&once);
    }
    return lookup_type(id);
}

/* negative: the pre-C11 idiom with explicit fences (judged, not reported) */
static pthread_mutex_t fence_mu = PTHREAD_MUTEX_INITIALIZER;
static int *fence_tab;
int *make_tab(void);

int *fence_get(void)
{
    int *t = fence_tab; // expect: inconsistent-guard
    __sync_synchronize();
    if (!t) {
        pthread_mutex_lock(&fence_mu);
        if (!fence_tab) {
            t = make_tab();
            __sync_synchronize();
            fence_tab = t;
        }
        t = fence_tab;
        pthread_mutex_unlock(&fence_mu);
    }
    return t;
}

/* negative: the caller tests the flag before calling the locked slow path
 * (not a lock on every call; the caller's read is its own matter) */
static pthread_mutex_t slow_mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int slow_inited;

static void slow_path_init(void)
{
    pthread_mutex_lock(&slow_mu);
    if (!slow_inited) {
        register_types();
        slow_inited = 1;
    }
    pthread_mutex_unlock(&slow_mu);
}

int fast_lookup(int id)
{
    if (!slow_inited)
        slow_path_init();
    return lookup_type(id);
}

/* negative: a counter of initialisations, not a flag */
static pthread_mutex_t ref_mu = PTHREAD_MUTEX_INITIALIZER;
static int ref_count;

void lib_ref(void)
{
    pthread_mutex_lock(&ref_mu);
    if (ref_count++ == 0)
        register_types();
    pthread_mutex_unlock(&ref_mu);
}

/* negative: a project's own barrier function (SQLite's sqlite3MemoryBarrier
 * shape) orders the early return, as the fences above do */
void lib_memory_barrier(void);
static pthread_mutex_t lib2_mu = PTHREAD_MUTEX_INITIALIZER;
static int lib2_ready;

int lib2_prepare(void)
{
    if (lib2_ready) {
        lib_memory_barrier();
        return 0;
    }
    pthread_mutex_lock(&lib2_mu);
    if (!lib2_ready) {
        register_types();
        lib_memory_barrier();
        lib2_ready = 1;
    }
    pthread_mutex_unlock(&lib2_mu);
    return 0;
}
