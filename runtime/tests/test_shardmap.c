/* test_shardmap.c - sl_shardmap: units, ownership, and a stress test with
 * concurrent updates (no lost increments) and inserts/deletes. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synclint/shardmap.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

static _Atomic int frees;
static void free_val(void *v) { atomic_fetch_add(&frees, 1); free(v); }

static int bump(void **value, bool found, void *arg)
{
    (void)arg;
    if (!found) {
        long *n = malloc(sizeof *n);
        if (!n) return -ENOMEM;
        *n = 0;
        *value = n;
    }
    return (int)++*(long *)*value;
}

static int sum_cb_total;
static void sum_cb(const char *k, void *v, void *arg) { (void)k; (void)arg; sum_cb_total += (int)*(long *)v; }

static sl_shardmap map;
enum { T = 4, ROUNDS = 20000, KEYS = 97 };

static void *worker(void *arg)
{
    long id = (long)arg;
    char key[32], own[32];
    for (int i = 0; i < ROUNDS; i++) {
        snprintf(key, sizeof key, "shared-%d", i % KEYS);
        sl_shardmap_update(&map, key, bump, NULL);
        snprintf(own, sizeof own, "t%ld-%d", id, i % 50);
        long *v = malloc(sizeof *v);
        *v = 1;
        sl_shardmap_put(&map, own, v, NULL);          /* replaced values are freed */
        if (i % 3 == 0) sl_shardmap_delete(&map, own, NULL);
    }
    return NULL;
}

int main(void)
{
    CHECK(sl_shardmap_init(&map, 5000, free_val) == -EINVAL);
    CHECK(sl_shardmap_init(&map, 3, free_val) == 0 && map.nshards == 4);
    void *v = NULL, *old = NULL;
    CHECK(sl_shardmap_get(&map, "a", &v) == -ENOENT);
    long *one = malloc(sizeof *one), *two = malloc(sizeof *two);
    *one = 1; *two = 2;
    CHECK(sl_shardmap_put(&map, "a", one, &old) == 0 && old == NULL);
    CHECK(sl_shardmap_get(&map, "a", &v) == 0 && v == one);
    CHECK(sl_shardmap_put(&map, "a", two, &old) == 0 && old == one);   /* handed back */
    free(one);
    CHECK(sl_shardmap_count(&map) == 1);
    CHECK(sl_shardmap_delete(&map, "a", &old) == 0 && old == two);
    free(two);
    CHECK(sl_shardmap_delete(&map, "a", NULL) == -ENOENT);
    CHECK(sl_shardmap_update(&map, "n", bump, NULL) == 1);
    CHECK(sl_shardmap_update(&map, "n", bump, NULL) == 2);
    for (int i = 0; i < 1000; i++) {                     /* per-shard growth */
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        CHECK(sl_shardmap_update(&map, k, bump, NULL) == 1);
    }
    CHECK(sl_shardmap_count(&map) == 1001);
    sl_shardmap_destroy(&map);
    CHECK(atomic_load(&frees) == 1001);

    CHECK(sl_shardmap_init(&map, 0, free_val) == 0);
    pthread_t t[T];
    for (long i = 0; i < T; i++) CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
    for (int i = 0; i < T; i++) pthread_join(t[i], NULL);
    sum_cb_total = 0;
    /* sum only the shared counters */
    long total = 0;
    for (int k = 0; k < KEYS; k++) {
        char key[32];
        snprintf(key, sizeof key, "shared-%d", k);
        void *p;
        if (sl_shardmap_get(&map, key, &p) == 0) total += *(long *)p;
    }
    CHECK(total == (long)T * ROUNDS);                     /* no lost updates */
    sl_shardmap_each(&map, sum_cb, NULL);
    CHECK(sum_cb_total >= T * ROUNDS);
    sl_shardmap_destroy(&map);
    printf("shardmap: %d failures\n", failures);
    return failures != 0;
}
