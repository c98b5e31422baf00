/*
 * jit.c - libdbt_jit.so: the run-time fallback compiler.
 *
 * When translated code reaches a guest PC that the offline tool did not
 * translate (a trampoline GCC wrote to the stack, a __builtin_longjmp
 * label, a computed-goto target), the runtime loads this library and asks
 * it for a translation of the code there.  One compilation:
 *
 *   region_discover   the code reachable from the PC (region.c), read
 *                     safely from the live guest memory
 *   lift_function     the same lifter as the offline tool (lifter/), with an
 *                     environment that binds nothing: every branch out of
 *                     the region goes through the runtime's lookup, and no
 *                     guest memory is treated as constant (code and literal
 *                     pools may be written again)
 *   LLVMRunPasses     the offline tool's pipeline of the chosen -O level
 *                     (lifter/pipeline.h), for the output's x86-64 level
 *   MCJIT             code generation in memory; the runtime's hooks
 *                     (RT_SYM_*) are bound to the addresses it passed in
 *
 * Every compile gets its own LLVM context and MCJIT execution engine, which
 * are never disposed: the code must outlive any invalidation (it may still
 * be running further up the host stack), so code memory and the IR leak by
 * design - a few hundred KiB per region.
 *
 * Invalidated regions are remembered with a copy of their code: when the
 * runtime asks again for the same PC and the code there has not changed
 * (GCC writes the same trampoline to the same stack slot on every call of
 * the enclosing function, and flushes the cache each time), the earlier
 * translation is handed back without running LLVM.
 *
 * Single-threaded: the runtime calls compile from the guest thread that
 * missed (there is one guest thread until clone exists).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/ErrorHandling.h>
#include <llvm-c/ExecutionEngine.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "dbt_jit.h"
#include "lifter.h"
#include "pipeline.h"
#include "region.h"

#define EXPORT __attribute__((visibility("default")))

/* Bound of one region: enough for any function GCC's torture suite and
 * glibc have, small enough that a wild jump into data costs little. */
enum { MAX_REGION_INSNS = 4096 };
enum { MEMO_BUCKETS = 1024 };

#define TRIPLE "x86_64-unknown-linux-gnu"

/* A compiled region, kept for reuse. */
typedef struct Memo {
    struct Memo *next;       /* same bucket */
    Region region;           /* its code */
    GuestFn fn;
    const void *host;        /* its host code, for profilers */
    size_t host_size;
} Memo;

typedef struct Jit {
    DbtJit pub;                  /* first: the runtime holds a DbtJit * */
    int opt_level;
    char *cpu;                   /* x86-64 level name */
    DbtJitSymbol *syms;          /* the runtime's hooks (names copied) */
    size_t nsyms;
    int (*is_translated)(uint64_t pc); /* the output's static table */
    LLVMTargetMachineRef tm;     /* for the optimization pipeline */
    Memo *memo[MEMO_BUCKETS];    /* by entry PC */
} Jit;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the lifter's environment ---------------------------------------------- */

static bool env_read_code(void *ctx, uint64_t pc, uint32_t *w) { return reader_word(ctx, pc, w); }

/* Guest memory may be written at any time: nothing is a constant. */
static bool env_read_data(void *ctx, uint64_t addr, void *buf, size_t n) { return false; }

/* No direct calls: the target may be translated statically, by the JIT
 * later, or invalidated; the runtime's lookup knows. */
static LLVMValueRef env_function_at(void *ctx, uint64_t pc) { return NULL; }

/* ---- compile ----------------------------------------------------------------- */

static void set_err(char *err, size_t n, const char *fmt, const char *what)
{
    snprintf(err, n, fmt, what ? what : "?");
}

/* LLVM IR for the region, optimized; NULL with err set. */
static LLVMModuleRef lift_region(Jit *j, LLVMContextRef ctx, CodeReader *rd, const Region *g,
                                 LiftStats *st, char *err, size_t errlen)
{
    char name[40];
    snprintf(name, sizeof name, "dbt-jit-%llx", (unsigned long long)g->entry);
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext(name, ctx);
    /* JIT regions: faults reported at the region entry; no bindings (they are found ahead of time) */
    LiftEnv env = {rd, env_read_code, env_read_data, env_function_at, NULL, false, NULL, NULL,
                   strcmp(j->cpu, "x86-64-v4") == 0};
    Lifter *l = lift_new(mod, &env);
    if (l == NULL) {
        set_err(err, errlen, "out of memory%s", "");
        LLVMDisposeModule(mod);
        return NULL;
    }
    LLVMValueRef fn = lift_declare(l, g->entry);
    LiftFunc lf = {.entry = g->entry, .leaders = g->leaders, .ends = g->ends, .nleaders = g->nleaders,
                   .safepoints = g->safepoints, .nsafepoints = g->nsafepoints};
    lift_function(l, &lf, st);
    lift_free(l);
    /* Code for the output's x86-64 level, as the offline code (MCJIT's C
     * API makes a generic target machine; the attribute overrides it). */
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(ctx, "target-cpu", 10, j->cpu, (unsigned)strlen(j->cpu)));

    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
        set_err(err, errlen, "internal error: lifted region does not verify: %.300s", msg);
        LLVMDisposeMessage(msg);
        LLVMDisposeModule(mod);
        return NULL;
    }
    LLVMDisposeMessage(msg);
    LLVMSetTarget(mod, TRIPLE);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(j->tm);
    LLVMSetModuleDataLayout(mod, td);
    LLVMDisposeTargetData(td);
    LLVMPassBuilderOptionsRef pbo = LLVMCreatePassBuilderOptions();
    LLVMErrorRef perr = LLVMRunPasses(mod, dbt_opt_pipeline(j->opt_level), j->tm, pbo);
    LLVMDisposePassBuilderOptions(pbo);
    if (perr) {
        char *m = LLVMGetErrorMessage(perr);
        set_err(err, errlen, "LLVM optimization failed: %s", m);
        LLVMDisposeErrorMessage(m);
        LLVMDisposeModule(mod);
        return NULL;
    }
    if (j->opt_level > 0)
        dbt_before_codegen(mod);
    return mod;
}

/* ---- code memory ----------------------------------------------------------- */

/* MCJIT's sections for one region, each in pages of its own (regions are
 * few and never freed).  Ours rather than LLVM's default manager so that
 * the runtime learns where the region's host code is (perf map). */
typedef struct CodeMem {
    struct Mapping {
        uint8_t *p;
        size_t n;
        bool code;
    } *maps;
    size_t nmaps;
    const void *text;        /* the largest code section: the function */
    size_t text_size;
} CodeMem;

static uint8_t *mem_alloc(CodeMem *m, uintptr_t size, bool code)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = (size + page - 1) / page * page;
    struct Mapping *nm = realloc(m->maps, (m->nmaps + 1) * sizeof *nm);
    if (nm == NULL)
        return NULL;
    m->maps = nm;
    /* Next to the region's other sections: its code calls its own
     * functions and stubs PC-relatively, within 2 GiB. */
    if (n == 0)
        n = page;
    uint8_t *hint = m->nmaps ? m->maps[m->nmaps - 1].p + m->maps[m->nmaps - 1].n : NULL;
    uint8_t *p = mmap(hint, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (m->nmaps > 0 && (p > m->maps[0].p ? p - m->maps[0].p : m->maps[0].p - p) > (1l << 30)) {
        munmap(p, n); /* MCJIT fails the region: the runtime says so */
        return NULL;
    }
    m->maps[m->nmaps++] = (struct Mapping){p, n, code};
    if (code && size > m->text_size) {
        m->text = p;
        m->text_size = size;
    }
    return p;
}

static uint8_t *mem_code(void *opaque, uintptr_t size, unsigned align, unsigned id, const char *name)
{
    (void)align, (void)id, (void)name;   /* page alignment is enough for any */
    return mem_alloc(opaque, size, true);
}

static uint8_t *mem_data(void *opaque, uintptr_t size, unsigned align, unsigned id, const char *name, LLVMBool ro)
{
    (void)align, (void)id, (void)name, (void)ro;
    return mem_alloc(opaque, size, false);
}

/* Code becomes read-only and executable once MCJIT has relocated it. */
static LLVMBool mem_finalize(void *opaque, char **msg)
{
    CodeMem *m = opaque;
    for (size_t k = 0; k < m->nmaps; k++)
        if (m->maps[k].code && mprotect(m->maps[k].p, m->maps[k].n, PROT_READ | PROT_EXEC) != 0) {
            *msg = strdup("cannot make JIT code executable");
            return 1;
        }
    return 0;
}

/* Never called while the code may run: engines are not disposed. */
static void mem_destroy(void *opaque)
{
    CodeMem *m = opaque;
    for (size_t k = 0; k < m->nmaps; k++)
        munmap(m->maps[k].p, m->maps[k].n);
    free(m->maps);
    free(m);
}

/* Machine code for MOD in memory; the engine (and the code) live forever.
 * *HOST, *HOST_SIZE: where the region's function is. */
static GuestFn emit_region(Jit *j, LLVMModuleRef mod, uint64_t entry, const void **host, size_t *host_size,
                           char *err, size_t errlen)
{
    struct LLVMMCJITCompilerOptions o;
    LLVMInitializeMCJITCompilerOptions(&o, sizeof o);
    o.OptLevel = j->opt_level < 1 ? 0 : j->opt_level > 2 ? 3 : (unsigned)j->opt_level;
    o.CodeModel = DBT_JIT_CODE_MODEL; /* pipeline.h */
    CodeMem *cm = calloc(1, sizeof *cm);
    if (cm == NULL) {
        set_err(err, errlen, "%s", "out of memory");
        LLVMDisposeModule(mod);
        return NULL;
    }
    o.MCJMM = LLVMCreateSimpleMCJITMemoryManager(cm, mem_code, mem_data, mem_finalize, mem_destroy);
    LLVMExecutionEngineRef ee;
    char *msg = NULL;
    if (LLVMCreateMCJITCompilerForModule(&ee, mod, &o, sizeof o, &msg)) {
        set_err(err, errlen, "cannot create the LLVM JIT: %s", msg);
        LLVMDisposeMessage(msg);
        LLVMDisposeModule(mod);
        return NULL;
    }
    for (size_t k = 0; k < j->nsyms; k++) {
        LLVMValueRef f = LLVMGetNamedFunction(mod, j->syms[k].name);
        if (f != NULL)
            LLVMAddGlobalMapping(ee, f, j->syms[k].addr);
    }
    char name[32];
    lift_function_name(entry, name, sizeof name);
    uint64_t addr = LLVMGetFunctionAddress(ee, name);
    if (addr == 0) {
        set_err(err, errlen, "LLVM produced no code for %s", name);
        return NULL; /* the engine is leaked with whatever it made */
    }
    *host = cm->text;
    *host_size = cm->text_size;
    return (GuestFn)(uintptr_t)addr;
}

static Memo **memo_bucket(Jit *j, uint64_t pc) { return &j->memo[(pc >> 2) % MEMO_BUCKETS]; }

/* The region's keys and code ranges, for the runtime. */
static int fill_result(const Region *g, const Memo *m, DbtJitRegion *out)
{
    memset(out, 0, sizeof *out);
    out->fn = m->fn;
    out->host = m->host;
    out->host_size = m->host_size;
    out->keys = malloc(sizeof *out->keys);
    out->code = malloc((g->nleaders ? g->nleaders : 1) * sizeof *out->code);
    if (out->keys == NULL || out->code == NULL) {
        free(out->keys);
        free(out->code);
        return -ENOMEM;
    }
    out->keys[out->nkeys++] = g->entry;
    for (size_t i = 0; i < g->nleaders; i++) {
        if (g->ends[i] <= g->leaders[i])
            continue;
        if (out->ncode > 0 && out->code[out->ncode - 1].hi == g->leaders[i])
            out->code[out->ncode - 1].hi = g->ends[i];
        else
            out->code[out->ncode++] = (DbtJitRange){g->leaders[i], g->ends[i]};
    }
    out->ninsns = g->ninsns;
    return 0;
}

static int jit_compile(DbtJit *pub, uint64_t pc, DbtJitRegion *out, char *err, size_t errlen)
{
    Jit *j = (Jit *)pub;
    double t0 = now_s();
    int rc = 0;
    uint32_t w;
    CodeReader rd;
    Region g;
    reader_init(&rd);
    memset(out, 0, sizeof *out);
    if (pc & 3) {
        snprintf(err, errlen, "the address is not 4-byte aligned");
        rc = -EINVAL;
        goto out_reader;
    }
    if (!reader_word(&rd, pc, &w)) {
        snprintf(err, errlen, "nothing is mapped there");
        rc = -EFAULT;
        goto out_reader;
    }
    if (region_discover(&rd, pc, MAX_REGION_INSNS, j->is_translated, &g) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = -ENOMEM;
        goto out_reader;
    }

    /* The same code as a translation we made before? */
    for (Memo *m = *memo_bucket(j, pc); m != NULL; m = m->next)
        if (region_same(&m->region, &g)) {
            if (fill_result(&g, m, out) != 0) {
                rc = -ENOMEM;
                snprintf(err, errlen, "out of memory");
            }
            out->reused = 1;
            goto out_region;
        }

    LLVMContextRef ctx = LLVMContextCreate();
    LiftStats st;
    LLVMModuleRef mod = lift_region(j, ctx, &rd, &g, &st, err, errlen);
    const void *host = NULL;
    size_t host_size = 0;
    GuestFn fn = mod ? emit_region(j, mod, pc, &host, &host_size, err, errlen) : NULL;
    if (fn == NULL) {
        rc = -EIO;
        goto out_region;
    }
    Memo *m = calloc(1, sizeof *m);
    if (m != NULL)
        *m = (Memo){NULL, {0}, fn, host, host_size};
    if (m == NULL || fill_result(&g, m, out) != 0) {
        free(m);
        snprintf(err, errlen, "out of memory");
        rc = -ENOMEM;
        goto out_region;
    }
    out->untranslated = st.untranslated;
    m->region = g;           /* the memo owns the region now */
    memset(&g, 0, sizeof g);
    m->next = *memo_bucket(j, pc);
    *memo_bucket(j, pc) = m;
out_region:
    region_free(&g);
out_reader:
    reader_free(&rd);
    out->seconds = now_s() - t0;
    return rc;
}

/* ---- open ---------------------------------------------------------------------- */

static void fatal_handler(const char *reason)
{
    /* LLVM exits after this returns. */
    fprintf(stderr, "dbt: jit: LLVM fatal error: %s\n", reason);
}

EXPORT DbtJit *dbt_jit_open(const DbtJitConfig *cfg, char *err, size_t errlen)
{
    if (cfg->abi_version != DBT_JIT_ABI_VERSION) {
        snprintf(err, errlen, "the runtime speaks JIT interface version %u, %s version %u", cfg->abi_version,
                 DBT_JIT_LIB_NAME, DBT_JIT_ABI_VERSION);
        return NULL;
    }
    LLVMInstallFatalErrorHandler(fatal_handler);
    LLVMLinkInMCJIT();
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser(); /* the module assembly of the lifter's call stubs */
    dbt_llvm_options("dbt-jit"); /* branch alignment as ahead of time (lifter/pipeline.c) */
    /* Library functions LLVM may call from generated code (memory
     * intrinsics, fma below x86-64-v3), resolved whatever the output
     * itself links. */
    LLVMAddSymbol("memcpy", (void *)memcpy);
    LLVMAddSymbol("memmove", (void *)memmove);
    LLVMAddSymbol("memset", (void *)memset);
    LLVMAddSymbol("fma", (void *)fma);
    LLVMAddSymbol("fmaf", (void *)fmaf);

    Jit *j = calloc(1, sizeof *j);
    if (j == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    j->pub.compile = jit_compile;
    j->opt_level = cfg->opt_level;
    j->is_translated = cfg->is_translated;
    j->cpu = strdup(cfg->cpu ? cfg->cpu : "x86-64");
    j->syms = calloc(cfg->nsyms ? cfg->nsyms : 1, sizeof *j->syms);
    if (j->cpu == NULL || j->syms == NULL)
        goto fail_nomem;
    for (size_t k = 0; k < cfg->nsyms; k++) {
        j->syms[k].name = strdup(cfg->syms[k].name);
        j->syms[k].addr = cfg->syms[k].addr;
        if (j->syms[k].name == NULL)
            goto fail_nomem;
        j->nsyms++;
    }
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(TRIPLE, &target, &msg)) {
        snprintf(err, errlen, "LLVM has no x86-64 target: %s", msg);
        LLVMDisposeMessage(msg);
        goto fail;
    }
    j->tm = LLVMCreateTargetMachine(target, TRIPLE, j->cpu, "", LLVMCodeGenLevelDefault, LLVMRelocDefault,
                                    LLVMCodeModelJITDefault);
    if (j->tm == NULL) {
        snprintf(err, errlen, "cannot create the x86-64 target machine for %s", j->cpu);
        goto fail;
    }
    return &j->pub;
fail_nomem:
    snprintf(err, errlen, "out of memory");
fail:
    for (size_t k = 0; k < j->nsyms; k++)
        free((void *)j->syms[k].name);
    free(j->syms);
    free(j->cpu);
    free(j);
    return NULL;
}
