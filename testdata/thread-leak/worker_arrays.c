/* thread-leak: workers started into a local array, a failure in the
 * middle returning without joining those already running. */
#include <pthread.h>
#include <stdlib.h>

#define N_WORKERS 4

struct worker { pthread_t tid; int id; struct pool *pool; };
struct pool { int n; int stop; };

void *work(void *arg);

int run_pool(struct pool *p)
{
    pthread_t tids[N_WORKERS];
    for (int i = 0; i < N_WORKERS; i++) {
        if (pthread_create(&tids[i], NULL, work, p) != 0) // expect: thread-leak
            return -1;
    }
    for (int i = 0; i < N_WORKERS; i++)
        pthread_join(tids[i], NULL);
    return 0;
}

/* heap-allocated handles, a failure breaking out to a return */
int run_heap(struct pool *p, int n)
{
    pthread_t *tids = calloc((size_t)n, sizeof *tids);
    if (!tids)
        return -1;
    for (int i = 0; i < n; i++) {
        if (pthread_create(tids + i, NULL, work, p)) { // expect: thread-leak
            free(tids);
            return -1;
        }
    }
    for (int i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    return 0;
}

/* a local array of worker records, each holding its thread */
int run_records(struct pool *p)
{
    struct worker ws[N_WORKERS];
    for (int i = 0; i < N_WORKERS; i++) {
        ws[i].id = i;
        ws[i].pool = p;
        if (pthread_create(&ws[i].tid, NULL, work, &ws[i])) // expect: thread-leak
            return -1;
    }
    if (p->stop)
        return 0;
    for (int i = 0; i < N_WORKERS; i++)
        pthread_join(ws[i].tid, NULL);
    return 0;
}

/* one handle reused for every connection: each creation drops the last */
void serve(int *fds, int n)
{
    pthread_t t;
    for (int i = 0; i < n; i++)
        pthread_create(&t, NULL, work, &fds[i]); // expect: thread-leak
    pthread_join(t, NULL);
}
