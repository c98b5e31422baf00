/*
 * elf_out.h - reading and patching a linked output ELF in place: what
 * the steps after lld (pcmap.c, symnames.c) share.
 */
#ifndef DBT_REWRITER_ELF_OUT_H
#define DBT_REWRITER_ELF_OUT_H

#include <elf.h>
#include <stddef.h>

typedef struct ElfOut {
    int fd;             /* open read-write */
    Elf64_Ehdr eh;
    Elf64_Shdr *sh;     /* eh.e_shnum headers */
    char *shnames;      /* the section name table, NUL-terminated */
    size_t shnames_size;
} ElfOut;

/* Opens PATH read-write and reads its ELF header, section headers and
 * section names.  0, or -1 with errno set (EINVAL: not a 64-bit ELF with
 * sane section headers); on failure nothing is left open. */
int elf_out_open(ElfOut *e, const char *path);
/* The first section named NAME of type TYPE, or NULL. */
Elf64_Shdr *elf_out_section(const ElfOut *e, const char *name, unsigned type);
/* Reads the section's contents (malloc'ed, SIZE+1 bytes, the last one 0),
 * or NULL. */
void *elf_out_read(const ElfOut *e, const Elf64_Shdr *s);
/* Writes the section headers back (after their fields were changed). */
int elf_out_write_headers(const ElfOut *e);
void elf_out_close(ElfOut *e);

#endif
