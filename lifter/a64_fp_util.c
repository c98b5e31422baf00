/*
 * a64_fp_util.c - element views of V registers and AArch64 floating-point
 * semantics (NaN propagation, max/min, conversions) in LLVM IR.
 * See a64_fp_util.h for the rules and the limitations.
 */
#include "a64_fp_util.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* ---- types and constants ------------------------------------------------ */

LLVMTypeRef int_ty(Lifter *l, unsigned nbits) { return LLVMIntTypeInContext(l->ctx, nbits); }

LLVMTypeRef fp_ty(Lifter *l, unsigned nbits)
{
    assert(nbits == 16 || nbits == 32 || nbits == 64);
    return nbits == 16 ? l->f16 : nbits == 32 ? l->f32 : l->f64;
}

LLVMTypeRef elem_vec_ty(Lifter *l, unsigned esize, unsigned n, bool fp)
{
    LLVMTypeRef e = fp ? fp_ty(l, esize) : int_ty(l, esize);
    return n == 0 ? e : LLVMVectorType(e, n);
}

static bool is_vec(LLVMTypeRef t) { return LLVMGetTypeKind(t) == LLVMVectorTypeKind; }

static LLVMTypeRef scalar_of(LLVMTypeRef t) { return is_vec(t) ? LLVMGetElementType(t) : t; }

unsigned elem_count(LLVMTypeRef t) { return is_vec(t) ? LLVMGetVectorSize(t) : 1; }

unsigned elem_bits(LLVMTypeRef t)
{
    LLVMTypeRef e = scalar_of(t);
    switch (LLVMGetTypeKind(e)) {
    case LLVMHalfTypeKind: return 16;
    case LLVMFloatTypeKind: return 32;
    case LLVMDoubleTypeKind: return 64;
    default: return LLVMGetIntTypeWidth(e);
    }
}

static LLVMTypeRef same_shape(LLVMTypeRef t, LLVMTypeRef e)
{
    return is_vec(t) ? LLVMVectorType(e, LLVMGetVectorSize(t)) : e;
}

LLVMTypeRef as_int_ty(Lifter *l, LLVMTypeRef t) { return same_shape(t, int_ty(l, elem_bits(t))); }
LLVMTypeRef as_fp_ty(Lifter *l, LLVMTypeRef t) { return same_shape(t, fp_ty(l, elem_bits(t))); }

LLVMValueRef splat_int(LLVMTypeRef t, uint64_t v)
{
    if (!is_vec(t))
        return LLVMConstInt(t, v, 0);
    unsigned n = LLVMGetVectorSize(t);
    LLVMValueRef e[64];
    assert(n <= 64);
    for (unsigned i = 0; i < n; i++)
        e[i] = LLVMConstInt(LLVMGetElementType(t), v, 0);
    return LLVMConstVector(e, n);
}

LLVMValueRef to_int(Lifter *l, LLVMValueRef v)
{
    LLVMTypeRef t = as_int_ty(l, LLVMTypeOf(v));
    return t == LLVMTypeOf(v) ? v : LLVMBuildBitCast(l->b, v, t, "");
}

LLVMValueRef to_fp(Lifter *l, LLVMValueRef v)
{
    LLVMTypeRef t = as_fp_ty(l, LLVMTypeOf(v));
    return t == LLVMTypeOf(v) ? v : LLVMBuildBitCast(l->b, v, t, "");
}

/* ---- element views ------------------------------------------------------- */

/* Element views are vector shuffles of the register seen as <128/ESIZE x T>,
 * never integer truncations or shifts of an i128: x86 does the former in
 * XMM registers, the latter through general registers (a round trip that
 * lands on the critical path of every FP reduction). */

/* Vr as a full vector of ESIZE-bit elements. */
static LLVMValueRef full_view(Lifter *l, unsigned r, unsigned esize, bool fp)
{
    return LLVMBuildBitCast(l->b, rd_v(l, r), elem_vec_ty(l, esize, 128 / esize, fp), "");
}

/* Elements FIRST..FIRST+N-1 of the full vector V (all of it if N covers it). */
static LLVMValueRef sub_view(Lifter *l, LLVMValueRef v, unsigned first, unsigned n)
{
    if (first == 0 && n == elem_count(LLVMTypeOf(v)))
        return v;
    return vec_pick(l, v, first, 1, n);
}

/* Elements of Vr as <N x T>: the 64- or 32-bit chunk CHUNK of the register
 * (an extractelement of the register seen as <2 x i64> / <4 x i32>, then a
 * bitcast: chunk 0 is the XMM register itself, chunk 1 one shuffle), or a
 * shuffle of the full vector for other sizes. */
static LLVMValueRef chunk_view(Lifter *l, unsigned r, unsigned esize, unsigned n, bool fp, unsigned chunk)
{
    unsigned total = esize * n;
    if (total == 64 || total == 32) {
        LLVMTypeRef ct = int_ty(l, total);
        LLVMValueRef v = LLVMBuildBitCast(l->b, rd_v(l, r), LLVMVectorType(ct, 128 / total), "");
        LLVMValueRef x = LLVMBuildExtractElement(l->b, v, c32(l, chunk), "");
        return LLVMBuildBitCast(l->b, x, elem_vec_ty(l, esize, n, fp), "");
    }
    return sub_view(l, full_view(l, r, esize, fp), chunk * n, n);
}

LLVMValueRef rd_elems(Lifter *l, unsigned r, unsigned esize, unsigned n, bool fp)
{
    if (esize * n == 128)
        return full_view(l, r, esize, fp);
    return chunk_view(l, r, esize, n, fp, 0);
}

LLVMValueRef rd_elems_hi(Lifter *l, unsigned r, unsigned esize, unsigned n, bool fp)
{
    return chunk_view(l, r, esize, n, fp, 64 / (esize * n));
}

static unsigned total_bits(LLVMTypeRef t) { return elem_bits(t) * elem_count(t); }

void wr_elems(Lifter *l, unsigned r, LLVMValueRef v)
{
    LLVMTypeRef t = LLVMTypeOf(v);
    unsigned total = total_bits(t);
    if (total == 128) {
        wr_v(l, r, LLVMBuildBitCast(l->b, v, l->vty, ""));
        return;
    }
    if (!is_vec(t) || elem_count(t) == 1) {
        /* a scalar: lane 0 of a zero vector of its size */
        if (is_vec(t))
            v = LLVMBuildExtractElement(l->b, v, c32(l, 0), "");
        wr_vscalar(l, r, v);
        return;
    }
    /* <N x T>, N > 1: widen with zero lanes to 128 bits */
    unsigned n = elem_count(t), full = 128 / elem_bits(t);
    LLVMValueRef m[16];
    for (unsigned i = 0; i < full; i++)
        m[i] = c32(l, i < n ? i : n);
    LLVMValueRef w = LLVMBuildShuffleVector(l->b, v, LLVMConstNull(t), LLVMConstVector(m, full), "");
    wr_v(l, r, LLVMBuildBitCast(l->b, w, l->vty, ""));
}

void wr_elems_hi(Lifter *l, unsigned r, LLVMValueRef v)
{
    assert(total_bits(LLVMTypeOf(v)) == 64);
    LLVMTypeRef v1 = LLVMVectorType(l->i64, 1);
    LLVMValueRef hi = LLVMBuildBitCast(l->b, v, v1, "");
    LLVMValueRef lo = LLVMBuildBitCast(l->b, rd_v(l, r), LLVMVectorType(l->i64, 2), "");
    LLVMValueRef hi2 = LLVMBuildShuffleVector(l->b, hi, LLVMGetUndef(v1),
                                              LLVMConstVector((LLVMValueRef[]){c32(l, 0), c32(l, 0)}, 2), "");
    LLVMValueRef m[2] = {c32(l, 0), c32(l, 3)};
    LLVMValueRef x = LLVMBuildShuffleVector(l->b, lo, hi2, LLVMConstVector(m, 2), "");
    wr_v(l, r, LLVMBuildBitCast(l->b, x, l->vty, ""));
}

void wr_half(Lifter *l, unsigned r, LLVMValueRef v, bool hi)
{
    if (hi)
        wr_elems_hi(l, r, v);
    else
        wr_elems(l, r, v);
}

LLVMValueRef vec_concat(Lifter *l, LLVMValueRef a, LLVMValueRef b)
{
    unsigned n = elem_count(LLVMTypeOf(a));
    LLVMValueRef m[64];
    for (unsigned i = 0; i < 2 * n; i++)
        m[i] = c32(l, i);
    return LLVMBuildShuffleVector(l->b, a, b, LLVMConstVector(m, 2 * n), "");
}

LLVMValueRef vec_pick(Lifter *l, LLVMValueRef v, unsigned first, unsigned step, unsigned n)
{
    LLVMValueRef m[64];
    for (unsigned i = 0; i < n; i++)
        m[i] = c32(l, first + i * step);
    return LLVMBuildShuffleVector(l->b, v, LLVMGetUndef(LLVMTypeOf(v)), LLVMConstVector(m, n), "");
}

/* ---- bit-level FP classification ---------------------------------------- */

/* Fraction bits of an NBITS format. */
static unsigned frac_bits(unsigned nbits) { return nbits == 16 ? 10 : nbits == 32 ? 23 : 52; }
static unsigned exp_bits(unsigned nbits) { return nbits == 16 ? 5 : nbits == 32 ? 8 : 11; }
static uint64_t sign_bit(unsigned nbits) { return 1ull << (nbits - 1); }
static uint64_t inf_bits(unsigned nbits) { return ((1ull << exp_bits(nbits)) - 1) << frac_bits(nbits); }
static uint64_t quiet_bit(unsigned nbits) { return 1ull << (frac_bits(nbits) - 1); }
static uint64_t default_nan(unsigned nbits) { return inf_bits(nbits) | quiet_bit(nbits); }

static LLVMValueRef magnitude(Lifter *l, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    return LLVMBuildAnd(l->b, x, splat_int(t, sign_bit(elem_bits(t)) - 1), "");
}

LLVMValueRef fp_bits_isnan(Lifter *l, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    return LLVMBuildICmp(l->b, LLVMIntUGT, magnitude(l, x), splat_int(t, inf_bits(elem_bits(t))), "");
}

LLVMValueRef fp_bits_issnan(Lifter *l, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMValueRef q = LLVMBuildAnd(l->b, x, splat_int(t, quiet_bit(elem_bits(t))), "");
    LLVMValueRef noq = LLVMBuildICmp(l->b, LLVMIntEQ, q, splat_int(t, 0), "");
    return LLVMBuildAnd(l->b, fp_bits_isnan(l, x), noq, "");
}

LLVMValueRef fp_bits_isinf(Lifter *l, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    return LLVMBuildICmp(l->b, LLVMIntEQ, magnitude(l, x), splat_int(t, inf_bits(elem_bits(t))), "");
}

LLVMValueRef fp_bits_iszero(Lifter *l, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    return LLVMBuildICmp(l->b, LLVMIntEQ, magnitude(l, x), splat_int(t, 0), "");
}

/* ---- rare paths ----------------------------------------------------------- */

/* Any lane of COND (i1 or <N x i1>). */
static LLVMValueRef any_lane(Lifter *l, LLVMValueRef cond)
{
    LLVMTypeRef t = LLVMTypeOf(cond);
    if (LLVMGetTypeKind(t) != LLVMVectorTypeKind)
        return cond;
    return call_intrinsic(l, "llvm.vector.reduce.or", &t, 1, &cond, 1);
}

void rare_begin(Lifter *l, LLVMValueRef cond, RarePath *rp)
{
    rp->here = LLVMGetInsertBlock(l->b);
    rp->slow = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "fp_rare");
    rp->cont = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "fp_cont");
    lift_set_cold_weights(l, LLVMBuildCondBr(l->b, any_lane(l, cond), rp->slow, rp->cont));
    LLVMPositionBuilderAtEnd(l->b, rp->slow);
}

LLVMValueRef rare_end(Lifter *l, RarePath *rp, LLVMValueRef normal, LLVMValueRef slow_val)
{
    LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(l->b);
    LLVMBuildBr(l->b, rp->cont);
    LLVMPositionBuilderAtEnd(l->b, rp->cont);
    if (normal == NULL)
        return NULL;
    LLVMValueRef phi = LLVMBuildPhi(l->b, LLVMTypeOf(normal), "");
    LLVMValueRef vals[2] = {normal, slow_val};
    LLVMBasicBlockRef bbs[2] = {rp->here, slow_end};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

/* ---- FPCR, FPSR -------------------------------------------------------------- */

LLVMValueRef fp_fpcr_has(Lifter *l, uint32_t mask)
{
    LLVMValueRef v = LLVMBuildLoad2(l->b, l->i32, cpu_field(l, CPU_OFF_fpcr), "fpcr");
    return LLVMBuildICmp(l->b, LLVMIntNE, LLVMBuildAnd(l->b, v, c32(l, mask), ""), c32(l, 0), "");
}

/* cpu->fpsr |= BITS. */
static void or_fpsr(Lifter *l, LLVMValueRef bits)
{
    LLVMValueRef p = cpu_field(l, CPU_OFF_fpsr);
    LLVMValueRef v = LLVMBuildLoad2(l->b, l->i32, p, "fpsr");
    LLVMBuildStore(l->b, LLVMBuildOr(l->b, v, bits, ""), p);
}

void fp_raise_if(Lifter *l, LLVMValueRef cond, uint32_t bits)
{
    if (cond == NULL) {
        or_fpsr(l, c32(l, bits));
        return;
    }
    RarePath rp;
    rare_begin(l, cond, &rp);
    or_fpsr(l, c32(l, bits));
    rare_end(l, &rp, NULL, NULL);
}

/* OR BITS into cpu->fpsr if any lane of COND, without a branch (for code
 * that is on a cold path already). */
static void raise_here(Lifter *l, LLVMValueRef cond, uint32_t bits)
{
    or_fpsr(l, LLVMBuildSelect(l->b, any_lane(l, cond), c32(l, bits), c32(l, 0), ""));
}

/* Host: x86-64.  MXCSR is read and written through an alloca (the SSE
 * intrinsics take a pointer); the mapping is include/fpenv.h's,
 * written out as IR.  A second host would put its own version of these
 * three functions here. */
static LLVMValueRef mxcsr_slot(Lifter *l)
{
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(l->fn);
    LLVMValueRef first = LLVMGetFirstInstruction(entry);
    if (first != NULL)
        LLVMPositionBuilderBefore(l->b, first);
    else
        LLVMPositionBuilderAtEnd(l->b, entry);
    LLVMValueRef slot = LLVMBuildAlloca(l->b, l->i32, "mxcsr");
    LLVMPositionBuilderAtEnd(l->b, here);
    return slot;
}

/* LLVM declares ldmxcsr as touching any memory, which would make every
 * cold path that sets MXCSR a clobber of cpu->fpcr: no load of FZ would be
 * hoisted out of a loop.  The call site says what it does: it reads the
 * slot (argument memory) and writes MXCSR (inaccessible memory, which the
 * constrained operations read and write: they stay ordered).  Encoding of
 * the memory attribute: two bits (1 read, 2 write) per location, argument
 * memory at bit 0, inaccessible memory at bit 2.  (stmxcsr is declared
 * argmem-only with side effects; call-site attributes can only narrow.) */
static void mark_ldmxcsr(Lifter *l, LLVMValueRef call)
{
    unsigned kind = LLVMGetEnumAttributeKindForName("memory", 6);
    assert(kind != 0);
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(l->ctx, kind, 1 | 3 << 2));
}

static LLVMValueRef mxcsr_read(Lifter *l, LLVMValueRef slot)
{
    call_intrinsic(l, "llvm.x86.sse.stmxcsr", NULL, 0, &slot, 1);
    return LLVMBuildLoad2(l->b, l->i32, slot, "mxcsr");
}

static void mxcsr_write(Lifter *l, LLVMValueRef slot, LLVMValueRef v)
{
    LLVMBuildStore(l->b, v, slot);
    mark_ldmxcsr(l, call_intrinsic(l, "llvm.x86.sse.ldmxcsr", NULL, 0, &slot, 1));
}

LLVMValueRef fp_read_fpsr(Lifter *l)
{
    LLVMValueRef m = mxcsr_read(l, mxcsr_slot(l));
    /* fpenv_fpsr_from_mxcsr: IE -> bit 0, ZE OE UE PE (2-5) -> bits 1-4 */
    LLVMValueRef host = LLVMBuildOr(l->b, LLVMBuildAnd(l->b, m, c32(l, 1), ""),
                                    LLVMBuildAnd(l->b, LLVMBuildLShr(l->b, m, c32(l, 1), ""), c32(l, 0x1e), ""), "");
    LLVMValueRef own = LLVMBuildLoad2(l->b, l->i32, cpu_field(l, CPU_OFF_fpsr), "fpsr");
    return LLVMBuildZExt(l->b, LLVMBuildOr(l->b, own, host, ""), l->i64, "");
}

void fp_write_fpsr(Lifter *l, LLVMValueRef v)
{
    LLVMValueRef v32 = LLVMBuildAnd(l->b, LLVMBuildTrunc(l->b, v, l->i32, ""), c32(l, A64_FPSR_MASK), "");
    LLVMBuildStore(l->b, v32, cpu_field(l, CPU_OFF_fpsr));
    LLVMValueRef slot = mxcsr_slot(l);
    LLVMValueRef m = mxcsr_read(l, slot);
    mxcsr_write(l, slot, LLVMBuildAnd(l->b, m, c32(l, ~(uint32_t)X86_MXCSR_FLAGS), ""));
}

LLVMValueRef fp_enter_host_env(Lifter *l)
{
    LLVMValueRef slot = mxcsr_slot(l);
    LLVMValueRef m = mxcsr_read(l, slot);
    uint32_t keep = X86_MXCSR_FLAGS | 3u << X86_MXCSR_RC_SHIFT;
    mxcsr_write(l, slot, LLVMBuildOr(l->b, LLVMBuildAnd(l->b, m, c32(l, keep), ""), c32(l, X86_MXCSR_MASKS), ""));
    return m;
}

void fp_leave_host_env(Lifter *l, LLVMValueRef saved)
{
    LLVMValueRef slot = mxcsr_slot(l);
    LLVMValueRef now = mxcsr_read(l, slot);
    mxcsr_write(l, slot, LLVMBuildOr(l->b, LLVMBuildAnd(l->b, saved, c32(l, ~(uint32_t)X86_MXCSR_FLAGS), ""),
                                     LLVMBuildAnd(l->b, now, c32(l, X86_MXCSR_FLAGS), ""), ""));
}

void fp_write_fpcr(Lifter *l, LLVMValueRef v)
{
    LLVMValueRef v32 = LLVMBuildAnd(l->b, LLVMBuildTrunc(l->b, v, l->i32, ""), c32(l, A64_FPCR_MASK), "");
    LLVMBuildStore(l->b, v32, cpu_field(l, CPU_OFF_fpcr));
    /* fpenv_mxcsr_control: RC = RMode with its two bits swapped; FZ -> FTZ|DAZ */
    LLVMValueRef rmode = LLVMBuildAnd(l->b, LLVMBuildLShr(l->b, v32, c32(l, A64_FPCR_RMODE_SHIFT), ""), c32(l, 3), "");
    LLVMValueRef rc = LLVMBuildOr(l->b, LLVMBuildShl(l->b, LLVMBuildAnd(l->b, rmode, c32(l, 1), ""), c32(l, 1), ""),
                                  LLVMBuildLShr(l->b, rmode, c32(l, 1), ""), "");
    LLVMValueRef fz = LLVMBuildICmp(l->b, LLVMIntNE, LLVMBuildAnd(l->b, v32, c32(l, A64_FPCR_FZ), ""), c32(l, 0), "");
    LLVMValueRef ctl = LLVMBuildOr(l->b, LLVMBuildShl(l->b, rc, c32(l, X86_MXCSR_RC_SHIFT), ""),
                                   LLVMBuildSelect(l->b, fz, c32(l, X86_MXCSR_FTZ | X86_MXCSR_DAZ), c32(l, 0), ""), "");
    ctl = LLVMBuildOr(l->b, ctl, c32(l, X86_MXCSR_MASKS), "");
    LLVMValueRef slot = mxcsr_slot(l);
    LLVMValueRef m = mxcsr_read(l, slot);
    m = LLVMBuildOr(l->b, LLVMBuildAnd(l->b, m, c32(l, X86_MXCSR_FLAGS), ""), ctl, "");
    mxcsr_write(l, slot, m);
}

/* ---- constrained host operations -------------------------------------------- */

LLVMValueRef fp_opaque(Lifter *l, LLVMValueRef v)
{
    LLVMTypeRef t = LLVMTypeOf(v);
    unsigned total = elem_bits(t) * elem_count(t);
    LLVMTypeRef ft = total == 128 ? LLVMVectorType(l->f64, 2) : total == 64 ? l->f64 : l->f32;
    assert(total == 32 || total == 64 || total == 128);
    LLVMValueRef x = LLVMBuildBitCast(l->b, v, ft, "");
    x = call_intrinsic(l, "llvm.arithmetic.fence", &ft, 1, &x, 1);
    return LLVMBuildBitCast(l->b, x, t, "");
}

static LLVMValueRef md_string(Lifter *l, const char *s)
{
    return LLVMMetadataAsValue(l->ctx, LLVMMDStringInContext2(l->ctx, s, strlen(s)));
}

/* The strictfp attribute on the function and on the call. */
static void mark_strict(Lifter *l, LLVMValueRef call)
{
    unsigned kind = LLVMGetEnumAttributeKindForName("strictfp", 8);
    LLVMAttributeRef a = LLVMCreateEnumAttribute(l->ctx, kind, 0);
    LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex, a);
    LLVMAddAttributeAtIndex(l->fn, LLVMAttributeFunctionIndex, a);
}

/* Call llvm.experimental.constrained.NAME with the value arguments ARGS,
 * then PRED (fcmp), "round.dynamic" (ROUNDS) and "fpexcept.strict".  OVL:
 * the overloaded types (result first for conversions). */
static LLVMValueRef strict_call(Lifter *l, const char *name, LLVMTypeRef *ovl, unsigned novl, LLVMValueRef *args,
                                unsigned nargs, const char *pred, bool rounds)
{
    char full[96];
    snprintf(full, sizeof full, "llvm.experimental.constrained.%s", name);
    LLVMValueRef a[6];
    unsigned n = 0;
    for (unsigned k = 0; k < nargs; k++)
        a[n++] = args[k];
    if (pred != NULL)
        a[n++] = md_string(l, pred);
    if (rounds)
        a[n++] = md_string(l, "round.dynamic");
    a[n++] = md_string(l, "fpexcept.strict");
    LLVMValueRef call = call_intrinsic(l, full, ovl, novl, a, n);
    mark_strict(l, call);
    return call;
}

/* <2 x float> and <2 x i32> operands are widened to four lanes of 1.0 / 1
 * (which make no operation we emit raise anything) and the result narrowed
 * back: LLVM splits constrained operations on 64-bit vectors into scalars. */
static bool is_pair32(LLVMTypeRef t)
{
    return LLVMGetTypeKind(t) == LLVMVectorTypeKind && LLVMGetVectorSize(t) == 2 && elem_bits(t) == 32;
}

static LLVMValueRef widen_pair(Lifter *l, LLVMValueRef v)
{
    LLVMTypeRef t = LLVMTypeOf(v);
    LLVMTypeRef e = LLVMGetElementType(t);
    LLVMValueRef one = LLVMGetTypeKind(e) == LLVMFloatTypeKind ? LLVMConstReal(e, 1.0) : LLVMConstInt(e, 1, 0);
    LLVMValueRef ones[2] = {one, one};
    LLVMValueRef m[4] = {c32(l, 0), c32(l, 1), c32(l, 2), c32(l, 3)};
    return LLVMBuildShuffleVector(l->b, v, LLVMConstVector(ones, 2), LLVMConstVector(m, 4), "");
}

static LLVMValueRef narrow_pair(Lifter *l, LLVMValueRef v) { return vec_pick(l, v, 0, 1, 2); }

/* One-element vectors (the scalar AdvSIMD forms) are done as scalars: the
 * x86 back end cannot split some constrained operations on them. */
static bool is_single(LLVMTypeRef t)
{
    return LLVMGetTypeKind(t) == LLVMVectorTypeKind && LLVMGetVectorSize(t) == 1;
}

static LLVMValueRef unwrap1(Lifter *l, LLVMValueRef v)
{
    return is_single(LLVMTypeOf(v)) ? LLVMBuildExtractElement(l->b, v, c32(l, 0), "") : v;
}

static LLVMValueRef wrap1(Lifter *l, LLVMValueRef v)
{
    LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(v), 1);
    return LLVMBuildInsertElement(l->b, LLVMGetUndef(vt), v, c32(l, 0), "");
}

static LLVMTypeRef scalar1(LLVMTypeRef t) { return is_single(t) ? LLVMGetElementType(t) : t; }

static LLVMTypeRef quad_of(LLVMTypeRef t) { return LLVMVectorType(LLVMGetElementType(t), 4); }

/* An operation whose operands and result have the same shape. */
static LLVMValueRef strict_same(Lifter *l, const char *name, LLVMValueRef *args, unsigned nargs, bool rounds)
{
    LLVMTypeRef t = LLVMTypeOf(args[0]);
    if (is_single(t)) {
        LLVMValueRef s1[3];
        for (unsigned k = 0; k < nargs; k++)
            s1[k] = unwrap1(l, args[k]);
        return wrap1(l, strict_same(l, name, s1, nargs, rounds));
    }
    if (is_pair32(t)) {
        LLVMValueRef w[3];
        for (unsigned k = 0; k < nargs; k++)
            w[k] = widen_pair(l, args[k]);
        LLVMTypeRef wt = quad_of(t);
        return narrow_pair(l, strict_call(l, name, &wt, 1, w, nargs, NULL, rounds));
    }
    return strict_call(l, name, &t, 1, args, nargs, NULL, rounds);
}

static LLVMValueRef strict2(Lifter *l, const char *name, LLVMValueRef a, LLVMValueRef b)
{
    LLVMValueRef args[2] = {a, b};
    return strict_same(l, name, args, 2, true);
}

LLVMValueRef sfp_add(Lifter *l, LLVMValueRef a, LLVMValueRef b) { return strict2(l, "fadd", a, b); }
LLVMValueRef sfp_sub(Lifter *l, LLVMValueRef a, LLVMValueRef b) { return strict2(l, "fsub", a, b); }
LLVMValueRef sfp_mul(Lifter *l, LLVMValueRef a, LLVMValueRef b) { return strict2(l, "fmul", a, b); }
LLVMValueRef sfp_div(Lifter *l, LLVMValueRef a, LLVMValueRef b) { return strict2(l, "fdiv", a, b); }

LLVMValueRef sfp_fma(Lifter *l, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c)
{
    LLVMValueRef args[3] = {a, b, c};
    return strict_same(l, "fma", args, 3, true);
}

/* sqrt, rint, nearbyint (ROUNDS) or roundeven, floor, ceil, trunc. */
static LLVMValueRef sfp_unary(Lifter *l, const char *name, LLVMValueRef a, bool rounds)
{
    return strict_same(l, name, &a, 1, rounds);
}

static const char *pred_name(LLVMRealPredicate p)
{
    switch (p) {
    case LLVMRealOEQ: return "oeq";
    case LLVMRealOGT: return "ogt";
    case LLVMRealOGE: return "oge";
    case LLVMRealOLT: return "olt";
    case LLVMRealOLE: return "ole";
    case LLVMRealONE: return "one";
    case LLVMRealORD: return "ord";
    case LLVMRealUNO: return "uno";
    case LLVMRealUEQ: return "ueq";
    case LLVMRealUGT: return "ugt";
    case LLVMRealUGE: return "uge";
    case LLVMRealULT: return "ult";
    case LLVMRealULE: return "ule";
    case LLVMRealUNE: return "une";
    default: assert(0 && "bad predicate"); return "oeq";
    }
}

LLVMValueRef sfp_cmp(Lifter *l, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b, bool signaling)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    const char *name = signaling ? "fcmps" : "fcmp";
    LLVMValueRef args[2] = {a, b};
    if (is_single(t))
        return wrap1(l, sfp_cmp(l, p, unwrap1(l, a), unwrap1(l, b), signaling));
    if (is_pair32(t)) {
        LLVMValueRef w[2] = {widen_pair(l, a), widen_pair(l, b)};
        LLVMTypeRef wt = quad_of(t);
        return narrow_pair(l, strict_call(l, name, &wt, 1, w, 2, pred_name(p), false));
    }
    return strict_call(l, name, &t, 1, args, 2, pred_name(p), false);
}

/* fptosi to the integer shape IT (x86 cvtt*: IE and the "integer
 * indefinite" 0x80..0 for NaN and out-of-range, PE if inexact). */
static LLVMValueRef sfp_fptosi(Lifter *l, LLVMValueRef a, LLVMTypeRef it)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    if (is_single(t))
        return wrap1(l, sfp_fptosi(l, unwrap1(l, a), scalar1(it)));
    if (is_pair32(t)) {
        LLVMValueRef w = widen_pair(l, a);
        LLVMTypeRef ovl[2] = {quad_of(it), quad_of(t)};
        return narrow_pair(l, strict_call(l, "fptosi", ovl, 2, &w, 1, NULL, false));
    }
    LLVMTypeRef ovl[2] = {it, t};
    return strict_call(l, "fptosi", ovl, 2, &a, 1, NULL, false);
}

/* sitofp to the FP shape FT, rounded by MXCSR.RC. */
static LLVMValueRef sfp_sitofp(Lifter *l, LLVMValueRef a, LLVMTypeRef ft)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    if (is_single(t))
        return wrap1(l, sfp_sitofp(l, unwrap1(l, a), scalar1(ft)));
    if (is_pair32(t) && is_pair32(ft)) {
        LLVMValueRef w = widen_pair(l, a);
        LLVMTypeRef ovl[2] = {quad_of(ft), quad_of(t)};
        return narrow_pair(l, strict_call(l, "sitofp", ovl, 2, &w, 1, NULL, true));
    }
    LLVMTypeRef ovl[2] = {ft, t};
    return strict_call(l, "sitofp", ovl, 2, &a, 1, NULL, true);
}

/* fptrunc / fpext to the FP shape FT. */
static LLVMValueRef sfp_convert(Lifter *l, LLVMValueRef a, LLVMTypeRef ft)
{
    if (is_single(ft))
        return wrap1(l, sfp_convert(l, unwrap1(l, a), scalar1(ft)));
    LLVMTypeRef ovl[2] = {ft, LLVMTypeOf(a)};
    if (elem_bits(ft) < elem_bits(LLVMTypeOf(a)))
        return strict_call(l, "fptrunc", ovl, 2, &a, 1, NULL, true);
    return strict_call(l, "fpext", ovl, 2, &a, 1, NULL, false);
}

static LLVMValueRef cold_bits(Lifter *l, LLVMValueRef v);
static LLVMValueRef fp_const(LLVMTypeRef t, double v);

/* ---- underflow: FPRound's rules on the host's ------------------------------
 *
 * AArch64 (FPRound) and x86 differ in three ways when a result is tiny
 * (below the smallest normal number, "minnorm"):
 *
 *   - AArch64 decides tininess before rounding, x86 after.  With FZ = 0
 *     they disagree only about an inexact result that rounds up to
 *     +-minnorm: UFC on AArch64, nothing on x86.  Such a lane is recomputed
 *     in round-toward-zero on the cold path: RZ keeps the exact value
 *     below minnorm, so the host itself raises UE (and PE, raised
 *     already); for every other lane RZ raises nothing the first
 *     computation did not (inexactness does not depend on the mode, RZ
 *     overflows only where every mode does, and tiny after RZ is tiny
 *     before rounding).  Only operations that can round up to minnorm
 *     need it: multiply, divide, fused multiply-add and narrowing
 *     conversions (a tiny sum or difference is exact; a square root is
 *     never tiny).
 *
 *   - With FZ = 1, FPRound flushes a result that is tiny before rounding
 *     to zero and raises UFC only; x86 FTZ flushes a result that is tiny
 *     after rounding and raises UE and PE.  And FPUnpack raises IDC for a
 *     denormal input, which x86 DAZ never reports.  So with FZ set every
 *     rounding operation takes a cold path (fz_round_op): IDC from the
 *     operands' bits, then the operation with MXCSR saved before it; if a
 *     lane's result is 0 or +-minnorm, the lanes whose exact value is tiny
 *     and not zero are found by recomputing in round-up and round-down
 *     without FTZ, MXCSR is put back as it was before the operation, and
 *     the operation is done again with those lanes on 1.0 (flags of the
 *     other lanes only); the tiny lanes become zeros of their sign, UFC.
 *
 *   - The operations that do not round a result (compare, max/min,
 *     conversion to integer, round to integral, estimates) only need IDC:
 *     fp_check_idc, a branch on FZ to a cold test of the operands.
 *
 * The hot path (FZ = 0) pays one well-predicted branch on FZ per
 * operation (the load of cpu->fpcr is shared and hoisted by LLVM: nothing
 * but MSR FPCR and calls write it), and for the operations that can round
 * up to minnorm, |r| == minnorm joins the NaN test (fcmp ueq). */

/* MXCSR rounding control */
enum {
    X86_MXCSR_RC_MASK = 3u << X86_MXCSR_RC_SHIFT,
    X86_MXCSR_RC_DOWN = 1u << X86_MXCSR_RC_SHIFT,
    X86_MXCSR_RC_UP = 2u << X86_MXCSR_RC_SHIFT,
    X86_MXCSR_RC_ZERO = 3u << X86_MXCSR_RC_SHIFT,
};

/* The host operations that round (RoundOp.op). */
enum RawOp { RAW_ADD, RAW_SUB, RAW_MUL, RAW_DIV, RAW_FMA, RAW_CVT };

/* One rounding operation, to be recomputed on cold paths. */
typedef struct RoundOp {
    enum RawOp op;
    LLVMValueRef args[3];  /* FP operands; FMA: a * b + c */
    unsigned nargs;
    LLVMTypeRef rt;        /* the result type (RAW_CVT: narrower than args[0]) */
} RoundOp;

static LLVMValueRef raw_op(Lifter *l, const RoundOp *o, LLVMValueRef *args)
{
    switch (o->op) {
    case RAW_ADD: return sfp_add(l, args[0], args[1]);
    case RAW_SUB: return sfp_sub(l, args[0], args[1]);
    case RAW_MUL: return sfp_mul(l, args[0], args[1]);
    case RAW_DIV: return sfp_div(l, args[0], args[1]);
    case RAW_FMA: return sfp_fma(l, args[0], args[1], args[2]);
    case RAW_CVT: return sfp_convert(l, args[0], o->rt);
    }
    assert(0 && "bad RawOp");
    return NULL;
}

/* Bits of the smallest normal number of the element type of T. */
static uint64_t minnorm_bits(LLVMTypeRef t) { return 1ull << frac_bits(elem_bits(t)); }

/* Lanes of the integer bits X that are denormal (not zero). */
static LLVMValueRef bits_isdenormal(Lifter *l, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMValueRef mag1 = LLVMBuildSub(l->b, magnitude(l, x), splat_int(t, 1), "");
    return LLVMBuildICmp(l->b, LLVMIntULT, mag1, splat_int(t, minnorm_bits(t) - 1), "");
}

/* Lanes of X whose exponent field is zero (zeros and denormals). */
static LLVMValueRef fp_bits_isdenormal_or_zero(Lifter *l, LLVMValueRef x)
{
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMValueRef e = LLVMBuildAnd(l->b, x, splat_int(t, inf_bits(elem_bits(t))), "");
    return LLVMBuildICmp(l->b, LLVMIntEQ, e, splat_int(t, 0), "");
}

/* On a cold path with FZ set: IDC if a lane of OPS[0..N-1] is denormal. */
static void raise_idc_here(Lifter *l, LLVMValueRef *ops, unsigned n)
{
    LLVMValueRef any = NULL;
    for (unsigned k = 0; k < n; k++) {
        LLVMValueRef d = any_lane(l, bits_isdenormal(l, cold_bits(l, ops[k])));
        any = any == NULL ? d : LLVMBuildOr(l->b, any, d, "");
    }
    raise_here(l, any, A64_FPSR_IDC);
}

void fp_check_idc(Lifter *l, LLVMValueRef *ops, unsigned n)
{
    RarePath rp;
    rare_begin(l, fp_fpcr_has(l, A64_FPCR_FZ), &rp);
    raise_idc_here(l, ops, n);
    rare_end(l, &rp, NULL, NULL);
}

/* The rounding operation O with FZ set (see above). */
static LLVMValueRef fz_round_op(Lifter *l, const RoundOp *o)
{
    raise_idc_here(l, (LLVMValueRef *)o->args, o->nargs);
    LLVMValueRef slot = mxcsr_slot(l);
    LLVMValueRef m0 = mxcsr_read(l, slot);
    LLVMValueRef r = raw_op(l, o, (LLVMValueRef *)o->args);
    LLVMValueRef ri = to_int(l, r);
    LLVMTypeRef it = LLVMTypeOf(ri);
    uint64_t minb = minnorm_bits(it), sbit = sign_bit(elem_bits(it));
    LLVMValueRef small = LLVMBuildICmp(l->b, LLVMIntULE, magnitude(l, ri), splat_int(it, minb), "");
    RarePath rp;
    rare_begin(l, small, &rp);
    /* the exact value's sign and whether it is tiny and not zero: RU and
     * RD without FTZ bracket it */
    uint32_t keep = ~(uint32_t)(X86_MXCSR_FLAGS | X86_MXCSR_RC_MASK | X86_MXCSR_FTZ);
    LLVMValueRef ctl = LLVMBuildAnd(l->b, m0, c32(l, keep), "");
    mxcsr_write(l, slot, LLVMBuildOr(l->b, ctl, c32(l, X86_MXCSR_RC_UP), ""));
    LLVMValueRef ru = to_int(l, raw_op(l, o, (LLVMValueRef *)o->args));
    mxcsr_write(l, slot, LLVMBuildOr(l->b, ctl, c32(l, X86_MXCSR_RC_DOWN), ""));
    LLVMValueRef rd = to_int(l, raw_op(l, o, (LLVMValueRef *)o->args));
    mxcsr_write(l, slot, m0);
    LLVMValueRef zero = splat_int(it, 0), minv = splat_int(it, minb);
    LLVMValueRef ru_neg = LLVMBuildICmp(l->b, LLVMIntSLT, ru, zero, "");
    LLVMValueRef rd_neg = LLVMBuildICmp(l->b, LLVMIntSLT, rd, zero, "");
    LLVMValueRef ru_mag = magnitude(l, ru), rd_mag = magnitude(l, rd);
    /* 0 < x < minnorm: RU(x) > 0, RD(x) = RZ(x) < minnorm, both positive */
    LLVMValueRef pos = LLVMBuildAnd(l->b, LLVMBuildNot(l->b, LLVMBuildOr(l->b, ru_neg, rd_neg, ""), ""),
                                    LLVMBuildAnd(l->b, LLVMBuildICmp(l->b, LLVMIntNE, ru_mag, zero, ""),
                                                 LLVMBuildICmp(l->b, LLVMIntULT, rd_mag, minv, ""), ""), "");
    /* -minnorm < x < 0: RD(x) < 0, RU(x) = RZ(x) > -minnorm, both negative */
    LLVMValueRef neg = LLVMBuildAnd(l->b, LLVMBuildAnd(l->b, ru_neg, rd_neg, ""),
                                    LLVMBuildAnd(l->b, LLVMBuildICmp(l->b, LLVMIntNE, rd_mag, zero, ""),
                                                 LLVMBuildICmp(l->b, LLVMIntULT, ru_mag, minv, ""), ""), "");
    LLVMValueRef tiny = LLVMBuildOr(l->b, pos, neg, "");
    /* again, the tiny lanes on 1.0: the flags of the others */
    LLVMValueRef args[3];
    for (unsigned k = 0; k < o->nargs; k++)
        args[k] = LLVMBuildSelect(l->b, tiny, fp_const(LLVMTypeOf(o->args[k]), 1.0), o->args[k], "");
    LLVMValueRef r2 = to_int(l, raw_op(l, o, args));
    LLVMValueRef z = LLVMBuildSelect(l->b, neg, splat_int(it, sbit), zero, "");
    raise_here(l, tiny, A64_FPSR_UFC);
    LLVMValueRef fixed = LLVMBuildSelect(l->b, tiny, z, r2, "");
    return to_fp(l, rare_end(l, &rp, ri, fixed));
}

/* The rounding operation O as FPRound does it: the host operation, on a
 * cold path fz_round_op if FPCR.FZ.  (Tininess before rounding with FZ
 * clear is fixed by the NaN fix-up's cold path: tiny_before_rounding.) */
static LLVMValueRef round_op(Lifter *l, const RoundOp *o)
{
    LLVMValueRef fz = fp_fpcr_has(l, A64_FPCR_FZ);
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "fp_fz");
    LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "fp_op");
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(l->ctx, l->fn, "fp_join");
    LLVMValueRef br = LLVMBuildCondBr(l->b, fz, slow, fast);
    lift_set_cold_weights(l, br);
    LLVMPositionBuilderAtEnd(l->b, fast);
    LLVMValueRef rf = raw_op(l, o, (LLVMValueRef *)o->args);
    LLVMBuildBr(l->b, join);
    LLVMPositionBuilderAtEnd(l->b, slow);
    LLVMValueRef rs = fz_round_op(l, o);
    LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(l->b);
    LLVMBuildBr(l->b, join);
    LLVMPositionBuilderAtEnd(l->b, join);
    LLVMValueRef phi = LLVMBuildPhi(l->b, LLVMTypeOf(rf), "");
    LLVMValueRef vals[2] = {rf, rs};
    LLVMBasicBlockRef bbs[2] = {fast, slow_end};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

/* On a cold path, RI the integer bits of O's result: with FZ clear (or a
 * half precision result, which FZ does not flush), if a lane is +-minnorm,
 * O again in round-toward-zero, whose flags are kept (see above). */
static void tiny_before_rounding(Lifter *l, const RoundOp *o, LLVMValueRef ri)
{
    LLVMTypeRef it = LLVMTypeOf(ri);
    LLVMValueRef lanes = LLVMBuildICmp(l->b, LLVMIntEQ, magnitude(l, ri), splat_int(it, minnorm_bits(it)), "");
    LLVMValueRef cond = any_lane(l, lanes);
    if (elem_bits(it) != 16)
        cond = LLVMBuildAnd(l->b, cond, LLVMBuildNot(l->b, fp_fpcr_has(l, A64_FPCR_FZ), ""), "");
    RarePath rp;
    rare_begin(l, cond, &rp);
    LLVMValueRef slot = mxcsr_slot(l);
    LLVMValueRef m = mxcsr_read(l, slot);
    mxcsr_write(l, slot, LLVMBuildOr(l->b, m, c32(l, X86_MXCSR_RC_ZERO), ""));
    raw_op(l, o, (LLVMValueRef *)o->args);
    LLVMValueRef m2 = mxcsr_read(l, slot);
    LLVMValueRef rc = LLVMBuildAnd(l->b, m, c32(l, X86_MXCSR_RC_MASK), "");
    mxcsr_write(l, slot, LLVMBuildOr(l->b, LLVMBuildAnd(l->b, m2, c32(l, ~(uint32_t)X86_MXCSR_RC_MASK), ""), rc, ""));
    rare_end(l, &rp, NULL, NULL);
}

/* ---- NaN propagation ------------------------------------------------------ */

uint64_t fp_default_nan(unsigned nbits) { return default_nan(nbits); }

/* The AArch64 NaN for operands OPS (integer bits): first SNaN quieted, else
 * first QNaN, else the default NaN; the default NaN if FPCR.DN. */
static LLVMValueRef pick_nan(Lifter *l, LLVMValueRef *ops_i, unsigned n)
{
    LLVMTypeRef t = LLVMTypeOf(ops_i[0]);
    unsigned nb = elem_bits(t);
    LLVMValueRef dflt = splat_int(t, default_nan(nb));
    LLVMValueRef q = splat_int(t, quiet_bit(nb));
    LLVMValueRef r = dflt;
    for (unsigned k = n; k-- > 0;)
        r = LLVMBuildSelect(l->b, fp_bits_isnan(l, ops_i[k]), LLVMBuildOr(l->b, ops_i[k], q, ""), r, "");
    for (unsigned k = n; k-- > 0;)
        r = LLVMBuildSelect(l->b, fp_bits_issnan(l, ops_i[k]), LLVMBuildOr(l->b, ops_i[k], q, ""), r, "");
    return LLVMBuildSelect(l->b, fp_fpcr_has(l, A64_FPCR_DN), dflt, r, "");
}

/* fp_nan_fix, and for FPMulAdd (FMA_RULE, OPS = addend, op1, op2) also "a
 * quiet NaN addend does not hide the invalid 0 * inf": the default NaN and
 * IOC (x86 FMA raises nothing there).  The fix-up runs on a cold path
 * entered only when some lane needs it. */
/* The integer bits of the FP value V for a cold path, taken there: the
 * fence keeps LLVM from reusing an integer form of V from the hot path
 * (a lane extracted as i32), which would hold V in a general register and
 * put a GPR round trip on the hot path. */
static LLVMValueRef cold_bits(Lifter *l, LLVMValueRef v)
{
    LLVMTypeRef t = LLVMTypeOf(v);
    if (elem_bits(t) == 16)
        return to_int(l, v);
    return to_int(l, call_intrinsic(l, "llvm.arithmetic.fence", &t, 1, &v, 1));
}

static LLVMValueRef nan_fix_ex(Lifter *l, LLVMValueRef res, LLVMValueRef *ops, unsigned n,
                               LLVMValueRef any_nan, bool fma_rule, const RoundOp *tiny_op)
{
    assert(n >= 1 && n <= 3);
    LLVMValueRef cond = any_nan;
    if (tiny_op != NULL) {
        /* NaN or +-minnorm (tiny_before_rounding): one compare */
        LLVMTypeRef t = LLVMTypeOf(res);
        LLVMValueRef minv = LLVMConstBitCast(splat_int(as_int_ty(l, t), minnorm_bits(t)), t);
        assert(any_nan == NULL);
        cond = sfp_cmp(l, LLVMRealUEQ, fp_abs(l, res), minv, false);
    } else if (cond == NULL) {
        cond = any_nan = sfp_cmp(l, LLVMRealUNO, res, res, false);
    }
    RarePath rp;
    rare_begin(l, cond, &rp);
    LLVMValueRef ops_i[3] = {NULL, NULL, NULL};
    for (unsigned k = 0; k < n; k++)
        ops_i[k] = cold_bits(l, ops[k]);
    LLVMValueRef ri = cold_bits(l, res);
    if (tiny_op != NULL) {
        tiny_before_rounding(l, tiny_op, ri);
        any_nan = fp_bits_isnan(l, ri);
    }
    LLVMValueRef nan = pick_nan(l, ops_i, n);
    if (fma_rule) {
        LLVMValueRef ai = ops_i[0];
        LLVMValueRef aq = LLVMBuildAnd(l->b, fp_bits_isnan(l, ai), LLVMBuildNot(l->b, fp_bits_issnan(l, ai), ""), "");
        LLVMValueRef inf0 = fp_inf_times_zero(l, ops[1], ops[2]);
        LLVMTypeRef it = LLVMTypeOf(ai);
        LLVMValueRef qinf0 = LLVMBuildAnd(l->b, aq, inf0, "");
        nan = LLVMBuildSelect(l->b, qinf0, splat_int(it, default_nan(elem_bits(it))), nan, "");
        raise_here(l, qinf0, A64_FPSR_IOC);
    }
    LLVMValueRef fixed = to_fp(l, LLVMBuildSelect(l->b, any_nan, nan, ri, ""));
    return rare_end(l, &rp, to_fp(l, res), fixed);
}

LLVMValueRef fp_nan_fix(Lifter *l, LLVMValueRef res, LLVMValueRef *ops, unsigned n, LLVMValueRef any_nan)
{
    return nan_fix_ex(l, res, ops, n, any_nan, false, NULL);
}

/* X is a zero operand: +-0, or a denormal with FPCR.FZ (FPUnpack flushes
 * it).  A quiet host compare, which reads denormals as zero under DAZ. */
LLVMValueRef fp_zero_operand(Lifter *l, LLVMValueRef x)
{
    return sfp_cmp(l, LLVMRealOEQ, x, LLVMConstNull(LLVMTypeOf(x)), false);
}

/* 0 * inf in either order (FP values A, B). */
LLVMValueRef fp_inf_times_zero(Lifter *l, LLVMValueRef a, LLVMValueRef b)
{
    LLVMValueRef ai = to_int(l, a), bi = to_int(l, b);
    return LLVMBuildOr(l->b, LLVMBuildAnd(l->b, fp_bits_isinf(l, ai), fp_zero_operand(l, b), ""),
                       LLVMBuildAnd(l->b, fp_zero_operand(l, a), fp_bits_isinf(l, bi), ""), "");
}

static LLVMValueRef any_isnan2(Lifter *l, LLVMValueRef a, LLVMValueRef b)
{
    return sfp_cmp(l, LLVMRealUNO, a, b, false);
}

LLVMValueRef fp_neg(Lifter *l, LLVMValueRef a) { return LLVMBuildFNeg(l->b, a, ""); }

LLVMValueRef fp_abs(Lifter *l, LLVMValueRef a)
{
    /* Clear the sign bit (also of a NaN), on the bits. */
    LLVMValueRef ai = to_int(l, a);
    LLVMTypeRef t = LLVMTypeOf(ai);
    return to_fp(l, LLVMBuildAnd(l->b, ai, splat_int(t, sign_bit(elem_bits(t)) - 1), ""));
}

LLVMValueRef fp_flush_result(Lifter *l, LLVMValueRef r)
{
    /* denormal: magnitude - 1 < smallest normal - 1 (unsigned) */
    LLVMTypeRef t = LLVMTypeOf(r);
    unsigned nb = elem_bits(t);
    LLVMValueRef mag1 = LLVMBuildSub(l->b, magnitude(l, r), splat_int(t, 1), "");
    LLVMValueRef denorm = LLVMBuildICmp(l->b, LLVMIntULT, mag1, splat_int(t, (1ull << frac_bits(nb)) - 1), "");
    RarePath rp;
    rare_begin(l, denorm, &rp);
    LLVMValueRef fz = fp_fpcr_has(l, A64_FPCR_FZ);
    LLVMValueRef zero = LLVMBuildAnd(l->b, r, splat_int(t, sign_bit(nb)), "");
    LLVMValueRef flushed = LLVMBuildSelect(l->b, fz, LLVMBuildSelect(l->b, denorm, zero, r, ""), r, "");
    return rare_end(l, &rp, r, flushed);
}

/* FPMax/FPMin of two numbers (no NaN): the larger/smaller, and for equal
 * values +0 > -0 (bits a & b for max: the sign only if both negative).
 * The comparisons are quiet (a signalling NaN operand raises IOC, as
 * FPMax does; a quiet one nothing).  With FZ the host compares flushed
 * inputs, and fp_flush_result flushes a denormal result. */
static LLVMValueRef max_min_num(Lifter *l, LLVMValueRef a, LLVMValueRef b, bool is_max)
{
    LLVMValueRef ai = to_int(l, a), bi = to_int(l, b);
    LLVMValueRef gt = sfp_cmp(l, LLVMRealOGT, a, b, false);
    LLVMValueRef lt = sfp_cmp(l, LLVMRealOLT, a, b, false);
    LLVMValueRef eq = is_max ? LLVMBuildAnd(l->b, ai, bi, "") : LLVMBuildOr(l->b, ai, bi, "");
    LLVMValueRef r = is_max ? LLVMBuildSelect(l->b, gt, ai, LLVMBuildSelect(l->b, lt, bi, eq, ""), "")
                            : LLVMBuildSelect(l->b, lt, ai, LLVMBuildSelect(l->b, gt, bi, eq, ""), "");
    return fp_flush_result(l, r);
}

/* 2^E as an FP constant of the shape of T. */
static LLVMValueRef fp_pow2(Lifter *l, LLVMTypeRef t, int e)
{
    LLVMTypeRef it = as_int_ty(l, t);
    unsigned nb = elem_bits(t);
    uint64_t bias = (1ull << (exp_bits(nb) - 1)) - 1;
    uint64_t v = (uint64_t)((int64_t)bias + e) << frac_bits(nb);
    return LLVMConstBitCast(splat_int(it, v), t);
}

/* The i1 B in every lane of an N-lane <N x i1> (VEC) or B itself. */
static LLVMValueRef splat_val1(Lifter *l, LLVMValueRef b, unsigned n, bool vec)
{
    if (!vec)
        return b;
    LLVMTypeRef vt = LLVMVectorType(l->i1, n);
    LLVMValueRef x = LLVMBuildInsertElement(l->b, LLVMGetUndef(vt), b, c32(l, 0), "");
    LLVMValueRef m[16];
    for (unsigned i = 0; i < n; i++)
        m[i] = c32(l, 0);
    return LLVMBuildShuffleVector(l->b, x, LLVMGetUndef(vt), LLVMConstVector(m, n), "");
}

/* The constant V in every element of the FP shape T. */
static LLVMValueRef fp_const(LLVMTypeRef t, double v)
{
    if (LLVMGetTypeKind(t) != LLVMVectorTypeKind)
        return LLVMConstReal(t, v);
    LLVMValueRef e[16];
    unsigned n = LLVMGetVectorSize(t);
    assert(n <= 16);
    for (unsigned i = 0; i < n; i++)
        e[i] = LLVMConstReal(LLVMGetElementType(t), v);
    return LLVMConstVector(e, n);
}

/* A zero of the sign of the FP value whose bits are XI, with magnitude
 * bits MAG_BITS: sign(x) | MAG_BITS, as FP. */
static LLVMValueRef with_sign_of(Lifter *l, LLVMValueRef xi, LLVMValueRef mag)
{
    LLVMTypeRef t = LLVMTypeOf(xi);
    LLVMValueRef s = LLVMBuildAnd(l->b, xi, splat_int(t, sign_bit(elem_bits(t))), "");
    return to_fp(l, LLVMBuildOr(l->b, s, to_int(l, mag), ""));
}

LLVMValueRef fp_binop(Lifter *l, enum FpOp op, LLVMValueRef a, LLVMValueRef b)
{
    LLVMValueRef ops[2] = {a, b};
    RoundOp o = {RAW_ADD, {a, b}, 2, LLVMTypeOf(a)};
    switch (op) {
    case FPOP_ADD:
    case FPOP_SUB:
        /* a tiny sum is exact: no tininess fix-up with FZ clear */
        o.op = op == FPOP_ADD ? RAW_ADD : RAW_SUB;
        return fp_nan_fix(l, round_op(l, &o), ops, 2, NULL);
    case FPOP_MUL:
    case FPOP_DIV:
        o.op = op == FPOP_MUL ? RAW_MUL : RAW_DIV;
        return nan_fix_ex(l, round_op(l, &o), ops, 2, NULL, false, &o);
    case FPOP_NMUL:
        /* FNMUL: FPNeg(FPMul(a, b)) - the negation applies to a NaN too. */
        return fp_neg(l, fp_binop(l, FPOP_MUL, a, b));
    case FPOP_ABD:
        /* FABD: FPAbs(FPSub(a, b)). */
        return fp_abs(l, fp_binop(l, FPOP_SUB, a, b));
    case FPOP_MULX: {
        /* FMULX: like FMUL but 0 * inf = 2.0 with the sign of the product,
         * and no IOC: those lanes multiply 0 * 0 instead. */
        LLVMValueRef ai = to_int(l, a), bi = to_int(l, b);
        LLVMTypeRef t = LLVMTypeOf(ai);
        unsigned nb = elem_bits(t);
        fp_check_idc(l, ops, 2); /* a denormal times infinity is 2.0 with FZ */
        LLVMValueRef inf0 = fp_inf_times_zero(l, a, b);
        LLVMValueRef zero = LLVMConstNull(LLVMTypeOf(a));
        LLVMValueRef m = fp_binop(l, FPOP_MUL, LLVMBuildSelect(l->b, inf0, zero, a, ""),
                                  LLVMBuildSelect(l->b, inf0, zero, b, ""));
        LLVMValueRef sgn = LLVMBuildAnd(l->b, LLVMBuildXor(l->b, ai, bi, ""), splat_int(t, sign_bit(nb)), "");
        uint64_t two = (uint64_t)((1u << (exp_bits(nb) - 1))) << frac_bits(nb); /* 2.0 */
        LLVMValueRef two_s = LLVMBuildOr(l->b, sgn, splat_int(t, two), "");
        return to_fp(l, LLVMBuildSelect(l->b, inf0, two_s, to_int(l, m), ""));
    }
    case FPOP_MAX:
    case FPOP_MIN: {
        fp_check_idc(l, ops, 2);
        LLVMValueRef r = max_min_num(l, a, b, op == FPOP_MAX);
        return fp_nan_fix(l, to_fp(l, r), ops, 2, any_isnan2(l, a, b));
    }
    case FPOP_MAXNM:
    case FPOP_MINNM: {
        /* FPMaxNum: a quiet NaN against a number loses (it becomes -inf for
         * max, +inf for min); then FPMax/FPMin, so signalling NaNs and two
         * quiet NaNs still propagate. */
        LLVMValueRef ai = to_int(l, a), bi = to_int(l, b);
        LLVMTypeRef t = LLVMTypeOf(ai);
        unsigned nb = elem_bits(t);
        LLVMValueRef an = fp_bits_isnan(l, ai), bn = fp_bits_isnan(l, bi);
        LLVMValueRef aq = LLVMBuildAnd(l->b, an, LLVMBuildNot(l->b, fp_bits_issnan(l, ai), ""), "");
        LLVMValueRef bq = LLVMBuildAnd(l->b, bn, LLVMBuildNot(l->b, fp_bits_issnan(l, bi), ""), "");
        LLVMValueRef inf = splat_int(t, inf_bits(nb) | (op == FPOP_MAXNM ? sign_bit(nb) : 0));
        LLVMValueRef a_loses = LLVMBuildAnd(l->b, aq, LLVMBuildNot(l->b, bq, ""), "");
        LLVMValueRef b_loses = LLVMBuildAnd(l->b, bq, LLVMBuildNot(l->b, aq, ""), "");
        ai = LLVMBuildSelect(l->b, a_loses, inf, ai, "");
        bi = LLVMBuildSelect(l->b, b_loses, inf, bi, "");
        return fp_binop(l, op == FPOP_MAXNM ? FPOP_MAX : FPOP_MIN, to_fp(l, ai), to_fp(l, bi));
    }
    }
    assert(0 && "bad FpOp");
    return NULL;
}

LLVMValueRef fp_muladd(Lifter *l, LLVMValueRef addend, LLVMValueRef op1, LLVMValueRef op2)
{
    RoundOp o = {RAW_FMA, {op1, op2, addend}, 3, LLVMTypeOf(addend)};
    LLVMValueRef ops[3] = {addend, op1, op2};
    return nan_fix_ex(l, round_op(l, &o), ops, 3, NULL, true, &o);
}

LLVMValueRef fp_sqrt(Lifter *l, LLVMValueRef a)
{
    /* never tiny: only IDC to add */
    fp_check_idc(l, &a, 1);
    LLVMValueRef r = sfp_unary(l, "sqrt", a, true);
    return fp_nan_fix(l, r, &a, 1, NULL);
}

/* ---- rounding and conversions -------------------------------------------- */

/* FPRoundInt with ties away from zero (FRINTA, FCVTA*), which x86 has no
 * instruction for: trunc(a), plus one away from zero when the dropped
 * fraction is >= 1/2.  Values of magnitude >= 2^fraction bits (and inf,
 * NaN) are integral: their lanes work on 0 so the exact subtraction and
 * addition cannot raise anything. */
static LLVMValueRef round_away(Lifter *l, LLVMValueRef a)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    unsigned nb = elem_bits(t);
    LLVMValueRef ai = to_int(l, a);
    LLVMValueRef tr = sfp_unary(l, "trunc", a, false);
    LLVMValueRef small = sfp_cmp(l, LLVMRealOLT, fp_abs(l, a), fp_pow2(l, t, (int)frac_bits(nb)), false);
    LLVMValueRef zero = LLVMConstNull(t);
    LLVMValueRef as = LLVMBuildSelect(l->b, small, a, zero, "");
    LLVMValueRef ts = LLVMBuildSelect(l->b, small, tr, zero, "");
    LLVMValueRef frac = fp_abs(l, sfp_sub(l, as, ts));
    LLVMValueRef half = sfp_cmp(l, LLVMRealOGE, frac, fp_pow2(l, t, -1), false);
    LLVMValueRef up = sfp_add(l, ts, with_sign_of(l, ai, fp_pow2(l, t, 0)));
    return LLVMBuildSelect(l->b, LLVMBuildAnd(l->b, small, half, ""), up, tr, "");
}

/* Round to integral with RM, raising IXC only for FPR_EXACT. */
static LLVMValueRef round_integral(Lifter *l, LLVMValueRef a, enum FpRound rm)
{
    switch (rm) {
    case FPR_TIEEVEN: return sfp_unary(l, "roundeven", a, false);
    case FPR_POSINF: return sfp_unary(l, "ceil", a, false);
    case FPR_NEGINF: return sfp_unary(l, "floor", a, false);
    case FPR_ZERO: return sfp_unary(l, "trunc", a, false);
    case FPR_TIEAWAY: return round_away(l, a);
    case FPR_CURRENT: return sfp_unary(l, "nearbyint", a, true);
    case FPR_EXACT: return sfp_unary(l, "rint", a, true);
    }
    assert(0 && "bad rounding");
    return NULL;
}

LLVMValueRef fp_round_int(Lifter *l, LLVMValueRef a, enum FpRound rm)
{
    fp_check_idc(l, &a, 1);
    return fp_nan_fix(l, round_integral(l, a, rm), &a, 1, NULL);
}

static LLVMValueRef sel(Lifter *l, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildSelect(l->b, c, a, b, "");
}

LLVMValueRef fp_to_int(Lifter *l, LLVMValueRef a, unsigned ibits, bool is_signed, enum FpRound rm,
                       unsigned fbits)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    LLVMTypeRef it = same_shape(t, int_ty(l, ibits));
    double two_top = (double)(1ull << (ibits - 1)); /* 2^(ibits-1) */
    fp_check_idc(l, &a, 1);
    if (fbits > 0) {
        /* a * 2^fbits is exact unless it overflows, and magnitudes that
         * large are out of range anyway: clamp them to 2^(ibits-1) first,
         * so the scaling cannot raise OFC/IXC (FPToFixed raises only IOC). */
        LLVMValueRef lim = fp_const(t, two_top);
        LLVMValueRef big = sfp_cmp(l, LLVMRealOGE, fp_abs(l, a), lim, false);
        a = sel(l, big, with_sign_of(l, to_int(l, a), lim), a);
        a = sfp_mul(l, a, fp_pow2(l, t, (int)fbits));
    }
    LLVMValueRef r = rm == FPR_ZERO ? a : round_integral(l, a, rm);
    LLVMValueRef ri = to_int(l, r);
    LLVMValueRef isnan = fp_bits_isnan(l, ri);
    LLVMValueRef neg = LLVMBuildICmp(l->b, LLVMIntSLT, ri, splat_int(LLVMTypeOf(ri), 0), "");
    uint64_t top = 1ull << (ibits - 1);
    uint64_t maxv = is_signed ? top - 1 : (ibits == 64 ? ~0ull : (1ull << ibits) - 1);
    /* Rounding other than toward zero leaves an integral value that
     * converts exactly: IXC if it differs from the input (and the result
     * is in range: checked by OOR on the cold path). */
    LLVMValueRef inexact = rm == FPR_ZERO ? NULL : sfp_cmp(l, LLVMRealONE, r, a, false);
    if (is_signed) {
        /* The host conversion is FPToFixed but for the value of NaN (0)
         * and of positive overflow (MAX): x86 gives 0x80..0 with IE for
         * both, and for no in-range value but -2^(ibits-1). */
        LLVMValueRef conv = sfp_fptosi(l, r, it);
        LLVMValueRef ismin = LLVMBuildICmp(l->b, LLVMIntEQ, conv, splat_int(it, top), "");
        if (inexact != NULL) {
            RarePath rp;
            rare_begin(l, inexact, &rp);
            LLVMValueRef oor = LLVMBuildAnd(l->b, ismin, sfp_cmp(l, LLVMRealUNE, r, fp_const(t, -two_top), false), "");
            raise_here(l, LLVMBuildAnd(l->b, inexact, LLVMBuildNot(l->b, oor, ""), ""), A64_FPSR_IXC);
            rare_end(l, &rp, NULL, NULL);
        }
        RarePath rp;
        rare_begin(l, ismin, &rp);
        LLVMValueRef fixed = sel(l, LLVMBuildAnd(l->b, ismin, isnan, ""), splat_int(it, 0),
                                 sel(l, LLVMBuildAnd(l->b, ismin, LLVMBuildNot(l->b, neg, ""), ""),
                                     splat_int(it, maxv), conv));
        return rare_end(l, &rp, conv, fixed);
    }
    /* Unsigned: x86 (before AVX-512) converts to signed only.  Lanes in
     * range (-1, 2^ibits) convert, the upper half after subtracting
     * 2^(ibits-1) (exact); the other lanes convert 0 and get the saturated
     * value, and IOC. */
    LLVMValueRef in = LLVMBuildAnd(l->b, sfp_cmp(l, LLVMRealOGT, r, fp_const(t, -1.0), false),
                                   sfp_cmp(l, LLVMRealOLT, r, fp_const(t, 2.0 * two_top), false), "");
    LLVMValueRef hi = LLVMBuildAnd(l->b, in, sfp_cmp(l, LLVMRealOGE, r, fp_const(t, two_top), false), "");
    LLVMValueRef zero = LLVMConstNull(t);
    LLVMValueRef x = sfp_sub(l, sel(l, in, r, zero), sel(l, hi, fp_const(t, two_top), zero));
    LLVMValueRef conv = LLVMBuildXor(l->b, sfp_fptosi(l, x, it), sel(l, hi, splat_int(it, top), splat_int(it, 0)), "");
    if (inexact != NULL)
        fp_raise_if(l, LLVMBuildAnd(l->b, inexact, in, ""), A64_FPSR_IXC);
    LLVMValueRef out = LLVMBuildNot(l->b, in, "");
    RarePath rp;
    rare_begin(l, out, &rp);
    raise_here(l, out, A64_FPSR_IOC);
    LLVMValueRef sat = sel(l, LLVMBuildOr(l->b, isnan, neg, ""), splat_int(it, 0), splat_int(it, maxv));
    return rare_end(l, &rp, conv, sel(l, in, conv, sat));
}

LLVMValueRef int_to_fp(Lifter *l, LLVMValueRef a, unsigned fpbits, bool is_signed, unsigned fbits)
{
    LLVMTypeRef at = LLVMTypeOf(a);
    LLVMTypeRef t = same_shape(at, fp_ty(l, fpbits));
    LLVMValueRef r;
    if (is_signed) {
        r = sfp_sitofp(l, a, t);
    } else if (!is_vec(at) && elem_bits(at) == 32) {
        r = sfp_sitofp(l, LLVMBuildZExt(l->b, a, l->i64, ""), t); /* exact widening, one rounding */
    } else {
        /* Top bit set: convert (a >> 1) | (a & 1) - the dropped bit kept
         * as a sticky bit, so the one rounding is right in every mode -
         * and double it (exact).  The conversion works on the chosen
         * input, so no lane raises a flag the real one would not. */
        LLVMValueRef big = LLVMBuildICmp(l->b, LLVMIntSLT, a, splat_int(at, 0), "");
        LLVMValueRef half = LLVMBuildOr(l->b, LLVMBuildLShr(l->b, a, splat_int(at, 1), ""),
                                        LLVMBuildAnd(l->b, a, splat_int(at, 1), ""), "");
        r = sfp_sitofp(l, sel(l, big, half, a), t);
        r = sel(l, big, sfp_add(l, r, r), r);
    }
    if (fbits > 0) /* exact: the result stays a normal number */
        r = sfp_mul(l, r, fp_pow2(l, t, -(int)fbits));
    return r;
}

/* Round a double to float by rounding to odd: the truncated value with its
 * last bit set if inexact (FCVTXN, and the first step of double -> half,
 * which then rounds once more without double-rounding error).  The host
 * conversion (in FPCR's mode) raises the flags.  FLUSH_ZERO: the result
 * is final (FCVTXN), so FPCR.FZ flushes it. */
static LLVMValueRef trunc_odd(Lifter *l, LLVMValueRef d, bool flush_zero)
{
    LLVMTypeRef ft = same_shape(LLVMTypeOf(d), l->f32);
    RoundOp o = {RAW_CVT, {d}, 1, ft};
    LLVMValueRef t = round_op(l, &o); /* FZ: tiny lanes are zeros */
    LLVMValueRef back = sfp_convert(l, t, LLVMTypeOf(d));
    LLVMValueRef inexact = sfp_cmp(l, LLVMRealONE, back, d, false);
    LLVMValueRef up = sfp_cmp(l, LLVMRealOGT, fp_abs(l, back), fp_abs(l, d), false);
    LLVMValueRef ti = to_int(l, t);
    LLVMTypeRef it = LLVMTypeOf(ti);
    LLVMValueRef down = LLVMBuildSelect(l->b, up, LLVMBuildSub(l->b, ti, splat_int(it, 1), ""), ti, "");
    LLVMValueRef odd = LLVMBuildOr(l->b, down, splat_int(it, 1), "");
    LLVMValueRef r = LLVMBuildSelect(l->b, inexact, odd, ti, "");
    /* Rounded to odd, a result below minnorm is tiny before rounding too */
    LLVMValueRef tiny = LLVMBuildAnd(l->b, inexact, fp_bits_isdenormal_or_zero(l, r), "");
    if (!flush_zero) {
        /* it is far below half precision's denormals, but the host
         * conversion would flush a denormal with DAZ: 2^-30 rounds the
         * same and raises the same flags */
        LLVMValueRef sign = LLVMBuildAnd(l->b, r, splat_int(it, 0x80000000u), "");
        return to_fp(l, LLVMBuildSelect(l->b, tiny, LLVMBuildOr(l->b, sign, splat_int(it, 0x30800000u), ""), r, ""));
    }
    fp_raise_if(l, tiny, A64_FPSR_UFC); /* the host: only if tiny after rounding */
    /* With FPCR.FZ, round_op made a tiny lane zero (UFC raised): FCVTXN
     * keeps that zero, not the odd smallest denormal (cold). */
    LLVMValueRef z = LLVMBuildAnd(l->b, inexact, fp_bits_iszero(l, ti), "");
    RarePath rp;
    rare_begin(l, z, &rp);
    LLVMValueRef kept = LLVMBuildSelect(l->b, fp_fpcr_has(l, A64_FPCR_FZ), LLVMBuildSelect(l->b, z, ti, r, ""), r, "");
    return to_fp(l, rare_end(l, &rp, r, kept));
}

/* A narrowed to the FP shape RT (double -> single, or to half), with
 * tininess before rounding; FZ_RULES: the result is flushed by FZ (not
 * half precision, whose conversions ignore FZ: x86's too). */
static LLVMValueRef round_checked(Lifter *l, LLVMValueRef a, LLVMTypeRef rt, bool fz_rules)
{
    RoundOp o = {RAW_CVT, {a}, 1, rt};
    LLVMValueRef r = fz_rules ? round_op(l, &o) : sfp_convert(l, a, rt);
    LLVMValueRef ri = to_int(l, r);
    LLVMTypeRef it = LLVMTypeOf(ri);
    LLVMValueRef lanes = LLVMBuildICmp(l->b, LLVMIntEQ, magnitude(l, ri), splat_int(it, minnorm_bits(it)), "");
    RarePath rp;
    rare_begin(l, lanes, &rp);
    tiny_before_rounding(l, &o, ri);
    rare_end(l, &rp, NULL, NULL);
    return r;
}

/* Half precision with FPCR.AHP (alternative half precision): exponent 31
 * is an ordinary exponent (numbers up to 131008), there are no infinities
 * or NaNs.  Converting to it, a NaN becomes +-0 and an infinity or a value
 * that rounds beyond 131008 becomes +-131008, each with IOC and nothing
 * else; converting from it, exponent 31 is 2^16 * 1.f.  Only lanes beyond
 * IEEE half's finite range differ: they are handled on the cold path, and
 * when AHP is set they are not given to the host conversion (which would
 * raise IOC or OFC for them). */
static LLVMValueRef hide_lanes_if_ahp(Lifter *l, LLVMValueRef a, LLVMValueRef lanes)
{
    RarePath rp;
    rare_begin(l, lanes, &rp);
    LLVMValueRef ahp = fp_fpcr_has(l, A64_FPCR_AHP);
    LLVMValueRef hidden = sel(l, ahp, sel(l, lanes, LLVMConstNull(LLVMTypeOf(a)), a), a);
    return rare_end(l, &rp, a, hidden);
}

/* AHP half -> FP of the shape RIT (integer bits) for half bits AI whose
 * exponent is 31: sign | 2^16 | fraction. */
static LLVMValueRef ahp_from_half(Lifter *l, LLVMValueRef ai, LLVMTypeRef rit)
{
    unsigned nb = elem_bits(rit), fd = frac_bits(nb);
    uint64_t bias = (1ull << (exp_bits(nb) - 1)) - 1;
    LLVMValueRef x = LLVMBuildZExt(l->b, ai, rit, "");
    LLVMValueRef sign = LLVMBuildShl(l->b, LLVMBuildLShr(l->b, x, splat_int(rit, 15), ""), splat_int(rit, nb - 1), "");
    LLVMValueRef frac = LLVMBuildShl(l->b, LLVMBuildAnd(l->b, x, splat_int(rit, 0x3ff), ""), splat_int(rit, fd - 10), "");
    LLVMValueRef exp = splat_int(rit, (16 + bias) << fd);
    return LLVMBuildOr(l->b, LLVMBuildOr(l->b, sign, exp, ""), frac, "");
}

/* FP A (single or double) -> AHP half bits, for lanes of magnitude at
 * least 65504, NaN or infinity; raises IOC/IXC for the lanes in USE. */
static LLVMValueRef ahp_to_half(Lifter *l, LLVMValueRef a, LLVMValueRef use)
{
    LLVMTypeRef t = LLVMTypeOf(a), it = as_int_ty(l, t);
    LLVMTypeRef ht = same_shape(t, l->i16);
    LLVMValueRef ai = to_int(l, a);
    LLVMValueRef isnan = fp_bits_isnan(l, ai), isinf = fp_bits_isinf(l, ai);
    LLVMValueRef finite = LLVMBuildNot(l->b, LLVMBuildOr(l->b, isnan, isinf, ""), "");
    LLVMValueRef zero = LLVMConstNull(t);
    LLVMValueRef huge = sfp_cmp(l, LLVMRealOGE, fp_abs(l, a), fp_const(t, 131072.0), false);
    LLVMValueRef big = LLVMBuildAnd(l->b, finite, LLVMBuildNot(l->b, huge, ""), "");
    /* round |a| / 2^(e-10) to an integer in FPCR's mode: the 11-bit
     * significand (e = 15 or 16; exact scaling, no flags) */
    LLVMValueRef x = sel(l, LLVMBuildAnd(l->b, use, big, ""), a, zero);
    LLVMValueRef hi = sfp_cmp(l, LLVMRealOGE, fp_abs(l, x), fp_const(t, 65536.0), false);
    LLVMValueRef xs = sfp_mul(l, x, sel(l, hi, fp_const(t, 1.0 / 64), fp_const(t, 1.0 / 32)));
    LLVMValueRef q = sfp_unary(l, "nearbyint", xs, true);
    LLVMValueRef inexact = sfp_cmp(l, LLVMRealUNE, q, xs, false);
    LLVMValueRef m = sfp_fptosi(l, fp_abs(l, q), it);     /* 1024 ..= 2048 */
    LLVMValueRef carry = LLVMBuildICmp(l->b, LLVMIntEQ, m, splat_int(it, 2048), "");
    LLVMValueRef ovf = LLVMBuildAnd(l->b, hi, carry, "");
    LLVMValueRef e = sel(l, LLVMBuildOr(l->b, hi, carry, ""), splat_int(it, 31), splat_int(it, 30)); /* biased */
    m = sel(l, carry, splat_int(it, 1024), m);
    LLVMValueRef num = LLVMBuildOr(l->b, LLVMBuildShl(l->b, e, splat_int(it, 10), ""),
                                   LLVMBuildSub(l->b, m, splat_int(it, 1024), ""), "");
    LLVMValueRef sat = LLVMBuildOr(l->b, LLVMBuildOr(l->b, isinf, huge, ""), ovf, "");
    LLVMValueRef mag = sel(l, isnan, splat_int(it, 0), sel(l, sat, splat_int(it, 0x7fff), num));
    LLVMValueRef sign = LLVMBuildLShr(l->b, ai, splat_int(it, elem_bits(t) - 16), "");
    sign = LLVMBuildAnd(l->b, sign, splat_int(it, 0x8000), "");
    LLVMValueRef r = LLVMBuildTrunc(l->b, LLVMBuildOr(l->b, sign, mag, ""), ht, "");
    raise_here(l, LLVMBuildAnd(l->b, use, LLVMBuildOr(l->b, isnan, sat, ""), ""), A64_FPSR_IOC);
    LLVMValueRef ixc = LLVMBuildAnd(l->b, LLVMBuildAnd(l->b, use, big, ""),
                                    LLVMBuildAnd(l->b, inexact, LLVMBuildNot(l->b, ovf, ""), ""), "");
    raise_here(l, ixc, A64_FPSR_IXC);
    return r;
}

LLVMValueRef fp_convert(Lifter *l, LLVMValueRef a, unsigned to_bits, bool odd)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    unsigned from_bits = elem_bits(t);
    LLVMTypeRef rt = same_shape(t, fp_ty(l, to_bits));
    LLVMTypeRef rit = as_int_ty(l, rt);
    LLVMValueRef ai = to_int(l, a), orig = a;
    /* The lanes the cold path fixes: NaNs, and for half precision (AHP)
     * everything beyond IEEE half's finite range. */
    LLVMValueRef special;
    if (from_bits == 16) {
        special = LLVMBuildICmp(l->b, LLVMIntEQ, LLVMBuildAnd(l->b, ai, splat_int(LLVMTypeOf(ai), 0x7c00), ""),
                                splat_int(LLVMTypeOf(ai), 0x7c00), "");
        a = hide_lanes_if_ahp(l, a, special);
    } else if (to_bits == 16) {
        special = sfp_cmp(l, LLVMRealUGE, fp_abs(l, a), fp_const(t, 65504.0), false);
        a = hide_lanes_if_ahp(l, a, special);
    } else {
        special = fp_bits_isnan(l, ai);
    }
    LLVMValueRef r;
    if (from_bits != 16 && (to_bits > from_bits || (to_bits == 16 && from_bits == 32)))
        fp_check_idc(l, &a, 1); /* the others by round_op */
    if (to_bits > from_bits)
        r = sfp_convert(l, a, rt);
    else if (from_bits == 64 && (odd || to_bits == 16)) {
        r = trunc_odd(l, a, to_bits == 32);
        if (to_bits == 16)
            r = round_checked(l, r, rt, false);
    } else {
        r = round_checked(l, a, rt, to_bits != 16);
    }
    /* FPConvertNaN: sign kept, quiet, fraction's top bits kept; the
     * default NaN if FPCR.DN (cold). */
    RarePath rp;
    rare_begin(l, special, &rp);
    LLVMValueRef sign = LLVMBuildLShr(l->b, ai, splat_int(LLVMTypeOf(ai), from_bits - 1), "");
    unsigned fs = frac_bits(from_bits), fd = frac_bits(to_bits);
    LLVMValueRef frac = LLVMBuildAnd(l->b, ai, splat_int(LLVMTypeOf(ai), (1ull << fs) - 1), "");
    if (fd > fs) {
        frac = LLVMBuildZExt(l->b, frac, rit, "");
        frac = LLVMBuildShl(l->b, frac, splat_int(rit, fd - fs), "");
        sign = LLVMBuildZExt(l->b, sign, rit, "");
    } else {
        frac = LLVMBuildLShr(l->b, frac, splat_int(LLVMTypeOf(ai), fs - fd), "");
        frac = LLVMBuildTrunc(l->b, frac, rit, "");
        sign = LLVMBuildTrunc(l->b, sign, rit, "");
    }
    sign = LLVMBuildShl(l->b, sign, splat_int(rit, to_bits - 1), "");
    LLVMValueRef dflt = splat_int(rit, default_nan(to_bits));
    LLVMValueRef nan = LLVMBuildOr(l->b, LLVMBuildOr(l->b, sign, frac, ""), dflt, "");
    nan = sel(l, fp_fpcr_has(l, A64_FPCR_DN), dflt, nan);
    LLVMValueRef fixed = LLVMBuildSelect(l->b, fp_bits_isnan(l, ai), nan, to_int(l, r), "");
    if (from_bits == 16 || to_bits == 16) {
        LLVMValueRef ahp = fp_fpcr_has(l, A64_FPCR_AHP);
        LLVMValueRef use = LLVMBuildAnd(l->b, special, splat_val1(l, ahp, elem_count(t), is_vec(t)), "");
        LLVMValueRef alt = from_bits == 16 ? ahp_from_half(l, ai, rit) : ahp_to_half(l, orig, use);
        fixed = sel(l, use, alt, fixed);
    }
    return rare_end(l, &rp, r, to_fp(l, fixed));
}

uint64_t fp_expand_imm(unsigned imm8, unsigned nbits)
{
    unsigned e = exp_bits(nbits), f = frac_bits(nbits);
    uint64_t sign = (imm8 >> 7) & 1;
    uint64_t b6 = (imm8 >> 6) & 1;
    uint64_t exp = ((b6 ^ 1) << (e - 1)) | ((b6 ? (1ull << (e - 3)) - 1 : 0) << 2) | ((imm8 >> 4) & 3);
    uint64_t frac = (uint64_t)(imm8 & 15) << (f - 4);
    return sign << (nbits - 1) | exp << f | frac;
}

LLVMValueRef fp_cmp_mask(Lifter *l, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b, bool signaling)
{
    LLVMValueRef ops[2] = {a, b};
    fp_check_idc(l, ops, 2);
    LLVMValueRef c = sfp_cmp(l, p, a, b, signaling);
    return LLVMBuildSExt(l->b, c, as_int_ty(l, LLVMTypeOf(a)), "");
}
