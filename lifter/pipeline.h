/*
 * pipeline.h - the LLVM optimization pipelines of dbt-aot's -O levels, in
 * one place for the offline tool (aot/codegen.c) and the test JITs
 * (tests/lifter, tests/difftest), so that a test can run exactly what the
 * tool runs.
 *
 *     LLVMRunPasses(mod, dbt_opt_pipeline(2), tm, pbo);
 */
#ifndef DBT_PIPELINE_H
#define DBT_PIPELINE_H

/* The new-pass-manager pipeline text for -O LEVEL (clamped to 0..3). */
const char *dbt_opt_pipeline(int level);

/* LLVM's command-line options for code generation, once per process, as
 * PROG: branches kept off 32-byte boundaries (the offline tool and the
 * JIT alike), then DBT_LLVM_ARGS (space-separated; one that names
 * x86-align-branch replaces the alignment). */
void dbt_llvm_options(const char *prog);

/* After the passes: every use of an argument's field address (a GEP of an
 * argument with constant indices, in lifted code cpu + offset) outside
 * the GEP's block gets a copy of the GEP in its own block.  GVN leaves one
 * GEP per CpuState field at the function's entry; with more than a few
 * uses CodeGenPrepare does not sink it into its users' addressing modes,
 * so the address lived in a register through the whole function - spilled
 * in big ones, every access a reload of the address and then the access
 * (luaV_execute).  A copy in the block folds into the access: one
 * instruction, 184(%r12). */
#include <llvm-c/Core.h>
void dbt_sink_arg_fields(LLVMModuleRef mod);

#endif
