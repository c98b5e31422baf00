/*
 * a64_dispatch.c - from an instruction word to its form, and the
 * control-flow classification and named predicates used by control-flow
 * recovery (lifter.h).
 *
 * The top-level A64 decode (Arm ARM C4.1) splits on op0 = bits 28:25:
 *
 *   31 30 29 28 27 26 25 24 ...
 *          |<- op0 ->|
 *   0000 reserved (UDF)    100x DP immediate    101x branch/exception/system
 *   x1x0 loads/stores      x101 DP register     x111 scalar FP / Advanced SIMD
 *
 * Within a group, the first form whose mask/value matches wins; the tables
 * list more specific forms first.
 */
#include "a64_lift.h"

static const A64Form *search(const A64Form *t, uint32_t insn)
{
    for (; t->handler != NULL; t++)
        if ((insn & t->mask) == t->value)
            return t;
    return NULL;
}

const A64Form *a64_find_form(uint32_t insn)
{
    unsigned op0 = bits(insn, 28, 25);
    const A64Form *f = NULL;
    if ((op0 & 0xe) == 0x8) {
        f = search(a64_dp_imm_forms, insn);
    } else if ((op0 & 0xe) == 0xa) {
        f = search(a64_branch_forms, insn);
        if (f == NULL)
            f = search(a64_system_forms, insn);
    } else if ((op0 & 0x5) == 0x4) {
        f = search(a64_ldst_forms, insn);
        if (f == NULL)
            f = search(a64_simd_ldst_forms, insn);
    } else if ((op0 & 0x7) == 0x5) {
        f = search(a64_dp_reg_forms, insn);
    } else if ((op0 & 0x7) == 0x7) {
        f = search(a64_fp_forms, insn);
        if (f == NULL)
            f = search(a64_simd_forms, insn);
    }
    return f;
}

bool a64_has_form(uint32_t word)
{
    return a64_find_form(word) != NULL;
}

enum A64Flow a64_classify(uint32_t w, uint64_t pc, uint64_t *target)
{
    *target = 0;
    if ((w & 0x7C000000u) == 0x14000000u) { /* B, BL: op 00101 imm26 */
        *target = pc + (uint64_t)(sext(w & 0x3ffffff, 26) * 4);
        return (w >> 31) ? FLOW_CALL : FLOW_JUMP;
    }
    if ((w & 0xFF000010u) == 0x54000000u) { /* B.cond: 01010100 imm19 0 cond */
        *target = pc + (uint64_t)(sext(bits(w, 23, 5), 19) * 4);
        return (w & 0xe) == 0xe ? FLOW_JUMP : FLOW_COND; /* AL and NV: always */
    }
    if ((w & 0x7E000000u) == 0x34000000u) { /* CBZ, CBNZ: sf 011010 op imm19 Rt */
        *target = pc + (uint64_t)(sext(bits(w, 23, 5), 19) * 4);
        return FLOW_COND;
    }
    if ((w & 0x7E000000u) == 0x36000000u) { /* TBZ, TBNZ: b5 011011 op b40 imm14 Rt */
        *target = pc + (uint64_t)(sext(bits(w, 18, 5), 14) * 4);
        return FLOW_COND;
    }
    if ((w & 0xFFFFFC1Fu) == 0xD61F0000u) /* BR Xn */
        return FLOW_IJUMP;
    if ((w & 0xFFFFFC1Fu) == 0xD63F0000u) /* BLR Xn */
        return FLOW_ICALL;
    if ((w & 0xFFFFFC1Fu) == 0xD65F0000u) /* RET Xn */
        return FLOW_RET;
    if ((w & 0xFFE0001Fu) == 0xD4000001u) /* SVC #imm16 */
        return FLOW_SVC;
    if ((w & 0xFFFF0000u) == 0 || (w & 0xFFE0001Fu) == 0xD4200000u) /* UDF, BRK */
        return FLOW_STOP;
    return FLOW_NONE;
}

bool a64_is_nop(uint32_t w)
{
    return w == 0xD503201Fu; /* HINT #0: CRm = 0, op2 = 0 */
}

bool a64_is_svc0(uint32_t w)
{
    return w == 0xD4000001u; /* SVC with imm16 = 0 */
}

bool a64_decode_adr(uint32_t w, uint64_t pc, unsigned *rd, uint64_t *addr, bool *page)
{
    if ((w & 0x1F000000u) != 0x10000000u) /* op immlo(2) 10000 immhi(19) Rd */
        return false;
    int64_t imm = sext(bits(w, 23, 5) << 2 | bits(w, 30, 29), 21);
    *rd = bits(w, 4, 0);
    *page = w >> 31;
    *addr = *page ? (pc & ~0xfffull) + (uint64_t)(imm * 4096) : pc + (uint64_t)imm;
    return true;
}

bool a64_decode_add_imm12(uint32_t w, unsigned *rd, unsigned *rn, uint32_t *imm12)
{
    if ((w & 0xFFC00000u) != 0x91000000u) /* sf=1 op=0 S=0 100010 sh=0 imm12 Rn Rd */
        return false;
    *rd = bits(w, 4, 0);
    *rn = bits(w, 9, 5);
    *imm12 = bits(w, 21, 10);
    return true;
}
