/* Binary semaphores behind macros, wrappers and goto-cleanup. */
// sync-lint-args: --wrapper=os_sem_take:sem_wait --wrapper=os_sem_give:sem_post
#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>

int os_sem_take(sem_t *s);
int os_sem_give(sem_t *s);

#define LOCK_REG()   sem_wait(&reg_sem)
#define UNLOCK_REG() sem_post(&reg_sem)

static sem_t reg_sem;
static int registry[8];

static sem_t rtos_sem;
static int rtos_state;

static sem_t files_sem;
static int open_files;

struct slot { sem_t guard; int value; };
static struct slot slots[4];

void reg_init(void) { sem_init(&reg_sem, 0, 1); } // expect: semaphore-as-mutex

void reg_set(int i, int v)
{
    LOCK_REG();
    registry[i & 7] = v;
    UNLOCK_REG();
}

void rtos_init(void) { sem_init(&rtos_sem, 0, 1); } // expect: semaphore-as-mutex

void rtos_bump(void)
{
    os_sem_take(&rtos_sem);
    rtos_state++;
    os_sem_give(&rtos_sem);
}

void files_init(void) { sem_init(&files_sem, 0, 1); } // expect: semaphore-as-mutex

int files_open(int want)
{
    int rc = 0;
    sem_wait(&files_sem);
    if (want < 0) {
        rc = -EINVAL;
        goto out_post;
    }
    open_files += want;
out_post:
    sem_post(&files_sem);
    return rc;
}

void slots_init(void)
{
    for (int i = 0; i < 4; i++)
        sem_init(&slots[i].guard, 0, 1); // expect: semaphore-as-mutex
}

void slot_set(int i, int v)
{
    sem_wait(&slots[i & 3].guard);
    slots[i & 3].value = v;
    sem_post(&slots[i & 3].guard);
}

/* negative: count decided at run time */
static sem_t dyn_sem;
void dyn_init(unsigned n) { sem_init(&dyn_sem, 0, n); }
void dyn_use(void) { sem_wait(&dyn_sem); sem_post(&dyn_sem); }

/* negative: initialised to 0 and posted from elsewhere: a completion */
static sem_t done_sem;
void done_init(void) { sem_init(&done_sem, 0, 0); }
void done_signal(void) { sem_post(&done_sem); }
void done_wait(void) { sem_wait(&done_sem); }

/* negative: binary, but the releasing post happens in another function
 * (a worker posts when it finishes: signalling, not mutual exclusion) */
static sem_t worker_idle;
void worker_idle_init(void) { sem_init(&worker_idle, 0, 1); }
void dispatch(void) { sem_wait(&worker_idle); }
void worker_finished(void) { sem_post(&worker_idle); }

/* negative: a semaphore of 2 admits two threads: not a mutex */
static sem_t pair_sem;
void pair_init(void) { sem_init(&pair_sem, 0, 2); }
void pair_use(void) { sem_wait(&pair_sem); sem_post(&pair_sem); }
