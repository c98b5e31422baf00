/*
 * pipeline.c - the -O level pipelines (pipeline.h).
 *
 * Lifted code is large, branchy and mostly straight-line; LLVM's full
 * default<O2> pipeline costs about three times the passes below for about
 * the same code (measured on static glibc: 2.0 s against 0.7 s per 10,000
 * guest instructions, objects within 4%).  -O3 runs the full default<O3>.
 *
 * No LICM at level 2 (session 21).  It took 16% of sqlite's translation
 * (17.6 of 112 CPU-s), 14 s of it in two functions (porterNext,
 * __vfscanf_internal): every instruction it hoists makes ScalarEvolution
 * forget the values that use it, transitively, and in lifted code the
 * registers' phis join nearly every value of a loop to every other, so
 * the cost is hoisted instructions times function size.  It bought
 * nothing measurable: in a loop the safepoint's call clobbers the
 * CpuState, so LICM cannot keep the X registers that live there in host
 * registers (a leaf loop with 12 values in X6-X16, tests/bench/live_values.c:
 * byte-identical x86 with and without it), and lua, sqlite, zlib, xz,
 * bzip2 and the kernels ran the same (docs/benchmarks.md, session 21).
 */
#include "pipeline.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Support.h>

const char *dbt_opt_pipeline(int level)
{
    static const char *const pipelines[4] = {
        "function(sroa)",
        "function(sroa,early-cse<memssa>,instcombine,simplifycfg,dse)",
        "function(sroa,early-cse<memssa>,instcombine,simplifycfg,gvn,dse,instcombine,simplifycfg)",
        "default<O3>",
    };
    return pipelines[level < 0 ? 0 : level > 3 ? 3 : level];
}

/* No branch crosses or ends at a 32-byte boundary (MC pads before it, as
 * clang's -mbranches-within-32B-boundaries): the histogram kernel's loop,
 * byte for byte the same code, ran 0.99-1.46 s depending only on where the
 * link put it (1.05-1.14 s with this; its closing JNE across a 64-byte
 * line was the slow case on this AMD host, and 32-byte boundaries are
 * Intel's JCC erratum).  Output 0.9% larger.  No store merging in the
 * DAG combiner: it turned an epilogue's `ldp x23, x24` (two loads of the
 * guest stack, two stores into the CpuState) into one 16-byte copy whose
 * load spans the prologue's two 8-byte stores, which cannot be forwarded
 * to it - 35% of python's _Py_dict_lookup samples sat on two such copies
 * (docs/benchmarks.md, session 28).  Then a developer's knob,
 * documented in docs/testing.md: options for LLVM itself, e.g.
 * DBT_LLVM_ARGS="-time-passes" (with --jobs 1). */
static const char *options_prog;
static void parse_options(void)
{
    static char buf[1024];
    static const char *argv[64];
    int argc = 0;
    const char *env = getenv("DBT_LLVM_ARGS");
    snprintf(buf, sizeof buf, "%s", env ? env : "");
    argv[argc++] = options_prog;
    if (strstr(buf, "x86-align-branch") == NULL) {
        argv[argc++] = "-x86-align-branch-boundary=32";
        argv[argc++] = "-x86-align-branch=fused+jcc+jmp";
    }
    if (strstr(buf, "combiner-store-merging") == NULL)
        argv[argc++] = "-combiner-store-merging=false";
    for (char *t = strtok(buf, " "); t && argc < 63; t = strtok(NULL, " "))
        argv[argc++] = t;
    LLVMParseCommandLineOptions(argc, argv, NULL);
}

void dbt_llvm_options(const char *prog)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    options_prog = prog;
    pthread_once(&once, parse_options);
}

/* Whether V is a GEP of an argument with constant indices (in lifted code
 * an address in the CpuState: cpu + offset). */
static bool is_arg_field(LLVMValueRef v)
{
    if (LLVMGetInstructionOpcode(v) != LLVMGetElementPtr)
        return false;
    LLVMValueRef base = LLVMGetOperand(v, 0);
    if (!LLVMIsAArgument(base))
        return false;
    for (int k = 1; k < LLVMGetNumOperands(v); k++)
        if (!LLVMIsAConstantInt(LLVMGetOperand(v, k)))
            return false;
    return true;
}

/* The first instruction of BB that is not a phi. */
static LLVMValueRef first_non_phi(LLVMBasicBlockRef bb)
{
    LLVMValueRef i = LLVMGetFirstInstruction(bb);
    while (i && LLVMGetInstructionOpcode(i) == LLVMPHI)
        i = LLVMGetNextInstruction(i);
    return i;
}

void dbt_sink_arg_fields(LLVMModuleRef mod)
{
    LLVMBuilderRef b = LLVMCreateBuilderInContext(LLVMGetModuleContext(mod));
    /* Users of one GEP, collected before any is changed. */
    size_t cap = 64;
    LLVMValueRef *users = malloc(cap * sizeof *users);
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn && users; fn = LLVMGetNextFunction(fn)) {
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb)) {
            for (LLVMValueRef gep = LLVMGetFirstInstruction(bb); gep; gep = LLVMGetNextInstruction(gep)) {
                if (!is_arg_field(gep))
                    continue;
                size_t n = 0;
                for (LLVMUseRef u = LLVMGetFirstUse(gep); u; u = LLVMGetNextUse(u)) {
                    LLVMValueRef user = LLVMGetUser(u);
                    if (LLVMGetInstructionParent(user) == bb || LLVMGetInstructionOpcode(user) == LLVMPHI)
                        continue;
                    if (n == cap) {
                        LLVMValueRef *more = realloc(users, 2 * cap * sizeof *users);
                        if (more == NULL)
                            break;
                        users = more, cap *= 2;
                    }
                    users[n++] = user;
                }
                /* A copy in each block, before its first instruction that
                 * is not a phi: it dominates every use there.  (The users
                 * of one block usually come together in the use list;
                 * where they do not, a block gets two copies, which
                 * instruction selection merges.) */
                LLVMBasicBlockRef last_bb = NULL;
                LLVMValueRef copy = NULL;
                for (size_t k = 0; k < n; k++) {
                    LLVMBasicBlockRef ub = LLVMGetInstructionParent(users[k]);
                    if (ub != last_bb) {
                        copy = LLVMInstructionClone(gep);
                        LLVMPositionBuilderBefore(b, first_non_phi(ub));
                        LLVMInsertIntoBuilder(b, copy);
                        last_bb = ub;
                    }
                    for (int o = 0; o < LLVMGetNumOperands(users[k]); o++)
                        if (LLVMGetOperand(users[k], o) == gep)
                            LLVMSetOperand(users[k], (unsigned)o, copy);
                }
            }
        }
    }
    free(users);
    LLVMDisposeBuilder(b);
}

/* A new entry block holding only the static allocas and a branch to the
 * old one (see pipeline.h). */
static void isolate_entry(LLVMValueRef fn, LLVMBuilderRef b)
{
    LLVMBasicBlockRef old = LLVMGetEntryBasicBlock(fn);
    LLVMBasicBlockRef args = LLVMInsertBasicBlockInContext(LLVMGetModuleContext(LLVMGetGlobalParent(fn)), old, "args");
    LLVMPositionBuilderAtEnd(b, args);
    LLVMValueRef i = LLVMGetFirstInstruction(old);
    while (i != NULL) {
        LLVMValueRef next = LLVMGetNextInstruction(i);
        if (LLVMIsAAllocaInst(i) && LLVMIsAConstant(LLVMGetOperand(i, 0))) {
            LLVMInstructionRemoveFromParent(i);
            LLVMInsertIntoBuilder(b, i);
        }
        i = next;
    }
    LLVMBuildBr(b, old);
}

void dbt_isolate_entries(LLVMModuleRef mod)
{
    LLVMBuilderRef b = LLVMCreateBuilderInContext(LLVMGetModuleContext(mod));
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
        if (LLVMCountBasicBlocks(fn) > 0 && LLVMCountParams(fn) > 1)
            isolate_entry(fn, b);
    LLVMDisposeBuilder(b);
}

/* Field K of an aggregate built by a chain of single-index insertvalues,
 * or NULL when the chain does not say (its base is not poison or undef). */
static LLVMValueRef chain_field(LLVMValueRef agg, unsigned k)
{
    while (LLVMIsAInsertValueInst(agg)) {
        if (LLVMGetNumIndices(agg) == 1 && LLVMGetIndices(agg)[0] == k)
            return LLVMGetOperand(agg, 1);
        agg = LLVMGetOperand(agg, 0);
    }
    if (LLVMIsAPoisonValue(agg) || LLVMIsAUndefValue(agg))
        return LLVMGetUndef(LLVMStructGetTypeAtIndex(LLVMTypeOf(agg), k));
    return NULL;
}

/* Deletes AGG's insertvalue chain as far as nothing else uses it. */
static void delete_chain(LLVMValueRef agg)
{
    while (LLVMIsAInsertValueInst(agg) && LLVMGetFirstUse(agg) == NULL) {
        LLVMValueRef base = LLVMGetOperand(agg, 0);
        LLVMInstructionEraseFromParent(agg);
        agg = base;
    }
}

/* Whether an incoming value V of a struct phi gives its fields here (an
 * insertvalue chain or a constant); any other (a call's result) returns
 * in its own block. */
static bool fields_known(LLVMValueRef v)
{
    return LLVMIsAInsertValueInst(v) || LLVMIsAConstant(v);
}

/* The fewest return sites a phi is split for (see pipeline.h). */
enum { SPLIT_MIN_RETURNS = 256 };

/* One struct phi (see pipeline.h) split into a phi per field.  PHI is
 * the first instruction of a block that returns it and does nothing else
 * (simplifycfg's common return).  An edge whose value is not an
 * insertvalue chain or a constant (a tail call's result, returned as it
 * is) gets the return in its own block instead (an unconditional branch
 * becomes `ret`), so that the call stays a tail call: extracted and
 * inserted again it became a call that returns, with the stack 8 bytes
 * off for the callee (docs/architecture.md, "Calls").  Where such an edge
 * is a conditional one the phi stays whole. */
static void split_struct_phi(LLVMValueRef phi, LLVMBuilderRef b)
{
    LLVMTypeRef st = LLVMTypeOf(phi);
    LLVMBasicBlockRef bb = LLVMGetInstructionParent(phi);
    LLVMValueRef ret = LLVMGetNextInstruction(phi);
    unsigned nf = LLVMCountStructElementTypes(st);
    unsigned ni = LLVMCountIncoming(phi);
    if (LLVMGetFirstInstruction(bb) != phi || ret == NULL || LLVMGetInstructionOpcode(ret) != LLVMRet ||
        LLVMGetNumOperands(ret) != 1 || LLVMGetOperand(ret, 0) != phi || nf == 0 ||
        ni < SPLIT_MIN_RETURNS)
        return;
    for (unsigned i = 0; i < ni; i++) {
        LLVMValueRef v = LLVMGetIncomingValue(phi, i);
        if (!fields_known(v)) {
            LLVMValueRef br = LLVMGetBasicBlockTerminator(LLVMGetIncomingBlock(phi, i));
            if (LLVMGetInstructionOpcode(br) != LLVMBr || LLVMIsConditional(br))
                return;
        }
    }
    LLVMValueRef *in = malloc((size_t)ni * sizeof *in);
    LLVMBasicBlockRef *from = malloc((size_t)ni * sizeof *from);
    LLVMValueRef *field = malloc((size_t)ni * sizeof *field);
    LLVMValueRef *out = malloc((size_t)nf * sizeof *out);
    if (in && from && field && out) {
        /* The edges that keep coming here; the others return. */
        unsigned n = 0;
        for (unsigned i = 0; i < ni; i++) {
            LLVMValueRef v = LLVMGetIncomingValue(phi, i);
            LLVMBasicBlockRef pred = LLVMGetIncomingBlock(phi, i);
            if (fields_known(v)) {
                in[n] = v, from[n] = pred, n++;
                continue;
            }
            LLVMInstructionEraseFromParent(LLVMGetBasicBlockTerminator(pred));
            LLVMPositionBuilderAtEnd(b, pred);
            LLVMBuildRet(b, v);
        }
        LLVMPositionBuilderBefore(b, phi);
        for (unsigned k = 0; k < nf; k++) {
            /* A field every edge brings the same value for (the passed
             * registers a function hands back unchanged) needs no phi;
             * a constant aggregate's field folds to a constant. */
            LLVMValueRef same = NULL;
            for (unsigned i = 0; i < n; i++) {
                field[i] = chain_field(in[i], k);
                if (field[i] == NULL && LLVMIsAConstant(in[i]))
                    field[i] = LLVMGetAggregateElement(in[i], k);
                if (field[i] == NULL) {
                    /* A chain built on another aggregate. */
                    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(from[i]));
                    field[i] = LLVMBuildExtractValue(b, in[i], k, "");
                    LLVMPositionBuilderBefore(b, phi);
                    if (!LLVMIsAConstant(field[i]))
                        same = phi; /* does not dominate the phi's block */
                }
                if (LLVMIsUndef(field[i]))
                    continue;
                if (same == NULL)
                    same = field[i];
                else if (same != field[i])
                    same = phi;
            }
            if (same == NULL)
                out[k] = LLVMGetUndef(LLVMStructGetTypeAtIndex(st, k));
            else if (same != phi)
                out[k] = same;
            else {
                out[k] = LLVMBuildPhi(b, LLVMStructGetTypeAtIndex(st, k), "");
                LLVMAddIncoming(out[k], field, from, n);
            }
        }
        LLVMPositionBuilderBefore(b, ret);
        LLVMValueRef agg = LLVMGetPoison(st);
        for (unsigned k = 0; k < nf; k++)
            agg = LLVMBuildInsertValue(b, agg, out[k], k, "");
        LLVMReplaceAllUsesWith(phi, agg);
        LLVMInstructionEraseFromParent(phi);
        for (unsigned i = 0; i < n; i++) {
            bool seen = false;
            for (unsigned j = 0; j < i && !seen; j++)
                seen = in[j] == in[i];
            if (!seen)
                delete_chain(in[i]);
        }
    }
    free(in), free(from), free(field), free(out);
}

void dbt_split_struct_phis(LLVMModuleRef mod)
{
    LLVMBuilderRef b = LLVMCreateBuilderInContext(LLVMGetModuleContext(mod));
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb)) {
            LLVMValueRef i = LLVMGetFirstInstruction(bb);
            while (i && LLVMGetInstructionOpcode(i) == LLVMPHI) {
                LLVMValueRef next = LLVMGetNextInstruction(i);
                if (LLVMGetTypeKind(LLVMTypeOf(i)) == LLVMStructTypeKind)
                    split_struct_phi(i, b);
                i = next;
            }
        }
    LLVMDisposeBuilder(b);
}

void dbt_before_codegen(LLVMModuleRef mod)
{
    dbt_split_struct_phis(mod);
    dbt_sink_arg_fields(mod);
    dbt_isolate_entries(mod);
}
