/*
 * a64_fp.c - scalar floating point (Arm ARM C4.1.96 "Data Processing --
 * Scalar Floating-Point and Advanced SIMD", the scalar FP groups):
 *
 *   31 30 29 28 24 23 22 21 20     ...                              0
 *   M  0  S  11110 ftype  1  group-specific fields            Rn  Rd
 *
 *   ftype: 00 single (S), 01 double (D), 11 half (H), 10 reserved.
 *
 * Semantics follow the manual's pseudocode (FPAdd, FPMulAdd, FPMax, FPToFixed,
 * FPConvert, FPCompare ...), with the NaN rules, FPCR (RMode, FZ, DN) and
 * the FPSR cumulative flags implemented by a64_fp_util.c (see its header
 * for what is not).
 *
 * Half precision: FCVT to and from H is lifted inline (fp_convert).  The
 * other H forms are FEAT_FP16: each is a call of dbt_rt_f16
 * (runtime/fp16.c, contract in include/fp16.h), which computes
 * in software with the FPCR of the moment, FZ16 included, and raises its
 * FPSR flags itself; moves, FABS/FNEG, FCSEL and FMOV are plain bits.
 * FEAT_FP16 is not advertised (HWCAP_FPHP): the Advanced SIMD half forms
 * are still SIGILL.
 *
 * Scalar results are written with wr_vscalar, which zeroes the rest of the
 * V register, as the architecture requires.
 */
#include "a64_fp_util.h"
#include "fp16.h"

/* Width in bits of the FP type ftype (bits 23:22), or 0 if reserved; half
 * precision only when HALF_OK. */
static unsigned ftype_bits(uint32_t insn, bool half_ok)
{
    switch (bits(insn, 23, 22)) {
    case 0: return 32;
    case 1: return 64;
    case 3: return half_ok ? 16 : 0;
    default: return 0;
    }
}

static LLVMValueRef rd_fp(Lifter *l, unsigned r, unsigned nbits)
{
    return LLVMBuildBitCast(l->b, rd_vbits(l, r, nbits), fp_ty(l, nbits), "");
}

/* ---- FEAT_FP16 scalar: dbt_rt_f16 ------------------------------------------ */

static bool is_half(uint32_t insn) { return bits(insn, 23, 22) == 3; }

/* dbt_rt_f16(cpu, OP, A, B, C); integer arguments of up to 64 bits,
 * zero-extended; NULL for 0.  Returns the i64 result. */
static LLVMValueRef f16_call(Lifter *l, uint32_t op, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c)
{
    LLVMValueRef args[5] = {l->cpu, c32(l, op), a, b, c};
    for (unsigned k = 2; k < 5; k++) {
        if (args[k] == NULL)
            args[k] = c64(l, 0);
        else if (LLVMTypeOf(args[k]) != l->i64)
            args[k] = LLVMBuildZExt(l->b, args[k], l->i64, "");
    }
    return LLVMBuildCall2(l->b, LLVMGlobalGetValueType(l->rt_f16), l->rt_f16, args, 5, "");
}

/* Hr as i16, and a half result (the low 16 bits of R) into Hr. */
static LLVMValueRef rd_h(Lifter *l, unsigned r) { return rd_vbits(l, r, 16); }
static void wr_h(Lifter *l, unsigned r, LLVMValueRef v) { wr_vscalar(l, r, LLVMBuildTrunc(l->b, v, l->i16, "")); }

/* FPNeg of half bits. */
static LLVMValueRef neg_h(Lifter *l, LLVMValueRef h)
{
    return LLVMBuildXor(l->b, h, LLVMConstInt(l->i16, 0x8000, 0), "");
}

/* Scalar operand Rr of NB bits for the compares and conversions: an FP
 * value, or for H the i16 bits that dbt_rt_f16 takes; and +0.0 as such. */
static LLVMValueRef rd_operand(Lifter *l, unsigned r, unsigned nb)
{
    return nb == 16 ? rd_h(l, r) : rd_fp(l, r, nb);
}

static LLVMValueRef zero_operand(Lifter *l, unsigned nb)
{
    return nb == 16 ? LLVMConstInt(l->i16, 0, 0) : LLVMConstNull(fp_ty(l, nb));
}

/* FPToFixed of Rn (NB bits) to an IBITS-bit integer (i32 or i64): FCVT*
 * and the fixed-point FCVTZ[SU]. */
static LLVMValueRef scalar_to_int(Lifter *l, unsigned rn, unsigned nb, unsigned ibits, bool is_signed,
                                  enum FpRound rm, unsigned fbits)
{
    static const int rounding[] = {[FPR_TIEEVEN] = F16_RN, [FPR_POSINF] = F16_RP, [FPR_NEGINF] = F16_RM,
                                   [FPR_ZERO] = F16_RZ, [FPR_TIEAWAY] = F16_RA};
    if (nb != 16)
        return fp_to_int(l, rd_fp(l, rn, nb), ibits, is_signed, rm, fbits);
    uint32_t op = F16_OP(F16_TO_INT, rounding[rm]) | F16_IBITS(ibits) | F16_FBITS(fbits) |
                  (is_signed ? F16_SIGNED : 0);
    LLVMValueRef r = f16_call(l, op, rd_h(l, rn), NULL, NULL);
    return ibits == 64 ? r : LLVMBuildTrunc(l->b, r, l->i32, "");
}

/* FixedToFP of V (an IBITS-bit integer, FBITS fraction bits) into Rd of NB
 * bits: SCVTF/UCVTF. */
static void wr_from_int(Lifter *l, unsigned rd, unsigned nb, LLVMValueRef v, unsigned ibits, bool is_signed,
                        unsigned fbits)
{
    if (nb != 16) {
        wr_vscalar(l, rd, int_to_fp(l, v, nb, is_signed, fbits));
        return;
    }
    uint32_t op = F16_OP(F16_FROM_INT, F16_RFPCR) | F16_IBITS(ibits) | F16_FBITS(fbits) |
                  (is_signed ? F16_SIGNED : 0);
    wr_h(l, rd, f16_call(l, op, v, NULL, NULL));
}

/* FP data-processing (1 source), H: FMOV FABS FNEG on the bits, FSQRT and
 * FRINT<r> in dbt_rt_f16 (FCVT is handled by the caller). */
static bool fp_dp1_half(Lifter *l, unsigned opcode, unsigned rn, unsigned rd)
{
    static const int rint[8] = {F16_RN, F16_RP, F16_RM, F16_RZ, F16_RA, -1, F16_RFPCR, F16_RFPCR};
    LLVMValueRef a = rd_h(l, rn);
    switch (opcode) {
    case 0x00: wr_vscalar(l, rd, a); return true;
    case 0x01: wr_vscalar(l, rd, LLVMBuildAnd(l->b, a, LLVMConstInt(l->i16, 0x7fff, 0), "")); return true;
    case 0x02: wr_vscalar(l, rd, neg_h(l, a)); return true;
    case 0x03: wr_h(l, rd, f16_call(l, F16_OP(F16_SQRT, F16_RFPCR), a, NULL, NULL)); return true;
    default: break;
    }
    if ((opcode & 0x38) != 0x08 || rint[opcode & 7] < 0)
        return false;
    uint32_t op = F16_OP(F16_RINT, rint[opcode & 7]) | (opcode == 0x0e ? F16_EXACT : 0); /* FRINTX */
    wr_h(l, rd, f16_call(l, op, a, NULL, NULL));
    return true;
}

/* FP data-processing (1 source)
 *   31 30 29 28  24 23 22 21 20   15 14 10 9  5 4  0
 *    M  0  S 11110 ftype  1 opcode  10000  Rn   Rd
 * opcode 000000 FMOV, 000001 FABS, 000010 FNEG, 000011 FSQRT,
 *        0001 opc FCVT (opc: 00 to single, 01 to double, 11 to half),
 *        001 rmode FRINTN/P/M/Z/A/-/X/I (rmode 000..111, 101 reserved). */
static bool fp_dp1(Lifter *l, uint32_t insn)
{
    unsigned opcode = bits(insn, 20, 15), rn = bits(insn, 9, 5), rd = bits(insn, 4, 0);
    if ((opcode & 0x3c) == 0x04) { /* FCVT */
        unsigned from = ftype_bits(insn, true);
        unsigned opc = opcode & 3;
        unsigned to = opc == 0 ? 32 : opc == 1 ? 64 : opc == 3 ? 16 : 0;
        if (from == 0 || to == 0 || from == to)
            return false;
        wr_vscalar(l, rd, fp_convert(l, rd_fp(l, rn, from), to, false));
        return true;
    }
    if (is_half(insn))
        return fp_dp1_half(l, opcode, rn, rd);
    unsigned nb = ftype_bits(insn, false);
    if (nb == 0)
        return false;
    LLVMValueRef a = rd_fp(l, rn, nb), r;
    switch (opcode) {
    case 0x00: r = a; break;                 /* FMOV (register): bits unchanged */
    case 0x01: r = fp_abs(l, a); break;      /* FABS */
    case 0x02: r = fp_neg(l, a); break;      /* FNEG */
    case 0x03: r = fp_sqrt(l, a); break;     /* FSQRT */
    case 0x08: r = fp_round_int(l, a, FPR_TIEEVEN); break; /* FRINTN */
    case 0x09: r = fp_round_int(l, a, FPR_POSINF); break;  /* FRINTP */
    case 0x0a: r = fp_round_int(l, a, FPR_NEGINF); break;  /* FRINTM */
    case 0x0b: r = fp_round_int(l, a, FPR_ZERO); break;    /* FRINTZ */
    case 0x0c: r = fp_round_int(l, a, FPR_TIEAWAY); break; /* FRINTA */
    case 0x0e: r = fp_round_int(l, a, FPR_EXACT); break;   /* FRINTX */
    case 0x0f: r = fp_round_int(l, a, FPR_CURRENT); break; /* FRINTI */
    default: return false;
    }
    wr_vscalar(l, rd, r);
    return true;
}

/* NZCV from FPCompare(a, b, signal_nans): unordered 0011, equal 0110,
 * less 1000, greater 0010.  IOC for a signalling NaN operand, or for any
 * NaN if SIGNALING (FCMPE, FCCMPE): the host's ucomis/comis, or for H
 * operands (i16 bits, rd_operand) dbt_rt_f16. */
static void fp_compare_flags(Lifter *l, LLVMValueRef a, LLVMValueRef b, bool signaling, LLVMValueRef fl[4])
{
    if (LLVMTypeOf(a) == l->i16) {
        LLVMValueRef nzcv = f16_call(l, F16_OP(F16_CMP, F16_RN) | (signaling ? F16_SIGNAL : 0), a, b, NULL);
        for (unsigned f = 0; f < 4; f++)
            fl[f] = LLVMBuildTrunc(l->b, LLVMBuildLShr(l->b, nzcv, c64(l, 3 - f), ""), l->i1, "");
        return;
    }
    LLVMValueRef ops[2] = {a, b};
    fp_check_idc(l, ops, 2);
    fl[FLAG_N] = sfp_cmp(l, LLVMRealOLT, a, b, signaling);
    fl[FLAG_Z] = sfp_cmp(l, LLVMRealOEQ, a, b, signaling);
    fl[FLAG_C] = sfp_cmp(l, LLVMRealUGE, a, b, signaling);
    fl[FLAG_V] = sfp_cmp(l, LLVMRealUNO, a, b, signaling);
}

/* FP compare
 *   31 30 29 28  24 23 22 21 20 16 15 14 13  10 9  5 4     0
 *    M  0  S 11110 ftype  1   Rm   op   1000    Rn  opcode2
 * op 00; opcode2 = E:Z:000 (E: FCMPE, IOC for quiet NaNs too;
 * Z: compare with +0.0, Rm is 00000). */
static bool fp_cmp(Lifter *l, uint32_t insn)
{
    unsigned nb = ftype_bits(insn, true);
    if (nb == 0)
        return false;
    unsigned rm = bits(insn, 20, 16), rn = bits(insn, 9, 5);
    LLVMValueRef a = rd_operand(l, rn, nb);
    LLVMValueRef b = bits(insn, 3, 3) ? zero_operand(l, nb) : rd_operand(l, rm, nb);
    LLVMValueRef fl[4];
    fp_compare_flags(l, a, b, bits(insn, 4, 4), fl);
    for (unsigned f = 0; f < 4; f++)
        wr_flag(l, f, fl[f]);
    return true;
}

/* FP conditional compare
 *   31 30 29 28  24 23 22 21 20 16 15  12 11 10 9  5  4  3  0
 *    M  0  S 11110 ftype  1   Rm   cond   0  1   Rn  op  nzcv
 * FCCMP (op 0) / FCCMPE (op 1): flags = cond ? FPCompare(n, m) : nzcv.
 * Only a compare that happens may raise IOC: when cond fails, the host
 * compares 0 with 0 instead. */
static bool fp_ccmp(Lifter *l, uint32_t insn)
{
    unsigned nb = ftype_bits(insn, true);
    if (nb == 0)
        return false;
    unsigned rm = bits(insn, 20, 16), rn = bits(insn, 9, 5), cond = bits(insn, 15, 12);
    unsigned nzcv = bits(insn, 3, 0);
    LLVMValueRef holds = cond_holds(l, cond);
    LLVMValueRef fl[4];
    LLVMValueRef zero = zero_operand(l, nb);
    LLVMValueRef a = LLVMBuildSelect(l->b, holds, rd_operand(l, rn, nb), zero, "");
    LLVMValueRef b = LLVMBuildSelect(l->b, holds, rd_operand(l, rm, nb), zero, "");
    fp_compare_flags(l, a, b, bits(insn, 4, 4), fl);
    for (unsigned f = 0; f < 4; f++) {
        LLVMValueRef imm = LLVMConstInt(l->i1, (nzcv >> (3 - f)) & 1, 0);
        wr_flag(l, f, LLVMBuildSelect(l->b, holds, fl[f], imm, ""));
    }
    return true;
}

/* FP immediate
 *   31 30 29 28  24 23 22 21 20  13 12 10 9    5 4  0
 *    M  0  S 11110 ftype  1  imm8   100  imm5   Rd
 * FMOV (scalar, immediate): Rd = VFPExpandImm(imm8); imm5 00000. */
static bool fp_imm(Lifter *l, uint32_t insn)
{
    unsigned nb = ftype_bits(insn, true);
    if (nb == 0)
        return false;
    uint64_t v = fp_expand_imm(bits(insn, 20, 13), nb);
    /* fenced (fp_opaque): read as the other precision, the bits can be a
     * denormal that FPCR.FZ must flush (a half as 32 bits: the same write) */
    wr_vscalar(l, bits(insn, 4, 0), fp_opaque(l, LLVMConstInt(int_ty(l, nb == 16 ? 32 : nb), v, 0)));
    return true;
}

/* FP data-processing (2 source)
 *   31 30 29 28  24 23 22 21 20 16 15    12 11 10 9  5 4  0
 *    M  0  S 11110 ftype  1   Rm   opcode   1  0   Rn   Rd
 * opcode 0000 FMUL, 0001 FDIV, 0010 FADD, 0011 FSUB, 0100 FMAX, 0101 FMIN,
 *        0110 FMAXNM, 0111 FMINNM, 1000 FNMUL. */
static bool fp_dp2(Lifter *l, uint32_t insn)
{
    static const int ops[16] = {FPOP_MUL, FPOP_DIV, FPOP_ADD, FPOP_SUB, FPOP_MAX, FPOP_MIN,
                                FPOP_MAXNM, FPOP_MINNM, FPOP_NMUL, -1, -1, -1, -1, -1, -1, -1};
    static const int half_ops[9] = {F16_MUL, F16_DIV, F16_ADD, F16_SUB, F16_MAX, F16_MIN,
                                    F16_MAXNM, F16_MINNM, F16_NMUL};
    unsigned nb = ftype_bits(insn, true);
    int op = ops[bits(insn, 15, 12)];
    if (nb == 0 || op < 0)
        return false;
    if (nb == 16) {
        LLVMValueRef a = rd_h(l, bits(insn, 9, 5)), b = rd_h(l, bits(insn, 20, 16));
        uint32_t hop = F16_OP(half_ops[bits(insn, 15, 12)], F16_RFPCR);
        wr_h(l, bits(insn, 4, 0), f16_call(l, hop, a, b, NULL));
        return true;
    }
    LLVMValueRef a = rd_fp(l, bits(insn, 9, 5), nb), b = rd_fp(l, bits(insn, 20, 16), nb);
    wr_vscalar(l, bits(insn, 4, 0), fp_binop(l, (enum FpOp)op, a, b));
    return true;
}

/* FP conditional select
 *   31 30 29 28  24 23 22 21 20 16 15  12 11 10 9  5 4  0
 *    M  0  S 11110 ftype  1   Rm   cond   1  1   Rn   Rd
 * FCSEL: Rd = cond ? Rn : Rm (bits copied, NaNs untouched). */
static bool fp_csel(Lifter *l, uint32_t insn)
{
    unsigned nb = ftype_bits(insn, true);
    if (nb == 0)
        return false;
    LLVMValueRef holds = cond_holds(l, bits(insn, 15, 12));
    LLVMValueRef n = rd_vbits(l, bits(insn, 9, 5), nb), m = rd_vbits(l, bits(insn, 20, 16), nb);
    wr_vscalar(l, bits(insn, 4, 0), LLVMBuildSelect(l->b, holds, n, m, ""));
    return true;
}

/* FP data-processing (3 source)
 *   31 30 29 28  24 23 22 21 20 16 15 14 10 9  5 4  0
 *    M  0  S 11111 ftype o1   Rm  o0   Ra    Rn   Rd
 * o1:o0  00 FMADD  Rd = Ra + Rn*Rm       01 FMSUB  Rd = Ra + (-Rn)*Rm
 *        10 FNMADD Rd = (-Ra) + (-Rn)*Rm 11 FNMSUB Rd = (-Ra) + Rn*Rm
 * One rounding (llvm.fma).  The negations are FPNeg of the operands before
 * FPMulAdd, so a NaN operand that is negated comes out with its sign
 * flipped. */
static bool fp_dp3(Lifter *l, uint32_t insn)
{
    unsigned nb = ftype_bits(insn, true);
    if (nb == 0)
        return false;
    bool o1 = bits(insn, 21, 21), o0 = bits(insn, 15, 15);
    if (nb == 16) {
        LLVMValueRef n = rd_h(l, bits(insn, 9, 5)), m = rd_h(l, bits(insn, 20, 16));
        LLVMValueRef a = rd_h(l, bits(insn, 14, 10));
        if (o1)
            a = neg_h(l, a);
        if (o0 != o1)
            n = neg_h(l, n);
        wr_h(l, bits(insn, 4, 0), f16_call(l, F16_OP(F16_MULADD, F16_RFPCR), a, n, m));
        return true;
    }
    LLVMValueRef n = rd_fp(l, bits(insn, 9, 5), nb);
    LLVMValueRef m = rd_fp(l, bits(insn, 20, 16), nb);
    LLVMValueRef a = rd_fp(l, bits(insn, 14, 10), nb);
    if (o1)
        a = fp_neg(l, a);
    if (o0 != o1)
        n = fp_neg(l, n);
    wr_vscalar(l, bits(insn, 4, 0), fp_muladd(l, a, n, m));
    return true;
}

/* Conversion between floating-point and integer
 *   31 30 29 28  24 23 22 21 20 19 18 16 15    10 9  5 4  0
 *   sf  0  S 11110 ftype  1  rmode opcode 000000    Rn   Rd
 * rmode:opcode
 *   00 000 FCVTNS  00 001 FCVTNU  00 010 SCVTF  00 011 UCVTF
 *   00 100 FCVTAS  00 101 FCVTAU  00 110 FMOV (FP to general)
 *   00 111 FMOV (general to FP)
 *   01 000 FCVTPS  01 001 FCVTPU  01 110 FMOV Xd, Vn.D[1]  01 111 FMOV Vd.D[1], Xn
 *   10 000 FCVTMS  10 001 FCVTMU
 *   11 000 FCVTZS  11 001 FCVTZU */
static bool fp_int_conv(Lifter *l, uint32_t insn)
{
    bool sf = bits(insn, 31, 31);
    unsigned ftype = bits(insn, 23, 22), rmode = bits(insn, 20, 19), opcode = bits(insn, 18, 16);
    unsigned rn = bits(insn, 9, 5), rd = bits(insn, 4, 0);
    unsigned ib = sf ? 64 : 32;
    if (opcode == 6 || opcode == 7) { /* FMOV (general) */
        if (rmode == 0 && ((!sf && ftype == 0) || (sf && ftype == 1))) {
            if (opcode == 6)
                wr_x(l, rd, rd_vbits(l, rn, ib));
            else
                wr_vscalar(l, rd, fp_opaque(l, rd_reg(l, rn, sf)));
            return true;
        }
        if (rmode == 1 && sf && ftype == 2) { /* the upper 64 bits of Vn / Vd */
            if (opcode == 6)
                wr_x(l, rd, LLVMBuildTrunc(l->b, LLVMBuildLShr(l->b, rd_vbits(l, rn, 128),
                                                               LLVMConstInt(l->i128, 64, 0), ""),
                                           l->i64, ""));
            else
                wr_elems_hi(l, rd, fp_opaque(l, rd_x(l, rn)));
            return true;
        }
        if (rmode == 0 && ftype == 3) { /* FMOV Wd/Xd, Hn; FMOV Hd, Wn/Xn: the low 16 bits */
            if (opcode == 6)
                wr_x(l, rd, LLVMBuildZExt(l->b, rd_h(l, rn), l->i64, ""));
            else /* fenced as 32 bits, as FMOV Sd, Wn */
                wr_vscalar(l, rd, fp_opaque(l, LLVMBuildAnd(l->b, rd_reg(l, rn, false), c32(l, 0xffff), "")));
            return true;
        }
        return false;
    }
    unsigned nb = ftype_bits(insn, true);
    if (nb == 0)
        return false;
    if (opcode == 2 || opcode == 3) { /* SCVTF / UCVTF */
        if (rmode != 0)
            return false;
        wr_from_int(l, rd, nb, rd_reg(l, rn, sf), ib, opcode == 2, 0);
        return true;
    }
    enum FpRound rm;
    if (opcode == 4 || opcode == 5) {
        if (rmode != 0)
            return false;
        rm = FPR_TIEAWAY;
    } else if (opcode <= 1) {
        static const enum FpRound rms[4] = {FPR_TIEEVEN, FPR_POSINF, FPR_NEGINF, FPR_ZERO};
        rm = rms[rmode];
    } else {
        return false;
    }
    bool is_signed = (opcode & 1) == 0;
    wr_x(l, rd, scalar_to_int(l, rn, nb, ib, is_signed, rm, 0));
    return true;
}

/* Conversion between floating-point and fixed-point
 *   31 30 29 28  24 23 22 21 20 19 18 16 15  10 9  5 4  0
 *   sf  0  S 11110 ftype  0  rmode opcode scale   Rn   Rd
 * rmode:opcode  00 010 SCVTF, 00 011 UCVTF, 11 000 FCVTZS, 11 001 FCVTZU;
 * fbits = 64 - scale (sf 0 needs scale >= 32). */
static bool fp_fixed_conv(Lifter *l, uint32_t insn)
{
    bool sf = bits(insn, 31, 31);
    unsigned rmode = bits(insn, 20, 19), opcode = bits(insn, 18, 16), scale = bits(insn, 15, 10);
    unsigned rn = bits(insn, 9, 5), rd = bits(insn, 4, 0);
    unsigned nb = ftype_bits(insn, true);
    if (nb == 0 || (!sf && scale < 32))
        return false;
    unsigned fbits = 64 - scale, ib = sf ? 64 : 32;
    if (rmode == 0 && (opcode == 2 || opcode == 3)) {
        wr_from_int(l, rd, nb, rd_reg(l, rn, sf), ib, opcode == 2, fbits);
        return true;
    }
    if (rmode == 3 && (opcode == 0 || opcode == 1)) {
        wr_x(l, rd, scalar_to_int(l, rn, nb, ib, opcode == 0, FPR_ZERO, fbits));
        return true;
    }
    return false;
}

/* Masks: bits 31:24 = M 0 S 1111x, 21, and the group's fixed bits. */
const A64Form a64_fp_forms[] = {
    /* FP data-processing (1 source): opcode in 20:15 */
    {0xFF3FFC00, 0x1E204000, fp_dp1, "FMOV (register)"},
    {0xFF3FFC00, 0x1E20C000, fp_dp1, "FABS (scalar)"},
    {0xFF3FFC00, 0x1E214000, fp_dp1, "FNEG (scalar)"},
    {0xFF3FFC00, 0x1E21C000, fp_dp1, "FSQRT (scalar)"},
    {0xFF3E7C00, 0x1E224000, fp_dp1, "FCVT"},
    {0xFF3C7C00, 0x1E244000, fp_dp1, "FRINT<r> (scalar)"},
    /* FP compare */
    {0xFF20FC17, 0x1E202000, fp_cmp, "FCMP"},
    {0xFF20FC17, 0x1E202010, fp_cmp, "FCMPE"},
    /* FP immediate */
    {0xFF201FE0, 0x1E201000, fp_imm, "FMOV (scalar, immediate)"},
    /* FP conditional compare */
    {0xFF200C10, 0x1E200400, fp_ccmp, "FCCMP"},
    {0xFF200C10, 0x1E200410, fp_ccmp, "FCCMPE"},
    /* FP data-processing (2 source) */
    {0xFF20FC00, 0x1E200800, fp_dp2, "FMUL (scalar)"},
    {0xFF20FC00, 0x1E201800, fp_dp2, "FDIV (scalar)"},
    {0xFF20FC00, 0x1E202800, fp_dp2, "FADD (scalar)"},
    {0xFF20FC00, 0x1E203800, fp_dp2, "FSUB (scalar)"},
    {0xFF20FC00, 0x1E204800, fp_dp2, "FMAX (scalar)"},
    {0xFF20FC00, 0x1E205800, fp_dp2, "FMIN (scalar)"},
    {0xFF20FC00, 0x1E206800, fp_dp2, "FMAXNM (scalar)"},
    {0xFF20FC00, 0x1E207800, fp_dp2, "FMINNM (scalar)"},
    {0xFF20FC00, 0x1E208800, fp_dp2, "FNMUL (scalar)"},
    /* FP conditional select */
    {0xFF200C00, 0x1E200C00, fp_csel, "FCSEL"},
    /* FP data-processing (3 source) */
    {0xFF208000, 0x1F000000, fp_dp3, "FMADD"},
    {0xFF208000, 0x1F008000, fp_dp3, "FMSUB"},
    {0xFF208000, 0x1F200000, fp_dp3, "FNMADD"},
    {0xFF208000, 0x1F208000, fp_dp3, "FNMSUB"},
    /* Conversion between FP and integer (rmode:opcode in 20:16) */
    {0x7F3EFC00, 0x1E260000, fp_int_conv, "FMOV (general)"},
    {0x7F3EFC00, 0x1E2E0000, fp_int_conv, "FMOV (general, top half)"},
    {0x7F3EFC00, 0x1E220000, fp_int_conv, "SCVTF/UCVTF (scalar, integer)"},
    {0x7F3EFC00, 0x1E200000, fp_int_conv, "FCVTNS/FCVTNU (scalar)"},
    {0x7F3EFC00, 0x1E240000, fp_int_conv, "FCVTAS/FCVTAU (scalar)"},
    {0x7F3EFC00, 0x1E280000, fp_int_conv, "FCVTPS/FCVTPU (scalar)"},
    {0x7F3EFC00, 0x1E300000, fp_int_conv, "FCVTMS/FCVTMU (scalar)"},
    {0x7F3EFC00, 0x1E380000, fp_int_conv, "FCVTZS/FCVTZU (scalar, integer)"},
    /* Conversion between FP and fixed-point */
    {0x7F3E0000, 0x1E020000, fp_fixed_conv, "SCVTF/UCVTF (scalar, fixed-point)"},
    {0x7F3E0000, 0x1E180000, fp_fixed_conv, "FCVTZS/FCVTZU (scalar, fixed-point)"},
    {0, 0, NULL, NULL},
};
