/* test_strmap.c - the core string map: put/get across growth, and interning
 * (one copy of each key, the caller's buffer not kept). */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "strmap.h"

int main(void)
{
    struct sl_arena a;
    sl_arena_init(&a);
    struct sl_strmap *m = sl_strmap_new(&a);
    uint32_t v = 7;
    CHECK(!sl_strmap_get(m, "absent", &v) && v == 7, "an empty map has no key; v=%u", v);

    char key[32];
    for (uint32_t i = 0; i < 5000; i++) {   /* many growths */
        snprintf(key, sizeof key, "k%u", i);
        CHECK(sl_strmap_put(m, key, i) == i, "put %s", key);
    }
    CHECK(sl_strmap_put(m, "k42", 9999) == 42, "put of a present key keeps its value");
    int wrong = 0;
    for (uint32_t i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%u", i);
        if (!sl_strmap_get(m, key, &v) || v != i) wrong++;
    }
    CHECK(wrong == 0, "%d of 5000 keys lost or wrong after growth", wrong);
    CHECK(!sl_strmap_get(m, "k5000", &v), "a key never put is absent");

    struct sl_strmap *names = sl_strmap_new(&a);
    strcpy(key, "lib/dpif-netdev.c");
    const char *x = sl_strmap_intern(names, key);
    strcpy(key, "overwritten");
    const char *y = sl_strmap_intern(names, "lib/dpif-netdev.c");
    CHECK(x == y, "interning the same string twice gives one copy (%p, %p)", (void *)x, (void *)y);
    CHECK(!strcmp(x, "lib/dpif-netdev.c"), "the interned copy is the map's own: '%s'", x);
    CHECK(sl_strmap_intern(names, "lib/other.c") != x, "another string, another copy");

    /* set replaces where put keeps */
    sl_strmap_set(m, "k42", 4242);
    CHECK(sl_strmap_get(m, "k42", &v) && v == 4242, "set replaces a present key's value: %u", v);
    sl_strmap_set(m, "fresh", 5);
    CHECK(sl_strmap_get(m, "fresh", &v) && v == 5, "set inserts an absent key: %u", v);

    sl_arena_free(&a);
    return CHECK_DONE();
}
