/*
 * pcmap.h - putting the output's map of guest memory accesses
 * (include/meta.h: DBT_PCMAP_SECTION) in a canonical order.
 */
#ifndef DBT_REWRITER_PCMAP_H
#define DBT_REWRITER_PCMAP_H

#include "diag.h"

/* Rewrites the DBT_PCMAP_SECTION of the linked ELF file PATH in place:
 * its groups sorted by guest pc, the host pcs of each sorted, zeros after
 * the last group.  The runtime reads the same pairs (it sorts them
 * anyway); the file no longer depends on the order in which LLVM emitted
 * them, which follows addresses of its own data structures and changes
 * from run to run.  0, or -1 with D set.  No section: nothing to do. */
int pcmap_canonicalize(const char *path, Diag *d);

#endif
