/*
 * ehframe.h - function extents from the unwind tables (.eh_frame): where
 * the functions of a stripped program begin and end.  See ehframe.c for
 * the format and what is read of it.
 */
#ifndef DBT_EHFRAME_H
#define DBT_EHFRAME_H

#include "elf_input.h"
#include "ranges.h"
#include "sections.h"

/* The extents [pc_begin, pc_begin + pc_range) of the FDEs in IMG's
 * .eh_frame - the section SEC names, else the one PT_GNU_EH_FRAME leads to
 * - whose start is code (sections_is_code).  OUT, empty on entry, gets
 * them normalized: sorted by lo, non-overlapping (ranges_normalize).
 * A missing .eh_frame gives none; a malformed one gives the FDEs read
 * before the first record that cannot be read (never an error).  Returns
 * 0, or -1 if out of memory (OUT then empty). */
int ehframe_ranges(const GuestImage *img, const GuestSections *sec, RangeVec *out);

/* A C++ landing pad: where the unwinder resumes a function (FN, the start
 * of its FDE) to run its cleanups or catch clauses. */
typedef struct LandingPad {
    uint64_t fn, pad;
} LandingPad;
typedef struct LandingPads {
    LandingPad *v;   /* sorted by fn, then pad; unique */
    size_t n, cap;
} LandingPads;

/* The landing pads of the functions whose FDE has a language-specific data
 * area (the 'L' augmentation: GCC's .gcc_except_table call-site tables),
 * added to OUT (empty on entry).  Unreadable records or tables give fewer
 * pads, never an error.  0, or -1 if out of memory (OUT then empty). */
int ehframe_landing_pads(const GuestImage *img, const GuestSections *sec, LandingPads *out);
void ehframe_pads_free(LandingPads *p);

#endif
