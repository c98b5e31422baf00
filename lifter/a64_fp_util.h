/*
 * a64_fp_util.h - helpers shared by the scalar FP (a64_fp.c), Advanced SIMD
 * (a64_simd.c) and SIMD structure load/store (a64_simd_ldst.c) handlers.
 *
 * Element views.  A V register is an alloca of <16 x i8>; the handlers work
 * on typed views of its low 32/64/128 bits, or its upper 64 bits:
 *
 *     rd_elems(l, 3, 32, 2, false)   -> <2 x i32>   (V3.2S)
 *     rd_elems(l, 3, 64, 2, true)    -> <2 x double> (V3.2D)
 *     rd_elems(l, 3, 64, 1, true)    -> <1 x double> (D3, a scalar)
 *
 * wr_elems writes a vector of 8..128 bits and zeroes the rest of the
 * register, which is what both the 64-bit vector forms (upper half zeroed)
 * and the scalar forms (everything above the scalar zeroed) want; so one
 * handler serves the vector and the scalar encoding of an operation by
 * treating a scalar as a one-element vector.
 *
 * AArch64 floating point on x86-64.  Three things differ and are handled
 * here, so that a64_fp.c and a64_simd.c only say which operation they want:
 *
 * 1. NaNs.  x86 returns the first operand's NaN even if the second is
 *    signalling, and its "default NaN" is negative.  Every arithmetic result
 *    goes through fp_nan_fix, which implements FPProcessNaNs as a few
 *    integer selects after the operation:
 *      - some operand is a signalling NaN: the first one, quieted;
 *      - else some operand is a quiet NaN: the first one;
 *      - else the result is a NaN (invalid operation: 0/0, inf-inf, sqrt(-1),
 *        0*inf): the default NaN 0x7FC00000 / 0x7FF8000000000000;
 *      - FPCR.DN (bit 25) set: always the default NaN.
 *    The decisions are made on the integer bits, never on LLVM float values,
 *    so no optimization can change a payload.  The fix-up is a cold block
 *    (rare_begin/rare_end) entered only if a result lane is a NaN; only
 *    there is FPCR read (for DN).
 *
 * 2. FPCR.  The host's MXCSR mirrors it (include/fpenv.h): RMode is
 *    MXCSR.RC, FZ is FTZ+DAZ.  So the host instructions round and flush as
 *    the guest asked (except for tininess and the flags of flushing: 3.),
 *    and every FP operation is emitted as a *constrained* intrinsic
 *    (llvm.experimental.constrained.*, "round.dynamic", "fpexcept.strict",
 *    the function marked strictfp): LLVM then neither folds them with
 *    round-to-nearest, nor moves them across an MSR FPCR, nor deletes or
 *    speculates them (the sfp_* builders below).
 *
 * 3. FPSR.  The cumulative flags are the host's MXCSR flags (IOC IXC OFC
 *    UFC DZC map one to one) plus bits the lifted code ORs into cpu->fpsr
 *    itself (fp_raise_if, always on a cold path) where x86 does not raise
 *    what AArch64 does: FCVTZU of a negative number, 0*inf+qNaN in FMA,
 *    FCVT[NPMA]* inexact, the estimates' IOC/DZC/OFC, QC of the saturating
 *    integer instructions, IDC (FPCR.FZ and a denormal operand: x86 DAZ
 *    reports nothing; fp_check_idc), UFC of a result that is tiny before
 *    rounding but rounds up to the smallest normal (x86 decides tininess
 *    after rounding).  Where x86 would raise flags AArch64 does not, the
 *    operands are chosen so that it cannot: out-of-range conversions are
 *    not executed, 0*inf in FMULX/FRECPS becomes 0*0, FCCMP compares zeros
 *    when its condition fails, comparisons use quiet or signalling
 *    predicates as FPCompare/FPCompareEQ/GE/GT do.  Vectors of two floats
 *    are widened to four with lanes of 1.0 (constrained operations on
 *    <2 x float> would otherwise be split into scalars).  With FPCR.FZ set,
 *    the rounding operations run on a cold path that flushes as FPRound
 *    does (a result tiny before rounding; UFC but no IXC, where x86 FTZ
 *    flushes after rounding and raises PE too), with MXCSR saved around
 *    the host operation: "underflow" in a64_fp_util.c.

 * Half precision: the conversions (FCVT, FCVTL, FCVTN) are lifted here;
 * the scalar arithmetic of FEAT_FP16 is a call of dbt_rt_f16 (a64_fp.c,
 * runtime/fp16.c); the Advanced SIMD half forms are not implemented
 * (SIGILL), so FEAT_FP16 is not advertised (docs/status.md).
 */
#ifndef DBT_A64_FP_UTIL_H
#define DBT_A64_FP_UTIL_H

#include "a64_lift.h"
#include "fpenv.h"

/* ---- types and constants ------------------------------------------------ */

/* iN for N = BITS. */
LLVMTypeRef int_ty(Lifter *l, unsigned nbits);
/* half/float/double for 16/32/64. */
LLVMTypeRef fp_ty(Lifter *l, unsigned nbits);
/* <N x T>; N == 0 means the scalar T itself. */
LLVMTypeRef elem_vec_ty(Lifter *l, unsigned esize, unsigned n, bool fp);
/* The same shape as T (scalar or vector) with integer / FP elements. */
LLVMTypeRef as_int_ty(Lifter *l, LLVMTypeRef t);
LLVMTypeRef as_fp_ty(Lifter *l, LLVMTypeRef t);
/* Element width of a scalar or vector type, and its element count (1 for
 * a scalar). */
unsigned elem_bits(LLVMTypeRef t);
unsigned elem_count(LLVMTypeRef t);
/* An integer constant V in every element of T (scalar or vector, integer
 * elements). */
LLVMValueRef splat_int(LLVMTypeRef t, uint64_t v);
/* Bitcast between a value and the integer/FP type of the same shape. */
LLVMValueRef to_int(Lifter *l, LLVMValueRef v);
LLVMValueRef to_fp(Lifter *l, LLVMValueRef v);

/* ---- element views of V registers --------------------------------------- */

/* The low N*ESIZE bits of Vr as <N x iESIZE> or <N x fpESIZE>. */
LLVMValueRef rd_elems(Lifter *l, unsigned r, unsigned esize, unsigned n, bool fp);
/* The upper 64 bits of Vr as <N x T>, N*ESIZE == 64. */
LLVMValueRef rd_elems_hi(Lifter *l, unsigned r, unsigned esize, unsigned n, bool fp);
/* Write a value of 8..128 bits (any scalar or vector type) to the low bits
 * of Vr, zeroing the rest. */
void wr_elems(Lifter *l, unsigned r, LLVMValueRef v);
/* Write a 64-bit value to the upper half of Vr, keeping the lower half
 * (the "2" forms: XTN2, SHRN2, FCVTN2...). */
void wr_elems_hi(Lifter *l, unsigned r, LLVMValueRef v);
/* Write 64 bits to the lower half (HI false, upper zeroed) or the upper
 * half (HI true, lower kept). */
void wr_half(Lifter *l, unsigned r, LLVMValueRef v, bool hi);

/* Concatenate two vectors of the same type. */
LLVMValueRef vec_concat(Lifter *l, LLVMValueRef a, LLVMValueRef b);
/* Elements FIRST, FIRST+STEP, ... (N of them) of V. */
LLVMValueRef vec_pick(Lifter *l, LLVMValueRef v, unsigned first, unsigned step, unsigned n);

/* ---- cold paths --------------------------------------------------------- */

/* A branch to a cold block taken when COND (i1, or <N x i1>: any lane)
 * holds: rare_begin leaves the builder in the cold block, the caller
 * computes SLOW_VAL there, rare_end joins: phi(NORMAL from before, SLOW_VAL).
 * NORMAL must be computed before rare_begin. */
typedef struct RarePath {
    LLVMBasicBlockRef here;  /* block before the branch */
    LLVMBasicBlockRef slow;  /* the cold block */
    LLVMBasicBlockRef cont;  /* where both paths join */
} RarePath;
void rare_begin(Lifter *l, LLVMValueRef cond, RarePath *rp);
LLVMValueRef rare_end(Lifter *l, RarePath *rp, LLVMValueRef normal, LLVMValueRef slow_val);

/* ---- FPCR, FPSR -------------------------------------------------------- */

/* FPCR & MASK (A64_FPCR_DN, A64_FPCR_FZ) != 0 as an i1: a load of
 * cpu->fpcr, for cold paths. */
LLVMValueRef fp_fpcr_has(Lifter *l, uint32_t mask);
/* OR BITS (A64_FPSR_*) into cpu->fpsr if COND (i1 or <N x i1>: any lane)
 * holds, on a cold path.  COND NULL: unconditionally, here. */
void fp_raise_if(Lifter *l, LLVMValueRef cond, uint32_t bits);
/* FPUnpack's IDC: with FPCR.FZ, OR IDC into cpu->fpsr if a lane of one of
 * OPS[0..N-1] (FP values) is denormal (a branch on FZ to a cold path).
 * The rounding operations (fp_binop's arithmetic, fp_muladd, fp_convert)
 * do it themselves; the others call it with the operands they unpack. */
void fp_check_idc(Lifter *l, LLVMValueRef *ops, unsigned n);
/* MRS FPSR / MSR FPSR / MSR FPCR (i64 values), on the host's MXCSR. */
LLVMValueRef fp_read_fpsr(Lifter *l);
void fp_write_fpsr(Lifter *l, LLVMValueRef v);
void fp_write_fpcr(Lifter *l, LLVMValueRef v);
/* Around a call of host code (lifter/bind.c): the host's default control
 * bits (exceptions masked, no flush to zero or denormals-are-zero) but the
 * guest's rounding mode, which the guest's own code would have run with;
 * the flags kept.  Returns what to give fp_leave_host_env, which puts the
 * guest's control bits back and keeps the flags the host code raised (they
 * are the guest's FPSR's). */
LLVMValueRef fp_enter_host_env(Lifter *l);
void fp_leave_host_env(Lifter *l, LLVMValueRef saved);

/* LLVM 16 folds a constrained operation on constants when the result is
 * exact, as if denormals were IEEE: under FPCR.FZ a denormal known at
 * translation time would not be flushed.  The instructions that put
 * integer bits into a V register (FMOV from a general register, DUP/INS
 * general, MOVI and the other modified immediates) therefore pass the
 * value through llvm.arithmetic.fence, an identity that costs no
 * instruction and that LLVM does not look through; so does FMOV (scalar,
 * immediate), whose normal single is a denormal when read as a double.
 * V: a scalar or vector of 32, 64 or 128 bits; returns it, of the same
 * type. */
LLVMValueRef fp_opaque(Lifter *l, LLVMValueRef v);

/* ---- constrained host operations ----------------------------------------
 * The host operation, rounded by MXCSR.RC, raising MXCSR flags, never
 * folded or moved by LLVM (see 2. above).  Scalar or vector operands. */
LLVMValueRef sfp_add(Lifter *l, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef sfp_sub(Lifter *l, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef sfp_mul(Lifter *l, LLVMValueRef a, LLVMValueRef b);
LLVMValueRef sfp_div(Lifter *l, LLVMValueRef a, LLVMValueRef b);
/* a * b + c, one rounding. */
LLVMValueRef sfp_fma(Lifter *l, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c);
/* Comparison: quiet (an IOC only for signalling NaNs) or SIGNALING (IOC
 * for any NaN); i1 or <N x i1>. */
LLVMValueRef sfp_cmp(Lifter *l, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b, bool signaling);

/* ---- AArch64 floating-point semantics ------------------------------------ */

/* Integer-domain tests on the bits X (integer type of an FP shape). */
LLVMValueRef fp_bits_isnan(Lifter *l, LLVMValueRef x);
LLVMValueRef fp_bits_issnan(Lifter *l, LLVMValueRef x);
LLVMValueRef fp_bits_isinf(Lifter *l, LLVMValueRef x);
LLVMValueRef fp_bits_iszero(Lifter *l, LLVMValueRef x);
/* FP-domain tests that follow FPCR.FZ (a denormal is a zero then): X is
 * +-0; A * B is 0 * inf (either order).  i1 or <N x i1>. */
LLVMValueRef fp_zero_operand(Lifter *l, LLVMValueRef x);
LLVMValueRef fp_inf_times_zero(Lifter *l, LLVMValueRef a, LLVMValueRef b);

/* FPProcessNaNs after the fact: RES was computed from OPS[0..N-1] (FP
 * values, in the manual's operand order); returns RES (as FP) unless it is
 * a NaN, in which case the AArch64 NaN.  ANY_NAN, if not NULL, replaces the
 * test "RES is a NaN" (used by operations whose result is not a NaN when an
 * input is, e.g. max/min). */
LLVMValueRef fp_nan_fix(Lifter *l, LLVMValueRef res, LLVMValueRef *ops, unsigned n,
                        LLVMValueRef any_nan);

/* Arithmetic with AArch64 NaN behaviour; scalar or vector FP values. */
enum FpOp { FPOP_ADD, FPOP_SUB, FPOP_MUL, FPOP_DIV, FPOP_MAX, FPOP_MIN, FPOP_MAXNM,
            FPOP_MINNM, FPOP_NMUL, FPOP_ABD, FPOP_MULX };
LLVMValueRef fp_binop(Lifter *l, enum FpOp op, LLVMValueRef a, LLVMValueRef b);
/* FPMulAdd(addend, op1, op2) fused, with the manual's NaN order (addend,
 * op1, op2) and "quiet NaN addend + inf*0 = default NaN".  Callers negate
 * operands first (FPNeg flips a NaN's sign too). */
LLVMValueRef fp_muladd(Lifter *l, LLVMValueRef addend, LLVMValueRef op1, LLVMValueRef op2);
LLVMValueRef fp_sqrt(Lifter *l, LLVMValueRef a);
LLVMValueRef fp_neg(Lifter *l, LLVMValueRef a);
LLVMValueRef fp_abs(Lifter *l, LLVMValueRef a);

/* Rounding modes as encoded in FRINT*, FCVT*: */
enum FpRound {
    FPR_TIEEVEN,  /* N */
    FPR_POSINF,   /* P */
    FPR_NEGINF,   /* M */
    FPR_ZERO,     /* Z */
    FPR_TIEAWAY,  /* A */
    FPR_CURRENT,  /* I: FPCR.RMode, no IXC */
    FPR_EXACT,    /* X: FPCR.RMode, IXC if the value changes */
};
/* Round to an integral value in the same format (FRINT*). */
LLVMValueRef fp_round_int(Lifter *l, LLVMValueRef a, enum FpRound rm);
/* FP -> integer of IBITS with rounding RM, saturating, NaN -> 0 (FCVT*S/U):
 * IOC for NaN and out-of-range inputs (and then no IXC), else IXC if
 * inexact.  FBITS > 0 for the fixed-point forms.  Scalar or vector. */
LLVMValueRef fp_to_int(Lifter *l, LLVMValueRef a, unsigned ibits, bool is_signed, enum FpRound rm,
                       unsigned fbits);
/* Integer -> FP of FPBITS (SCVTF/UCVTF), FBITS fraction bits; rounded by
 * FPCR.RMode, IXC if inexact. */
LLVMValueRef int_to_fp(Lifter *l, LLVMValueRef a, unsigned fpbits, bool is_signed, unsigned fbits);
/* FP -> FP of another precision (FCVT/FCVTL/FCVTN) with AArch64 NaN
 * conversion; ODD selects round-to-odd (FCVTXN). */
LLVMValueRef fp_convert(Lifter *l, LLVMValueRef a, unsigned to_bits, bool odd);
/* VFPExpandImm: the 8-bit FMOV immediate as NBITS-bit FP bits. */
uint64_t fp_expand_imm(unsigned imm8, unsigned nbits);
/* FP comparisons producing all-ones/zero integer elements (FCMxx):
 * SIGNALING for FPCompareGE/GT (IOC for any NaN), quiet for FPCompareEQ. */
LLVMValueRef fp_cmp_mask(Lifter *l, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b, bool signaling);
/* FMAX/FMIN/FMAXNM... results come from the operands' bits: with FPCR.FZ a
 * denormal result is flushed to a zero of its sign (cold path).  Also used
 * by the estimates.  R: integer bits. */
LLVMValueRef fp_flush_result(Lifter *l, LLVMValueRef r);
/* Default NaN of the FP element type of T, as integer bits. */
uint64_t fp_default_nan(unsigned nbits);

#endif
