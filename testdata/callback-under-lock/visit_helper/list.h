#include <pthread.h>
struct node { int key; const char *name; struct node *next; };
struct list { pthread_mutex_t mu; struct node *head; };
void list_visit(struct list *l, void (*fn)(struct node *, void *), void *aux);
void list_insert_sorted(struct list *l, struct node *x, int (*cmp)(const struct node *, const struct node *));
