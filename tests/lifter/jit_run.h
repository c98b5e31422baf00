/*
 * jit_run.h - lift a few instruction words, compile them and run them on a
 * CpuState, with stand-ins for the runtime entry points that record calls.
 *
 * The JIT path: lifter -> verify -> LLVMRunPasses("default<O2>") -> MCJIT.
 *
 * TODO(offline path): STYLE.md wants every case run through the offline path
 * too.  Once aot/codegen.c exposes its module -> object emitter, add a second
 * backend here that emits the same (optimized) module with it to an ELF
 * object, links it into a shared object with lld (or loads the object with
 * RuntimeDyld), dlopen()s it and runs g_0000000000400000 on the same state;
 * lifter_test then runs every case through both and reports each path.
 */
#ifndef DBT_TEST_JIT_RUN_H
#define DBT_TEST_JIT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu_state.h"
#include "lifter.h"

/* What the lifted code asked of the runtime while it ran.  The stand-ins find
 * it through CpuState.thread (the field is the runtime's, opaque to the
 * lifted code), so no global state is needed. */
typedef struct RtLog {
    unsigned traps;        /* dbt_rt_trap calls */
    uint32_t trap_kind;    /* kind of the first */
    uint32_t trap_insn;    /* its instruction word */
    uint64_t trap_pc;      /* s->pc at the first */
    unsigned lookups;      /* dbt_rt_lookup calls (branches out of the case) */
    uint64_t lookup_pc;    /* target of the first */
    unsigned syscalls;     /* dbt_rt_syscall calls */
    unsigned cache_ops;    /* dbt_rt_cache_op calls */
    unsigned sysreg_reads; /* dbt_rt_read_sysreg calls (each returns 0) */
} RtLog;

/* How far jit_run_case got: a crash is reported with the stage it died in. */
enum JitStage { STAGE_LIFT = 1, STAGE_OPTIMIZE, STAGE_CODEGEN, STAGE_RUN, STAGE_DONE };

typedef struct JitOptions {
    const char *pipeline;   /* LLVM pipeline before code generation (NULL: none) */
    FILE *ir_out;           /* if set, print the lifted and the optimized IR here as they come */
    volatile int *stage;    /* if set, updated with the current enum JitStage */
    enum LiftRegs regs;     /* where the lifted code keeps the registers (lifter.h) */
} JitOptions;

typedef struct JitResult {
    size_t untranslated;    /* instructions the lifter turned into a trap */
} JitResult;

/* One guest function of a batch: WORDS[0..N) followed by RET at ENTRY. */
typedef struct JitSeq {
    uint64_t entry;          /* guest address of words[0] */
    const uint32_t *words;   /* the instructions (RET is appended) */
    size_t n;
} JitSeq;

/* Compiled functions of a batch, with the engine that owns their code. */
typedef struct JitBatch JitBatch;

/* Lift each of SEQS[0..N) as its own guest function into one module,
 * verify, optimize and compile it once.  UNTRANSLATED (may be NULL) gets, per
 * sequence, how many instructions the lifter turned into a trap.  Returns 0
 * with *OUT set, or -1 with a message in ERR. */
int jit_batch_compile(const JitSeq *seqs, size_t n, const JitOptions *opt, JitBatch **out,
                      size_t *untranslated, char *err, size_t errlen);
/* Run sequence I of B on S (s->thread is set to LOG). */
void jit_batch_run(JitBatch *b, size_t i, CpuState *s, RtLog *log);
void jit_batch_free(JitBatch *b);

/* Lift WORDS[0..N) followed by RET at CASE_CODE_BASE as one guest function,
 * compile it and run it on S (s->thread is set to LOG).  Returns 0, or -1
 * with a message in ERR if the IR is invalid or does not compile. */
int jit_run_case(const uint32_t *words, size_t n, const JitOptions *opt, CpuState *s, RtLog *log,
                 JitResult *res, char *err, size_t errlen);

#endif
