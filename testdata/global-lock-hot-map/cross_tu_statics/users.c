/* positive: a user directory behind one static lock, keyed in three
 * functions through the hashmap.c calls. */
#include <pthread.h>
#include "hashmap.h"

struct user { unsigned uid; int logged_in; };

static pthread_mutex_t g_users_mu = PTHREAD_MUTEX_INITIALIZER; // expect: global-lock-hot-map
static struct hashmap *g_users;

struct user *user_lookup(const char *login)
{
    struct user *u;
    pthread_mutex_lock(&g_users_mu);
    u = hm_lookup(g_users, login);
    pthread_mutex_unlock(&g_users_mu);
    return u;
}

int user_add(const char *login, struct user *u)
{
    int rc;
    pthread_mutex_lock(&g_users_mu);
    rc = hm_insert(g_users, login, u);
    pthread_mutex_unlock(&g_users_mu);
    return rc;
}

struct user *user_delete(const char *login)
{
    struct user *u;
    pthread_mutex_lock(&g_users_mu);
    u = hm_erase(g_users, login);
    pthread_mutex_unlock(&g_users_mu);
    return u;
}

/* Every login request looks its user up under the same lock: the hot path. */
int handle_login_request(const char *login)
{
    struct user *u;
    pthread_mutex_lock(&g_users_mu);
    u = hm_lookup(g_users, login);
    if (u)
        u->logged_in = 1;
    pthread_mutex_unlock(&g_users_mu);
    return u ? 0 : -1;
}
