/*
 * codegen.h - optimizing the lifted module and emitting an x86-64 object.
 */
#ifndef DBT_CODEGEN_H
#define DBT_CODEGEN_H

#include <llvm-c/Core.h>

#include "diag.h"

typedef struct CodegenOptions {
    int opt_level;          /* 0-3: the LLVM pass pipeline default<On> */
    const char *cpu_level;  /* "x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4" */
    const char *dump_ir;    /* if set, write the optimized IR there */
} CodegenOptions;

/* x86-64 micro-architecture level number (1-4) of a -march name, or 0. */
int codegen_level_number(const char *cpu_level);
/* Initialize LLVM's x86-64 target; call once, before any thread uses it. */
void codegen_init(void);
/* Verify, optimize and write MOD as an ELF object to OBJ_PATH. */
int codegen_emit_object(LLVMModuleRef mod, const CodegenOptions *opt, const char *obj_path, Diag *d);

#endif
