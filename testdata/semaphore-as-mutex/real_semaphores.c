/* Semaphores doing what semaphores are for: none of these is a finding. */
#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <time.h>

/* a pool of 4 connections */
static sem_t slots;
void pool_init(void) { sem_init(&slots, 0, 4); }
void with_slot(void (*fn)(void))
{
    sem_wait(&slots);
    fn();
    sem_post(&slots);
}

/* producer/consumer signalling: posted by one function, waited by another */
static sem_t items;
static int ring[16];
static int head, tail;
void ring_init(void) { sem_init(&items, 0, 0); }
void produce(int v)
{
    ring[tail++ & 15] = v;
    sem_post(&items);
}
int consume(void)
{
    sem_wait(&items);
    return ring[head++ & 15];
}

/* starts at 1 but is a hand-off: the waiter does not post it back */
static sem_t ready;
void ready_init(void) { sem_init(&ready, 0, 1); }
void take_turn(void) { sem_wait(&ready); }
void give_turn(void) { sem_post(&ready); }

/* cancellable wait with a deadline */
static sem_t job_sem;
void job_init(void) { sem_init(&job_sem, 0, 1); }
int job_run(const struct timespec *deadline)
{
    if (sem_timedwait(&job_sem, deadline) != 0)
        return -1;
    sem_post(&job_sem);
    return 0;
}

/* post-then-wait: a token handed back and forth */
static sem_t baton;
void baton_init(void) { sem_init(&baton, 0, 1); }
void baton_pass(void)
{
    sem_post(&baton);
    sem_wait(&baton);
}

/* a mutex is the right tool: nothing to report */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int shared;
void bump(void)
{
    pthread_mutex_lock(&mu);
    shared += 2;
    shared *= 3;
    pthread_mutex_unlock(&mu);
}
