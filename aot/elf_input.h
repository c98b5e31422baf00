/*
 * elf_input.h - reading the guest AArch64 ELF (libelf).
 *
 * elf_load() reads the whole file, checks that it is an ELF64 little-endian
 * AArch64 executable whose program headers and segments lie inside the file,
 * and collects the loadable segments and the function symbols (.symtab, else
 * .dynsym).  Everything after works on guest virtual addresses through
 * elf_read()/elf_is_code(): run-time addresses, so a position-independent
 * executable (ET_DYN) is seen at the base where the runtime will load it
 * (GuestImage.bias), with its RELATIVE pointers relocated for that base.
 */
#ifndef DBT_ELF_INPUT_H
#define DBT_ELF_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct GuestSegment {
    uint64_t vaddr;      /* p_vaddr */
    uint64_t memsz;      /* p_memsz */
    uint64_t filesz;     /* p_filesz */
    uint64_t offset;     /* p_offset */
    uint32_t flags;      /* p_flags (PF_R/PF_W/PF_X) */
} GuestSegment;

typedef struct GuestSymbol {
    uint64_t addr;       /* st_value */
    uint64_t size;       /* st_size (0 if unknown) */
    char *name;          /* owned */
} GuestSymbol;

/* A guest function that may run as the host's own code (include/bind_table.h). */
typedef struct GuestBind {
    uint64_t addr;       /* its entry */
    unsigned id;         /* enum BindId */
} GuestBind;

typedef struct GuestImage {
    uint8_t *data;       /* the whole file (owned), relocated for bias */
    uint8_t *file;       /* the file unchanged when that differs, else NULL (owned) */
    size_t size;         /* file size */
    uint16_t type;       /* ET_EXEC or ET_DYN */
    uint64_t bias;       /* added to every address of the file: DBT_PIE_BASE
                            for ET_DYN, 0 for ET_EXEC; every address below
                            (segments, symbols, entry) includes it */
    uint64_t entry;      /* e_entry + bias */
    bool has_interp;     /* PT_INTERP present: dynamically linked */
    char *interp;        /* its path, or NULL (owned) */
    char **needed;       /* DT_NEEDED names, in order (owned) */
    size_t nneeded;
    char *runpath;       /* DT_RUNPATH, else DT_RPATH, or NULL (owned) */
    char *soname;        /* DT_SONAME or NULL (owned) */
    uint64_t dt_init, dt_fini; /* DT_INIT, DT_FINI + bias, or 0: code the loader calls */
    uint64_t plt0;             /* + bias: what JUMP_SLOTs hold until bound (PLT0, the
                                  lazy-binding stub every first call goes through), or 0 */
    GuestSegment *segs;  /* PT_LOAD segments, in file order */
    size_t nsegs;
    GuestSymbol *syms;   /* STT_FUNC symbols, sorted by addr, unique addrs */
    size_t nsyms;
    uint64_t *labels;    /* addresses of STT_NOTYPE code labels (assembly entry
                            points such as __wrap_main), sorted, unique;
                            mapping symbols ($x, $d) excluded */
    size_t nlabels;
    GuestBind *binds;    /* functions of a guest glibc (libc.so.6, or a static
                            program with glibc's __libc_setup_tls) whose
                            STT_FUNC symbols name a binding; sorted by addr,
                            unique addrs (the lowest id) */
    size_t nbinds;
    uint64_t errno_location; /* the guest's __errno_location (bound functions that
                                set errno store it through it), or 0 */
} GuestImage;

/* Read and validate PATH.  0 on success, -1 with D set on failure.  An
 * ET_DYN file is placed at DBT_PIE_BASE (meta.h), or at DYN_BASE. */
int elf_load(GuestImage *img, const char *path, Diag *d);
int elf_load_at(GuestImage *img, const char *path, uint64_t dyn_base, Diag *d);
/* Same, from memory (the bytes are copied). */
int elf_load_mem(GuestImage *img, const void *buf, size_t size, Diag *d);
int elf_load_mem_at(GuestImage *img, const void *buf, size_t size, uint64_t dyn_base, Diag *d);
/* The largest input file dbt-aot reads (a program or a library).  Real
 * programs are far smaller (clang, static: ~100 MiB); the tool holds an
 * input several times over (the file, the analysed image, the copy the
 * output embeds), and a sparse file or a device could claim any size. */
#define ELF_MAX_INPUT_BYTES (1ull << 30)
/* The whole file at PATH in a malloc'ed *DATA of *SIZE bytes.  0, or -1
 * with D set ("cannot open: ...", "cannot read: ...", "too large: ..."). */
int elf_read_file(const char *path, uint8_t **data, size_t *size, Diag *d);
void elf_free(GuestImage *img);

/* Copy N bytes at guest address VADDR; bytes past p_filesz read as zero.
 * False if any byte is outside every segment. */
bool elf_read(const GuestImage *img, uint64_t vaddr, void *buf, size_t n);
/* Whether VADDR lies in an executable segment's file-backed part. */
bool elf_is_code(const GuestImage *img, uint64_t vaddr);
/* Whether VADDR is one of the code labels. */
bool elf_is_label(const GuestImage *img, uint64_t vaddr);
/* The function symbol starting at VADDR, or NULL. */
const GuestSymbol *elf_symbol_at(const GuestImage *img, uint64_t vaddr);
/* The binding of the function at VADDR (enum BindId), or 0: by its symbol,
 * or in a stripped executable by its bytes (bind_table.h: BIND_KNOWN_CODE). */
unsigned elf_binding_at(const GuestImage *img, uint64_t vaddr);
/* The function symbol whose [addr, addr+size) contains VADDR, or NULL. */
const GuestSymbol *elf_symbol_containing(const GuestImage *img, uint64_t vaddr);

#endif
