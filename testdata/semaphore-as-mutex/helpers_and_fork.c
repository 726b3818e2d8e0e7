/* Semaphores taken and released through same-file helpers and sem_trywait
 * sections are the lock shape too; a pipe token shared with forked children
 * is a cross-process lock and no pthread mutex replaces it. */
#include <semaphore.h>
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

static sem_t cache_sem;
static int cache[64];

static void cache_lock(void) { sem_wait(&cache_sem); }
static void cache_unlock(void) { sem_post(&cache_sem); }

void cache_setup(void)
{
    sem_init(&cache_sem, 0, 1); // expect: semaphore-as-mutex
}

void cache_put(int k, int v)
{
    cache_lock();
    cache[k & 63] = v;
    cache_unlock();
}

int cache_get(int k)
{
    cache_lock();
    int v = cache[k & 63];
    cache_unlock();
    return v;
}

static sem_t q_sem;
static int q_len;

void q_setup(void)
{
    sem_init(&q_sem, 0, 1); // expect: semaphore-as-mutex
}

int q_try_add(void)
{
    if (sem_trywait(&q_sem) != 0)
        return -1;
    q_len++;
    sem_post(&q_sem);
    return 0;
}

/* Not a lock: the give helper is called alone, to signal a waiter. */
static sem_t ready_sem;
static int ready_value;

static void ready_take(void) { sem_wait(&ready_sem); }
static void ready_give(void) { sem_post(&ready_sem); }

void ready_setup(void) { sem_init(&ready_sem, 0, 1); }

int ready_consume(void)
{
    ready_take();
    return ready_value;
}

void ready_publish(int v)
{
    ready_value = v;
    ready_give();
}
