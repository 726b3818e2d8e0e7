/* A locked visitor: every callback passed by callers runs under the list
 * lock.  One caller passes a function that prints. */
#include <pthread.h>
#include "list.h"

void list_visit(struct list *l, void (*fn)(struct node *, void *), void *aux)
{
    pthread_mutex_lock(&l->mu);
    for (struct node *n = l->head; n; n = n->next)
        fn(n, aux); // expect: callback-under-lock
    pthread_mutex_unlock(&l->mu);
}

/* a sorted insert whose comparators are all pure */
void list_insert_sorted(struct list *l, struct node *x, int (*cmp)(const struct node *, const struct node *))
{
    pthread_mutex_lock(&l->mu);
    struct node **pp = &l->head;
    while (*pp && cmp(*pp, x) < 0)
        pp = &(*pp)->next;
    x->next = *pp;
    *pp = x;
    pthread_mutex_unlock(&l->mu);
}
