#include <stdio.h>
#include <string.h>
#include "list.h"

static void print_node(struct node *n, void *aux)
{
    fprintf((FILE *)aux, "%d %s\n", n->key, n->name);
}

static void sum_node(struct node *n, void *aux)
{
    *(long *)aux += n->key;
}

static int by_key(const struct node *a, const struct node *b)
{
    return a->key - b->key;
}

static int by_name(const struct node *a, const struct node *b)
{
    return strcmp(a->name, b->name);
}

void report(struct list *l, FILE *out, struct node *extra, struct node *named)
{
    long total = 0;
    list_visit(l, sum_node, &total);
    list_visit(l, print_node, out);
    list_insert_sorted(l, extra, by_key);
    list_insert_sorted(l, named, by_name);
}
