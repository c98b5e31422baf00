/*
 * meta.h - what the offline tool leaves in the output ELF for the runtime.
 *
 * The tool emits one DbtMeta object named DBT_META_SYMBOL.  It points at the
 * embedded guest ELF file (mapped by runtime/loader.c exactly as the kernel
 * would map it on an Arm machine) and at the table of translated functions,
 * sorted by guest PC, that runtime/dispatch.c searches for indirect
 * branches, and at the JIT library the runtime loads for guest code the
 * table misses (runtime/jit_host.c).
 */
#ifndef DBT_META_H
#define DBT_META_H

#include <stdint.h>
#include <string.h>
#include "cpu_state.h"

#define DBT_META_SYMBOL "dbt_meta"
/* The section of the translated code in the output (the linker script
 * brackets it with __dbt_code_start and __dbt_code_end). */
#define DBT_CODE_SECTION ".dbt.text"
#define DBT_META_MAGIC 0x4154414d54424400ull /* "\0DBTMATA" */
#define DBT_META_VERSION 4

/* One translated guest function. */
typedef struct DbtFnEntry {
    uint64_t guest_pc;   /* guest address of the function's entry */
    GuestFn fn;          /* translated code */
} DbtFnEntry;

/* Host pc -> guest pc of the guest's memory accesses, for fault reports.
 * The lifter marks each access with LLVM's PC-sections metadata
 * (lifter.c: mem_mark), whose auxiliary data is {DBT_PCMAP_MARK, guest
 * pc}.  For each metadata node LLVM writes into the section
 * DBT_PCMAP_SECTION the host pc of every machine instruction carrying it
 * (a 32-bit offset from the word itself; several when a pass duplicated
 * the access, an unrolled loop) and then the auxiliary data once: the
 * section is a sequence of 32-bit words, offsets that are negative (the
 * code lies before the section: linker-scripts/x86_64-output.ld) until a
 * DBT_PCMAP_MARK, which is followed by the 64-bit guest pc of the offsets
 * since the previous mark.  Unaligned, in no particular order; the
 * linker script brackets it with __dbt_pcmap_start and __dbt_pcmap_end
 * (runtime/codemap.c reads it). */
#define DBT_PCMAP_SECTION "dbt_pcmap"
#define DBT_PCMAP_MARK 0x50434d41u /* "AMCP": positive, never an offset */

/* Reads a DBT_PCMAP_SECTION: its SIZE bytes at SECTION, which lie at
 * address BASE (the offsets count from there), calling PAIR(host pc, guest
 * pc, ARG) for every access listed.  Stops at the first word that is
 * neither an offset nor the mark (zeros after the last group); offsets
 * not followed by a mark are not reported.  The runtime (codemap.c) and
 * the tool (rewriter/pcmap.c) both read the section with it. */
static inline void dbt_pcmap_walk(const uint8_t *section, uint64_t size, uint64_t base,
                                  void (*pair)(uint64_t host, uint64_t guest, void *arg), void *arg)
{
    uint64_t group = 0; /* where the current group's offsets begin */
    for (uint64_t p = 0; p + 4 <= size;) {
        int32_t word;
        memcpy(&word, section + p, sizeof word); /* unaligned */
        if ((uint32_t)word == DBT_PCMAP_MARK && p + 12 <= size) {
            uint64_t guest;
            memcpy(&guest, section + p + 4, sizeof guest);
            for (uint64_t q = group; q < p; q += 4) {
                int32_t off;
                memcpy(&off, section + q, sizeof off);
                pair(base + q + (uint64_t)(int64_t)off, guest, arg);
            }
            p += 12;
            group = p;
        } else if (word < 0) {
            p += 4;
        } else {
            break;
        }
    }
}

/* Where a position-independent guest executable (ET_DYN) is loaded: the
 * offline tool translates it for this base (DbtMeta.load_bias) and the
 * runtime maps it there.  qemu-aarch64's default base for such programs;
 * far from the output's own image and the host's libraries. */
#define DBT_PIE_BASE 0x5500000000ull
/* Where the interpreter of a dynamically linked program exec'd through the
 * JIT goes when the output does not embed it (runtime/exec.c): above the
 * PIE base, below the library slots. */
#define DBT_FOREIGN_INTERP_BASE 0x5800000000ull
/* Where the shared objects of a dynamically linked guest are loaded: one
 * of DBT_LIB_SLOTS slots of 1 GiB above DBT_LIB_BASE each, chosen by a
 * hash of the file (aot/objects.c), so that a library has the same base in
 * every program (0x60_0000_0000 .. 0x1060_0000_0000, below the output's
 * own image at 0x2000_0000_0000). */
#define DBT_LIB_BASE 0x6000000000ull
#define DBT_LIB_STRIDE 0x40000000ull
#define DBT_LIB_SLOTS 4096ull

/* One guest object embedded in the output: the program, or a shared object
 * of a dynamically linked one (its interpreter first). */
typedef struct DbtObject {
    const char *path;            /* the path the guest opens it by (ld.so's search) */
    const uint8_t *image;        /* the ELF file, whole; NULL until loaded when shared */
    uint64_t size;
    uint64_t bias;               /* added to its vaddrs: where it was translated for */
    const char *shared;          /* NULL: embedded in this output; else the host
                                    shared object holding the file and its
                                    translation (dbt-aot --shared-libs) */
} DbtObject;

/* A library translated into a host shared object of its own (dbt-aot
 * --shared-libs DIR): outputs name it in DbtObject.shared, the runtime
 * dlopens it and looks this symbol up. */
#define DBT_LIB_META_SYMBOL "dbt_lib_meta"
typedef struct DbtLibMeta {
    uint64_t magic;              /* DBT_META_MAGIC */
    uint32_t version;            /* DBT_META_VERSION */
    uint32_t host_level;         /* x86-64 level its code needs (1-4) */
    DbtObject object;            /* path, image, size, bias; shared = NULL */
    const DbtFnEntry *fns;       /* its translated functions, sorted by guest_pc */
    uint64_t nfns;
    const char *code_start, *code_end;     /* NULL: its executable segment, where
                                              the runtime finds it (shared_libs.c) */
    const char *pcmap_start, *pcmap_end;   /* its DBT_PCMAP_SECTION */
} DbtLibMeta;

typedef struct DbtMeta {
    uint64_t magic;              /* DBT_META_MAGIC */
    uint32_t version;            /* DBT_META_VERSION */
    uint32_t host_level;         /* x86-64 micro-architecture level the code needs (1-4) */
    const uint8_t *image;        /* the guest ELF file, whole */
    uint64_t image_size;         /* its size in bytes */
    uint64_t load_bias;          /* added to guest vaddrs (0 for ET_EXEC) */
    const DbtFnEntry *fns;       /* translated functions, sorted by guest_pc */
    uint64_t nfns;               /* number of entries in fns */
    const char *guest_name;      /* input file name, for messages */
    const char *jit_lib;         /* the libdbt_jit.so of the dbt-aot that made
                                    this output (absolute), or NULL; $DBT_JIT_LIB
                                    overrides it */
    const DbtObject *objects;    /* [0] the program (= image, load_bias), then
                                    its interpreter and libraries */
    uint64_t nobjects;
} DbtMeta;

_Static_assert(sizeof(DbtFnEntry) == 16, "DbtFnEntry layout");
_Static_assert(sizeof(DbtMeta) == 88, "DbtMeta layout");
_Static_assert(sizeof(DbtObject) == 40, "DbtObject layout");
_Static_assert(sizeof(DbtLibMeta) == 104, "DbtLibMeta layout");

#endif
