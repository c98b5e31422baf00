/*
 * test_sink.c - unit tests of what runs between the passes and code
 * generation (lifter/pipeline.c): dbt_sink_arg_fields (a field address of
 * an argument, cpu + offset, used in other blocks gets a copy in each of
 * them, so that code generation folds it into the access) and
 * dbt_isolate_entries (the argument copies get a block of their own).
 *
 * The functions are written as LLVM IR text, the shape GVN leaves in
 * lifted code: one GEP in the entry block, loads and stores of it further
 * down, a phi of it, a use in its own block.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/IRReader.h>

#include "pipeline.h"

static const char ir[] = "define i64 @f(ptr %cpu, i64 %x) {\n"
                         "entry:\n"
                         "  %slot = alloca i32\n"
                         "  store i32 0, ptr %slot\n"
                         "  %a = getelementptr i8, ptr %cpu, i64 184\n"
                         "  %b = getelementptr i8, ptr %cpu, i64 %x\n"
                         "  store i64 1, ptr %a\n"
                         "  %c = icmp eq i64 %x, 0\n"
                         "  br i1 %c, label %one, label %two\n"
                         "one:\n"
                         "  %v1 = load i64, ptr %a\n"
                         "  store i64 %v1, ptr %b\n"
                         "  br label %join\n"
                         "two:\n"
                         "  store i64 2, ptr %a\n"
                         "  %v2 = load i64, ptr %a\n"
                         "  br label %join\n"
                         "join:\n"
                         "  %p = phi ptr [ %a, %one ], [ %b, %two ]\n"
                         "  %v = load i64, ptr %p\n"
                         "  ret i64 %v\n"
                         "}\n";

static LLVMModuleRef parse(LLVMContextRef ctx)
{
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(ir, sizeof ir - 1, "test");
    LLVMModuleRef mod = NULL;
    char *msg = NULL;
    if (LLVMParseIRInContext(ctx, buf, &mod, &msg)) {
        print_error("%s\n", msg);
        fail();
    }
    return mod;
}

static LLVMBasicBlockRef block(LLVMValueRef fn, const char *name)
{
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
        if (strcmp(LLVMGetBasicBlockName(bb), name) == 0)
            return bb;
    fail_msg("no block %s", name);
    return NULL;
}

/* The pointer operand of BB's Nth load or store. */
static LLVMValueRef access_ptr(LLVMBasicBlockRef bb, int nth)
{
    for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) {
        LLVMOpcode op = LLVMGetInstructionOpcode(i);
        if ((op == LLVMLoad || op == LLVMStore) && nth-- == 0)
            return LLVMGetOperand(i, op == LLVMLoad ? 0 : 1);
    }
    fail_msg("too few accesses in %s", LLVMGetBasicBlockName(bb));
    return NULL;
}

static void expect_field_in(LLVMValueRef ptr, LLVMBasicBlockRef bb, long long offset)
{
    assert_int_equal(LLVMGetInstructionOpcode(ptr), LLVMGetElementPtr);
    assert_ptr_equal(LLVMGetInstructionParent(ptr), bb);
    assert_true(LLVMIsAArgument(LLVMGetOperand(ptr, 0)));
    assert_int_equal(LLVMConstIntGetSExtValue(LLVMGetOperand(ptr, 1)), offset);
}

static void copies_in_using_blocks(void **state)
{
    (void)state;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = parse(ctx);
    LLVMValueRef fn = LLVMGetNamedFunction(mod, "f");
    LLVMBasicBlockRef entry = block(fn, "entry"), one = block(fn, "one"), two = block(fn, "two"),
                      join = block(fn, "join");
    LLVMValueRef a = access_ptr(entry, 1), b = access_ptr(one, 1);
    assert_ptr_equal(access_ptr(one, 0), a); /* before: the entry's GEP everywhere */

    dbt_sink_arg_fields(mod);

    char *msg = NULL;
    assert_false(LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg));
    LLVMDisposeMessage(msg);
    assert_ptr_equal(access_ptr(entry, 1), a);       /* its own block: unchanged */
    expect_field_in(access_ptr(one, 0), one, 184);    /* a copy in each other block */
    expect_field_in(access_ptr(two, 0), two, 184);
    assert_ptr_equal(access_ptr(two, 1), access_ptr(two, 0)); /* one copy per block */
    assert_ptr_equal(access_ptr(one, 1), b);          /* a variable offset stays */
    LLVMValueRef phi = LLVMGetFirstInstruction(join);
    assert_int_equal(LLVMGetInstructionOpcode(phi), LLVMPHI);
    assert_ptr_equal(LLVMGetIncomingValue(phi, 0), a); /* a phi keeps the original */
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
}

static void entry_of_its_own(void **state)
{
    (void)state;
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = parse(ctx);
    LLVMValueRef fn = LLVMGetNamedFunction(mod, "f");
    LLVMBasicBlockRef old = block(fn, "entry");
    unsigned nblocks = LLVMCountBasicBlocks(fn);

    dbt_isolate_entries(mod);

    char *msg = NULL;
    assert_false(LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg));
    LLVMDisposeMessage(msg);
    assert_int_equal(LLVMCountBasicBlocks(fn), nblocks + 1);
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(fn);
    assert_ptr_not_equal(entry, old);
    /* the alloca (a static one stays in the entry block), then the branch */
    LLVMValueRef first = LLVMGetFirstInstruction(entry);
    assert_non_null(LLVMIsAAllocaInst(first));
    LLVMValueRef br = LLVMGetNextInstruction(first);
    assert_int_equal(LLVMGetInstructionOpcode(br), LLVMBr);
    assert_null(LLVMGetNextInstruction(br));
    assert_ptr_equal(LLVMValueAsBasicBlock(LLVMGetOperand(br, 0)), old);
    /* the old entry keeps the rest, starting with the alloca's store */
    assert_int_equal(LLVMGetInstructionOpcode(LLVMGetFirstInstruction(old)), LLVMStore);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copies_in_using_blocks),
        cmocka_unit_test(entry_of_its_own),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
