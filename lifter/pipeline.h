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
 * PROG: branches kept off 32-byte boundaries and no store merging in the
 * DAG combiner (the offline tool and the JIT alike), then DBT_LLVM_ARGS
 * (space-separated; one that names x86-align-branch replaces the
 * alignment, one that names combiner-store-merging the merging's). */
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

/* After the passes: every function of more than one parameter gets a new
 * entry block holding only its static allocas and a branch to the old
 * one.  The copies of the arguments out of their registers are then alone
 * in a block of their own: the machine scheduler, which works within a
 * block, had moved them down to their last users - in a function that
 * hands the 13 passed registers back unchanged, to its end - so that all
 * the registers stayed occupied through the block and allocation failed
 * ("ran out of registers during register allocation": difftest simd_ldst
 * #126 and dp_reg #264 with LLVM's Intel scheduling models).  Branch
 * folding joins the two blocks again after register allocation. */
void dbt_isolate_entries(LLVMModuleRef mod);

/* After the passes: a phi of a struct with at least 256 incoming edges
 * (simplifycfg's common return block of a lifted function: the 14 values
 * it returns, from every return site) becomes one phi per field, or none
 * where every edge brings the same value (the passed registers a function
 * hands back unchanged); an edge bringing a tail call's result returns in
 * its own block instead.  Left whole, instruction selection copied every
 * field at every return site and the register coalescer joined the
 * copies one by one, each time shrinking live ranges that span the
 * function: quadratic - libpython's _PyUnicode_ToNumeric (a switch of
 * some 900 returns) took 7 of its unit's 9.7 CPU-seconds in "Simple
 * Register Coalescing".  Below 256 returns the split saved no measurable
 * time and moved register allocation around: luaV_execute (115 returns)
 * came out 2.8% bigger with more spill reloads, lua 3% slower. */
void dbt_split_struct_phis(LLVMModuleRef mod);

/* What the offline tool and the JIT run between the passes and code
 * generation at -O1 and above: dbt_split_struct_phis,
 * dbt_sink_arg_fields, dbt_isolate_entries. */
void dbt_before_codegen(LLVMModuleRef mod);

/* The code model MCJIT compiles for, in the runtime JIT (jit/jit.c) and
 * the lifter test harness (tests/lifter/jit_run.c) alike: the medium one -
 * direct calls, data (jump tables, the CRC32 table, dense_dispatch's byte
 * maps, FP constants) by 64-bit address.  The large one (MCJIT's default)
 * loads every callee's address into a register first, and a call of
 * translated code leaves none free (cpu_state.h: CPU_PASS; LLVM ran out
 * of registers on Intel hosts: difftest dp_reg seed 1 #264).  The small
 * one - MCJIT compiles without PIC - addresses a table indexed by a
 * register with an absolute 32-bit displacement, which the relocation
 * truncates: JIT memory is not in the low 2 GiB (a dense switch in a JIT
 * region crashed, tests/e2e/exec case jit-tables).  Calls of the runtime
 * and of the host's libc reach anywhere all the same: MCJIT sends a
 * PC-relative call it cannot reach through a stub of its own. */
#define DBT_JIT_CODE_MODEL LLVMCodeModelMedium

#endif
