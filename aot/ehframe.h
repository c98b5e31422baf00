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

#endif
