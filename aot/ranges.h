/*
 * ranges.h - sorted lists of half-open guest address ranges [lo, hi): the
 * code sections, the .eh_frame function extents, the extents control-flow
 * recovery derives (cfg.c).
 *
 *     RangeVec r = {0};
 *     if (!ranges_push(&r, 0x400600, 0x400640)) ...out of memory...;
 *     ranges_normalize(&r);                 sorted by lo, non-overlapping
 *     const AddrRange *x = ranges_find(&r, 0x400610);   [0x400600, 0x400640)
 *     ranges_free(&r);
 */
#ifndef DBT_RANGES_H
#define DBT_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct AddrRange {
    uint64_t lo, hi;      /* [lo, hi) */
} AddrRange;

typedef struct RangeVec {
    AddrRange *v;         /* malloc'ed */
    size_t n, cap;        /* in use, allocated */
} RangeVec;

/* Appends [LO, HI); false (and R unchanged) when memory runs out. */
bool ranges_push(RangeVec *r, uint64_t lo, uint64_t hi);
/* Sorts R by lo and makes it non-overlapping: of ranges with the same start
 * the longest stays, a range that starts inside the previous one is cut to
 * start where that one ends (or dropped if nothing is left). */
void ranges_normalize(RangeVec *r);
/* The range of the normalized R that contains A, or NULL. */
const AddrRange *ranges_find(const RangeVec *r, uint64_t a);
void ranges_free(RangeVec *r);

#endif
