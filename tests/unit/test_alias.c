/*
 * test_alias.c - LLVM knows that guest memory and the CpuState do not
 * alias (lifter.c: tag_memory), in lifted code after the -O2 passes.
 *
 * The guest function
 *
 *     mov x9, #5          X9 lives in the CpuState (in both register modes)
 *     str x1, [x0]        a guest store
 *     add x10, x9, #1     X9 read back after it
 *     str x10, [x2]       another guest store
 *     ldr x11, [x1]       a guest load after it
 *     blr x8              a call: it takes the CpuState pointer
 *     ret
 *
 * X9's value is known after the guest store, so no load of its field is
 * left and X10 is the constant 6; the guest load stays (guest accesses may
 * alias each other).  Without the tags each guest store clobbered the
 * CpuState for LLVM once the function passed the pointer to a call (or
 * used it more than 100 times, where LLVM's capture tracking gives up):
 * X9 was stored, then loaded again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "cpu_state.h"
#include "lifter.h"
#include "pipeline.h"

enum { ENTRY = 0x400000 };
static const uint32_t words[] = {0xd28000a9, 0xf9000001, 0x9100052a, 0xf900004a, 0xf940002b, 0xd63f0100, 0xd65f03c0};

static bool read_code(void *ctx, uint64_t pc, uint32_t *word)
{
    (void)ctx;
    uint64_t k = (pc - ENTRY) / 4;
    if (pc < ENTRY || k >= sizeof words / sizeof words[0])
        return false;
    *word = words[k];
    return true;
}

static bool read_data(void *ctx, uint64_t addr, void *buf, size_t n)
{
    (void)ctx, (void)addr, (void)buf, (void)n;
    return false;
}

static LLVMValueRef function_at(void *ctx, uint64_t pc)
{
    (void)ctx, (void)pc;
    return NULL;
}

/* The byte offset of a CpuState field address (cpu + constant), or -1. */
static long long field_offset(LLVMValueRef ptr, LLVMValueRef cpu)
{
    if (ptr == cpu)
        return 0;
    if (!LLVMIsAGetElementPtrInst(ptr) || LLVMGetOperand(ptr, 0) != cpu || LLVMGetNumOperands(ptr) != 2 ||
        !LLVMIsAConstantInt(LLVMGetOperand(ptr, 1)))
        return -1;
    return LLVMConstIntGetSExtValue(LLVMGetOperand(ptr, 1));
}

static void lift_and_check(enum LiftRegs regs)
{
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("alias", ctx);
    LiftEnv env = {.read_code = read_code, .read_data = read_data, .function_at = function_at};
    Lifter *l = lift_new(mod, &env);
    uint64_t leaders[] = {ENTRY, ENTRY + sizeof words - 4}, ends[] = {ENTRY + sizeof words - 4, ENTRY + sizeof words};
    LiftFunc f = {.entry = ENTRY, .leaders = leaders, .ends = ends, .nleaders = 2, .regs = regs};
    LiftStats st;
    assert_int_equal(lift_function(l, &f, &st), 0);
    LLVMValueRef fn = lift_declare(l, ENTRY);
    lift_free(l);

    LLVMPassBuilderOptionsRef pbo = LLVMCreatePassBuilderOptions();
    assert_null(LLVMRunPasses(mod, dbt_opt_pipeline(2), NULL, pbo));
    LLVMDisposePassBuilderOptions(pbo);
    char *msg = NULL;
    assert_false(LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg));
    LLVMDisposeMessage(msg);

    LLVMValueRef cpu = LLVMGetParam(fn, 1);
    int x9_loads = 0, guest_loads = 0, x10_six = 0;
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) {
            if (LLVMIsALoadInst(i)) {
                LLVMValueRef p = LLVMGetOperand(i, 0);
                x9_loads += field_offset(p, cpu) == CPU_OFF_x + 9 * 8;
                guest_loads += LLVMIsAIntToPtrInst(p) != NULL;
            } else if (LLVMIsAStoreInst(i) && field_offset(LLVMGetOperand(i, 1), cpu) == CPU_OFF_x + 10 * 8) {
                LLVMValueRef v = LLVMGetOperand(i, 0);
                x10_six += LLVMIsAConstantInt(v) && LLVMConstIntGetZExtValue(v) == 6;
            }
        }
    assert_int_equal(x9_loads, 0);
    assert_int_equal(x10_six, 1);
    assert_int_equal(guest_loads, 1);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
}

static void memory_registers(void **state)
{
    (void)state;
    lift_and_check(LIFT_REGS_MEMORY);
}

static void ssa_registers(void **state)
{
    (void)state;
    lift_and_check(LIFT_REGS_SSA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memory_registers),
        cmocka_unit_test(ssa_registers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
