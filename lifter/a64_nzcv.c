/*
 * a64_nzcv.c - which instruction words read or write the flags N Z C V
 * (lifter.h: a64_nzcv), for the offline analysis of where the flags cross
 * calls and returns (aot/cfg_flags.c).
 *
 * The contract is one-sided, and the lifter checks it on every word it
 * lifts (lifter.c: lift_one): a word that reads a flag, or makes the state
 * observable (a system call, a trap), has NZCV_READ here; a word given
 * NZCV_WRITE sets all four.  Saying "reads" of a word that does not, or
 * leaving out a write, only makes the analysis keep more stores.
 */
#include "lifter.h"

unsigned a64_nzcv(uint32_t w)
{
    /* Readers first: the condition field or the carry. */
    if ((w & 0xFF000000u) == 0x54000000u) /* B.cond, BC.cond */
        return NZCV_READ;
    if ((w & 0x1FE00000u) == 0x1A800000u) /* CSEL, CSINC, CSINV, CSNEG */
        return NZCV_READ;
    if ((w & 0x1FE00000u) == 0x1A400000u) /* CCMN, CCMP (register, immediate) */
        return NZCV_READ | ((w & 0x3FE00000u) == 0x3A400000u ? NZCV_WRITE : 0);
    if ((w & 0x1FE00000u) == 0x1A000000u) /* ADC(S), SBC(S); RMIF, SETF8/16 (partial writes) */
        return NZCV_READ | ((w & 0x3FE0FC00u) == 0x3A000000u ? NZCV_WRITE : 0);
    if ((w & 0xFF200C00u) == 0x1E200C00u) /* FCSEL */
        return NZCV_READ;
    if ((w & 0xFF200C00u) == 0x1E200400u) /* FCCMP, FCCMPE */
        return NZCV_READ | NZCV_WRITE;
    if ((w & 0xFF000000u) == 0xD4000000u || (w & 0xFFFF0000u) == 0) /* SVC, HVC, BRK, HLT...; UDF */
        return NZCV_READ;
    if ((w & 0xFFC00000u) == 0xD5000000u) { /* system instructions */
        if ((w & 0xFFFFF01Fu) == 0xD503201Fu || (w & 0xFFFFF01Fu) == 0xD503301Fu)
            return 0; /* hints (NOP, BTI, PAC*SP), barriers and CLREX */
        if ((w & 0xFFF00000u) == 0xD5300000u) /* MRS */
            return (w & 0xFFFFFFE0u) == 0xD53B4200u ? NZCV_READ : 0;
        if ((w & 0xFFF00000u) == 0xD5100000u) /* MSR (register) */
            return (w & 0xFFFFFFE0u) == 0xD51B4200u ? NZCV_WRITE : 0;
        return NZCV_READ; /* MSR (immediate): CFINV, AXFLAG, XAFLAG...; SYS, SYSL */
    }
    /* Writers of all four flags. */
    if ((w & 0x3F800000u) == 0x31000000u) /* ADDS, SUBS (immediate): CMN, CMP */
        return NZCV_WRITE;
    if ((w & 0x3F200000u) == 0x2B000000u) /* ADDS, SUBS (shifted register) */
        return NZCV_WRITE;
    if ((w & 0x3FE00000u) == 0x2B200000u) /* ADDS, SUBS (extended register) */
        return NZCV_WRITE;
    if ((w & 0x7F800000u) == 0x72000000u) /* ANDS (immediate): TST */
        return NZCV_WRITE;
    if ((w & 0x7F000000u) == 0x6A000000u) /* ANDS, BICS (shifted register) */
        return NZCV_WRITE;
    if ((w & 0xFF20FC07u) == 0x1E202000u) /* FCMP, FCMPE */
        return NZCV_WRITE;
    return 0;
}
