/*
 * addrset.h - a set of guest addresses (include/u64_map.h, the hash
 * map the runtime and the JIT use too), plus a sorted-array export.
 * Address 0 is never a guest code address and marks empty slots.
 */
#ifndef DBT_ADDRSET_H
#define DBT_ADDRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "u64_map.h"

typedef struct AddrSet {
    U64Map map;          /* members are the keys (values unused) */
} AddrSet;

void addrset_init(AddrSet *s);
void addrset_free(AddrSet *s);
/* Insert A (nonzero); true if it was not there. */
bool addrset_add(AddrSet *s, uint64_t a);
bool addrset_has(const AddrSet *s, uint64_t a);
/* The members, sorted ascending, malloc'ed; *n set to the count. */
uint64_t *addrset_sorted(const AddrSet *s, size_t *n);

#endif
