/*
 * a64_gpr.c - which general registers X0-X30 an instruction word reads and
 * writes (lifter.h: a64_gprs), for an offline analysis of which registers
 * a call need not pass (what a callee may read before writing it).
 *
 * The contract is one-sided, as a64_nzcv.c's, and the lifter checks it on
 * every word it lifts (lifter.c: check_gprs): every register the lifted
 * code reads is in may_read, every register it writes is in may_write,
 * and every register in must_write is written (whole: a W write clears
 * the upper half, so it counts).  A word not described here reads and may
 * write every register and surely writes none - which only makes the
 * analysis keep more.  Register 31 (SP or XZR) is in no mask.  Branches,
 * calls and system calls are for the analysis to handle by what they are;
 * of them only CBZ/CBNZ/TBZ/TBNZ (they read Rt) and B.cond are described.
 */
#include "lifter.h"

enum { ALL = 0x7FFFFFFFu };

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
            return (A64Gprs){ALL, 0, ALL};
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
        return (A64Gprs){ALL, 0, ALL};
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
            return idx == 0 || uimm || reg ? ldst(w, false, false, true, false, false, reg) : (A64Gprs){ALL, 0, ALL};
        if ((size == 3 && opc == 3) || (size == 2 && opc == 3))
            return (A64Gprs){ALL, 0, ALL};
        return ldst(w, false, opc != 0, false, false, wb, reg);
    }
    if ((w & 0x3A000000u) == 0x28000000u) { /* LDP, STP, LDNP, STNP, LDPSW (and STGP) */
        bool v = w >> 26 & 1, load = w >> 22 & 1;
        unsigned idx = w >> 23 & 3, opc = w >> 30;
        if (opc == 3 || (!v && opc == 1 && load && idx == 0))
            return (A64Gprs){ALL, 0, ALL};
        return ldst(w, v, load, v, true, idx == 1 || idx == 3, false);
    }
    if ((w & 0x3B000000u) == 0x18000000u) { /* LDR (literal), LDRSW (literal), PRFM (literal) */
        if (w >> 26 & 1)
            return rw(0, 0);
        return rw(0, (w >> 30) == 3 ? 0 : bit(rd));
    }
    /* Branches that read a register or none; hints and barriers. */
    if ((w & 0x7C000000u) == 0x34000000u) /* CBZ, CBNZ, TBZ, TBNZ */
        return rw(bit(rd), 0);
    if ((w & 0xFF000010u) == 0x54000000u) /* B.cond */
        return rw(0, 0);
    if ((w & 0xFFFFF01Fu) == 0xD503201Fu || (w & 0xFFFFF01Fu) == 0xD503301Fu) /* NOP, hints, barriers, CLREX */
        return rw(0, 0);
    return (A64Gprs){ALL, 0, ALL};
}
