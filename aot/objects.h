/*
 * objects.h - the guest objects one translation covers: the program and,
 * for a dynamically linked one, its interpreter (PT_INTERP) and the
 * DT_NEEDED closure, found in a sysroot the way the guest's ld.so will
 * find them at run time.
 *
 * Every object is translated for a fixed base (docs/architecture.md,
 * "Position-independent executables"): the program at DBT_PIE_BASE (if it
 * is ET_DYN), each library in a slot of DBT_LIB_STRIDE bytes above
 * DBT_LIB_BASE chosen by a hash of its bytes (include/meta.h), so
 * the same library has the same base in every program.  Order: the
 * program, its interpreter, then breadth-first by DT_NEEDED.
 */
#ifndef DBT_OBJECTS_H
#define DBT_OBJECTS_H

#include <stddef.h>

#include "diag.h"
#include "elf_input.h"

typedef struct GuestObjects {
    GuestImage *imgs;    /* [0] the program, then the libraries (owned) */
    char **paths;        /* each one's path as the guest sees it (owned) */
    char **files;        /* and the file it was read from (owned) */
    size_t n;
} GuestObjects;

/* Load the program at PATH and, when it has an interpreter, the objects
 * it needs from SYSROOT (required then), and the libraries a run recorded
 * in the file RECORDED (DBT_RECORD; NULL: none).  0, or -1 with D set. */
int objects_load(GuestObjects *o, const char *path, const char *sysroot, const char *recorded, Diag *d);
void objects_free(GuestObjects *o);
/* The object whose segments contain ADDR, or NULL. */
const GuestImage *objects_at(const GuestObjects *o, uint64_t addr);

#endif
