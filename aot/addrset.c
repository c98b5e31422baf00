/* addrset.c - set of guest addresses (see addrset.h). */
#include "addrset.h"

#include <assert.h>
#include <stdlib.h>

static size_t hash(uint64_t a, size_t cap) { return (size_t)((a >> 2) * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1); }

void addrset_init(AddrSet *s)
{
    s->cap = 64;
    s->count = 0;
    s->slots = calloc(s->cap, sizeof *s->slots);
}

void addrset_free(AddrSet *s)
{
    free(s->slots);
    s->slots = NULL;
    s->cap = s->count = 0;
}

static void grow(AddrSet *s)
{
    AddrSet n = {calloc(s->cap * 2, sizeof(uint64_t)), s->cap * 2, 0};
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i])
            addrset_add(&n, s->slots[i]);
    free(s->slots);
    *s = n;
}

bool addrset_add(AddrSet *s, uint64_t a)
{
    assert(a != 0);
    if ((s->count + 1) * 2 > s->cap)
        grow(s);
    for (size_t i = hash(a, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == a)
            return false;
        if (s->slots[i] == 0) {
            s->slots[i] = a;
            s->count++;
            return true;
        }
    }
}

bool addrset_has(const AddrSet *s, uint64_t a)
{
    for (size_t i = hash(a, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == a)
            return true;
        if (s->slots[i] == 0)
            return false;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t *addrset_sorted(const AddrSet *s, size_t *n)
{
    uint64_t *out = malloc((s->count ? s->count : 1) * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i])
            out[k++] = s->slots[i];
    qsort(out, k, sizeof *out, cmp_u64);
    *n = k;
    return out;
}
