#include <pthread.h>
struct quota { int bytes; int files; };
extern pthread_rwlock_t quota_rw;
extern struct quota *quota;
