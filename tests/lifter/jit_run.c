/*
 * jit_run.c - the JIT path of the lifter tests: lift, verify, optimize with
 * the default O2 pipeline, compile with MCJIT, run.
 *
 * The guest function of a case is its words followed by RET, at
 * CASE_CODE_BASE.  A batch (jit_batch_compile) lifts many such functions,
 * each at its own guest address, into one module and compiles it once: the
 * differential tester (tests/difftest/) runs thousands of sequences that
 * way.  Without branches it is one block; a branch whose target
 * lies inside the case (including the RET) splits it into blocks the way
 * control-flow recovery would, so B.cond/CBZ/TBZ cases stay inside the
 * function.  Branches out of the case go through dbt_rt_lookup, whose
 * stand-in records the target and returns a function that does nothing.
 */
#include "jit_run.h"
#include "fp16.h"
#include "fpenv.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/ExecutionEngine.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "case_file.h"
#include "enter_x86_64.h"
#include "lifter.h"
#include "pipeline.h"

#define A64_RET 0xd65f03c0u

/* ---- stand-ins for the runtime entry points ---------------------------------- */

static GuestFn rt_lookup(CpuState *s, uint64_t pc)
{
    RtLog *log = s->thread;
    if (log->lookups++ == 0)
        log->lookup_pc = pc;
    return &dbt_fast_identity;
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
    uint64_t base;         /* guest address of words[0] */
    const uint32_t *words; /* the case's words and the RET */
    size_t n;
} CaseCode;

static bool read_code(void *ctx, uint64_t pc, uint32_t *word)
{
    const CaseCode *c = ctx;
    if (pc < c->base || pc >= c->base + 4 * c->n || pc % 4 != 0)
        return false;
    *word = c->words[(pc - c->base) / 4];
    return true;
}

static bool read_data(void *ctx, uint64_t addr, void *buf, size_t n)
{
    const CaseCode *c = ctx;
    if (addr < c->base || n > 4 * c->n || addr - c->base > 4 * c->n - n)
        return false;
    memcpy(buf, (const uint8_t *)c->words + (addr - c->base), n);
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
    uint64_t end = c->base + 4 * c->n;
    size_t n = 0;
    leaders[n++] = c->base;
    for (size_t i = 0; i < c->n; i++) {
        uint64_t pc = c->base + 4 * i, target;
        enum A64Flow flow = a64_classify(c->words[i], pc, &target);
        if ((flow == FLOW_JUMP || flow == FLOW_COND) && target >= c->base && target < end &&
            target % 4 == 0)
            leaders[n++] = target;
        if (flow != FLOW_NONE && flow != FLOW_CALL && flow != FLOW_ICALL && flow != FLOW_SVC && pc + 4 < end)
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

/* MCJIT's sections for one batch, all in one mapping (readable, writable
 * and executable: test code), wherever the kernel puts it - as the runtime
 * JIT's, not in the low 2 GiB: the medium code model addresses data by
 * 64-bit address. */
typedef struct BatchMem {
    uint8_t *base;
    size_t size, used;
} BatchMem;
enum { BATCH_MEM = 256u << 20 }; /* reserved, touched only as used */

static uint8_t *batch_alloc(void *opaque, uintptr_t size, unsigned align, unsigned id, const char *name)
{
    (void)id, (void)name;
    BatchMem *m = opaque;
    size_t a = align ? align : 16, at = (m->used + a - 1) / a * a;
    if (at + size > m->size)
        return NULL;
    m->used = at + size;
    return m->base + at;
}

static uint8_t *batch_alloc_data(void *opaque, uintptr_t size, unsigned align, unsigned id, const char *name,
                                 LLVMBool ro)
{
    (void)ro;
    return batch_alloc(opaque, size, align, id, name);
}

static LLVMBool batch_finalize(void *opaque, char **msg)
{
    (void)opaque, (void)msg;
    return 0;
}

static void batch_destroy(void *opaque)
{
    BatchMem *m = opaque;
    munmap(m->base, m->size);
    free(m);
}

static LLVMMCJITMemoryManagerRef batch_memory(void)
{
    BatchMem *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->size = BATCH_MEM;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    m->base = mmap(NULL, m->size, PROT_READ | PROT_WRITE | PROT_EXEC, flags, -1, 0);
    if (m->base == MAP_FAILED) {
        free(m);
        return NULL;
    }
    return LLVMCreateSimpleMCJITMemoryManager(m, batch_alloc, batch_alloc_data, batch_finalize, batch_destroy);
}

static LLVMTargetMachineRef host_machine(void)
{
    char *triple = LLVMGetDefaultTargetTriple();
    LLVMTargetRef target;
    char *msg = NULL;
    LLVMTargetMachineRef tm = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &msg) == 0) {
        char *cpu = LLVMGetHostCPUName(), *features = LLVMGetHostCPUFeatures();
        tm = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelDefault, LLVMRelocDefault,
                                     LLVMCodeModelSmall);
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

/* ---- batches: many guest functions, one module, one compilation ------------ */

struct JitBatch {
    LLVMContextRef ctx;          /* owns the module's types */
    LLVMExecutionEngineRef ee;   /* owns the module */
    GuestFn *fns;                /* compiled entry of each sequence */
    size_t n;
};

/* Lift SEQ (its words and a RET) into MOD as the function for seq->entry. */
static size_t lift_seq(Lifter *l, CaseCode *cc, const JitSeq *seq, uint32_t *code, enum LiftRegs regs)
{
    memcpy(code, seq->words, 4 * seq->n);
    code[seq->n] = A64_RET;
    cc->base = seq->entry;
    cc->words = code;
    cc->n = seq->n + 1;
    size_t cap = 2 * cc->n + 1;
    uint64_t *leaders = malloc(2 * cap * sizeof *leaders);
    uint64_t *ends = leaders + cap;
    size_t nblocks = find_blocks(cc, leaders, ends);
    lift_declare(l, seq->entry);
    LiftFunc f = {.entry = seq->entry, .leaders = leaders, .ends = ends, .nleaders = nblocks, .regs = regs};
    LiftStats st;
    lift_function(l, &f, &st);
    free(leaders);
    if (st.nzcv_wrong) { /* aot/cfg_flags.c relies on a64_nzcv: a wrong word is a bug there */
        uint64_t k = (st.first_nzcv_wrong - seq->entry) / 4;
        fprintf(stderr, "jit_run: lifter/a64_nzcv.c misstates how the word %08x uses the flags\n",
                k < seq->n ? seq->words[k] : 0);
        abort();
    }
    if (st.gprs_wrong) { /* a64_gprs: the same contract for X0-X30 */
        uint64_t k = (st.first_gprs_wrong - seq->entry) / 4;
        fprintf(stderr, "jit_run: lifter/a64_gpr.c misstates how the word %08x uses X0-X30\n",
                k < seq->n ? seq->words[k] : 0);
        abort();
    }
    return st.untranslated;
}

int jit_batch_compile(const JitSeq *seqs, size_t n, const JitOptions *opt, JitBatch **out,
                      size_t *untranslated, char *err, size_t errlen)
{
    LLVMLinkInMCJIT();
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser(); /* the module assembly of the lifter's call stubs */
    *out = NULL;

    int rc = -1;
    JitBatch *b = calloc(1, sizeof *b);
    size_t maxn = 0;
    for (size_t i = 0; i < n; i++)
        maxn = seqs[i].n > maxn ? seqs[i].n : maxn;
    uint32_t *code = malloc(4 * (maxn + 1));
    b->fns = calloc(n ? n : 1, sizeof *b->fns);
    b->n = n;
    b->ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("jit_batch", b->ctx);
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
    CaseCode cc = {0};
    char *features = LLVMGetHostCPUFeatures(); /* compiled for the host CPU: target_host_cpu */
    LiftEnv env = {.ctx = &cc, .read_code = read_code, .read_data = read_data, .function_at = function_at,
                   .avx512 = strstr(features, "+avx512f") != NULL};
    LLVMDisposeMessage(features);
    Lifter *l = lift_new(mod, &env);
    if (l == NULL) {
        snprintf(err, errlen, "lift_new failed");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t u = lift_seq(l, &cc, &seqs[i], code, opt->regs);
        if (untranslated != NULL)
            untranslated[i] = u;
    }
    lift_free(l);
    if (opt->ir_out != NULL)
        print_ir(opt->ir_out, "lifted", mod);

    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
        snprintf(err, errlen, "lifted IR does not verify: %s", msg);
        goto out;
    }
    LLVMDisposeMessage(msg);
    msg = NULL;

    target_host_cpu(b->ctx, mod);
    if (opt->pipeline != NULL) {
        set_stage(opt, STAGE_OPTIMIZE);
        LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
        LLVMErrorRef e = LLVMRunPasses(mod, opt->pipeline, tm, po);
        LLVMDisposePassBuilderOptions(po);
        if (e != NULL) {
            char *m = LLVMGetErrorMessage(e);
            snprintf(err, errlen, "%s failed: %s", opt->pipeline, m);
            LLVMDisposeErrorMessage(m);
            goto out;
        }
        dbt_before_codegen(mod); /* as the offline tool and the JIT */
        if (opt->ir_out != NULL)
            print_ir(opt->ir_out, "optimized", mod);
    }

    set_stage(opt, STAGE_CODEGEN);
    struct LLVMMCJITCompilerOptions mo;
    LLVMInitializeMCJITCompilerOptions(&mo, sizeof mo);
    mo.OptLevel = opt->pipeline != NULL ? 2 : 0;
    mo.CodeModel = DBT_JIT_CODE_MODEL; /* as the runtime JIT: pipeline.h */
    mo.MCJMM = batch_memory();
    if (mo.MCJMM == NULL) {
        snprintf(err, errlen, "%s", "cannot map memory for the JIT");
        goto out;
    }
    /* The engine owns the module from here on, also when it fails. */
    LLVMModuleRef jit_mod = mod;
    mod = NULL;
    if (LLVMCreateMCJITCompilerForModule(&b->ee, jit_mod, &mo, sizeof mo, &msg)) {
        snprintf(err, errlen, "MCJIT: %s", msg);
        b->ee = NULL;
        goto out;
    }

    /* The lifted code calls the runtime by these names; bind them to the
     * stand-ins (optimization may have dropped unused declarations).  The
     * module stays valid inside the engine; LLVMFindFunction would not do,
     * it skips declarations. */
    const struct { const char *name; void *fn; } rt[] = {
        {RT_SYM_LOOKUP, (void *)rt_lookup}, {RT_SYM_SYSCALL, (void *)rt_syscall},
        {RT_SYM_TRAP, (void *)rt_trap},     {RT_SYM_CACHE, (void *)rt_cache_op},
        {RT_SYM_SYSREG, (void *)rt_read_sysreg}, {RT_SYM_F16, (void *)dbt_rt_f16},
        {RT_SYM_TAIL_JUMP, (void *)&dbt_rt_tail_jump},
    };
    for (size_t k = 0; k < sizeof rt / sizeof rt[0]; k++) {
        LLVMValueRef g = LLVMGetNamedFunction(jit_mod, rt[k].name);
        if (g != NULL)
            LLVMAddGlobalMapping(b->ee, g, rt[k].fn);
    }
    for (size_t i = 0; i < n; i++) {
        char fname[32];
        lift_function_name(seqs[i].entry, fname, sizeof fname);
        uint64_t addr = LLVMGetFunctionAddress(b->ee, fname);
        if (addr == 0) {
            snprintf(err, errlen, "MCJIT did not produce %s", fname);
            goto out;
        }
        b->fns[i] = (GuestFn)(uintptr_t)addr;
    }
    rc = 0;

out:
    LLVMDisposeMessage(msg);
    if (mod != NULL)
        LLVMDisposeModule(mod);
    if (tm != NULL)
        LLVMDisposeTargetMachine(tm);
    free(code);
    if (rc == 0)
        *out = b;
    else
        jit_batch_free(b);
    return rc;
}

/* An indirect-branch cache that never hits (no guest pc is 1): every
 * branch out of a case reaches rt_lookup and is counted. */
static CpuIcacheEntry empty_icache[CPU_ICACHE_ENTRIES] = {
    [0 ... CPU_ICACHE_ENTRIES - 1] = {CPU_ICACHE_EMPTY, &dbt_fast_identity},
};

void jit_batch_run(JitBatch *b, size_t i, CpuState *s, RtLog *log)
{
    s->thread = log;
    s->icache = empty_icache;
    rt_fpenv_enter(s);
    dbt_enter(s, b->fns[i]);
    rt_fpenv_leave(s);
}

void jit_batch_free(JitBatch *b)
{
    if (b == NULL)
        return;
    if (b->ee != NULL)
        LLVMDisposeExecutionEngine(b->ee);
    LLVMContextDispose(b->ctx);
    free(b->fns);
    free(b);
}

/* ---- one case ------------------------------------------------------------------------ */

int jit_run_case(const uint32_t *words, size_t n, const JitOptions *opt, CpuState *s, RtLog *log,
                 JitResult *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    if (n > CASE_MAX_WORDS) {
        snprintf(err, errlen, "too many words");
        return -1;
    }
    JitSeq seq = {.entry = CASE_CODE_BASE, .words = words, .n = n};
    JitBatch *b;
    if (jit_batch_compile(&seq, 1, opt, &b, &res->untranslated, err, errlen) != 0)
        return -1;
    set_stage(opt, STAGE_RUN);
    jit_batch_run(b, 0, s, log);
    set_stage(opt, STAGE_DONE);
    jit_batch_free(b);
    return 0;
}
