/*
 * meta.h - the metadata the output carries for the runtime
 * (include/meta.h): the embedded guest ELF and the table from
 * guest function entries to translated code.
 */
#ifndef DBT_REWRITER_META_H
#define DBT_REWRITER_META_H

#include <llvm-c/Core.h>
#include <stddef.h>
#include <stdint.h>

#include "objects.h"

typedef struct MetaInput {
    const GuestObjects *objs;    /* the guest ELF files (embedded whole), the program first */
    const char *guest_name;      /* for runtime messages */
    const uint64_t *entries;     /* guest entries, sorted ascending */
    LLVMValueRef *fns;           /* their translated functions */
    size_t n;
    int host_level;              /* x86-64 level the code needs (1-4) */
    const char *jit_lib;         /* path of libdbt_jit.so to record, or NULL */
    const char *const *shared;   /* per object: its host shared object (not
                                    embedded), or NULL; NULL: all embedded */
} MetaInput;

typedef struct LibMetaInput {
    const GuestImage *img;       /* the library's file */
    const char *path;            /* the path the guest opens it by */
    const uint64_t *entries;     /* its functions' guest entries, sorted */
    LLVMValueRef *fns;           /* their translated functions */
    size_t n;
    int host_level;
} LibMetaInput;

/* Emit dbt_meta, the function table and the guest image into MOD. */
void meta_emit(LLVMModuleRef mod, const MetaInput *in);
/* Emit dbt_lib_meta, a library's table and file, for its shared object. */
void lib_meta_emit(LLVMModuleRef mod, const LibMetaInput *in);

#endif
