/*
 * jit_run.c - the JIT path of the lifter tests: lift, verify, optimize with
 * the default O2 pipeline, compile with MCJIT, run.
 *
 * The guest function of a case is its words followed by RET, at
 * CASE_CODE_BASE.  Without branches it is one block; a branch whose target
 * lies inside the case (including the RET) splits it into blocks the way
 * control-flow recovery would, so B.cond/CBZ/TBZ cases stay inside the
 * function.  Branches out of the case go through dbt_rt_lookup, whose
 * stand-in records the target and returns a function that does nothing.
 */
#include "jit_run.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/ExecutionEngine.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_file.h"
#include "lifter.h"

#define A64_RET 0xd65f03c0u

/* ---- stand-ins for the runtime entry points ---------------------------------- */

static void rt_nothing(CpuState *s) { (void)s; }

static GuestFn rt_lookup(CpuState *s, uint64_t pc)
{
    RtLog *log = s->thread;
    if (log->lookups++ == 0)
        log->lookup_pc = pc;
    return rt_nothing;
}

static void rt_syscall(CpuState *s)
{
    RtLog *log = s->thread;
    log->syscalls++;
}

static void rt_trap(CpuState *s, uint32_t kind, uint32_t insn)
{
    RtLog *log = s->thread;
    if (log->traps++ == 0) {
        log->trap_kind = kind;
        log->trap_insn = insn;
        log->trap_pc = s->pc;
    }
}

static void rt_cache_op(CpuState *s, uint32_t op, uint64_t addr)
{
    RtLog *log = s->thread;
    log->cache_ops++;
}

static uint64_t rt_read_sysreg(CpuState *s, uint32_t sysreg)
{
    RtLog *log = s->thread;
    log->sysreg_reads++;
    return 0;
}

/* ---- the case as a guest function ------------------------------------------------ */

typedef struct CaseCode {
    const uint32_t *words; /* the case's words and the RET */
    size_t n;
} CaseCode;

static bool read_code(void *ctx, uint64_t pc, uint32_t *word)
{
    const CaseCode *c = ctx;
    if (pc < CASE_CODE_BASE || pc >= CASE_CODE_BASE + 4 * c->n || pc % 4 != 0)
        return false;
    *word = c->words[(pc - CASE_CODE_BASE) / 4];
    return true;
}

static bool read_data(void *ctx, uint64_t addr, void *buf, size_t n)
{
    const CaseCode *c = ctx;
    if (addr < CASE_CODE_BASE || n > 4 * c->n || addr - CASE_CODE_BASE > 4 * c->n - n)
        return false;
    memcpy(buf, (const uint8_t *)c->words + (addr - CASE_CODE_BASE), n);
    return true;
}

static LLVMValueRef function_at(void *ctx, uint64_t pc) { return NULL; }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Block boundaries of the case: its start, the targets of branches that stay
 * inside it, and the instruction after each branch.  LEADERS and ENDS hold
 * room for 2 * N + 1 entries; returns how many blocks. */
static size_t find_blocks(const CaseCode *c, uint64_t *leaders, uint64_t *ends)
{
    uint64_t end = CASE_CODE_BASE + 4 * c->n;
    size_t n = 0;
    leaders[n++] = CASE_CODE_BASE;
    for (size_t i = 0; i < c->n; i++) {
        uint64_t pc = CASE_CODE_BASE + 4 * i, target;
        enum A64Flow flow = a64_classify(c->words[i], pc, &target);
        if ((flow == FLOW_JUMP || flow == FLOW_COND) && target >= CASE_CODE_BASE && target < end &&
            target % 4 == 0)
            leaders[n++] = target;
        if (flow != FLOW_NONE && flow != FLOW_CALL && flow != FLOW_ICALL && pc + 4 < end)
            leaders[n++] = pc + 4;
    }
    qsort(leaders, n, sizeof *leaders, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || leaders[u - 1] != leaders[i])
            leaders[u++] = leaders[i];
    for (size_t i = 0; i < u; i++)
        ends[i] = i + 1 < u ? leaders[i + 1] : end;
    return u;
}

/* ---- compile and run --------------------------------------------------------------- */

static LLVMTargetMachineRef host_machine(void)
{
    char *triple = LLVMGetDefaultTargetTriple();
    LLVMTargetRef target;
    char *msg = NULL;
    LLVMTargetMachineRef tm = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &msg) == 0) {
        char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
        tm = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelDefault, LLVMRelocDefault,
                                     LLVMCodeModelJITDefault);
        LLVMDisposeMessage(cpu);
        LLVMDisposeMessage(features);
    }
    LLVMDisposeMessage(msg);
    LLVMDisposeMessage(triple);
    return tm;
}

/* MCJIT's C API builds its own target machine for a generic x86-64 CPU,
 * which lacks CMPXCHG16B: 128-bit atomics (LDXP/STXP, CASP) would become
 * calls to libatomic that do not resolve.  Per-function attributes make the
 * optimizer and the code generator use the host CPU, as the runtime JIT
 * does. */
static void target_host_cpu(LLVMContextRef ctx, LLVMModuleRef mod)
{
    char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
    for (LLVMValueRef f = LLVMGetFirstFunction(mod); f != NULL; f = LLVMGetNextFunction(f)) {
        if (LLVMIsDeclaration(f))
            continue;
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                                LLVMCreateStringAttribute(ctx, "target-cpu", 10, cpu, (unsigned)strlen(cpu)));
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                                LLVMCreateStringAttribute(ctx, "target-features", 15, features,
                                                          (unsigned)strlen(features)));
    }
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
}

static void print_ir(FILE *out, const char *what, LLVMModuleRef mod)
{
    char *ir = LLVMPrintModuleToString(mod);
    fprintf(out, "--- %s IR ---\n%s", what, ir);
    fflush(out);
    LLVMDisposeMessage(ir);
}

static void set_stage(const JitOptions *opt, enum JitStage st)
{
    if (opt->stage != NULL)
        *opt->stage = st;
}

int jit_run_case(const uint32_t *words, size_t n, const JitOptions *opt, CpuState *s, RtLog *log,
                 JitResult *res, char *err, size_t errlen)
{
    LLVMLinkInMCJIT();
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    memset(res, 0, sizeof *res);

    uint32_t code[CASE_MAX_WORDS + 1];
    if (n > CASE_MAX_WORDS) {
        snprintf(err, errlen, "too many words");
        return -1;
    }
    memcpy(code, words, 4 * n);
    code[n] = A64_RET;
    CaseCode cc = {code, n + 1};
    uint64_t leaders[2 * (CASE_MAX_WORDS + 1) + 1], ends[2 * (CASE_MAX_WORDS + 1) + 1];
    size_t nblocks = find_blocks(&cc, leaders, ends);

    int rc = -1;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("lifter_test", ctx);
    LLVMExecutionEngineRef ee = NULL;
    LLVMTargetMachineRef tm = host_machine();
    char *msg = NULL;
    if (tm == NULL) {
        snprintf(err, errlen, "no LLVM target machine for the host");
        goto out;
    }
    char *triple = LLVMGetTargetMachineTriple(tm);
    LLVMSetTarget(mod, triple);
    LLVMDisposeMessage(triple);
    LLVMTargetDataRef dl = LLVMCreateTargetDataLayout(tm);
    LLVMSetModuleDataLayout(mod, dl);
    LLVMDisposeTargetData(dl);

    set_stage(opt, STAGE_LIFT);
    LiftEnv env = {.ctx = &cc, .read_code = read_code, .read_data = read_data, .function_at = function_at};
    Lifter *l = lift_new(mod, &env);
    if (l == NULL) {
        snprintf(err, errlen, "lift_new failed");
        goto out;
    }
    lift_declare(l, CASE_CODE_BASE);
    LiftFunc f = {.entry = CASE_CODE_BASE, .leaders = leaders, .ends = ends, .nleaders = nblocks};
    LiftStats st;
    lift_function(l, &f, &st);
    lift_free(l);
    res->untranslated = st.untranslated;
    if (opt->ir_out != NULL)
        print_ir(opt->ir_out, "lifted", mod);

    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
        snprintf(err, errlen, "lifted IR does not verify: %s", msg);
        goto out;
    }
    LLVMDisposeMessage(msg);
    msg = NULL;

    target_host_cpu(ctx, mod);
    if (opt->optimize) {
        set_stage(opt, STAGE_OPTIMIZE);
        LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
        LLVMErrorRef e = LLVMRunPasses(mod, "default<O2>", tm, po);
        LLVMDisposePassBuilderOptions(po);
        if (e != NULL) {
            char *m = LLVMGetErrorMessage(e);
            snprintf(err, errlen, "default<O2> failed: %s", m);
            LLVMDisposeErrorMessage(m);
            goto out;
        }
        if (opt->ir_out != NULL)
            print_ir(opt->ir_out, "optimized", mod);
    }

    set_stage(opt, STAGE_CODEGEN);
    struct LLVMMCJITCompilerOptions mo;
    LLVMInitializeMCJITCompilerOptions(&mo, sizeof mo);
    mo.OptLevel = opt->optimize ? 2 : 0;
    /* The engine owns the module from here on, also when it fails. */
    LLVMModuleRef jit_mod = mod;
    mod = NULL;
    if (LLVMCreateMCJITCompilerForModule(&ee, jit_mod, &mo, sizeof mo, &msg)) {
        snprintf(err, errlen, "MCJIT: %s", msg);
        ee = NULL;
        goto out;
    }

    /* The lifted code calls the runtime by these names; bind them to the
     * stand-ins (optimization may have dropped unused declarations).  The
     * module stays valid inside the engine; LLVMFindFunction would not do,
     * it skips declarations. */
    const struct { const char *name; void *fn; } rt[] = {
        {RT_SYM_LOOKUP, (void *)rt_lookup}, {RT_SYM_SYSCALL, (void *)rt_syscall},
        {RT_SYM_TRAP, (void *)rt_trap},     {RT_SYM_CACHE, (void *)rt_cache_op},
        {RT_SYM_SYSREG, (void *)rt_read_sysreg},
    };
    char fname[32];
    lift_function_name(CASE_CODE_BASE, fname, sizeof fname);
    for (size_t k = 0; k < sizeof rt / sizeof rt[0]; k++) {
        LLVMValueRef g = LLVMGetNamedFunction(jit_mod, rt[k].name);
        if (g != NULL)
            LLVMAddGlobalMapping(ee, g, rt[k].fn);
    }
    uint64_t addr = LLVMGetFunctionAddress(ee, fname);
    if (addr == 0) {
        snprintf(err, errlen, "MCJIT did not produce %s", fname);
        goto out;
    }
    s->thread = log;
    set_stage(opt, STAGE_RUN);
    ((GuestFn)(uintptr_t)addr)(s);
    set_stage(opt, STAGE_DONE);
    rc = 0;

out:
    LLVMDisposeMessage(msg);
    if (ee != NULL)
        LLVMDisposeExecutionEngine(ee);
    if (mod != NULL)
        LLVMDisposeModule(mod);
    if (tm != NULL)
        LLVMDisposeTargetMachine(tm);
    LLVMContextDispose(ctx);
    return rc;
}
