/*
 * fp16.h - FEAT_FP16 scalar half-precision arithmetic, in software.
 *
 * x86-64 has no half-precision arithmetic (F16C only converts), and
 * emulating it through single precision would get the flags wrong (x86
 * decides tininess after rounding, single precision never overflows or
 * underflows where half does, FZ16 is not FZ).  So the lifted code calls
 * one runtime function for every scalar H operation (lifter/a64_fp.c),
 * which computes the exact result with integers and rounds it the way the
 * Arm ARM's FPRound does:
 *
 *     uint64_t dbt_rt_f16(CpuState *s, uint32_t op, uint64_t a, uint64_t b, uint64_t c);
 *
 * It reads s->fpcr (RMode, FZ16, DN; AHP is ignored, as the manual's FPRound
 * and FPUnpack clear it for arithmetic) and ORs the exceptions it raises
 * into s->fpsr.  It never touches the host's MXCSR.  Half values travel as
 * their 16 bits in the low bits of A, B, C and of the result.
 *
 * OP = F16_OP(kind, rounding) | flags | ibits << 16 | fbits << 24.
 * Shared by the lifter (which emits the calls) and runtime/fp16.c.
 */
#ifndef DBT_FP16_H
#define DBT_FP16_H

#include <stdint.h>

#include "cpu_state.h"

#define RT_SYM_F16 "dbt_rt_f16" /* uint64_t (CpuState *s, uint32_t op, uint64_t a, uint64_t b, uint64_t c) */

enum F16Kind {
    F16_ADD,      /* a + b */
    F16_SUB,      /* a - b */
    F16_MUL,      /* a * b */
    F16_DIV,      /* a / b */
    F16_MAX,      /* FPMax(a, b) */
    F16_MIN,      /* FPMin(a, b) */
    F16_MAXNM,    /* FPMaxNum(a, b) */
    F16_MINNM,    /* FPMinNum(a, b) */
    F16_NMUL,     /* FPNeg(a * b): the result's sign flipped, NaNs too */
    F16_SQRT,     /* sqrt(a) */
    F16_MULADD,   /* FPMulAdd(addend a, b, c) = a + b * c, one rounding */
    F16_RINT,     /* FPRoundInt(a, rounding, F16_EXACT) */
    F16_CMP,      /* FPCompare(a, b, F16_SIGNAL): NZCV in bits 3:0 */
    F16_TO_INT,   /* FPToFixed(a, fbits, !F16_SIGNED, rounding): an ibits-bit integer */
    F16_FROM_INT, /* FixedToFP(a: an ibits-bit integer, fbits, !F16_SIGNED), FPCR rounding */
};

/* Roundings (bits 11:8): 0-3 are FPCR.RMode's encoding. */
enum F16Rounding {
    F16_RN,       /* to nearest, ties to even */
    F16_RP,       /* towards +infinity */
    F16_RM,       /* towards -infinity */
    F16_RZ,       /* towards zero */
    F16_RA,       /* to nearest, ties away from zero */
    F16_RFPCR,    /* FPCR.RMode */
};

enum {
    F16_EXACT = 1u << 12,  /* F16_RINT: IXC if the value changes (FRINTX) */
    F16_SIGNED = 1u << 13, /* F16_TO_INT, F16_FROM_INT: signed integer */
    F16_SIGNAL = 1u << 14, /* F16_CMP: IOC for quiet NaNs too (FCMPE) */
};

#define F16_OP(kind, rounding) ((uint32_t)(kind) | (uint32_t)(rounding) << 8)
#define F16_IBITS(n) ((uint32_t)(n) << 16)
#define F16_FBITS(n) ((uint32_t)(n) << 24)

uint64_t dbt_rt_f16(CpuState *s, uint32_t op, uint64_t a, uint64_t b, uint64_t c);

#endif
