/* sort.h - qsort for arrays that may be empty.
 *
 * qsort's pointer must not be NULL even when the count is 0 (C11 7.22.5),
 * and an empty growable array is exactly that: UBSan reports it.  Every
 * sort of the analyser goes through here. */
#ifndef SL_SORT_H
#define SL_SORT_H
#include <stdlib.h>

static inline void sl_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1) qsort(base, n, size, cmp);
}

#endif
