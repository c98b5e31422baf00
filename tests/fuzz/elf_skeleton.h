/*
 * elf_skeleton.h - a minimal valid AArch64 executable around given code
 * bytes, made in memory (fuzz_cfg and the unit tests; no committed binary):
 *
 *     file offset   vaddr        what
 *     0x000         0x400000     ELF header, one program header
 *     0x100         0x400100     .text = the code (LEN bytes)
 *     ...                        .shstrtab, the section headers
 *
 * One PT_LOAD (R+X) maps the whole file, so the code bytes are also the
 * data that jump tables, literal pools and pointer scans read.  The entry
 * point is .text + ENTRY_OFF; .symtab has one function symbol "f" at the
 * start of .text, FUNC_SIZE bytes long (0: all of .text).
 */
#ifndef DBT_TEST_ELF_SKELETON_H
#define DBT_TEST_ELF_SKELETON_H

#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SKEL_BASE 0x400000u
#define SKEL_TEXT 0x100u     /* file offset of .text */

/* The executable in a malloc'ed buffer (NULL if out of memory); *SIZE its length. */
static inline uint8_t *elf_skeleton(const uint8_t *text, size_t len, uint64_t entry_off, uint64_t func_size,
                                    size_t *size)
{
    static const char shstrtab[] = "\0.text\0.shstrtab\0.symtab\0.strtab";
    static const char strtab[] = "\0f";
    size_t str_off = SKEL_TEXT + len;
    size_t strtab_off = str_off + sizeof shstrtab;
    size_t sym_off = (strtab_off + sizeof strtab + 7) & ~(size_t)7;
    size_t sh_off = sym_off + 2 * sizeof(Elf64_Sym);
    size_t total = sh_off + 5 * sizeof(Elf64_Shdr);
    uint8_t *f = calloc(1, total);
    if (f == NULL)
        return NULL;
    Elf64_Ehdr eh = {
        .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_NONE},
        .e_type = ET_EXEC,
        .e_machine = EM_AARCH64,
        .e_version = EV_CURRENT,
        .e_entry = SKEL_BASE + SKEL_TEXT + entry_off,
        .e_phoff = sizeof(Elf64_Ehdr),
        .e_shoff = sh_off,
        .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = 1,
        .e_shentsize = sizeof(Elf64_Shdr),
        .e_shnum = 5,
        .e_shstrndx = 2,
    };
    Elf64_Phdr ph = {
        .p_type = PT_LOAD,
        .p_flags = PF_R | PF_X,
        .p_offset = 0,
        .p_vaddr = SKEL_BASE,
        .p_paddr = SKEL_BASE,
        .p_filesz = total,
        .p_memsz = total,
        .p_align = 0x10000,
    };
    Elf64_Sym sym[2] = {
        {0},
        {.st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 1,
         .st_value = SKEL_BASE + SKEL_TEXT, .st_size = func_size ? func_size : len},
    };
    Elf64_Shdr sh[5] = {
        {0},
        {.sh_name = 1, .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
         .sh_addr = SKEL_BASE + SKEL_TEXT, .sh_offset = SKEL_TEXT, .sh_size = len, .sh_addralign = 4},
        {.sh_name = 7, .sh_type = SHT_STRTAB, .sh_offset = str_off, .sh_size = sizeof shstrtab,
         .sh_addralign = 1},
        {.sh_name = 17, .sh_type = SHT_SYMTAB, .sh_offset = sym_off, .sh_size = sizeof sym, .sh_link = 4,
         .sh_info = 1, .sh_addralign = 8, .sh_entsize = sizeof(Elf64_Sym)},
        {.sh_name = 25, .sh_type = SHT_STRTAB, .sh_offset = strtab_off, .sh_size = sizeof strtab,
         .sh_addralign = 1},
    };
    memcpy(f, &eh, sizeof eh);
    memcpy(f + eh.e_phoff, &ph, sizeof ph);
    memcpy(f + SKEL_TEXT, text, len);
    memcpy(f + str_off, shstrtab, sizeof shstrtab);
    memcpy(f + strtab_off, strtab, sizeof strtab);
    memcpy(f + sym_off, sym, sizeof sym);
    memcpy(f + sh_off, sh, sizeof sh);
    *size = total;
    return f;
}

#endif
