#include <pthread.h>
struct stats {
    pthread_mutex_t mu;
    unsigned long requests;    /* a counter in every file that touches it */
    unsigned long errors;      /* another file reads it without the lock */
    unsigned long bytes;       /* another file updates it with other state */
    unsigned long batches;
};
extern struct stats g_stats;
