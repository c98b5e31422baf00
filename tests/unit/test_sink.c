/*
 * test_sink.c - unit tests of what runs between the passes and code
 * generation (lifter/pipeline.c): dbt_sink_arg_fields (a field address of
 * an argument, cpu + offset, used in other blocks gets a copy in each of
 * them, so that code generation folds it into the access) and
 * dbt_isolate_entries (the argument copies get a block of their own) and
 * dbt_split_struct_phis (a common return block's phi of the returned
 * struct becomes a phi per field; a tail call's edge returns on its own).
 *
 * The functions are written as LLVM IR text, the shape GVN leaves in
 * lifted code: one GEP in the entry block, loads and stores of it further
 * down, a phi of it, a use in its own block.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* What simplifycfg leaves of a lifted function with many returns: the
 * struct of returned registers from NRET insertvalue chains (field 0 the
 * constant 1000 + K at return K, field 1 %x, field 2 %a passed back
 * unchanged),
 * a constant, and a tail call's result on an unconditional edge (@f) or a
 * conditional one (@g).  Written into BUF, which must be big enough. */
static size_t returns_ir(char *buf, size_t cap, const char *name, int nret, bool cond_tail)
{
    size_t n = 0;
#define PUT(...) (n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__))
    PUT("define { i64, i64, i64 } @%s(i64 %%x, i64 %%a) {\n", name);
    if (cond_tail) {
        PUT("entry:\n  %%c = tail call { i64, i64, i64 } @callee(i64 %%x, i64 %%a)\n"
            "  %%z = icmp eq i64 %%a, 0\n  br i1 %%z, label %%ret, label %%sw\n");
        PUT("sw:\n  switch i64 %%x, label %%none [\n");
    } else {
        PUT("entry:\n  switch i64 %%x, label %%tail [\n");
    }
    for (int k = 0; k < nret; k++)
        PUT("    i64 %d, label %%r%d\n", k, k);
    PUT("    i64 -1, label %%ret ]\n");
    for (int k = 0; k < nret; k++)
        PUT("r%d:\n"
            "  %%s%d = insertvalue { i64, i64, i64 } poison, i64 %d, 0\n"
            "  %%t%d = insertvalue { i64, i64, i64 } %%s%d, i64 %%x, 1\n"
            "  %%u%d = insertvalue { i64, i64, i64 } %%t%d, i64 %%a, 2\n"
            "  br label %%ret\n",
            k, k, k + 1000, k, k, k, k);
    if (cond_tail)
        PUT("none:\n  unreachable\n");
    else
        PUT("tail:\n  %%c = tail call { i64, i64, i64 } @callee(i64 %%x, i64 %%a)\n  br label %%ret\n");
    PUT("ret:\n  %%p = phi { i64, i64, i64 } [ %%c, %%%s ], [ { i64 9, i64 poison, i64 poison }, %%%s ]",
        cond_tail ? "entry" : "tail", cond_tail ? "sw" : "entry");
    for (int k = 0; k < nret; k++)
        PUT(", [ %%u%d, %%r%d ]", k, k);
    PUT("\n  ret { i64, i64, i64 } %%p\n}\n");
#undef PUT
    return n;
}

static LLVMModuleRef parse_text(LLVMContextRef ctx, const char *text, size_t len)
{
    LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(text, len, "test");
    LLVMModuleRef mod = NULL;
    char *msg = NULL;
    if (LLVMParseIRInContext(ctx, buf, &mod, &msg)) {
        print_error("%s\n", msg);
        fail();
    }
    return mod;
}

static LLVMModuleRef parse(LLVMContextRef ctx)
{
    return parse_text(ctx, ir, sizeof ir - 1);
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

static bool has_struct_phi(LLVMValueRef fn)
{
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i))
            if (LLVMIsAPHINode(i) && LLVMGetTypeKind(LLVMTypeOf(i)) == LLVMStructTypeKind)
                return true;
    return false;
}

static void struct_phi_split(void **state)
{
    (void)state;
    enum { MANY = 300, CAP = 1 << 20 };
    char *text = malloc(CAP);
    assert_non_null(text);
    size_t n = (size_t)snprintf(text, CAP, "declare { i64, i64, i64 } @callee(i64, i64)\n");
    n += returns_ir(text + n, CAP - n, "f", MANY, false);
    n += returns_ir(text + n, CAP - n, "g", MANY, true);
    n += returns_ir(text + n, CAP - n, "few", 20, false);
    assert_true(n < CAP);
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = parse_text(ctx, text, n);
    free(text);
    LLVMValueRef f = LLVMGetNamedFunction(mod, "f"), g = LLVMGetNamedFunction(mod, "g"),
                 few = LLVMGetNamedFunction(mod, "few");
    assert_true(has_struct_phi(f));

    dbt_split_struct_phis(mod);

    char *msg = NULL;
    assert_false(LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg));
    LLVMDisposeMessage(msg);
    /* f: the tail call returns its result in its own block */
    LLVMBasicBlockRef tail = block(f, "tail");
    LLVMValueRef call = LLVMGetFirstInstruction(tail), tret = LLVMGetNextInstruction(call);
    assert_int_equal(LLVMGetInstructionOpcode(tret), LLVMRet);
    assert_ptr_equal(LLVMGetOperand(tret, 0), call);
    /* the common return: a phi for field 0 (a different constant from
     * every edge left), none for fields 1 and 2, the struct built again */
    LLVMBasicBlockRef ret = block(f, "ret");
    LLVMValueRef p0 = LLVMGetFirstInstruction(ret);
    assert_int_equal(LLVMGetInstructionOpcode(p0), LLVMPHI);
    assert_int_equal(LLVMGetTypeKind(LLVMTypeOf(p0)), LLVMIntegerTypeKind);
    assert_int_equal(LLVMCountIncoming(p0), MANY + 1);
    unsigned nines = 0, returns = 0;
    for (unsigned i = 0; i < MANY + 1; i++) {
        LLVMValueRef v = LLVMGetIncomingValue(p0, i);
        assert_non_null(LLVMIsAConstantInt(v));
        unsigned long long c = LLVMConstIntGetZExtValue(v);
        nines += c == 9;
        returns += c >= 1000 && c < 1000 + MANY;
    }
    assert_int_equal(nines, 1);
    assert_int_equal(returns, MANY);
    assert_int_equal(LLVMGetInstructionOpcode(LLVMGetNextInstruction(p0)), LLVMInsertValue);
    LLVMValueRef agg = LLVMGetOperand(LLVMGetBasicBlockTerminator(ret), 0);
    assert_ptr_equal(LLVMGetOperand(agg, 1), LLVMGetParam(f, 1)); /* field 2: %a */
    assert_ptr_equal(LLVMGetOperand(LLVMGetOperand(agg, 0), 1), LLVMGetParam(f, 0)); /* field 1: %x */
    assert_ptr_equal(LLVMGetOperand(LLVMGetOperand(LLVMGetOperand(agg, 0), 0), 1), p0);
    assert_false(has_struct_phi(f));
    /* g's tail call comes on a conditional edge: its phi stays whole, as
     * does the phi of a function with few returns */
    assert_true(has_struct_phi(g));
    assert_true(has_struct_phi(few));
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copies_in_using_blocks),
        cmocka_unit_test(entry_of_its_own),
        cmocka_unit_test(struct_phi_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
