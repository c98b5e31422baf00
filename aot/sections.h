/*
 * sections.h - what the guest file says beyond its loadable segments
 * (elf_input.h): which addresses are code, and where the unwind tables
 * are.  Read once with libelf, for control-flow recovery (cfg.c) and the
 * .eh_frame reader (ehframe.h).
 *
 * The executable segment of a typical static program also holds .rodata
 * and .eh_frame; the SHF_EXECINSTR sections say which part of it is code.
 * strip keeps the section headers, sstrip removes them: then the
 * executable segments are the code and PT_GNU_EH_FRAME is the only way to
 * .eh_frame.
 */
#ifndef DBT_SECTIONS_H
#define DBT_SECTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "elf_input.h"
#include "ranges.h"

typedef struct GuestSections {
    RangeVec code;               /* SHF_ALLOC|SHF_EXECINSTR PROGBITS sections,
                                    normalized; empty without section headers,
                                    or if they miss the entry point (then they
                                    are not trusted) */
    bool has_eh_frame;           /* a .eh_frame section (SHF_ALLOC PROGBITS,
                                    not empty) lies inside the file */
    uint64_t eh_frame_addr;      /* its sh_addr */
    uint64_t eh_frame_offset;    /* its sh_offset */
    uint64_t eh_frame_size;      /* its sh_size */
    bool has_eh_frame_hdr;       /* a PT_GNU_EH_FRAME program header */
    uint64_t eh_frame_hdr_addr;  /* its p_vaddr: .eh_frame_hdr */
} GuestSections;

/* Fills S from IMG's headers.  A file libelf cannot read has no sections
 * (elf_load has validated the program headers already).  Returns 0, or -1
 * if out of memory (S then empty). */
int sections_read(GuestSections *s, const GuestImage *img);
void sections_free(GuestSections *s);
/* Whether A is code: in an executable segment's file-backed part and, when
 * S has code sections, in one of them. */
bool sections_is_code(const GuestSections *s, const GuestImage *img, uint64_t a);

#endif
