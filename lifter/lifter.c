/*
 * lifter.c - function-level lifting: guest state in SSA, blocks, exits.
 *
 * Shape of a lifted function (see lifter.h):
 *
 *   entry:   allocas for the passed X registers (CPU_PASS), SP, N Z C V,
 *            V0-V31 (the other X registers stay in *cpu: lift_function)
 *            the passed registers (CPU_PASS) from the arguments, the
 *            others loaded from *cpu as the function reads them (sync.c)
 *            br %blk_<entry>
 *   blk_<pc>: the guest block's instructions, on the allocas
 *            ...
 *   exits:   store the allocas not passed back to *cpu ("sync out"), then
 *            - return:         cpu->pc = target; ret {passed registers}
 *            - call:           call g_T (an inline asm: call_code);
 *                              if cpu->pc and the returned SP are what the
 *                              call site expects, take the results, reload
 *                              and go on, else return them (non-local
 *                              control flow unwinds)
 *            - tail/indirect:  tail call g_T(passed, cpu), or through
 *                              cpu->tail_fn and dbt_rt_tail_jump
 *
 * Guest memory accesses (inttoptr of a guest address) never alias the
 * CpuState: the argument is noalias, and since LLVM trusts that only
 * while the pointer has not escaped (it escapes into every runtime and asm
 * call), each access of either kind also carries a TBAA type of its own
 * (tag_memory).  That lets LLVM keep a register's value across guest
 * stores and remove the stores of unchanged registers.
 */
#include "lifter.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64_lift.h"
#include "fp16.h"
#include "meta.h"

/* ---- construction --------------------------------------------------------- */

enum { RESULTS = 14 }; /* fields of a translated function's result (ret_pass) */

static LLVMValueRef declare_rt(Lifter *l, const char *name, LLVMTypeRef ret, LLVMTypeRef *params,
                               unsigned n)
{
    LLVMValueRef f = LLVMGetNamedFunction(l->mod, name);
    if (f != NULL)
        return f;
    f = LLVMAddFunction(l->mod, name, LLVMFunctionType(ret, params, n, 0));
    return f;
}

Lifter *lift_new(LLVMModuleRef mod, const LiftEnv *env)
{
    Lifter *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->mod = mod;
    l->ctx = LLVMGetModuleContext(mod);
    l->b = LLVMCreateBuilderInContext(l->ctx);
    l->env = *env;
    l->i1 = LLVMInt1TypeInContext(l->ctx);
    l->i8 = LLVMInt8TypeInContext(l->ctx);
    l->i16 = LLVMInt16TypeInContext(l->ctx);
    l->i32 = LLVMInt32TypeInContext(l->ctx);
    l->i64 = LLVMInt64TypeInContext(l->ctx);
    l->i128 = LLVMInt128TypeInContext(l->ctx);
    l->ptr = LLVMPointerTypeInContext(l->ctx, 0);
    l->vty = LLVMVectorType(l->i8, 16);
    l->f16 = LLVMHalfTypeInContext(l->ctx);
    l->f32 = LLVMFloatTypeInContext(l->ctx);
    l->f64 = LLVMDoubleTypeInContext(l->ctx);
    LLVMTypeRef void_ty = LLVMVoidTypeInContext(l->ctx);
    LLVMTypeRef fields[RESULTS], params[CPU_PASS_NREGS + 1];
    for (unsigned k = 0; k < RESULTS; k++)
        fields[k] = l->i64;
    for (unsigned k = 0; k <= CPU_PASS_NREGS; k++)
        params[k] = k == 1 ? l->ptr : l->i64;
    l->ret_ty = LLVMStructTypeInContext(l->ctx, fields, RESULTS, 0);
    l->fn_ty = LLVMFunctionType(l->ret_ty, params, CPU_PASS_NREGS + 1, 0);
    l->call_ty = LLVMStructTypeInContext(l->ctx, fields, CPU_PASS_NREGS, 0);

    LLVMTypeRef p_lookup[] = {l->ptr, l->i64};
    l->rt_lookup = declare_rt(l, RT_SYM_LOOKUP, l->ptr, p_lookup, 2);
    l->rt_lookup_entry = declare_rt(l, RT_SYM_LOOKUP_ENTRY, l->ptr, p_lookup, 2);
    l->rt_syscall = declare_rt(l, RT_SYM_SYSCALL, void_ty, &l->ptr, 1);
    LLVMTypeRef p_trap[] = {l->ptr, l->i32, l->i32};
    l->rt_trap = declare_rt(l, RT_SYM_TRAP, void_ty, p_trap, 3);
    LLVMTypeRef p_cache[] = {l->ptr, l->i32, l->i64};
    l->rt_cache = declare_rt(l, RT_SYM_CACHE, void_ty, p_cache, 3);
    LLVMTypeRef p_sysreg[] = {l->ptr, l->i32};
    l->rt_sysreg = declare_rt(l, RT_SYM_SYSREG, l->i64, p_sysreg, 2);
    LLVMTypeRef p_f16[] = {l->ptr, l->i32, l->i64, l->i64, l->i64};
    l->rt_f16 = declare_rt(l, RT_SYM_F16, l->i64, p_f16, 5);
    l->rt_safepoint = declare_rt(l, RT_SYM_SAFEPOINT, l->i32, &l->ptr, 1);
    l->rt_safepoint_stub = declare_rt(l, RT_SYM_SAFEPOINT_STUB, void_ty, NULL, 0);
    l->rt_tail_jump = LLVMGetNamedFunction(l->mod, RT_SYM_TAIL_JUMP);
    if (l->rt_tail_jump == NULL) {
        l->rt_tail_jump = LLVMAddFunction(l->mod, RT_SYM_TAIL_JUMP, l->fn_ty);
        LLVMSetFunctionCallConv(l->rt_tail_jump, LLVMHHVMCallConv);
    }
    l->marker_fn = declare_rt(l, "dbt.lifter.sync", void_ty, NULL, 0);
    return l;
}

void lift_free(Lifter *l)
{
    if (l == NULL)
        return;
    LLVMDisposeBuilder(l->b);
    dbg_free(l);
    u64map_free(&l->sync_regs);
    free(l->syncs);
    free(l->sync_out);
    free(l);
}

void lift_function_name(uint64_t entry, char *buf, size_t n)
{
    snprintf(buf, n, "g_%016llx", (unsigned long long)entry);
}

LLVMValueRef lift_declare(Lifter *l, uint64_t entry)
{
    char name[32];
    lift_function_name(entry, name, sizeof name);
    LLVMValueRef f = LLVMGetNamedFunction(l->mod, name);
    if (f != NULL)
        return f;
    f = LLVMAddFunction(l->mod, name, l->fn_ty);
    LLVMSetFunctionCallConv(f, LLVMHHVMCallConv);
    unsigned noalias = LLVMGetEnumAttributeKindForName("noalias", 7);
    LLVMAddAttributeAtIndex(f, 2, LLVMCreateEnumAttribute(l->ctx, noalias, 0)); /* the CpuState: parameter 1 */
    unsigned nounwind = LLVMGetEnumAttributeKindForName("nounwind", 8);
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(l->ctx, nounwind, 0));
    /* No frame pointer: RBP carries a guest register (CPU_PASS), and the
     * convention does not preserve it.  A function that realigned its stack
     * for a 32-byte object would take RBP as the frame pointer and lose the
     * register, so it must not realign (spills of wider vectors become
     * unaligned moves), and no stack object may need more than the 16
     * bytes the stack has: vectors of at most 128 bits (NEON's width), or
     * the vectorizers' 256-bit values land in 32-byte aligned temporaries
     * of instruction selection (zlib's fill_window faulted on one). */
    static const char norealign[] = "no-realign-stack", width[] = "prefer-vector-width", w128[] = "128";
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(l->ctx, norealign, sizeof norealign - 1, "", 0));
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(l->ctx, width, sizeof width - 1, w128, sizeof w128 - 1));
    return f;
}

/* ---- small helpers -------------------------------------------------------- */

LLVMValueRef c64(Lifter *l, uint64_t v) { return LLVMConstInt(l->i64, v, 0); }
LLVMValueRef c32(Lifter *l, uint32_t v) { return LLVMConstInt(l->i32, v, 0); }
LLVMValueRef cint(LLVMTypeRef ty, uint64_t v) { return LLVMConstInt(ty, v, 0); }

LLVMValueRef call_intrinsic(Lifter *l, const char *name, LLVMTypeRef *tys, unsigned ntys,
                            LLVMValueRef *args, unsigned nargs)
{
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    assert(id != 0 && "unknown intrinsic");
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(l->mod, id, tys, ntys);
    LLVMTypeRef fty = LLVMIntrinsicGetType(l->ctx, id, tys, ntys);
    return LLVMBuildCall2(l->b, fty, f, args, nargs, "");
}

LLVMValueRef cpu_field(Lifter *l, unsigned off)
{
    /* A GEP next to its loads and stores (code generation folds it into
     * their addressing mode), one per field and block: while lifting, the
     * builder only appends, so one made earlier in the same block
     * dominates.  (One GEP per field in the entry block, used everywhere,
     * made instruction selection 35% slower: every block imports them as
     * live-in values.) */
    assert(off < CPU_STATE_SIZE);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    if (l->gep_cache && l->gep_bb[off] == here)
        return l->gep[off];
    LLVMValueRef idx = c64(l, off);
    LLVMValueRef g = LLVMBuildGEP2(l->b, l->i8, l->cpu, &idx, 1, "");
    l->gep[off] = g;
    l->gep_bb[off] = here;
    return g;
}

/* ---- registers ------------------------------------------------------------ */

/* Where the current function keeps general register R (0-30 X, 31 SP):
 * its alloca, or its CpuState field (all of them in a function lifted with
 * the registers in memory, the X registers that are not passed in the
 * other functions: lift_function says why). */
static LLVMValueRef gpr_home(Lifter *l, unsigned r)
{
    LLVMValueRef a = r == 31 ? l->sp : l->x[r];
    return a ? a : cpu_field(l, r == 31 ? CPU_OFF_sp : CPU_OFF_x + 8 * r);
}

static LLVMValueRef load_gpr(Lifter *l, unsigned r)
{
    l->insn_gprs_read |= r < 31 ? 1u << r : 0;
    return LLVMBuildLoad2(l->b, l->i64, gpr_home(l, r), "");
}

LLVMValueRef rd_x(Lifter *l, unsigned r)
{
    return r == 31 ? c64(l, 0) : load_gpr(l, r);
}

LLVMValueRef rd_w(Lifter *l, unsigned r)
{
    return LLVMBuildTrunc(l->b, rd_x(l, r), l->i32, "");
}

LLVMValueRef rd_reg(Lifter *l, unsigned r, bool sf) { return sf ? rd_x(l, r) : rd_w(l, r); }

LLVMValueRef rd_xsp(Lifter *l, unsigned r) { return load_gpr(l, r); }

LLVMValueRef rd_reg_sp(Lifter *l, unsigned r, bool sf)
{
    LLVMValueRef v = rd_xsp(l, r);
    return sf ? v : LLVMBuildTrunc(l->b, v, l->i32, "");
}

static LLVMValueRef to_i64(Lifter *l, LLVMValueRef v)
{
    LLVMTypeRef t = LLVMTypeOf(v);
    if (t == l->i64)
        return v;
    return LLVMBuildZExt(l->b, v, l->i64, "");
}

static void store_gpr(Lifter *l, unsigned r, LLVMValueRef v)
{
    l->insn_gprs_written |= r < 31 ? 1u << r : 0;
    LLVMBuildStore(l->b, to_i64(l, v), gpr_home(l, r));
}

void wr_x(Lifter *l, unsigned r, LLVMValueRef v)
{
    if (r != 31)
        store_gpr(l, r, v);
}

void wr_reg(Lifter *l, unsigned r, bool sf, LLVMValueRef v) { (void)sf; wr_x(l, r, v); }

void wr_xsp(Lifter *l, unsigned r, LLVMValueRef v) { store_gpr(l, r, v); }

void wr_reg_sp(Lifter *l, unsigned r, bool sf, LLVMValueRef v) { (void)sf; wr_xsp(l, r, v); }

/* Flags are i1 values in SSA and one byte each (0 or 1) in the CpuState. */
static const unsigned flag_off[4] = {CPU_OFF_n, CPU_OFF_z, CPU_OFF_c, CPU_OFF_v};

LLVMValueRef rd_flag(Lifter *l, enum Flag f)
{
    if (!(l->insn_flags_written >> f & 1))
        l->insn_flags_read_first |= 1u << f;
    if (l->memregs)
        return LLVMBuildTrunc(l->b, LLVMBuildLoad2(l->b, l->i8, cpu_field(l, flag_off[f]), ""), l->i1, "");
    if (!(l->blk_flags_written >> f & 1))
        l->blk_flags_read_first |= 1u << f;
    return LLVMBuildLoad2(l->b, l->i1, l->flag[f], "");
}

void wr_flag(Lifter *l, enum Flag f, LLVMValueRef v)
{
    l->cmp_a = NULL;
    l->insn_flags_written |= 1u << f;
    if (l->memregs) {
        LLVMBuildStore(l->b, LLVMBuildZExt(l->b, v, l->i8, ""), cpu_field(l, flag_off[f]));
        return;
    }
    l->blk_flags_written |= 1u << f;
    LLVMBuildStore(l->b, v, l->flag[f]);
}

void set_nzcv(Lifter *l, LLVMValueRef res, LLVMValueRef c, LLVMValueRef v)
{
    LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(res));
    wr_flag(l, FLAG_N, LLVMBuildICmp(l->b, LLVMIntSLT, res, zero, "n"));
    wr_flag(l, FLAG_Z, LLVMBuildICmp(l->b, LLVMIntEQ, res, zero, "z"));
    wr_flag(l, FLAG_C, c);
    wr_flag(l, FLAG_V, v);
}

LLVMValueRef add_with_carry(Lifter *l, LLVMValueRef a, LLVMValueRef b, LLVMValueRef cin,
                            LLVMValueRef *c, LLVMValueRef *v)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    LLVMValueRef cinx = LLVMBuildZExt(l->b, cin, t, "");
    LLVMValueRef args1[] = {a, b};
    LLVMValueRef s1 = call_intrinsic(l, "llvm.uadd.with.overflow", &t, 1, args1, 2);
    LLVMValueRef sum1 = LLVMBuildExtractValue(l->b, s1, 0, "");
    LLVMValueRef args2[] = {sum1, cinx};
    LLVMValueRef s2 = call_intrinsic(l, "llvm.uadd.with.overflow", &t, 1, args2, 2);
    LLVMValueRef res = LLVMBuildExtractValue(l->b, s2, 0, "");
    if (c)
        *c = LLVMBuildOr(l->b, LLVMBuildExtractValue(l->b, s1, 1, ""), LLVMBuildExtractValue(l->b, s2, 1, ""),
                         "c");
    if (v) {
        /* Signed overflow: operands of equal sign, result of the other sign. */
        LLVMValueRef t1 = LLVMBuildXor(l->b, a, res, "");
        LLVMValueRef t2 = LLVMBuildXor(l->b, b, res, "");
        LLVMValueRef both = LLVMBuildAnd(l->b, t1, t2, "");
        *v = LLVMBuildICmp(l->b, LLVMIntSLT, both, LLVMConstNull(t), "v");
    }
    return res;
}

static LLVMValueRef flags_hold(Lifter *l, unsigned cond);

/* Condition COND (EQ, NE, CS, CC, HI, LS, GE, LT, GT, LE) after a SUBS of
 * l->cmp_a and l->cmp_b, as a comparison of the two: GE (N == V) is
 * a >= b signed, HI (C && !Z) a > b unsigned, and so on. */
static const LLVMIntPredicate after_subs[8][2] = {
    {LLVMIntEQ, LLVMIntNE},   {LLVMIntUGE, LLVMIntULT}, {0, 0}, {0, 0},
    {LLVMIntUGT, LLVMIntULE}, {LLVMIntSGE, LLVMIntSLT}, {LLVMIntSGT, LLVMIntSLE}, {0, 0},
};

/* Only for the word right after the SUBS (`cmp; b.lt`, `cmp; csel`):
 * further down, the operands kept alive until the condition cost more
 * than the flags - in lua's luaV_execute 12% more stack accesses and the
 * interpreter 4% slower (1.91 against 1.83 CPU-s), where the next word
 * alone ran as before (1.82) and kept the gain elsewhere (session 24:
 * calls kernel 0.53 against 0.58 s, sqlite 2.02 against 2.06). */
LLVMValueRef cond_holds(Lifter *l, unsigned cond)
{
    bool next = l->cmp_a != NULL && l->pc == l->cmp_pc + 4;
    LLVMIntPredicate p = next ? after_subs[cond >> 1 & 7][cond & 1] : 0;
    if (p == 0)
        return flags_hold(l, cond);
    /* The flags are read all the same (left dead): what the word reads is
     * checked against lifter/a64_nzcv.c, and the flags' liveness counts
     * it. */
    (void)flags_hold(l, cond);
    return LLVMBuildICmp(l->b, p, l->cmp_a, l->cmp_b, "");
}

static LLVMValueRef flags_hold(Lifter *l, unsigned cond)
{
    LLVMValueRef r;
    switch (cond >> 1) {
    case 0: r = rd_flag(l, FLAG_Z); break;                  /* EQ / NE */
    case 1: r = rd_flag(l, FLAG_C); break;                  /* CS / CC */
    case 2: r = rd_flag(l, FLAG_N); break;                  /* MI / PL */
    case 3: r = rd_flag(l, FLAG_V); break;                  /* VS / VC */
    case 4:                                                 /* HI / LS */
        r = LLVMBuildAnd(l->b, rd_flag(l, FLAG_C), LLVMBuildNot(l->b, rd_flag(l, FLAG_Z), ""), "");
        break;
    case 5:                                                 /* GE / LT */
        r = LLVMBuildICmp(l->b, LLVMIntEQ, rd_flag(l, FLAG_N), rd_flag(l, FLAG_V), "");
        break;
    case 6:                                                 /* GT / LE */
        r = LLVMBuildAnd(l->b, LLVMBuildICmp(l->b, LLVMIntEQ, rd_flag(l, FLAG_N), rd_flag(l, FLAG_V), ""),
                         LLVMBuildNot(l->b, rd_flag(l, FLAG_Z), ""), "");
        break;
    default:                                                /* AL / NV: always */
        return LLVMConstInt(l->i1, 1, 0);
    }
    if (cond & 1)
        r = LLVMBuildNot(l->b, r, "");
    return r;
}

/* ---- SIMD&FP registers ---------------------------------------------------- */

LLVMValueRef rd_v(Lifter *l, unsigned r)
{
    if (l->memregs) {
        LLVMValueRef v = LLVMBuildLoad2(l->b, l->vty, cpu_field(l, CPU_OFF_vreg + 16 * r), "");
        LLVMSetAlignment(v, 16);
        return v;
    }
    return LLVMBuildLoad2(l->b, l->vty, l->vreg[r], "");
}

void wr_v(Lifter *l, unsigned r, LLVMValueRef v)
{
    if (LLVMTypeOf(v) != l->vty)
        v = LLVMBuildBitCast(l->b, v, l->vty, "");
    if (l->memregs)
        LLVMSetAlignment(LLVMBuildStore(l->b, v, cpu_field(l, CPU_OFF_vreg + 16 * r)), 16);
    else
        LLVMBuildStore(l->b, v, l->vreg[r]);
}

/* Scalar views of a V register go through a vector of lanes of the scalar's
 * size (extractelement/insertelement of lane 0), which x86 does in XMM
 * registers; the i128 route (trunc/zext) would go through general
 * registers. */
static LLVMTypeRef lane_vec(Lifter *l, LLVMTypeRef elt, unsigned nbits)
{
    return LLVMVectorType(elt, 128 / nbits);
}

LLVMValueRef rd_vbits(Lifter *l, unsigned r, unsigned nbits)
{
    if (nbits == 128)
        return LLVMBuildBitCast(l->b, rd_v(l, r), l->i128, "");
    LLVMTypeRef elt = LLVMIntTypeInContext(l->ctx, nbits);
    LLVMValueRef v = LLVMBuildBitCast(l->b, rd_v(l, r), lane_vec(l, elt, nbits), "");
    return LLVMBuildExtractElement(l->b, v, c32(l, 0), "");
}

void wr_vscalar(Lifter *l, unsigned r, LLVMValueRef v)
{
    LLVMTypeRef t = LLVMTypeOf(v);
    unsigned nbits = t == l->f16 ? 16 : t == l->f32 ? 32 : t == l->f64 ? 64 : LLVMGetIntTypeWidth(t);
    if (nbits == 128) {
        wr_v(l, r, LLVMBuildBitCast(l->b, v, l->vty, ""));
        return;
    }
    LLVMValueRef vec = LLVMBuildInsertElement(l->b, LLVMConstNull(lane_vec(l, t, nbits)), v, c32(l, 0), "");
    wr_v(l, r, LLVMBuildBitCast(l->b, vec, l->vty, ""));
}

/* ---- memory --------------------------------------------------------------- */

LLVMValueRef mem_ptr(Lifter *l, LLVMValueRef addr) { return LLVMBuildIntToPtr(l->b, addr, l->ptr, ""); }

/* The access INSN (a load, store, cmpxchg or atomicrmw of guest memory)
 * is the guest instruction at l->pc: with LiftEnv.fault_pcs, LLVM records
 * its host pc with that guest pc in the section dbt_pcmap (include/meta.h:
 * DBT_PCMAP_SECTION; also when instruction selection folds the access
 * into another instruction), for the runtime's fault reports.
 * An access LLVM merges with another or removes has no entry; a fault
 * there is reported at the function's entry. */
LLVMValueRef mem_mark(Lifter *l, LLVMValueRef insn)
{
    if (!l->env.fault_pcs)
        return insn;
    if (l->pcs_kind == 0)
        l->pcs_kind = LLVMGetMDKindIDInContext(l->ctx, "pcsections", 10);
    LLVMMetadataRef aux[2] = {LLVMValueAsMetadata(LLVMConstInt(l->i32, DBT_PCMAP_MARK, false)),
                              LLVMValueAsMetadata(LLVMConstInt(l->i64, l->pc, false))};
    LLVMMetadataRef ops[2] = {LLVMMDStringInContext2(l->ctx, DBT_PCMAP_SECTION, strlen(DBT_PCMAP_SECTION)),
                              LLVMMDNodeInContext2(l->ctx, aux, 2)};
    LLVMSetMetadata(insn, l->pcs_kind, LLVMMetadataAsValue(l->ctx, LLVMMDNodeInContext2(l->ctx, ops, 2)));
    return insn;
}

LLVMValueRef mem_load(Lifter *l, LLVMTypeRef ty, LLVMValueRef addr)
{
    LLVMValueRef v = mem_mark(l, LLVMBuildLoad2(l->b, ty, mem_ptr(l, addr), ""));
    LLVMSetAlignment(v, 1);
    return v;
}

void mem_store(Lifter *l, LLVMValueRef addr, LLVMValueRef v)
{
    LLVMValueRef s = mem_mark(l, LLVMBuildStore(l->b, v, mem_ptr(l, addr)));
    LLVMSetAlignment(s, 1);
}

/* ---- blocks and control flow ---------------------------------------------- */

LLVMBasicBlockRef lift_new_block(Lifter *l, const char *name)
{
    LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(l->ctx, l->fn, name);
    LLVMPositionBuilderAtEnd(l->b, bb);
    return bb;
}

size_t lift_lower_bound(const uint64_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool lift_sorted_has(const uint64_t *v, size_t n, uint64_t x)
{
    size_t i = lift_lower_bound(v, n, x);
    return i < n && v[i] == x;
}

long lift_leader_index(const LiftFunc *f, uint64_t pc)
{
    size_t i = lift_lower_bound(f->leaders, f->nleaders, pc);
    return i < f->nleaders && f->leaders[i] == pc ? (long)i : -1;
}

static void store_pc(Lifter *l, LLVMValueRef pc) { LLVMBuildStore(l->b, pc, cpu_field(l, CPU_OFF_pc)); }

/* ---- the calling convention (cpu_state.h: CPU_PASS) ----------------------- */

/* The passed guest registers, in argument order; passed register k is LLVM
 * parameter param_of(k) (parameter 1 is the CpuState).  The results come in
 * LLVM's HHVM order (RBX, RBP, RDI, RSI, RDX, RCX, R8-R11, R13-R15): result
 * field f is passed register ret_pass[f] (NO_REG: none, undefined), which
 * puts each register back in the host register it came in
 * (runtime/enter_x86_64.c relies on it). */
#define PASS_REG_(k, r, host) r,
enum { NO_REG = 99 };
static const unsigned pass_reg[CPU_PASS_NREGS] = {CPU_PASS(PASS_REG_)};
static const unsigned ret_pass[RESULTS] = {0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, NO_REG, 2};
static unsigned param_of(unsigned k) { return k == 0 ? 0 : k + 1; }

bool lift_is_passed(unsigned r)
{
    for (unsigned k = 0; k < CPU_PASS_NREGS; k++)
        if (pass_reg[k] == r)
            return true;
    return false;
}

/* The stack: LLVM's code for the HHVM convention takes RSP to be 16-byte
 * aligned at a function's entry, its return address already pushed (in
 * HHVM the callee pops it), but makes its own calls of such functions with
 * RSP aligned as for C - 8 bytes short.  So a call that returns (not a tail
 * call: a jump keeps the caller's RSP, right for the callee) is an inline
 * asm, `sub $8, %rsp; call T; add $8, %rsp`, with the convention's
 * registers as its operands: the passed registers in and out in their
 * host registers (CPU_PASS), the CpuState in R12 (preserved), everything
 * else clobbered.  `alignstack` makes LLVM keep RSP aligned at the asm as
 * at a call (and not use the red zone).  Until session 21 the call went
 * through a stub per callee, `T.call: call T; ret`, whose call pushed the
 * 8 bytes: tests/bench/calls.c (a loop calling a small leaf) took
 * 1.38-1.48x as long with it - the extra call and return.  An indirect
 * call's target is in R14, the one register no argument uses; the call
 * instruction at each site keeps its branch predicted per site.  The C
 * side enters with RSP 8 bytes off (runtime/enter_x86_64.c). */
#define PASS_HOST_(k, r, host) "{" #host "},"
#define PASS_OUT_(k, r, host) "={" #host "},"
/* The inputs name their outputs ("0" .. "12"): LLVM looks each register
 * name up by comparing it with every register of every class, so that is
 * 13 lookups fewer per call site. */
#define PASS_TIED_(k, r, host) #k ","
static const char call_operands[] = CPU_PASS(PASS_OUT_) CPU_PASS(PASS_TIED_) "{r12},";
static const char call_clobbers[] =
    "~{xmm0},~{xmm1},~{xmm2},~{xmm3},~{xmm4},~{xmm5},~{xmm6},~{xmm7},~{xmm8},~{xmm9},~{xmm10},~{xmm11},"
    "~{xmm12},~{xmm13},~{xmm14},~{xmm15},~{dirflag},~{fpsr},~{flags},~{memory}";
/* Only where the target has them: naming registers the target lacks made
 * instruction selection 1.7x slower (zlib's driver, 9.2 s against 5.4). */
static const char call_clobbers_avx512[] =
    ",~{xmm16},~{xmm17},~{xmm18},~{xmm19},~{xmm20},~{xmm21},~{xmm22},~{xmm23},~{xmm24},~{xmm25},~{xmm26},"
    "~{xmm27},~{xmm28},~{xmm29},~{xmm30},~{xmm31},~{k0},~{k1},~{k2},~{k3},~{k4},~{k5},~{k6},~{k7}";

/* The arguments of a call of translated code: the passed registers and the
 * CpuState, ARGS[0 .. CPU_PASS_NREGS]. */
static void pass_args(Lifter *l, LLVMValueRef *args)
{
    for (unsigned k = 0; k < CPU_PASS_NREGS; k++)
        args[param_of(k)] = load_gpr(l, pass_reg[k]);
    args[1] = l->cpu;
}

/* The operands of an asm that calls code of the convention: the passed
 * registers, then the CpuState; ARGS and TYPES [0 .. CPU_PASS_NREGS]. */
static void asm_call_operands(Lifter *l, LLVMValueRef *args, LLVMTypeRef *types)
{
    for (unsigned k = 0; k < CPU_PASS_NREGS; k++) {
        args[k] = load_gpr(l, pass_reg[k]);
        types[k] = l->i64;
    }
    args[CPU_PASS_NREGS] = l->cpu;
    types[CPU_PASS_NREGS] = l->ptr;
}

/* Call translated code CALLEE (a KNOWN function, or a pointer): the passed
 * registers are its arguments and take its results (the others are synced
 * out before and in after).  The value: {i64 x CPU_PASS_NREGS}, passed
 * register k in field k. */
static LLVMValueRef call_code(Lifter *l, LLVMValueRef callee, bool known)
{
    LLVMValueRef args[CPU_PASS_NREGS + 2];
    LLVMTypeRef types[CPU_PASS_NREGS + 2];
    asm_call_operands(l, args, types);
    args[CPU_PASS_NREGS + 1] = callee;
    types[CPU_PASS_NREGS + 1] = l->ptr;
    unsigned nargs = CPU_PASS_NREGS + (known ? 1 : 2);
    LLVMTypeRef fty = LLVMFunctionType(l->call_ty, types, nargs, 0);
    /* With -g the functions have CFI (.debug_frame): the asm's own push
     * is described, or debuggers unwind to a wrong return address. */
    const char *cfi_in = l->dbg ? "\n\t.cfi_adjust_cfa_offset 8" : "";
    const char *cfi_out = l->dbg ? "\n\t.cfi_adjust_cfa_offset -8" : "";
    char target[64], text[256];
    size_t len;
    snprintf(target, sizeof target, "%s", known ? LLVMGetValueName2(callee, &len) : "*%r14");
    int n = snprintf(text, sizeof text, "subq $$8, %%rsp%s\n\tcall %s\n\taddq $$8, %%rsp%s", cfi_in, target,
                     cfi_out);
    char cons[sizeof call_operands + sizeof call_clobbers + sizeof call_clobbers_avx512 + 16];
    /* R14 is clobbered in both cases: as an input only, LLVM would take
     * it to hold the target still after the call (a loop calling one
     * target kept it there, llc-16), and the callee may use R14. */
    int m = snprintf(cons, sizeof cons, "%s%s%s%s", call_operands, known ? "~{r14}," : "{r14},~{r14},", call_clobbers,
                     l->env.avx512 ? call_clobbers_avx512 : "");
    LLVMValueRef asm_fn = LLVMGetInlineAsm(fty, text, (size_t)n, cons, (size_t)m, 1, 1, LLVMInlineAsmDialectATT, 0);
    return LLVMBuildCall2(l->b, fty, asm_fn, args, nargs, "");
}

/* A tail call of translated code: a host tail call (a jump keeps the
 * caller's RSP, right for the callee: see call_code). */
static LLVMValueRef jump_code(Lifter *l, LLVMValueRef callee)
{
    LLVMValueRef args[CPU_PASS_NREGS + 1];
    pass_args(l, args);
    LLVMValueRef call = LLVMBuildCall2(l->b, l->fn_ty, callee, args, CPU_PASS_NREGS + 1, "");
    LLVMSetInstructionCallConv(call, LLVMHHVMCallConv);
    LLVMSetTailCall(call, 1);
    return call;
}

static void take_results(Lifter *l, LLVMValueRef call)
{
    for (unsigned k = 0; k < CPU_PASS_NREGS; k++)
        store_gpr(l, pass_reg[k], LLVMBuildExtractValue(l->b, call, k, ""));
}

/* Return with the passed registers as the function holds them (the others
 * are in the CpuState: synced out before), or as the CpuState holds them
 * (when it holds the whole truth: after the runtime ran a handler or a
 * trap). */
static void ret_passed(Lifter *l, bool from_state)
{
    LLVMValueRef v[RESULTS];
    for (unsigned f = 0; f < RESULTS; f++) {
        unsigned r = ret_pass[f] == NO_REG ? NO_REG : pass_reg[ret_pass[f]];
        v[f] = r == NO_REG ? LLVMGetUndef(l->i64)
               : from_state ? LLVMBuildLoad2(l->b, l->i64, cpu_field(l, 8 * r), "")
                            : load_gpr(l, r);
    }
    LLVMBuildAggregateRet(l->b, v, RESULTS);
}

/* The block that returns with the passed registers as the CpuState holds
 * them (the runtime ran a handler or a trap, or found the state changed):
 * one per function, the target of every such way out.  A block of its own
 * at each (system calls, safe points, traps) was 14% of the IR of zlib's
 * driver after the passes. */
static LLVMBasicBlockRef leave_from_state(Lifter *l)
{
    if (l->leave_bb == NULL) {
        LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
        l->leave_bb = lift_new_block(l, "leave_state");
        ret_passed(l, true);
        LLVMPositionBuilderAtEnd(l->b, here);
    }
    return l->leave_bb;
}

/* The translated code for the guest pc DYN, found at run time: the
 * thread's indirect-branch cache (cpu_state.h) in a few instructions,
 *
 *     e = &cpu->icache[(dyn >> 2) & (N - 1)];
 *     fn = e->pc == dyn ? e->fn : dbt_rt_lookup(cpu, dyn);
 *
 * the runtime's lookup (a binary search, the JIT) only on a miss. */
static LLVMValueRef lookup_cached(Lifter *l, LLVMValueRef dyn)
{
    LLVMValueRef cache = LLVMBuildLoad2(l->b, l->ptr, cpu_field(l, CPU_OFF_icache), "icache");
    LLVMValueRef off = LLVMBuildShl(l->b, LLVMBuildAnd(l->b, LLVMBuildLShr(l->b, dyn, c64(l, 2), ""),
                                                       c64(l, CPU_ICACHE_ENTRIES - 1), ""),
                                    c64(l, 4), "");
    LLVMValueRef e = LLVMBuildGEP2(l->b, l->i8, cache, &off, 1, "");
    LLVMValueRef tag = LLVMBuildLoad2(l->b, l->i64, e, "tag");
    LLVMValueRef miss = LLVMBuildICmp(l->b, LLVMIntNE, tag, dyn, "miss");
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    LLVMBasicBlockRef hit_bb = lift_new_block(l, "icache_hit");
    LLVMValueRef fn_off = c64(l, offsetof(CpuIcacheEntry, fn));
    LLVMValueRef fn_hit = LLVMBuildLoad2(l->b, l->ptr, LLVMBuildGEP2(l->b, l->i8, e, &fn_off, 1, ""), "");
    LLVMBasicBlockRef miss_bb = lift_new_block(l, "icache_miss");
    LLVMValueRef args[] = {l->cpu, dyn};
    LLVMValueRef fn_miss = LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->rt_lookup), l->rt_lookup, args, 2, "");
    LLVMBasicBlockRef join = lift_new_block(l, "icache_fn");
    LLVMPositionBuilderAtEnd(l->b, hit_bb);
    LLVMBuildBr(l->b, join);
    LLVMPositionBuilderAtEnd(l->b, miss_bb);
    LLVMBuildBr(l->b, join);
    LLVMPositionBuilderAtEnd(l->b, here);
    lift_set_cold_weights(l, LLVMBuildCondBr(l->b, miss, miss_bb, hit_bb));
    LLVMPositionBuilderAtEnd(l->b, join);
    LLVMValueRef fn = LLVMBuildPhi(l->b, l->ptr, "fn");
    LLVMValueRef vals[] = {fn_hit, fn_miss};
    LLVMBasicBlockRef from[] = {hit_bb, miss_bb};
    LLVMAddIncoming(fn, vals, from, 2);
    return fn;
}

/* The translated code for the guest address TARGET (constant) or DYN (i64
 * value), with cpu->pc set to it: the known function (*KNOWN set), else
 * found through the indirect-branch cache and the runtime's lookup. */
static LLVMValueRef guest_code(Lifter *l, uint64_t target, LLVMValueRef dyn, bool *known)
{
    LLVMValueRef callee = dyn == NULL && l->env.function_at ? l->env.function_at(l->env.ctx, target) : NULL;
    if (dyn == NULL)
        dyn = c64(l, target);
    store_pc(l, dyn);
    *known = callee != NULL;
    return callee != NULL ? callee : lookup_cached(l, dyn);
}

/* Return what the translated code CALLEE returns, a host tail call; through
 * dbt_rt_tail_jump unless it is a KNOWN function (cpu_state.h:
 * RT_SYM_TAIL_JUMP). */
static void tail_call_code(Lifter *l, LLVMValueRef callee, bool known)
{
    if (!known) {
        LLVMBuildStore(l->b, callee, cpu_field(l, CPU_OFF_tail_fn));
        callee = l->rt_tail_jump;
    }
    LLVMBuildRet(l->b, jump_code(l, callee));
}

/* Jump to TARGET / DYN with the state synced out for a call: a tail call. */
static void tail_to(Lifter *l, uint64_t target, LLVMValueRef dyn)
{
    bool known;
    LLVMValueRef callee = guest_code(l, target, dyn, &known);
    tail_call_code(l, callee, known);
}

/* Continue in block CONT if OK, else leave (return to the caller, which
 * finds cpu->pc unexpected and leaves too, up to the dispatcher).  After a
 * call of translated code (AFTER_CALL) the passed registers are its
 * results; after the runtime's, the CpuState holds them. */
static void continue_in(Lifter *l, LLVMValueRef ok, LLVMBasicBlockRef cont, bool after_call)
{
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b), leave;
    /* With the registers in memory the call's results are in the CpuState
     * already: the function's one block that returns from there serves
     * (a block of its own after each call was a fifth of hello's IR at
     * -O0). */
    if (after_call && !l->memregs) {
        leave = lift_new_block(l, "leave");
        ret_passed(l, false);
        LLVMPositionBuilderAtEnd(l->b, here);
    } else {
        leave = leave_from_state(l);
    }
    LLVMBuildCondBr(l->b, ok, cont, leave);
    LLVMPositionBuilderAtEnd(l->b, cont);
    if (after_call)
        lift_sync_in_call(l);
    else
        lift_sync_in(l);
}

void lift_continue_if(Lifter *l, LLVMValueRef ok)
{
    continue_in(l, ok, LLVMAppendBasicBlockInContext(l->ctx, l->fn, "cont"), false);
}

/* branch_weights on the conditional branch BR: its true successor is cold. */
void lift_set_cold_weights(Lifter *l, LLVMValueRef br)
{
    LLVMMetadataRef md[3] = {
        LLVMMDStringInContext2(l->ctx, "branch_weights", 14),
        LLVMValueAsMetadata(c32(l, 1)),
        LLVMValueAsMetadata(c32(l, 2000)),
    };
    LLVMValueRef node = LLVMMetadataAsValue(l->ctx, LLVMMDNodeInContext2(l->ctx, md, 3));
    LLVMSetMetadata(br, LLVMGetMDKindIDInContext(l->ctx, "prof", 4), node);
}

/* The safe point at the top of a loop header (the current block, leader
 * PC): a loop that makes no call and no system call still has to see
 * asynchronous signals.  If cpu->intr says one waits, the registers go to
 * the CpuState, pc = the header, and the runtime runs the handler now
 * (dbt_rt_safepoint, nested on this host stack).  If it comes back with the
 * guest state unchanged (the usual case: the handler returned), the loop
 * goes on with its registers as they are - no reload, so the poll adds no
 * phi to the header; otherwise the function leaves for the dispatcher,
 * which continues at the new pc.  Leaves the builder in the block that
 * continues the header.
 *
 * Reading cpu->intr on every iteration costs a load, and tight loops are
 * often bound by their loads (histogram: 3 instead of 2 per iteration,
 * 1.3x slower).  So the function counts down a budget in a register
 * instead (a decrement and a branch, no memory access) and reads cpu->intr
 * only when it reaches zero, every POLL_EVERY header visits.  Every cycle
 * of the function passes a header, so between two reads the guest runs at
 * most POLL_EVERY times the function's size in instructions - except in
 * calls, which is why a call sets the budget to 1 (lift_call): a loop that
 * calls reads cpu->intr on every iteration, which is cheap next to the
 * call. */
enum { POLL_EVERY = 1024 };

/* The safe point's call of the runtime when the passed registers are SSA
 * values: an inline asm that calls dbt_rt_safepoint_stub (through R14,
 * which also brings back its result) with the passed registers in their
 * host registers, as at a call (call_code).  The stub stores them into the
 * CpuState and loads them again after the handler, so they count as kept:
 * the sync point stores only the other registers that are dirty (the
 * flags, V registers), and the code needs no copy of the 13 stores and
 * their address computations at every loop header (in zlib's driver they
 * were a third of all the stores in the IR). */
static const char safe_point_operands[] = "={r14}," CPU_PASS(PASS_HOST_) "{r12},{r14},";

static LLVMValueRef safe_point_call(Lifter *l)
{
    LLVMValueRef args[CPU_PASS_NREGS + 2];
    LLVMTypeRef types[CPU_PASS_NREGS + 2];
    asm_call_operands(l, args, types);
    args[CPU_PASS_NREGS + 1] = l->rt_safepoint_stub;
    types[CPU_PASS_NREGS + 1] = l->ptr;
    LLVMTypeRef fty = LLVMFunctionType(l->i64, types, CPU_PASS_NREGS + 2, 0);
    static const char text[] = "call *%r14";
    char cons[sizeof safe_point_operands + sizeof call_clobbers + sizeof call_clobbers_avx512];
    int m = snprintf(cons, sizeof cons, "%s%s%s", safe_point_operands, call_clobbers,
                     l->env.avx512 ? call_clobbers_avx512 : "");
    LLVMValueRef asm_fn =
        LLVMGetInlineAsm(fty, (char *)text, sizeof text - 1, cons, (size_t)m, 1, 1, LLVMInlineAsmDialectATT, 0);
    LLVMValueRef r = LLVMBuildCall2(l->b, fty, asm_fn, args, CPU_PASS_NREGS + 2, "");
    return LLVMBuildTrunc(l->b, r, l->i32, "");
}

static void safe_point(Lifter *l, uint64_t pc)
{
    LLVMValueRef left = LLVMBuildSub(l->b, LLVMBuildLoad2(l->b, l->i32, l->poll_budget, ""), c32(l, 1), "budget");
    LLVMBuildStore(l->b, left, l->poll_budget);
    LLVMBasicBlockRef poll = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "poll");
    LLVMBasicBlockRef waits = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "signal_waits");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "loop");
    lift_set_cold_weights(l, LLVMBuildCondBr(l->b, LLVMBuildICmp(l->b, LLVMIntEQ, left, c32(l, 0), ""), poll, body));

    LLVMPositionBuilderAtEnd(l->b, poll);
    LLVMBuildStore(l->b, c32(l, POLL_EVERY), l->poll_budget);
    LLVMValueRef w = LLVMBuildLoad2(l->b, l->i32, cpu_field(l, CPU_OFF_intr), "intr");
    LLVMSetVolatile(w, 1);
    /* A barrier for LLVM (no instruction on x86): a guest load after the
     * poll is not the value of one before it.  Without it a spin loop on a
     * plain load whose address LLVM knows (`while (!flag)` on a global)
     * kept the value of its first load for ever: the volatile load above
     * is no memory definition for other loads, and nothing else in the
     * loop writes memory.  So a spinning loop sees another thread's store
     * within POLL_EVERY iterations (test: e2e_threads spin_relaxed). */
    LLVMBuildFence(l->b, LLVMAtomicOrderingAcquire, false, "");
    LLVMValueRef pending = LLVMBuildICmp(l->b, LLVMIntNE, w, c32(l, 0), "");
    lift_set_cold_weights(l, LLVMBuildCondBr(l->b, pending, waits, body));

    LLVMPositionBuilderAtEnd(l->b, waits);
    lift_sync_out_rare(l);
    store_pc(l, c64(l, pc));
    LLVMValueRef go_on = l->memregs ? LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->rt_safepoint), l->rt_safepoint,
                                                     &l->cpu, 1, "")
                                    : safe_point_call(l);
    LLVMBuildCondBr(l->b, LLVMBuildICmp(l->b, LLVMIntNE, go_on, c32(l, 0), ""), body, leave_from_state(l));
    LLVMPositionBuilderAtEnd(l->b, body);
}

/* The flags dead at the top of the loop header HEADER (lifted just now)
 * become undefined there, so the loop need not compute them for the safe
 * point's exit on every iteration (a handler reading NZCV from the
 * interrupted context sees stale bits).  Dead are those the header block
 * writes before it reads them, and all four where the whole function's
 * liveness found none read before set (LiftFunc.flagfree_headers).
 * Nothing else can see the difference: on the way on they are
 * overwritten before any read. */
static void forget_dead_flags(Lifter *l, LLVMBasicBlockRef header, uint64_t pc)
{
    unsigned dead = l->blk_flags_written & ~l->blk_flags_read_first & 0xf;
    if (lift_sorted_has(l->func->flagfree_headers, l->func->nflagfree_headers, pc))
        dead = 0xf;
    if (dead == 0)
        return;
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    LLVMPositionBuilderBefore(l->b, LLVMGetFirstInstruction(header));
    for (unsigned f = 0; f < 4; f++)
        if (dead >> f & 1)
            LLVMBuildStore(l->b, LLVMGetUndef(l->i1), l->flag[f]);
    LLVMPositionBuilderAtEnd(l->b, here);
}

/* The LLVM block of the leader with index I (TARGET): the twin of a
 * one-block loop when its first copy branches back to itself. */
static LLVMBasicBlockRef block_for(Lifter *l, long i, uint64_t target)
{
    return l->twin != NULL && target == l->twin_pc ? l->twin : l->blocks[i];
}

void lift_branch(Lifter *l, uint64_t target)
{
    long i = lift_leader_index(l->func, target);
    if (i >= 0) {
        LLVMBuildBr(l->b, block_for(l, i, target));
    } else {
        lift_bound_call(l, target, true); /* a bound function's host code, its switch on */
        lift_sync_out_call(l);
        tail_to(l, target, NULL);
    }
    l->terminated = true;
}

void lift_cond_branch(Lifter *l, LLVMValueRef cond, uint64_t target)
{
    LLVMBasicBlockRef taken;
    long i = lift_leader_index(l->func, target);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    if (i >= 0) {
        taken = block_for(l, i, target);
    } else {
        taken = lift_new_block(l, "tail");
        lift_sync_out_call(l);
        tail_to(l, target, NULL);
    }
    LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "");
    LLVMPositionBuilderAtEnd(l->b, here);
    LLVMBuildCondBr(l->b, cond, taken, next);
    LLVMPositionBuilderAtEnd(l->b, next);
}

/* The call that just returned did not come back to its return site: if
 * cpu->pc is one of the function's landings (a longjmp to the setjmp of
 * this frame, the unwinder resuming a landing pad: same SP as at this
 * call), continue there; else leave.  One block per function does the
 * test for every call (SP_AT_CALL comes in through a phi): the IR grows
 * with calls plus landings, not their product. */
static void land_or_leave(Lifter *l, LLVMValueRef sp_at_call)
{
    const LiftFunc *f = l->func;
    LLVMBasicBlockRef from = LLVMGetInsertBlock(l->b);
    if (l->land_bb == NULL) {
        l->land_bb = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "land");
        LLVMPositionBuilderAtEnd(l->b, l->land_bb);
        l->land_sp = LLVMBuildPhi(l->b, l->i64, "sp_at_call");
        LLVMValueRef npc = LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_pc), "");
        LLVMValueRef nsp = rd_xsp(l, 31); /* the call's result */
        LLVMValueRef same_frame = LLVMBuildICmp(l->b, LLVMIntEQ, nsp, l->land_sp, "");
        LLVMBasicBlockRef leave = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "leave");
        LLVMValueRef sw = LLVMBuildSwitch(l->b, npc, leave, (unsigned)f->nlandings);
        for (size_t k = 0; k < f->nlandings; k++) {
            LLVMBasicBlockRef check = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "");
            LLVMAddCase(sw, c64(l, f->landings[k]), check);
            LLVMPositionBuilderAtEnd(l->b, check);
            LLVMBuildCondBr(l->b, same_frame, l->landing_bb[k], leave);
        }
        LLVMPositionBuilderAtEnd(l->b, leave);
        ret_passed(l, false);
        LLVMPositionBuilderAtEnd(l->b, from);
    }
    LLVMAddIncoming(l->land_sp, &sp_at_call, &from, 1);
    LLVMBuildBr(l->b, l->land_bb);
}

static void call_translated(Lifter *l, uint64_t target, LLVMValueRef dyn);

void lift_call(Lifter *l, uint64_t target, LLVMValueRef dyn)
{
    LLVMBasicBlockRef after = dyn == NULL ? lift_bound_call(l, target, false) : NULL;
    call_translated(l, target, dyn);
    if (after != NULL) { /* the bound function's host code ran instead, its switch on */
        if (!l->terminated)
            LLVMBuildBr(l->b, after);
        LLVMPositionBuilderAtEnd(l->b, after);
        l->terminated = false;
    }
}

/* The call of the translated code for TARGET / DYN: state synced out, the
 * return checked, the state synced in. */
static void call_translated(Lifter *l, uint64_t target, LLVMValueRef dyn)
{
    uint64_t ret = l->pc + 4;
    LLVMValueRef sp = rd_xsp(l, 31);
    if (dyn == NULL && lift_sorted_has(l->func->flagfree_calls, l->func->nflagfree_calls, l->pc))
        lift_sync_out_call_noflags(l);
    else
        lift_sync_out_call(l);
    bool known;
    LLVMValueRef callee = guest_code(l, target, dyn, &known);
    take_results(l, call_code(l, callee, known));
    if (dyn == NULL && lift_sorted_has(l->func->noreturn_calls, l->func->nnoreturn_calls, l->pc)) {
        /* The callee never returns (aot/cfg_noreturn.c): the block ends
         * here.  Should it come back after all, or the unwinder or a
         * longjmp land in this frame, it is the "not back here" case. */
        if (l->func->nlandings == 0 && l->memregs)
            LLVMBuildBr(l->b, leave_from_state(l));
        else if (l->func->nlandings == 0)
            ret_passed(l, false);
        else
            land_or_leave(l, sp);
        l->terminated = true;
        return;
    }
    if (l->poll_budget != NULL) /* see safe_point */
        LLVMBuildStore(l->b, c32(l, 1), l->poll_budget);
    /* Did the guest come back here?  If not (longjmp, unwinding, a
     * coroutine switch), leave - or land, see land_or_leave: the state in
     * *cpu is the truth. */
    LLVMValueRef npc = LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_pc), "");
    LLVMValueRef nsp = rd_xsp(l, 31);
    LLVMValueRef ok = LLVMBuildAnd(l->b, LLVMBuildICmp(l->b, LLVMIntEQ, npc, c64(l, ret), ""),
                                   LLVMBuildICmp(l->b, LLVMIntEQ, nsp, sp, ""), "back");
    size_t k = lift_lower_bound(l->func->landings, l->func->nlandings, ret);
    bool landing = k < l->func->nlandings && l->func->landings[k] == ret;
    LLVMBasicBlockRef cont = landing ? l->landing_bb[k] : LLVMAppendBasicBlockInContext(l->ctx, l->fn, "cont");
    if (l->func->nlandings == 0) {
        continue_in(l, ok, cont, true);
        return;
    }
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    LLVMBasicBlockRef other = lift_new_block(l, "elsewhere");
    land_or_leave(l, sp);
    LLVMPositionBuilderAtEnd(l->b, here);
    LLVMBuildCondBr(l->b, ok, cont, other);
    LLVMPositionBuilderAtEnd(l->b, cont);
    lift_sync_in_call(l);
}

/* A BR to a target no table names, the state synced out.  If the new SP is
 * above the SP at the function's entry, the jump leaves this frame for an
 * outer one (__longjmp's `br x30`): unless the target is a translated
 * function's entry, it leaves like a return, so that the frame of the
 * setjmp can land it (lift_call) instead of the target being compiled by
 * the JIT on top of the dead frames.  A function entry there is a tail
 * call that pops a frame first - ld.so's lazy-binding resolver, which
 * pops what PLT0 pushed and jumps to the bound function: it stays a host
 * tail call, so that the function returns natively to the PLT's caller.
 * Otherwise (a computed goto, a tail call through a register) it is a
 * host tail call. */
static void jump_unknown(Lifter *l, LLVMValueRef dyn)
{
    LLVMValueRef up = LLVMBuildICmp(l->b, LLVMIntUGT, rd_xsp(l, 31), l->entry_sp, "frame_left");
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    LLVMBasicBlockRef out = lift_new_block(l, "frame_left");
    store_pc(l, dyn);
    LLVMValueRef args[] = {l->cpu, dyn};
    LLVMValueRef entry = LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->rt_lookup_entry), l->rt_lookup_entry,
                                        args, 2, "entry");
    LLVMValueRef none = LLVMBuildICmp(l->b, LLVMIntEQ, entry, LLVMConstNull(l->ptr), "");
    LLVMBasicBlockRef leave = lift_new_block(l, "leave_frame");
    ret_passed(l, false);
    LLVMBasicBlockRef popped_tail = lift_new_block(l, "popped_tail");
    tail_call_code(l, entry, false);
    LLVMPositionBuilderAtEnd(l->b, out);
    LLVMBuildCondBr(l->b, none, leave, popped_tail);
    LLVMBasicBlockRef jump = lift_new_block(l, "ijmp");
    tail_to(l, 0, dyn);
    LLVMPositionBuilderAtEnd(l->b, here);
    LLVMBuildCondBr(l->b, up, out, jump);
}

/* A BR with many known targets, as a two-level lookup: a constant map
 * with one entry per guest instruction slot of [lo, hi], the span of the
 * targets, gives the target's case number (0: not a target), and a switch
 * on that dense number becomes a host jump table.  A switch on the sparse
 * guest addresses themselves is a binary search (lua's luaV_execute: about
 * seven compares and unpredictable branches per bytecode, where the guest
 * has one indirect branch).  Exact for every DYN: an address outside the
 * span, not 4-aligned or not a target goes to OTHER.  False (nothing
 * built) where a switch is as cheap or the map would be large. */
static bool dense_dispatch(Lifter *l, const LiftIndirect *ind, LLVMValueRef dyn, LLVMBasicBlockRef other)
{
    enum { MIN_TARGETS = 8, MAX_SLOTS = 1 << 16 };
    if (ind->ntargets < MIN_TARGETS || ind->ntargets >= 65535)
        return false;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t k = 0; k < ind->ntargets; k++) {
        lo = ind->targets[k] < lo ? ind->targets[k] : lo;
        hi = ind->targets[k] > hi ? ind->targets[k] : hi;
    }
    uint64_t nslots = (hi - lo) / 4 + 1;
    if ((lo & 3) != 0 || nslots > MAX_SLOTS)
        return false;
    bool wide = ind->ntargets >= 255;
    LLVMTypeRef et = wide ? l->i16 : l->i8;
    uint16_t *num = calloc(nslots, sizeof *num);
    LLVMValueRef *e = malloc(nslots * sizeof *e);
    long *blk = malloc((ind->ntargets + 1) * sizeof *blk);
    if (num == NULL || e == NULL || blk == NULL)
        abort(); /* out of memory: as inside LLVM, the process ends */
    unsigned ncase = 0;
    for (size_t k = 0; k < ind->ntargets; k++) {
        long i = lift_leader_index(l->func, ind->targets[k]);
        if (i < 0 || (ind->targets[k] & 3) != 0 || num[(ind->targets[k] - lo) / 4] != 0)
            continue;
        blk[++ncase] = i;
        num[(ind->targets[k] - lo) / 4] = (uint16_t)ncase;
    }
    for (uint64_t s = 0; s < nslots; s++)
        e[s] = LLVMConstInt(et, num[s], 0);
    LLVMModuleRef mod = LLVMGetGlobalParent(l->fn);
    LLVMTypeRef at = LLVMArrayType(et, (unsigned)nslots);
    char name[64];
    snprintf(name, sizeof name, "dbt.br.%llx", (unsigned long long)l->pc);
    LLVMValueRef g = LLVMAddGlobal(mod, at, name);
    LLVMSetInitializer(g, LLVMConstArray(et, e, (unsigned)nslots));
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetUnnamedAddr(g, 1);
    free(e);
    free(num);
    /* slot = rotr(dyn - lo, 2): below nslots only if 4-aligned and in the span. */
    LLVMValueRef off = LLVMBuildSub(l->b, dyn, c64(l, lo), "");
    LLVMTypeRef fshr_t[] = {l->i64};
    LLVMValueRef fshr = LLVMGetIntrinsicDeclaration(mod, LLVMLookupIntrinsicID("llvm.fshr", 9), fshr_t, 1);
    LLVMValueRef fargs[] = {off, off, c64(l, 2)};
    LLVMValueRef slot = LLVMBuildCall2(l->b, LLVMGlobalGetValueType(fshr), fshr, fargs, 3, "slot");
    LLVMValueRef in = LLVMBuildICmp(l->b, LLVMIntULT, slot, c64(l, nslots), "in_span");
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    LLVMBasicBlockRef look = lift_new_block(l, "br_map");
    LLVMPositionBuilderAtEnd(l->b, here);
    LLVMBuildCondBr(l->b, in, look, other);
    LLVMPositionBuilderAtEnd(l->b, look);
    LLVMValueRef idx[] = {c64(l, 0), slot};
    LLVMValueRef p = LLVMBuildInBoundsGEP2(l->b, at, g, idx, 2, "");
    LLVMValueRef n = LLVMBuildZExt(l->b, LLVMBuildLoad2(l->b, et, p, "case"), l->i32, "");
    LLVMValueRef sw = LLVMBuildSwitch(l->b, n, other, ncase);
    for (unsigned c = 1; c <= ncase; c++)
        LLVMAddCase(sw, c32(l, c), l->blocks[blk[c]]);
    free(blk);
    return true;
}

void lift_indirect_jump(Lifter *l, LLVMValueRef dyn, bool is_return)
{
    const LiftIndirect *ind = NULL;
    for (size_t k = 0; !is_return && k < l->func->nindirect; k++)
        if (l->func->indirect[k].br_pc == l->pc)
            ind = &l->func->indirect[k];
    if (ind != NULL && ind->ntargets > 0) {
        LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
        LLVMBasicBlockRef other = lift_new_block(l, "ijmp");
        lift_sync_out_call(l);
        jump_unknown(l, dyn);
        LLVMPositionBuilderAtEnd(l->b, here);
        if (!dense_dispatch(l, ind, dyn, other)) {
            LLVMValueRef sw = LLVMBuildSwitch(l->b, dyn, other, (unsigned)ind->ntargets);
            for (size_t k = 0; k < ind->ntargets; k++) {
                long i = lift_leader_index(l->func, ind->targets[k]);
                if (i >= 0)
                    LLVMAddCase(sw, c64(l, ind->targets[k]), l->blocks[i]);
            }
        }
    } else if (is_return) {
        if (l->func->flags_dead_at_return)
            lift_sync_out_call_noflags(l);
        else
            lift_sync_out_call(l);
        store_pc(l, dyn);
        ret_passed(l, false);
    } else {
        lift_sync_out_call(l);
        jump_unknown(l, dyn);
    }
    l->terminated = true;
}

void lift_trap(Lifter *l, enum TrapKind kind)
{
    lift_sync_out(l);
    store_pc(l, c64(l, l->pc));
    LLVMValueRef args[] = {l->cpu, c32(l, kind), c32(l, l->insn)};
    LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->rt_trap), l->rt_trap, args, 3, "");
    LLVMBuildBr(l->b, leave_from_state(l));
    l->terminated = true;
}

/* ---- the function --------------------------------------------------------- */

/* The flags the word W (of flow FL) just lifted read first and wrote,
 * against what a64_nzcv says of it (aot/cfg_flags.c relies on it).  The
 * sync points of branches and calls are not the word's own reads: the
 * analysis handles those instructions by what they are. */
static void check_nzcv(Lifter *l, uint32_t w, enum A64Flow fl)
{
    unsigned use = a64_nzcv(w);
    bool reads = (l->insn_flags_read_first & 0xf) != 0;
    if (fl != FLOW_NONE && (w & 0xFF000000u) != 0x54000000u)
        reads = false; /* only B.cond among the branches reads flags itself */
    bool wrong = (reads && !(use & NZCV_READ)) || ((use & NZCV_WRITE) && (l->insn_flags_written & 0xf) != 0xf);
    if (wrong && l->stats->nzcv_wrong++ == 0)
        l->stats->first_nzcv_wrong = l->pc;
}

/* The general registers the word W (of flow FL) just lifted read and
 * wrote, against what a64_gprs says of it.  Branches, calls and system calls are the
 * analysis's to handle by what they are: their code passes registers to
 * the code it calls or tail-calls (a conditional branch out of the
 * function too), so of them only the conditional branches' writes (none)
 * are checked. */
static void check_gprs(Lifter *l, uint32_t w, enum A64Flow fl)
{
    if (fl != FLOW_NONE && fl != FLOW_COND)
        return;
    if (fl == FLOW_COND)
        l->insn_gprs_read = 0;
    A64Gprs g = a64_gprs(w);
    bool wrong = (l->insn_gprs_read & ~g.may_read) != 0 || (l->insn_gprs_written & ~g.may_write) != 0 ||
                 (g.must_write & ~l->insn_gprs_written) != 0;
    if (wrong && l->stats->gprs_wrong++ == 0)
        l->stats->first_gprs_wrong = l->pc;
}

static void lift_one(Lifter *l)
{
    uint32_t w;
    l->insn = 0;
    if (!l->env.read_code(l->env.ctx, l->pc, &w)) {
        lift_trap(l, TRAP_UNDEF);
        return;
    }
    l->insn = w;
    l->stats->insns++;
    dbg_at(l, l->pc);
    const A64Form *form = a64_find_form(w);
    l->insn_flags_written = l->insn_flags_read_first = 0;
    l->insn_gprs_read = l->insn_gprs_written = 0;
    if (form != NULL && form->handler(l, w)) {
        uint64_t t;
        enum A64Flow fl = a64_classify(w, l->pc, &t);
        check_nzcv(l, w, fl);
        check_gprs(l, w, fl);
        return;
    }
    if (l->stats->untranslated++ == 0) {
        l->stats->first_untranslated = l->pc;
        l->stats->first_untranslated_word = w;
    }
    lift_trap(l, TRAP_UNDEF);
}

/* Block I of F is a loop of its own (its last instruction branches back
 * to its first) of at most 32 instructions: see lift_function. */
static bool is_small_self_loop(Lifter *l, const LiftFunc *f, size_t i)
{
    uint64_t last = f->ends[i] - 4, t = 0;
    uint32_t w;
    if (f->ends[i] <= f->leaders[i] || f->ends[i] - f->leaders[i] > 32 * 4 || !l->env.read_code(l->env.ctx, last, &w))
        return false;
    enum A64Flow fl = a64_classify(w, last, &t);
    return (fl == FLOW_JUMP || fl == FLOW_COND) && t == f->leaders[i];
}

/* Lifts guest block I of F into BLK, with a safe point at its top if
 * HEADER. */
static void lift_block(Lifter *l, const LiftFunc *f, size_t i, LLVMBasicBlockRef blk, bool header)
{
    LLVMPositionBuilderAtEnd(l->b, blk);
    l->terminated = false;
    l->pc = f->leaders[i];
    if (header)
        safe_point(l, l->pc);
    l->blk_flags_written = l->blk_flags_read_first = 0;
    l->cmp_a = NULL;
    while (l->pc < f->ends[i]) {
        lift_one(l);
        if (l->terminated)
            break;
        l->pc += 4;
    }
    if (!l->terminated)
        lift_branch(l, f->ends[i]); /* fall through */
    if (header && !l->memregs)
        forget_dead_flags(l, blk, f->leaders[i]);
}

/* The TBAA access tag of a type NAME under this lifter's root (metadata
 * nodes are unique in their context: the same NAME gives the same tag). */
static LLVMValueRef tbaa_tag(Lifter *l, const char *name)
{
    static const char root_name[] = "dbt-aot";
    LLVMMetadataRef root_op = LLVMMDStringInContext2(l->ctx, root_name, sizeof root_name - 1);
    LLVMMetadataRef root = LLVMMDNodeInContext2(l->ctx, &root_op, 1);
    LLVMMetadataRef zero = LLVMValueAsMetadata(c64(l, 0));
    LLVMMetadataRef type_ops[3] = {LLVMMDStringInContext2(l->ctx, name, strlen(name)), root, zero};
    LLVMMetadataRef type = LLVMMDNodeInContext2(l->ctx, type_ops, 3);
    LLVMMetadataRef tag_ops[3] = {type, type, zero};
    return LLVMMetadataAsValue(l->ctx, LLVMMDNodeInContext2(l->ctx, tag_ops, 3));
}

/* Type-based alias information on the function's loads and stores: an
 * access of the CpuState (through the argument) and one of guest memory
 * (through an inttoptr) never alias.
 *
 * The CpuState argument is noalias, but that alone does not tell LLVM: a
 * pointer made by inttoptr may be one the function let escape, and LLVM's
 * capture tracking gives up on an argument of more than 100 uses (every
 * lifted function of some size: each field access is one).  So each guest
 * store clobbered every CpuState field: a register stored and read back
 * across a guest store was a store and a load, in the huge tier (registers
 * in memory) and for the registers that stay in the CpuState in SSA.
 * Other accesses (the SSA registers' allocas, runtime tables) stay
 * untagged, which aliases anything. */
static void tag_memory(Lifter *l)
{
    LLVMValueRef cpu_tag = tbaa_tag(l, "cpu state"), guest_tag = tbaa_tag(l, "guest memory");
    unsigned kind = LLVMGetMDKindIDInContext(l->ctx, "tbaa", 4);
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(l->fn); bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) {
            LLVMValueRef ptr;
            if (LLVMIsALoadInst(i))
                ptr = LLVMGetOperand(i, 0);
            else if (LLVMIsAStoreInst(i))
                ptr = LLVMGetOperand(i, 1);
            else
                continue;
            if (LLVMIsAIntToPtrInst(ptr))
                LLVMSetMetadata(i, kind, guest_tag);
            else if (ptr == l->cpu || (LLVMIsAGetElementPtrInst(ptr) && LLVMGetOperand(ptr, 0) == l->cpu))
                LLVMSetMetadata(i, kind, cpu_tag);
        }
}

int lift_function(Lifter *l, const LiftFunc *f, LiftStats *st)
{
    memset(st, 0, sizeof *st);
    l->stats = st;
    l->func = f;
    l->fn = lift_declare(l, f->entry);
    l->cpu = LLVMGetParam(l->fn, 1);
    assert(LLVMCountBasicBlocks(l->fn) == 0 && "function lifted twice");
    memset(l->gep_bb, 0, sizeof l->gep_bb);
    l->gep_cache = true;
    LLVMBasicBlockRef entry = lift_new_block(l, "entry");
    dbg_begin_function(l, f);
    /* Registers in SSA: an alloca each, which SROA promotes.  In memory:
     * the accessors load and store the CpuState, and the sync points have
     * nothing to move (sync_materialize drops them).
     * Even in SSA, the X registers that calls do not pass in host
     * registers (X6-X18, X23-X28) stay in the CpuState.  In SSA they
     * were stored before every call that follows a write and reloaded
     * after it, and between calls the register allocator spilled them to
     * the stack (the x86-64 has 14 registers for the 13 passed ones, the
     * flags and the temporaries): two copies in memory instead of one.
     * (In loops too: the safepoint's call may write the CpuState, so no
     * pass keeps them in host registers there - tests/bench/live_values.c
     * measures that case.)  Measured side by side
     * (docs/benchmarks.md, session 19): sqlite's driver 8% faster to run
     * and 1.2x faster to translate, lua 5% and 1.2x, the kernels the same
     * or better; the V registers in the CpuState made the dot kernel
     * 1.4x slower, so they stay in SSA. */
    l->memregs = f->regs == LIFT_REGS_MEMORY;
    for (unsigned r = 0; r < NUM_GPR; r++)
        l->x[r] = l->memregs || !lift_is_passed(r) ? NULL : LLVMBuildAlloca(l->b, l->i64, "");
    l->sp = l->memregs ? NULL : LLVMBuildAlloca(l->b, l->i64, "sp");
    for (unsigned i = 0; i < 4; i++)
        l->flag[i] = l->memregs ? NULL : LLVMBuildAlloca(l->b, l->i1, "");
    for (unsigned r = 0; r < NUM_VREG; r++)
        l->vreg[r] = l->memregs ? NULL : LLVMBuildAlloca(l->b, l->vty, "");
    l->tbl_table = NULL;
    l->poll_budget = NULL;
    if (f->nsafepoints > 0) {
        l->poll_budget = LLVMBuildAlloca(l->b, l->i32, "poll_budget");
        LLVMBuildStore(l->b, c32(l, POLL_EVERY), l->poll_budget);
    }
    /* The passed registers are the arguments; the others come from the
     * CpuState (the sync in loads those the function reads). */
    for (unsigned k = 0; k < CPU_PASS_NREGS; k++) {
        LLVMValueRef v = LLVMGetParam(l->fn, param_of(k));
        store_gpr(l, pass_reg[k], v);
        if (pass_reg[k] == 31)
            l->entry_sp = v;
    }
    sync_begin(l);
    lift_sync_in_call(l);

    l->blocks = calloc(f->nleaders ? f->nleaders : 1, sizeof *l->blocks);
    l->landing_bb = calloc(f->nlandings ? f->nlandings : 1, sizeof *l->landing_bb);
    l->land_bb = NULL;
    l->land_sp = NULL;
    l->leave_bb = NULL;
    if (l->blocks == NULL || l->landing_bb == NULL)
        abort(); /* out of memory: as inside LLVM, the process ends */
    for (size_t i = 0; i < f->nleaders; i++) {
        char name[32];
        snprintf(name, sizeof name, "b_%llx", (unsigned long long)f->leaders[i]);
        l->blocks[i] = LLVMAppendBasicBlockInContext(l->ctx, l->fn, name);
    }
    for (size_t k = 0; k < f->nlandings; k++)
        l->landing_bb[k] = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "landing");
    long ei = lift_leader_index(f, f->entry);
    assert(ei >= 0 && "entry must be a leader");
    LLVMPositionBuilderAtEnd(l->b, entry);
    if (f->bind != 0)
        lift_bound_entry(l, f->bind, f->entry, f->errno_location, l->blocks[ei]);
    else
        LLVMBuildBr(l->b, l->blocks[ei]);

    for (size_t i = 0; i < f->nleaders; i++) {
        bool header = lift_sorted_has(f->safepoints, f->nsafepoints, f->leaders[i]);
        LLVMBasicBlockRef twin = NULL;
        if (header && !l->memregs && is_small_self_loop(l, f, i)) {
            char name[40];
            snprintf(name, sizeof name, "b_%llx_twin", (unsigned long long)f->leaders[i]);
            twin = LLVMAppendBasicBlockInContext(l->ctx, l->fn, name);
        }
        /* A small loop of one block is lifted twice, the copies branching
         * to each other: the poll's countdown then costs half. */
        l->twin_pc = f->leaders[i];
        l->twin = twin;
        lift_block(l, f, i, l->blocks[i], header);
        l->twin = NULL;
        if (twin != NULL) {
            LiftStats once = *st; /* count its instructions once */
            lift_block(l, f, i, twin, false);
            *st = once;
        }
    }
    /* A landing no call returns to - a landing pad, or a setjmp return
     * site whose call was never lifted (its block was cut short by an
     * untranslatable instruction): the registers come from *cpu and the
     * code goes on in the landing's block; none: leave, the dispatcher
     * goes on. */
    for (size_t k = 0; k < f->nlandings; k++)
        if (LLVMGetFirstInstruction(l->landing_bb[k]) == NULL) {
            long li = lift_leader_index(f, f->landings[k]);
            LLVMPositionBuilderAtEnd(l->b, l->landing_bb[k]);
            if (li >= 0) {
                lift_sync_in_call(l); /* reached after a call (land_or_leave) */
                LLVMBuildBr(l->b, l->blocks[li]);
            } else {
                ret_passed(l, false);
            }
        }
    l->gep_cache = false; /* materialization inserts before instructions */
    dbg_end_function(l);
    sync_materialize(l);
    tag_memory(l);
    free(l->blocks);
    free(l->landing_bb);
    l->memregs = false;
    l->blocks = NULL;
    l->landing_bb = NULL;
    l->func = NULL;
    return 0;
}
