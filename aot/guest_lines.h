/*
 * guest_lines.h - the guest's DWARF line table (.debug_line), read with
 * libdwarf: which source file and line each guest address comes from,
 * for -g (the lifter's debug information, lifter/debuginfo.c).
 */
#ifndef DBT_AOT_GUEST_LINES_H
#define DBT_AOT_GUEST_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "lifter.h"

typedef struct GuestLineRow {
    uint64_t addr;      /* guest address (with the image's bias) */
    uint32_t file;      /* index into files */
    uint32_t line;      /* 0: no line from here (end of a sequence) */
} GuestLineRow;

typedef struct GuestLines {
    GuestLineRow *rows; /* sorted by addr, one per address */
    size_t nrows;
    char **files;       /* full paths, each once (owned) */
    size_t nfiles;
} GuestLines;

/* Reads the line table of the ELF file PATH, whose addresses are shifted
 * by BIAS in the guest.  A file without DWARF gives an empty table and 0;
 * -1 with D set only when the DWARF is there but cannot be read. */
int guest_lines_read(GuestLines *gl, const char *path, uint64_t bias, Diag *d);
/* The source position of guest address PC: the row at or before it. */
bool guest_lines_at(const GuestLines *gl, uint64_t pc, LiftLine *out);
void guest_lines_free(GuestLines *gl);

#endif
