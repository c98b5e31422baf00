/*
 * addrset.h - a set of guest addresses (open addressing, linear probing),
 * plus a sorted-array export.  Address 0 is never a guest code address
 * and marks empty slots.
 */
#ifndef DBT_ADDRSET_H
#define DBT_ADDRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct AddrSet {
    uint64_t *slots;     /* 0 = empty */
    size_t cap;          /* power of two */
    size_t count;        /* number of members */
} AddrSet;

void addrset_init(AddrSet *s);
void addrset_free(AddrSet *s);
/* Insert A (nonzero); true if it was not there. */
bool addrset_add(AddrSet *s, uint64_t a);
bool addrset_has(const AddrSet *s, uint64_t a);
/* The members, sorted ascending, malloc'ed; *n set to the count. */
uint64_t *addrset_sorted(const AddrSet *s, size_t *n);

#endif
