/*
 * a64_gpr.c - which general registers X0-X30 an instruction word reads and
 * writes (lifter.h: a64_gprs), for offline analyses of register liveness.
 * Session 23 built one on it - a direct call passes undef for the X0-X5
 * its callee never reads before writing - and measured no gain (lua 6%
 * slower, sqlite the same: docs/benchmarks.md, "Session 23"), so nothing
 * uses the table today; it stays, checked, for the next such analysis.
 *
 * The contract is one-sided, as a64_nzcv.c's, and the lifter checks it on
 * every word it lifts (lifter.c: check_gprs): every register the lifted
 * code reads is in may_read, every register it writes is in may_write,
 * and every register in must_write is written (whole: a W write clears
 * the upper half, so it counts).  A word not described here reads and may
 * write every register and surely writes none - which only makes the
 * analysis keep more.  Register 31 (SP or XZR) is in no mask.  Branches
 * and calls are for the analysis to handle by what they are; of them only
 * CBZ/CBNZ/TBZ/TBNZ (they read Rt) and B.cond are described, and SVC #0
 * (which the lifter's check cannot see: its code moves the whole state).
 *
 * An analysis that keeps a caller's register across a call because the
 * callee never writes it (GCC's -fipa-ra does) needs may_write exact for
 * what compilers emit: of a described word may_write is what it writes
 * (equal to must_write, which the check verifies), except MRS (its
 * register, unless the lifter traps) and SVC (X0: a system call that
 * changes more - rt_sigreturn, execve - does not come back here).
 */
#include "lifter.h"

enum { ALL = 0x7FFFFFFFu };

/* A word not described: reads and may write all, surely writes none. */
static const A64Gprs UNKNOWN = {ALL, 0, ALL};

static uint32_t bit(unsigned r) { return r < 31 ? 1u << r : 0; }

static A64Gprs rw(uint32_t reads, uint32_t writes) { return (A64Gprs){reads, writes, writes}; }

/* A load or store of a general register Rt (and Rt2 for a pair) or, with
 * V, of a SIMD&FP one: base Rn, written back if WB, offset register Rm if
 * OFFREG.  LOAD: the register(s) written, else read; NONE: neither (a
 * prefetch). */
static A64Gprs ldst(uint32_t w, bool v, bool load, bool none, bool pair, bool wb, bool offreg)
{
    unsigned rt = w & 31, rn = w >> 5 & 31, rm = w >> 16 & 31, rt2 = w >> 10 & 31;
    uint32_t data = v || none ? 0 : bit(rt) | (pair ? bit(rt2) : 0);
    uint32_t reads = bit(rn) | (offreg ? bit(rm) : 0) | (load ? 0 : data);
    uint32_t writes = (load ? data : 0) | (wb ? bit(rn) : 0);
    return rw(reads, writes);
}

A64Gprs a64_gprs(uint32_t w)
{
    unsigned rd = w & 31, rn = w >> 5 & 31, rm = w >> 16 & 31, ra = w >> 10 & 31;
    /* Data processing, immediate. */
    if ((w & 0x1F000000u) == 0x10000000u) /* ADR, ADRP */
        return rw(0, bit(rd));
    if ((w & 0x1F800000u) == 0x11000000u) /* ADD(S), SUB(S) (immediate) */
        return rw(bit(rn), bit(rd));
    if ((w & 0x1F800000u) == 0x12000000u) /* AND(S), ORR, EOR (immediate) */
        return rw(bit(rn), bit(rd));
    if ((w & 0x1F800000u) == 0x12800000u) { /* MOVN, MOVZ, MOVK */
        unsigned opc = w >> 29 & 3;
        if (opc == 1)
            return UNKNOWN;
        return rw(opc == 3 ? bit(rd) : 0, bit(rd));
    }
    if ((w & 0x1F800000u) == 0x13000000u) /* SBFM, BFM (keeps bits of Rd), UBFM */
        return rw(bit(rn) | ((w >> 29 & 3) == 1 ? bit(rd) : 0), bit(rd));
    if ((w & 0x1F800000u) == 0x13800000u) /* EXTR */
        return rw(bit(rn) | bit(rm), bit(rd));
    /* Data processing, register. */
    if ((w & 0x1F000000u) == 0x0A000000u) /* AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS (shifted) */
        return rw(bit(rn) | bit(rm), bit(rd));
    if ((w & 0x1F000000u) == 0x0B000000u) /* ADD(S), SUB(S) (shifted, extended) */
        return rw(bit(rn) | bit(rm), bit(rd));
    if ((w & 0x1FE0FC00u) == 0x1A000000u) /* ADC(S), SBC(S) */
        return rw(bit(rn) | bit(rm), bit(rd));
    if ((w & 0x1FE00410u) == 0x1A400000u) /* CCMN, CCMP (register: reads Rm; immediate: its field) */
        return rw(bit(rn) | ((w >> 11 & 1) ? 0 : bit(rm)), 0);
    if ((w & 0x3FE00800u) == 0x1A800000u) /* CSEL, CSINC, CSINV, CSNEG */
        return rw(bit(rn) | bit(rm), bit(rd));
    if ((w & 0x7FE00000u) == 0x1AC00000u || (w & 0xFFE00000u) == 0x9AC00000u) { /* 2-source */
        unsigned op = w >> 10 & 63;
        if (op == 2 || op == 3 || (op >= 8 && op <= 11) || (op >= 16 && op <= 23))
            return rw(bit(rn) | bit(rm), bit(rd)); /* UDIV, SDIV, shifts by register, CRC32* */
        return UNKNOWN;
    }
    if ((w & 0x7FFF0000u) == 0x5AC00000u && (w >> 10 & 63) <= 5) /* RBIT, REV16, REV(32), CLZ, CLS */
        return rw(bit(rn), bit(rd));
    if ((w & 0x7F000000u) == 0x1B000000u) /* MADD, MSUB, SMADDL, SMULH, UMADDL, UMULH, ... */
        return rw(bit(rn) | bit(rm) | bit(ra), bit(rd));
    /* Loads and stores of one register or a pair. */
    if ((w & 0x3B000000u) == 0x39000000u || (w & 0x3B200000u) == 0x38000000u ||
        (w & 0x3B200C00u) == 0x38200800u) {
        /* unsigned offset; unscaled, post-index, unprivileged, pre-index;
         * register offset */
        bool v = w >> 26 & 1, uimm = (w & 0x3B000000u) == 0x39000000u, reg = !uimm && (w >> 21 & 1);
        unsigned size = w >> 30, opc = w >> 22 & 3, idx = w >> 10 & 3;
        bool wb = !uimm && !reg && (idx == 1 || idx == 3);
        if (v)
            return ldst(w, true, false, true, false, wb, reg);
        if (size == 3 && opc == 2) /* PRFM, PRFUM */
            return idx == 0 || uimm || reg ? ldst(w, false, false, true, false, false, reg) : UNKNOWN;
        if ((size == 3 && opc == 3) || (size == 2 && opc == 3))
            return UNKNOWN;
        return ldst(w, false, opc != 0, false, false, wb, reg);
    }
    if ((w & 0x3A000000u) == 0x28000000u) { /* LDP, STP, LDNP, STNP, LDPSW (and STGP) */
        bool v = w >> 26 & 1, load = w >> 22 & 1;
        unsigned idx = w >> 23 & 3, opc = w >> 30;
        if (opc == 3 || (!v && opc == 1 && load && idx == 0))
            return UNKNOWN;
        return ldst(w, v, load, v, true, idx == 1 || idx == 3, false);
    }
    if ((w & 0x3B000000u) == 0x18000000u) { /* LDR (literal), LDRSW (literal), PRFM (literal) */
        if (w >> 26 & 1)
            return rw(0, 0);
        return rw(0, (w >> 30) == 3 ? 0 : bit(rd));
    }
    /* Exclusives, load-acquire/store-release, compare and swap. */
    if ((w & 0x3F000000u) == 0x08000000u) {
        unsigned rs = w >> 16 & 31, rt2 = w >> 10 & 31, size = w >> 30;
        bool o2 = w >> 23 & 1, load = w >> 22 & 1, o1 = w >> 21 & 1;
        if (!o2 && !o1) /* LDXR, LDAXR; STXR, STLXR (Ws: the status) */
            return load ? rw(bit(rn), bit(rd)) : rw(bit(rd) | bit(rn), bit(rs));
        if (!o2 && size >= 2) /* LDXP, LDAXP; STXP, STLXP */
            return load ? rw(bit(rn), bit(rd) | bit(rt2)) : rw(bit(rd) | bit(rt2) | bit(rn), bit(rs));
        if (o2 && !o1) /* LDAR, LDLAR; STLR, STLLR */
            return load ? rw(bit(rn), bit(rd)) : rw(bit(rd) | bit(rn), 0);
        if (o2) /* CAS, CASA, CASL, CASAL (Ws: the old value) */
            return rw(bit(rs) | bit(rd) | bit(rn), bit(rs));
        return UNKNOWN; /* CASP */
    }
    if ((w & 0x3F200C00u) == 0x38200000u) /* LDADD..., SWP, LDAPR (Rs 31); ST* aliases (Rt 31) */
        return rw(bit(rm) | bit(rn), bit(rd));
    /* SIMD&FP structure loads and stores: the base, and its write-back. */
    if ((w & 0xBFBF0000u) == 0x0C000000u || (w & 0xBF9F0000u) == 0x0D000000u) /* no offset */
        return rw(bit(rn), 0);
    if ((w & 0xBFA00000u) == 0x0C800000u || (w & 0xBF800000u) == 0x0D800000u) /* post-index: Rm, or 31 */
        return rw(bit(rn) | bit(rm), bit(rn));
    /* Between general and SIMD&FP registers. */
    if ((w & 0x7F20FC00u) == 0x1E200000u) { /* FMOV (general), FCVT*, SCVTF, UCVTF, FJCVTZS */
        unsigned op = w >> 16 & 7;
        return op == 2 || op == 3 || op == 7 ? rw(bit(rn), 0) : rw(0, bit(rd));
    }
    if ((w & 0x7F200000u) == 0x1E000000u) /* the fixed-point conversions */
        return (w >> 16 & 7) == 2 || (w >> 16 & 7) == 3 ? rw(bit(rn), 0) : rw(0, bit(rd));
    if ((w & 0xBFE08400u) == 0x0E000400u) { /* DUP (general), SMOV, UMOV, INS (general) */
        unsigned imm4 = w >> 11 & 15;
        if (imm4 == 5 || imm4 == 7)
            return rw(0, bit(rd));
        if (imm4 == 1 || imm4 == 3)
            return rw(bit(rn), 0);
        return UNKNOWN;
    }
    /* The rest of scalar FP and Advanced SIMD data processing (op0 x111):
     * V registers, FPCR, FPSR and NZCV only. */
    if ((w & 0x0E000000u) == 0x0E000000u)
        return rw(0, 0);
    /* System registers and system calls. */
    if ((w & 0xFFF00000u) == 0xD5300000u) /* MRS: a register the lifter has no form for traps */
        return (A64Gprs){0, 0, bit(rd)};
    if ((w & 0xFFF00000u) == 0xD5100000u) /* MSR (register) */
        return rw(bit(rd), 0);
    if ((w & 0xFFF80000u) == 0xD5080000u) /* SYS: DC ZVA, DC CIVAC, IC IVAU... (Xt: an address) */
        return rw(bit(rd), 0);
    if (a64_is_svc0(w)) /* SVC #0: the number in X8, the arguments X0-X5, the result X0
                             (the lifter checks nothing here: its code syncs the state) */
        return (A64Gprs){0x13Fu, 0, bit(0)};
    /* Branches that read a register or none; hints and barriers. */
    if ((w & 0x7C000000u) == 0x34000000u) /* CBZ, CBNZ, TBZ, TBNZ */
        return rw(bit(rd), 0);
    if ((w & 0xFF000010u) == 0x54000000u) /* B.cond */
        return rw(0, 0);
    if ((w & 0xFFFFF01Fu) == 0xD503201Fu || (w & 0xFFFFF01Fu) == 0xD503301Fu) /* NOP, hints, barriers, CLREX */
        return rw(0, 0);
    return UNKNOWN;
}
