/* Allocations a local cannot replace, or that are someone else's problem:
 * all silent. */
#include <alloca.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct node { struct node *next; int v; };
struct big { char data[256]; };
static struct node *free_list;
void consume(void *p);

/* returned: a constructor */
struct node *node_new(int v)
{
    struct node *n = malloc(sizeof *n);
    if (!n)
        return NULL;
    n->v = v;
    n->next = NULL;
    return n;
}

/* stored into a global list */
void push_global(int v)
{
    struct node *n = malloc(sizeof *n);
    if (!n)
        return;
    n->v = v;
    n->next = free_list;
    free_list = n;
}

/* too big */
int big_buffer(void)
{
    struct big *b = malloc(sizeof *b);
    if (!b)
        return -1;
    memset(b->data, 0, sizeof b->data);
    int r = b->data[3];
    free(b);
    return r;
}

/* size computed at run time */
int computed(size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        return -1;
    memset(s, 'x', n);
    s[n] = 0;
    int r = (int)strlen(s);
    free(s);
    return r;
}

/* freed only on some paths: a leak, not this rule's business */
int leaky(int x)
{
    int *p = malloc(sizeof *p);
    if (!p)
        return -1;
    *p = x;
    if (x > 10)
        return *p;
    free(p);
    return 0;
}

/* collected in a loop, freed after */
int collect(void)
{
    struct node *v[8];
    int s = 0;
    for (int i = 0; i < 8; i++) {
        v[i] = malloc(sizeof *v[i]);
        v[i]->v = i;
    }
    for (int i = 0; i < 8; i++) {
        s += v[i]->v;
        free(v[i]);
    }
    return s;
}

/* allocated in a loop, pointer kept in a local, freed after the loop */
int loop_then_free(int n)
{
    struct node *last = NULL;
    for (int i = 0; i < n; i++) {
        struct node *x = malloc(sizeof *x);
        x->next = last;
        last = x;
    }
    int c = last ? last->v : 0;
    free(last);
    return c;
}

/* handed to an external function that may keep it */
void hand_off(void)
{
    int *p = malloc(sizeof *p);
    if (!p)
        return;
    *p = 1;
    consume(p);
    free(p);
}

/* passed to a thread */
static void *thread_fn(void *arg)
{
    return arg;
}

int to_thread(void)
{
    int *p = malloc(sizeof *p);
    pthread_t t;
    if (!p)
        return -1;
    *p = 3;
    pthread_create(&t, NULL, thread_fn, p);
    pthread_join(t, NULL);
    free(p);
    return 0;
}

/* alloca is already on the stack */
int on_stack(void)
{
    int *p = alloca(sizeof *p);
    *p = 4;
    return *p;
}

/* written through an out-parameter */
int out_param(int **out)
{
    int *p = malloc(sizeof *p);
    if (!p)
        return -1;
    *out = p;
    *out = NULL;
    free(p);
    return 0;
}
