/* ranges.c - sorted lists of guest address ranges (see ranges.h). */
#include "ranges.h"

#include <stdlib.h>

bool ranges_push(RangeVec *r, uint64_t lo, uint64_t hi)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 64;
        AddrRange *nv = realloc(r->v, ncap * sizeof *nv);
        if (nv == NULL)
            return false;
        r->v = nv;
        r->cap = ncap;
    }
    r->v[r->n++] = (AddrRange){lo, hi};
    return true;
}

static int cmp_range(const void *a, const void *b)
{
    const AddrRange *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return x->hi < y->hi ? 1 : x->hi > y->hi ? -1 : 0;  /* longest first */
}

void ranges_normalize(RangeVec *r)
{
    if (r->n == 0)
        return;
    qsort(r->v, r->n, sizeof *r->v, cmp_range);
    size_t u = 1;
    for (size_t i = 1; i < r->n; i++) {
        AddrRange x = r->v[i];
        if (x.lo < r->v[u - 1].hi)
            x.lo = r->v[u - 1].hi;
        if (x.lo < x.hi)
            r->v[u++] = x;
    }
    r->n = u;
}

const AddrRange *ranges_find(const RangeVec *r, uint64_t a)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->v[mid].lo <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && a < r->v[lo - 1].hi ? &r->v[lo - 1] : NULL;
}

void ranges_free(RangeVec *r)
{
    free(r->v);
    *r = (RangeVec){0};
}
