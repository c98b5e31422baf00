/*
 * codegen.h - optimizing the lifted module and emitting an x86-64 object.
 */
#ifndef DBT_CODEGEN_H
#define DBT_CODEGEN_H

#include <llvm-c/Core.h>

#include "diag.h"

typedef struct CodegenOptions {
    int ir_level;           /* 0-3: the IR pipeline (lifter/pipeline.c) */
    int cg_level;           /* 0-3: the code generator's level (0: fast
                               instruction selection and register allocation) */
    const char *cpu_level;  /* "x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4" */
    const char *dump_ir;    /* if set, write the optimized IR there */
} CodegenOptions;

/* x86-64 micro-architecture level number (1-4) of a -march name, or 0. */
int codegen_level_number(const char *cpu_level);
/* Initialize LLVM's x86-64 target; call once, before any thread uses it. */
void codegen_init(void);
/* What one codegen_emit_object call cost (CPU seconds of the calling
 * thread) and the module's size after the IR passes. */
typedef struct CodegenStats {
    double opt_s;           /* verifier and IR passes */
    double emit_s;          /* instruction selection, register allocation, object */
    size_t ir_after;        /* IR instructions after the passes */
} CodegenStats;

/* Verify, optimize and write MOD as an ELF object to OBJ_PATH; ST (may be
 * NULL) receives the costs. */
int codegen_emit_object(LLVMModuleRef mod, const CodegenOptions *opt, const char *obj_path, CodegenStats *st,
                        Diag *d);
/* Instructions in the body of F / of all of MOD's functions. */
size_t codegen_count_function_ir(LLVMValueRef f);
size_t codegen_count_ir(LLVMModuleRef mod);
/* CPU seconds used by the calling thread so far. */
double codegen_thread_cpu_s(void);

#endif
