/* Project allocation wrappers: xmalloc / xzalloc, a function-pointer
 * allocator like curl's, and a free wrapper macro. */
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n);
void *xzalloc(size_t n);
extern void *(*Curl_cmalloc)(size_t size);
extern void (*Curl_cfree)(void *ptr);
#define cmalloc(sz) Curl_cmalloc(sz)
#define cfree(p) Curl_cfree(p)

struct flow_key { unsigned src, dst; unsigned short sport, dport; };

static void *my_alloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

unsigned flow_hash(unsigned src, unsigned dst)
{
    struct flow_key *k = xzalloc(sizeof *k); // expect: tiny-heap-alloc
    k->src = src;
    k->dst = dst;
    unsigned h = k->src ^ (k->dst * 31u);
    free(k);
    return h;
}

int curl_style(const char *host)
{
    char *name = cmalloc(16); // expect: tiny-heap-alloc
    if (!name)
        return 1;
    strncpy(name, host, 15);
    name[15] = 0;
    int n = (int)strlen(name);
    cfree(name);
    return n;
}

int own_wrapper(void)
{
    int *v = my_alloc(2 * sizeof(int)); // expect: tiny-heap-alloc
    v[0] = 1;
    v[1] = 2;
    int s = v[0] + v[1];
    free(v);
    return s;
}
