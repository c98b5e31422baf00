/* addrset.c - set of guest addresses (see addrset.h): a u64_map.h map whose
 * values are unused. */
#include "addrset.h"
#include "diag.h"

#include <assert.h>
#include <stdlib.h>

void addrset_init(AddrSet *s) { *s = (AddrSet){{0}}; }

void addrset_free(AddrSet *s) { u64map_free(&s->map); }

bool addrset_add(AddrSet *s, uint64_t a)
{
    assert(a != 0);
    bool added;
    if (u64map_insert(&s->map, a, &added) == NULL)
        diag_out_of_memory();
    return added;
}

bool addrset_has(const AddrSet *s, uint64_t a) { return u64map_find(&s->map, a) != NULL; }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t *addrset_sorted(const AddrSet *s, size_t *n)
{
    uint64_t *out = malloc((s->map.n ? s->map.n : 1) * sizeof *out);
    if (out == NULL)
        diag_out_of_memory();
    size_t k = 0;
    for (size_t i = 0; i < s->map.cap; i++)
        if (s->map.e[i].key)
            out[k++] = s->map.e[i].key;
    qsort(out, k, sizeof *out, cmp_u64);
    *n = k;
    return out;
}
