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

#endif
