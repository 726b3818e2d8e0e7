/* thread-leak: error returns after a thread started, the shapes seen in
 * real servers and tools. */
#include <pthread.h>
#include <stdlib.h>
#include <threads.h>

struct job { int fd; int stop; char *buf; };

void *reader(void *arg);
void *writer(void *arg);
int prepare(struct job *j);
int reader_c11(void *arg);

/* the second creation fails: the first thread runs on, unjoined */
int start_pair(struct job *j)
{
    pthread_t rd, wr;
    if (pthread_create(&rd, NULL, reader, j) != 0) // expect: thread-leak
        return -1;
    if (pthread_create(&wr, NULL, writer, j) != 0)
        return -1;
    pthread_join(rd, NULL);
    pthread_join(wr, NULL);
    return 0;
}

/* an error check between the creation and the join */
int run_with_check(struct job *j)
{
    pthread_t t;
    int rc = pthread_create(&t, NULL, reader, j); // expect: thread-leak
    if (rc != 0)
        return rc;
    if (prepare(j) < 0) {
        free(j->buf);
        return -1;
    }
    pthread_join(t, NULL);
    return 0;
}

/* goto to a cleanup label that frees but never joins */
int run_goto(struct job *j)
{
    pthread_t t;
    int ret = -1;
    if (pthread_create(&t, NULL, reader, j)) // expect: thread-leak
        goto out;
    if (prepare(j) < 0)
        goto out;
    pthread_join(t, NULL);
    ret = 0;
out:
    free(j->buf);
    return ret;
}

/* never joined at all */
void fire_and_forget(struct job *j)
{
    pthread_t t;
    pthread_create(&t, NULL, writer, j); // expect: thread-leak
}

/* C11 threads: thrd_success tested, then an early return */
int run_c11(struct job *j)
{
    thrd_t t;
    if (thrd_create(&t, reader_c11, j) != thrd_success) // expect: thread-leak
        return -1;
    if (prepare(j))
        return -1;
    thrd_join(t, NULL);
    return 0;
}

/* the status stored by assignment and tested with '!' */
int run_assign(struct job *j)
{
    pthread_t t;
    int rc;
    if (!(rc = pthread_create(&t, NULL, reader, j))) { // expect: thread-leak
        if (j->stop)
            return 1;
        pthread_join(t, NULL);
    }
    return rc;
}
