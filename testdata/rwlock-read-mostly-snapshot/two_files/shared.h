#include <pthread.h>
struct tls_settings { int min_version; int ciphers; };
extern pthread_rwlock_t tls_rw;
extern struct tls_settings *tls_settings;
