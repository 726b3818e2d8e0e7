/* fingerprint.c - line-shift-stable finding fingerprints. */
#include "fingerprint.h"
#include "err.h"
#include "sort.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FNV_PRIME 1099511628211ull

static uint64_t mix_str(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
    return (h ^ 0xff) * FNV_PRIME;   /* field separator: ("ab","c") != ("a","bc") */
}

static uint64_t key_of(const struct sl_diag *d, struct sl_source_cache *src)
{
    uint64_t h = 14695981039346656037ull;
    h = mix_str(h, d->rule, strlen(d->rule));
    const char *f = d->where.file ? d->where.file : "";
    const char *base = strrchr(f, '/');
    base = base ? base + 1 : f;
    h = mix_str(h, base, strlen(base));
    h = mix_str(h, d->function ? d->function : "", d->function ? strlen(d->function) : 0);
    size_t len = 0;
    const char *line = d->where.file ? sl_sources_line(src, d->where.file, d->where.line, &len)
                                     : NULL;
    if (line) {
        for (size_t i = 0; i < len; i++)
            if (!isspace((unsigned char)line[i])) h = (h ^ (unsigned char)line[i]) * FNV_PRIME;
    } else {
        /* no text (unreadable file): the message is the best stable content */
        h = mix_str(h, d->message, strlen(d->message));
    }
    return (h ^ 0xfe) * FNV_PRIME;
}

struct keyed { uint64_t key; size_t index; };

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

void sl_fingerprint_all(struct sl_diag_list *l, struct sl_source_cache *src)
{
    if (l->n == 0) return;
    struct keyed *k = sl_xcalloc(l->n, sizeof *k);
    for (size_t i = 0; i < l->n; i++) {
        k[i].key = key_of(&l->items[i], src);
        k[i].index = i;
    }
    sl_sort(k, l->n, sizeof *k, cmp_keyed);
    uint64_t occ = 0;
    for (size_t i = 0; i < l->n; i++) {
        occ = i > 0 && k[i].key == k[i - 1].key ? occ + 1 : 0;
        uint64_t h = k[i].key ^ (occ * 0x9e3779b97f4a7c15ull);
        struct sl_diag *d = &l->items[k[i].index];
        snprintf(d->fingerprint, sizeof d->fingerprint, "%016llx", (unsigned long long)h);
    }
    free(k);
}
