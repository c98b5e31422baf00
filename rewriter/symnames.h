/*
 * symnames.h - the guest's function names on the translated functions of
 * a linked output, for perf, gdb and addr2line.
 */
#ifndef DBT_REWRITER_SYMNAMES_H
#define DBT_REWRITER_SYMNAMES_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct SymName {
    uint64_t entry;     /* guest entry of a translated function */
    const char *name;   /* the guest's symbol there */
} SymName;

/* Renames, in the symbol table of the linked ELF file PATH, each local
 * symbol of a translated function (lifter.h: lift_function_name,
 * "g_%016llx") whose entry is in NAMES (N entries sorted by entry) to its
 * guest name.  The symbols stay local, so a guest `main` or `memcpy` never
 * meets the runtime's or the host libc's symbols; entries without a name
 * keep theirs.  Only .symtab and .strtab change (the string table grows
 * and moves to the end of the file with the section headers).  0, or -1
 * with D set. */
int symnames_apply(const char *path, const SymName *names, size_t n, Diag *d);

#endif
