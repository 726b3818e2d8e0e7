/* Binary semaphores used as locks, beside semaphores doing semaphore jobs. */
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <time.h>

static sem_t cache_sem;
static int cache[64];

static sem_t log_sem;
static int log_len;

struct device { sem_t busy; int regs[8]; };

void cache_init(void)
{
    sem_init(&cache_sem, 0, 1); // expect: semaphore-as-mutex
}

void cache_put(int k, int v)
{
    sem_wait(&cache_sem);
    cache[k & 63] = v;
    sem_post(&cache_sem);
}

int cache_get(int k)
{
    sem_wait(&cache_sem);
    int v = cache[k & 63];
    sem_post(&cache_sem);
    return v;
}

void log_setup(void)
{
    sem_init(&log_sem, 0, 1); // expect: semaphore-as-mutex
}

int log_append(int n)
{
    if (sem_wait(&log_sem) != 0)
        return -1;
    log_len += n;
    sem_post(&log_sem);
    return 0;
}

void device_open(struct device *d)
{
    sem_init(&d->busy, 0, 1); // expect: semaphore-as-mutex
}

void device_write(struct device *d, int r, int v)
{
    sem_wait(&d->busy);
    d->regs[r & 7] = v;
    sem_post(&d->busy);
}

/* trywait used like trylock still makes it a lock */
int device_try_write(struct device *d, int r, int v)
{
    if (sem_trywait(&d->busy) != 0)
        return -1;
    d->regs[r & 7] = v;
    sem_post(&d->busy);
    return 0;
}

/* named semaphore created with 1 */
static sem_t *shared_lock;
void shared_open(void)
{
    shared_lock = sem_open("/app-lock", O_CREAT, 0600, 1); // expect: semaphore-as-mutex
}

void shared_update(int *p)
{
    sem_wait(shared_lock);
    (*p)++;
    sem_post(shared_lock);
}
