/*
 * a64_fp_util.c - element views of V registers and AArch64 floating-point
 * semantics (NaN propagation, max/min, conversions) in LLVM IR.
 * See a64_fp_util.h for the rules and the limitations.
 */
#include "a64_fp_util.h"

#include <assert.h>

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

static LLVMValueRef bits_to_elems(Lifter *l, LLVMValueRef x, unsigned esize, unsigned n, bool fp)
{
    unsigned total = esize * n;
    if (total < 128)
        x = LLVMBuildTrunc(l->b, x, int_ty(l, total), "");
    return LLVMBuildBitCast(l->b, x, elem_vec_ty(l, esize, n, fp), "");
}

LLVMValueRef rd_elems(Lifter *l, unsigned r, unsigned esize, unsigned n, bool fp)
{
    return bits_to_elems(l, rd_vbits(l, r, 128), esize, n, fp);
}

LLVMValueRef rd_elems_hi(Lifter *l, unsigned r, unsigned esize, unsigned n, bool fp)
{
    LLVMValueRef x = LLVMBuildLShr(l->b, rd_vbits(l, r, 128), LLVMConstInt(l->i128, 64, 0), "");
    return bits_to_elems(l, x, esize, n, fp);
}

static unsigned total_bits(LLVMTypeRef t) { return elem_bits(t) * elem_count(t); }

void wr_elems(Lifter *l, unsigned r, LLVMValueRef v)
{
    unsigned total = total_bits(LLVMTypeOf(v));
    LLVMValueRef x = LLVMBuildBitCast(l->b, v, int_ty(l, total), "");
    wr_vscalar(l, r, x);
}

void wr_elems_hi(Lifter *l, unsigned r, LLVMValueRef v)
{
    assert(total_bits(LLVMTypeOf(v)) == 64);
    LLVMValueRef x = LLVMBuildZExt(l->b, LLVMBuildBitCast(l->b, v, l->i64, ""), l->i128, "");
    x = LLVMBuildShl(l->b, x, LLVMConstInt(l->i128, 64, 0), "");
    LLVMValueRef lo = LLVMBuildZExt(l->b, rd_vbits(l, r, 64), l->i128, "");
    wr_v(l, r, LLVMBuildBitCast(l->b, LLVMBuildOr(l->b, x, lo, ""), l->vty, ""));
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
    LLVMValueRef br = LLVMBuildCondBr(l->b, any_lane(l, cond), rp->slow, rp->cont);
    /* branch_weights: the slow path is cold */
    LLVMMetadataRef md[3] = {
        LLVMMDStringInContext2(l->ctx, "branch_weights", 14),
        LLVMValueAsMetadata(c32(l, 1)),
        LLVMValueAsMetadata(c32(l, 2000)),
    };
    LLVMValueRef node = LLVMMetadataAsValue(l->ctx, LLVMMDNodeInContext2(l->ctx, md, 3));
    LLVMSetMetadata(br, LLVMGetMDKindIDInContext(l->ctx, "prof", 4), node);
    LLVMPositionBuilderAtEnd(l->b, rp->slow);
}

LLVMValueRef rare_end(Lifter *l, RarePath *rp, LLVMValueRef normal, LLVMValueRef slow_val)
{
    LLVMBasicBlockRef slow_end = LLVMGetInsertBlock(l->b);
    LLVMBuildBr(l->b, rp->cont);
    LLVMPositionBuilderAtEnd(l->b, rp->cont);
    LLVMValueRef phi = LLVMBuildPhi(l->b, LLVMTypeOf(normal), "");
    LLVMValueRef vals[2] = {normal, slow_val};
    LLVMBasicBlockRef bbs[2] = {rp->here, slow_end};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

/* ---- NaN propagation ------------------------------------------------------ */

/* The AArch64 NaN for operands OPS (integer bits): first SNaN quieted, else
 * first QNaN, else the default NaN. */
static LLVMValueRef pick_nan(Lifter *l, LLVMValueRef *ops_i, unsigned n)
{
    LLVMTypeRef t = LLVMTypeOf(ops_i[0]);
    unsigned nb = elem_bits(t);
    LLVMValueRef r = splat_int(t, default_nan(nb));
    LLVMValueRef q = splat_int(t, quiet_bit(nb));
    for (unsigned k = n; k-- > 0;)
        r = LLVMBuildSelect(l->b, fp_bits_isnan(l, ops_i[k]), LLVMBuildOr(l->b, ops_i[k], q, ""), r, "");
    for (unsigned k = n; k-- > 0;)
        r = LLVMBuildSelect(l->b, fp_bits_issnan(l, ops_i[k]), LLVMBuildOr(l->b, ops_i[k], q, ""), r, "");
    return r;
}

/* fp_nan_fix, and for FPMulAdd (FMA_RULE, OPS = addend, op1, op2) also "a
 * quiet NaN addend does not hide the invalid 0 * inf".  The fix-up runs on
 * a cold path entered only when some lane needs it. */
static LLVMValueRef nan_fix_ex(Lifter *l, LLVMValueRef res, LLVMValueRef *ops, unsigned n,
                               LLVMValueRef any_nan, bool fma_rule)
{
    assert(n >= 1 && n <= 3);
    if (any_nan == NULL)
        any_nan = LLVMBuildFCmp(l->b, LLVMRealUNO, res, res, "");
    RarePath rp;
    rare_begin(l, any_nan, &rp);
    LLVMValueRef ops_i[3];
    for (unsigned k = 0; k < n; k++)
        ops_i[k] = to_int(l, ops[k]);
    LLVMValueRef ri = to_int(l, res);
    LLVMValueRef nan = pick_nan(l, ops_i, n);
    if (fma_rule) {
        LLVMValueRef ai = ops_i[0], i1 = ops_i[1], i2 = ops_i[2];
        LLVMValueRef aq = LLVMBuildAnd(l->b, fp_bits_isnan(l, ai), LLVMBuildNot(l->b, fp_bits_issnan(l, ai), ""), "");
        LLVMValueRef inf0 = LLVMBuildOr(l->b, LLVMBuildAnd(l->b, fp_bits_isinf(l, i1), fp_bits_iszero(l, i2), ""),
                                        LLVMBuildAnd(l->b, fp_bits_iszero(l, i1), fp_bits_isinf(l, i2), ""), "");
        LLVMTypeRef it = LLVMTypeOf(ai);
        nan = LLVMBuildSelect(l->b, LLVMBuildAnd(l->b, aq, inf0, ""), splat_int(it, default_nan(elem_bits(it))),
                              nan, "");
    }
    LLVMValueRef fixed = to_fp(l, LLVMBuildSelect(l->b, any_nan, nan, ri, ""));
    return rare_end(l, &rp, to_fp(l, res), fixed);
}

LLVMValueRef fp_nan_fix(Lifter *l, LLVMValueRef res, LLVMValueRef *ops, unsigned n, LLVMValueRef any_nan)
{
    return nan_fix_ex(l, res, ops, n, any_nan, false);
}

static LLVMValueRef any_isnan2(Lifter *l, LLVMValueRef a, LLVMValueRef b)
{
    return LLVMBuildFCmp(l->b, LLVMRealUNO, a, b, "");
}

LLVMValueRef fp_neg(Lifter *l, LLVMValueRef a) { return LLVMBuildFNeg(l->b, a, ""); }

LLVMValueRef fp_abs(Lifter *l, LLVMValueRef a)
{
    /* Clear the sign bit (also of a NaN), on the bits. */
    LLVMValueRef ai = to_int(l, a);
    LLVMTypeRef t = LLVMTypeOf(ai);
    return to_fp(l, LLVMBuildAnd(l->b, ai, splat_int(t, sign_bit(elem_bits(t)) - 1), ""));
}

/* FPMax/FPMin of two numbers (no NaN): the larger/smaller, and for equal
 * values +0 > -0 (bits a & b for max: the sign only if both negative). */
static LLVMValueRef max_min_num(Lifter *l, LLVMValueRef a, LLVMValueRef b, bool is_max)
{
    LLVMValueRef ai = to_int(l, a), bi = to_int(l, b);
    LLVMValueRef gt = LLVMBuildFCmp(l->b, LLVMRealOGT, a, b, "");
    LLVMValueRef lt = LLVMBuildFCmp(l->b, LLVMRealOLT, a, b, "");
    LLVMValueRef eq = is_max ? LLVMBuildAnd(l->b, ai, bi, "") : LLVMBuildOr(l->b, ai, bi, "");
    LLVMValueRef r = is_max ? LLVMBuildSelect(l->b, gt, ai, LLVMBuildSelect(l->b, lt, bi, eq, ""), "")
                            : LLVMBuildSelect(l->b, lt, ai, LLVMBuildSelect(l->b, gt, bi, eq, ""), "");
    return r;
}

LLVMValueRef fp_binop(Lifter *l, enum FpOp op, LLVMValueRef a, LLVMValueRef b)
{
    LLVMValueRef ops[2] = {a, b};
    LLVMValueRef r;
    switch (op) {
    case FPOP_ADD: r = LLVMBuildFAdd(l->b, a, b, ""); break;
    case FPOP_SUB: r = LLVMBuildFSub(l->b, a, b, ""); break;
    case FPOP_MUL: r = LLVMBuildFMul(l->b, a, b, ""); break;
    case FPOP_DIV: r = LLVMBuildFDiv(l->b, a, b, ""); break;
    case FPOP_NMUL:
        /* FNMUL: FPNeg(FPMul(a, b)) - the negation applies to a NaN too. */
        return fp_neg(l, fp_binop(l, FPOP_MUL, a, b));
    case FPOP_ABD:
        /* FABD: FPAbs(FPSub(a, b)). */
        return fp_abs(l, fp_binop(l, FPOP_SUB, a, b));
    case FPOP_MULX: {
        /* FMULX: like FMUL but 0 * inf = 2.0 with the sign of the product. */
        LLVMValueRef ai = to_int(l, a), bi = to_int(l, b);
        LLVMTypeRef t = LLVMTypeOf(ai);
        unsigned nb = elem_bits(t);
        LLVMValueRef m = fp_binop(l, FPOP_MUL, a, b);
        LLVMValueRef inf0 = LLVMBuildOr(
            l->b, LLVMBuildAnd(l->b, fp_bits_isinf(l, ai), fp_bits_iszero(l, bi), ""),
            LLVMBuildAnd(l->b, fp_bits_iszero(l, ai), fp_bits_isinf(l, bi), ""), "");
        LLVMValueRef sgn = LLVMBuildAnd(l->b, LLVMBuildXor(l->b, ai, bi, ""), splat_int(t, sign_bit(nb)), "");
        uint64_t two = (uint64_t)((1u << (exp_bits(nb) - 1))) << frac_bits(nb); /* 2.0 */
        LLVMValueRef two_s = LLVMBuildOr(l->b, sgn, splat_int(t, two), "");
        return to_fp(l, LLVMBuildSelect(l->b, inf0, two_s, to_int(l, m), ""));
    }
    case FPOP_MAX:
    case FPOP_MIN: {
        r = max_min_num(l, a, b, op == FPOP_MAX);
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
    default:
        assert(0 && "bad FpOp");
        return NULL;
    }
    return fp_nan_fix(l, r, ops, 2, NULL);
}

static LLVMValueRef fcall1(Lifter *l, const char *name, LLVMValueRef a)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    return call_intrinsic(l, name, &t, 1, &a, 1);
}

LLVMValueRef fp_muladd(Lifter *l, LLVMValueRef addend, LLVMValueRef op1, LLVMValueRef op2)
{
    LLVMTypeRef t = LLVMTypeOf(addend);
    LLVMValueRef args[3] = {op1, op2, addend};
    LLVMValueRef r = call_intrinsic(l, "llvm.fma", &t, 1, args, 3);
    LLVMValueRef ops[3] = {addend, op1, op2};
    return nan_fix_ex(l, r, ops, 3, NULL, true);
}

LLVMValueRef fp_sqrt(Lifter *l, LLVMValueRef a)
{
    LLVMValueRef r = fcall1(l, "llvm.sqrt", a);
    return fp_nan_fix(l, r, &a, 1, NULL);
}

/* ---- rounding and conversions -------------------------------------------- */

static const char *round_intrinsic(enum FpRound rm)
{
    switch (rm) {
    case FPR_TIEEVEN: return "llvm.roundeven";
    case FPR_POSINF: return "llvm.ceil";
    case FPR_NEGINF: return "llvm.floor";
    case FPR_ZERO: return "llvm.trunc";
    case FPR_TIEAWAY: return "llvm.round";
    default: return "llvm.roundeven"; /* FPCR.RMode taken as nearest-even */
    }
}

LLVMValueRef fp_round_int(Lifter *l, LLVMValueRef a, enum FpRound rm)
{
    LLVMValueRef r = fcall1(l, round_intrinsic(rm), a);
    return fp_nan_fix(l, r, &a, 1, NULL);
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

LLVMValueRef fp_to_int(Lifter *l, LLVMValueRef a, unsigned ibits, bool is_signed, enum FpRound rm,
                       unsigned fbits)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    if (fbits > 0)
        a = LLVMBuildFMul(l->b, a, fp_pow2(l, t, (int)fbits), ""); /* exact (or inf: saturates) */
    if (rm != FPR_ZERO)
        a = fcall1(l, round_intrinsic(rm), a);
    LLVMTypeRef tys[2] = {same_shape(t, int_ty(l, ibits)), t};
    /* fpto[su]i.sat: saturating, NaN -> 0, exactly FPToFixed's result. */
    return call_intrinsic(l, is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat", tys, 2, &a, 1);
}

LLVMValueRef int_to_fp(Lifter *l, LLVMValueRef a, unsigned fpbits, bool is_signed, unsigned fbits)
{
    LLVMTypeRef t = same_shape(LLVMTypeOf(a), fp_ty(l, fpbits));
    LLVMValueRef r = is_signed ? LLVMBuildSIToFP(l->b, a, t, "") : LLVMBuildUIToFP(l->b, a, t, "");
    if (fbits > 0) /* one rounding: the scaling by 2^-fbits is exact here */
        r = LLVMBuildFMul(l->b, r, fp_pow2(l, t, -(int)fbits), "");
    return r;
}

/* Round a double to float by rounding to odd: the truncated value with its
 * last bit set if inexact (FCVTXN, and the first step of double -> half,
 * which then rounds once more without double-rounding error). */
static LLVMValueRef trunc_odd(Lifter *l, LLVMValueRef d)
{
    LLVMTypeRef ft = same_shape(LLVMTypeOf(d), l->f32);
    LLVMValueRef t = LLVMBuildFPTrunc(l->b, d, ft, "");
    LLVMValueRef back = LLVMBuildFPExt(l->b, t, LLVMTypeOf(d), "");
    LLVMValueRef inexact = LLVMBuildFCmp(l->b, LLVMRealONE, back, d, "");
    LLVMValueRef up = LLVMBuildFCmp(l->b, LLVMRealOGT, fp_abs(l, back), fp_abs(l, d), "");
    LLVMValueRef ti = to_int(l, t);
    LLVMTypeRef it = LLVMTypeOf(ti);
    LLVMValueRef down = LLVMBuildSelect(l->b, up, LLVMBuildSub(l->b, ti, splat_int(it, 1), ""), ti, "");
    LLVMValueRef odd = LLVMBuildOr(l->b, down, splat_int(it, 1), "");
    return to_fp(l, LLVMBuildSelect(l->b, inexact, odd, ti, ""));
}

LLVMValueRef fp_convert(Lifter *l, LLVMValueRef a, unsigned to_bits, bool odd)
{
    LLVMTypeRef t = LLVMTypeOf(a);
    unsigned from_bits = elem_bits(t);
    LLVMTypeRef rt = same_shape(t, fp_ty(l, to_bits));
    LLVMValueRef r;
    if (to_bits > from_bits)
        r = LLVMBuildFPExt(l->b, a, rt, "");
    else if (from_bits == 64 && (odd || to_bits == 16)) {
        r = trunc_odd(l, a);
        if (to_bits == 16)
            r = LLVMBuildFPTrunc(l->b, r, rt, "");
    } else
        r = LLVMBuildFPTrunc(l->b, a, rt, "");
    /* FPConvertNaN: sign kept, quiet, fraction's top bits kept (cold). */
    RarePath rp;
    rare_begin(l, LLVMBuildFCmp(l->b, LLVMRealUNO, a, a, ""), &rp);
    LLVMValueRef ai = to_int(l, a);
    LLVMTypeRef rit = as_int_ty(l, rt);
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
    LLVMValueRef nan = LLVMBuildOr(l->b, LLVMBuildOr(l->b, sign, frac, ""), splat_int(rit, default_nan(to_bits)), "");
    LLVMValueRef fixed = to_fp(l, LLVMBuildSelect(l->b, fp_bits_isnan(l, ai), nan, to_int(l, r), ""));
    return rare_end(l, &rp, r, fixed);
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

LLVMValueRef fp_cmp_mask(Lifter *l, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b)
{
    LLVMValueRef c = LLVMBuildFCmp(l->b, p, a, b, "");
    return LLVMBuildSExt(l->b, c, as_int_ty(l, LLVMTypeOf(a)), "");
}
