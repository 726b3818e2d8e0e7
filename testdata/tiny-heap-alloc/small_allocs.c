/* Small constant-size allocations that never outlive the call. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair { int a, b; };
struct key { uint32_t hash; uint16_t len; char tag[8]; };

static int pair_parse(const char *s, int *a, int *b)
{
    *a = atoi(s);
    *b = s[0] ? atoi(s + 1) : 0;
    return 0;
}

int parse_pair(const char *s, int *out)
{
    struct pair *p = malloc(sizeof *p); // expect: tiny-heap-alloc
    if (!p)
        return -ENOMEM;
    int rc = pair_parse(s, &p->a, &p->b);
    *out = p->a + p->b;
    free(p);
    return rc;
}

uint32_t key_hash(const char *name)
{
    struct key *k = calloc(1, sizeof(struct key)); // expect: tiny-heap-alloc
    if (k == NULL)
        return 0;
    k->len = (uint16_t)strlen(name);
    memcpy(k->tag, name, k->len < 8 ? k->len : 8);
    k->hash = k->len * 2654435761u;
    uint32_t h = k->hash;
    free(k);
    return h;
}

/* literal size, a buffer for snprintf */
void log_id(int id)
{
    char *buf = malloc(32); // expect: tiny-heap-alloc
    if (!buf)
        return;
    snprintf(buf, 32, "id=%d", id);
    puts(buf);
    free(buf);
}

/* goto cleanup frees it on every path */
int with_cleanup(const char *s)
{
    int rc = -1;
    int *tmp = malloc(4 * sizeof(int)); // expect: tiny-heap-alloc
    if (!tmp)
        return -ENOMEM;
    if (!s)
        goto out_free;
    tmp[0] = s[0];
    tmp[1] = tmp[0] + 1;
    rc = tmp[1];
out_free:
    free(tmp);
    return rc;
}

/* assigned after declaration; freed in both branches */
int both_branches(int x)
{
    long *v;
    v = malloc(sizeof(long) * 2); // expect: tiny-heap-alloc
    if (v == NULL)
        return -1;
    v[0] = x;
    if (x > 3) {
        free(v);
        return 1;
    }
    v[1] = v[0] * 2;
    free(v);
    return 0;
}

/* allocated and freed inside one loop iteration */
int per_iteration(int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        struct pair *p = malloc(sizeof *p); // expect: tiny-heap-alloc
        if (!p)
            break;
        p->a = i;
        p->b = i * i;
        total += p->a + p->b;
        free(p);
    }
    return total;
}

/* switch with every case reaching the free */
int by_kind(int kind)
{
    struct pair *p = malloc(sizeof(struct pair)); // expect: tiny-heap-alloc
    if (!p)
        return -1;
    switch (kind) {
    case 0: p->a = 1; break;
    case 1: p->a = 2; break;
    default: p->a = 0; break;
    }
    int a = p->a;
    free(p);
    return a;
}

/* passed to a same-file helper that only reads it */
static int pair_sum(const struct pair *p) { return p->a + p->b; }

int helper_reads(int a, int b)
{
    struct pair *p = malloc(sizeof *p); // expect: tiny-heap-alloc
    if (!p)
        return 0;
    p->a = a;
    p->b = b;
    int s = pair_sum(p);
    free(p);
    return s;
}
