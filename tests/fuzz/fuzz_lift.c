/*
 * fuzz_lift.c - libFuzzer target: the lifter on arbitrary instruction
 * words.
 *
 * The input is a sequence of little-endian 32-bit words at guest address
 * LIFT_BASE, lifted as one function twice - registers in SSA values
 * (LIFT_REGS_SSA) and in the CpuState (LIFT_REGS_MEMORY) - each into a
 * fresh module that must pass the LLVM verifier.  Every word must lift or
 * become a SIGILL trap: an abort of the lifter, a sanitizer report or IR
 * that does not verify is a bug (the verifier's message and the words are
 * printed, then abort() makes libFuzzer keep the input).
 *
 * The blocks are what control-flow recovery would give: the entry, the
 * targets of branches that stay inside the words and the word after each
 * branch; every BR gets the first few blocks as its jump-table targets,
 * loops get their safe points (lift_loop_headers), a BL to the entry is a
 * call of the function itself, and the words are also the data literal
 * loads read.  No optimization runs: the lifted IR itself is what is
 * checked.
 */
#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LIFT_BASE 0x400000u
#define LIFT_MAX_WORDS 4096
#define BR_TARGETS 4
/* A fresh LLVM context every so many inputs: constants and types live as
 * long as their context. */
#define CONTEXT_INPUTS 1000

typedef struct Code {
    const uint32_t *words;
    size_t n;
    Lifter *lifter;   /* for function_at */
} Code;

static bool read_code(void *ctx, uint64_t pc, uint32_t *word)
{
    const Code *c = ctx;
    if (pc < LIFT_BASE || pc % 4 != 0 || (pc - LIFT_BASE) / 4 >= c->n)
        return false;
    *word = c->words[(pc - LIFT_BASE) / 4];
    return true;
}

static bool read_data(void *ctx, uint64_t addr, void *buf, size_t n)
{
    const Code *c = ctx;
    size_t bytes = 4 * c->n;
    if (addr < LIFT_BASE || addr - LIFT_BASE > bytes || n > bytes - (addr - LIFT_BASE))
        return false;
    memcpy(buf, (const uint8_t *)c->words + (addr - LIFT_BASE), n);
    return true;
}

static LLVMValueRef function_at(void *ctx, uint64_t pc)
{
    const Code *c = ctx;
    return pc == LIFT_BASE ? lift_declare(c->lifter, pc) : NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The blocks of C: LEADERS and ENDS have room for 2 * n + 1; returns how many. */
static size_t blocks(const Code *c, uint64_t *leaders, uint64_t *ends)
{
    uint64_t end = LIFT_BASE + 4 * c->n;
    size_t k = 0;
    leaders[k++] = LIFT_BASE;
    for (size_t i = 0; i < c->n; i++) {
        uint64_t pc = LIFT_BASE + 4 * i, target = 0;
        enum A64Flow fl = a64_classify(c->words[i], pc, &target);
        if ((fl == FLOW_JUMP || fl == FLOW_COND) && target >= LIFT_BASE && target < end && target % 4 == 0)
            leaders[k++] = target;
        if (fl != FLOW_NONE && fl != FLOW_CALL && fl != FLOW_ICALL && fl != FLOW_SVC && pc + 4 < end)
            leaders[k++] = pc + 4;
    }
    qsort(leaders, k, sizeof *leaders, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || leaders[u - 1] != leaders[i])
            leaders[u++] = leaders[i];
    for (size_t i = 0; i < u; i++)
        ends[i] = i + 1 < u ? leaders[i + 1] : end;
    return u;
}

static void fail(const char *what, const char *msg, const Code *c, LLVMModuleRef mod)
{
    fprintf(stderr, "fuzz_lift: %s: %s\nwords:", what, msg);
    for (size_t i = 0; i < c->n; i++)
        fprintf(stderr, " %08x", c->words[i]);
    fprintf(stderr, "\n");
    if (mod != NULL) {
        char *ir = LLVMPrintModuleToString(mod);
        fprintf(stderr, "%s", ir);
        LLVMDisposeMessage(ir);
    }
    abort();
}

static void lift_tier(LLVMContextRef ctx, Code *c, const LiftFunc *proto, enum LiftRegs regs)
{
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("fuzz_lift", ctx);
    LiftEnv env = {.ctx = c, .read_code = read_code, .read_data = read_data, .function_at = function_at,
                   .fault_pcs = true};
    c->lifter = lift_new(mod, &env);
    if (c->lifter == NULL)
        fail("lift_new", "failed", c, NULL);
    lift_declare(c->lifter, LIFT_BASE);
    LiftFunc f = *proto;
    f.regs = regs;
    LiftStats st;
    if (lift_function(c->lifter, &f, &st) != 0)
        fail("lift_function", "failed", c, NULL);
    lift_finish(c->lifter);
    lift_free(c->lifter);
    c->lifter = NULL;
    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg))
        fail(regs == LIFT_REGS_SSA ? "SSA registers: IR does not verify" : "memory registers: IR does not verify",
             msg, c, mod);
    LLVMDisposeMessage(msg);
    LLVMDisposeModule(mod);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static LLVMContextRef ctx;
    static unsigned inputs;
    size_t n = size / 4;
    if (n == 0 || n > LIFT_MAX_WORDS)
        return 0;
    if (ctx == NULL || inputs++ % CONTEXT_INPUTS == 0) {
        if (ctx != NULL)
            LLVMContextDispose(ctx);
        ctx = LLVMContextCreate();
    }
    uint32_t *words = malloc(4 * n);
    uint64_t *leaders = malloc(2 * (2 * n + 1) * sizeof *leaders);
    LiftIndirect *ind = malloc(n * sizeof *ind);
    if (words == NULL || leaders == NULL || ind == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        words[i] = (uint32_t)data[4 * i] | (uint32_t)data[4 * i + 1] << 8 | (uint32_t)data[4 * i + 2] << 16 |
                   (uint32_t)data[4 * i + 3] << 24;
    Code c = {words, n, NULL};
    uint64_t *ends = leaders + 2 * n + 1;
    size_t nb = blocks(&c, leaders, ends);

    /* every BR (sorted by pc, as the lifter wants) may go to the first blocks */
    size_t nind = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t pc = LIFT_BASE + 4 * i, target;
        if (a64_classify(words[i], pc, &target) == FLOW_IJUMP)
            ind[nind++] = (LiftIndirect){pc, leaders, nb < BR_TARGETS ? nb : BR_TARGETS};
    }
    LiftFunc f = {.entry = LIFT_BASE, .leaders = leaders, .ends = ends, .nleaders = nb,
                  .indirect = ind, .nindirect = nind, .name = "fuzz"};
    uint64_t *safe = NULL;
    size_t nsafe = lift_loop_headers(&f, read_code, &c, &safe);
    if (nsafe == (size_t)-1)
        abort();
    f.safepoints = safe;
    f.nsafepoints = nsafe;

    lift_tier(ctx, &c, &f, LIFT_REGS_SSA);
    lift_tier(ctx, &c, &f, LIFT_REGS_MEMORY);
    free(safe);
    free(ind);
    free(leaders);
    free(words);
    return 0;
}
