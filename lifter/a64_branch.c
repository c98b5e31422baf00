/*
 * a64_branch.c - branches (Arm ARM C4.1.65: branches, exception generating
 * and system instructions; this file holds the branches).
 *
 * Direct branches inside the function become LLVM branches; branches to
 * other functions become tail calls; BL becomes a call after which the
 * lifted code checks that the guest really came back (see lifter.c).
 */
#include "a64_lift.h"

/* B / BL:  op 00101 imm26   -- target = PC + SignExtend(imm26:'00') */
static bool lift_b_imm(Lifter *l, uint32_t insn)
{
    uint64_t target = l->pc + (uint64_t)(sext(bits(insn, 25, 0), 26) * 4);
    if (insn >> 31) { /* BL */
        wr_x(l, 30, c64(l, l->pc + 4));
        lift_call(l, target, NULL);
    } else {
        lift_branch(l, target);
    }
    return true;
}

/* B.cond:  0101010 0 imm19 0 cond */
static bool lift_b_cond(Lifter *l, uint32_t insn)
{
    uint64_t target = l->pc + (uint64_t)(sext(bits(insn, 23, 5), 19) * 4);
    unsigned cond = bits(insn, 3, 0);
    if ((cond & 0xe) == 0xe)
        lift_branch(l, target);
    else
        lift_cond_branch(l, cond_holds(l, cond), target);
    return true;
}

/* CBZ / CBNZ:  sf 011010 op imm19 Rt */
static bool lift_cbz(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31, nz = bits(insn, 24, 24);
    uint64_t target = l->pc + (uint64_t)(sext(bits(insn, 23, 5), 19) * 4);
    LLVMValueRef v = rd_reg(l, bits(insn, 4, 0), sf);
    LLVMValueRef c = LLVMBuildICmp(l->b, nz ? LLVMIntNE : LLVMIntEQ, v, LLVMConstNull(LLVMTypeOf(v)), "");
    lift_cond_branch(l, c, target);
    return true;
}

/* TBZ / TBNZ:  b5 011011 op b40 imm14 Rt   -- tests bit b5:b40 of Rt */
static bool lift_tbz(Lifter *l, uint32_t insn)
{
    unsigned bit = bits(insn, 31, 31) << 5 | bits(insn, 23, 19);
    bool nz = bits(insn, 24, 24);
    uint64_t target = l->pc + (uint64_t)(sext(bits(insn, 18, 5), 14) * 4);
    LLVMValueRef v = LLVMBuildAnd(l->b, rd_x(l, bits(insn, 4, 0)), c64(l, 1ull << bit), "");
    LLVMValueRef c = LLVMBuildICmp(l->b, nz ? LLVMIntNE : LLVMIntEQ, v, c64(l, 0), "");
    lift_cond_branch(l, c, target);
    return true;
}

/* BR / BLR / RET:  1101011 0 0 op(2) 11111 000000 Rn 00000 */
static bool lift_br(Lifter *l, uint32_t insn)
{
    unsigned op = bits(insn, 22, 21);
    LLVMValueRef target = rd_x(l, bits(insn, 9, 5));
    switch (op) {
    case 0: /* BR */
        lift_indirect_jump(l, target, false);
        return true;
    case 1: /* BLR: the target is read before X30 is written */
        wr_x(l, 30, c64(l, l->pc + 4));
        lift_call(l, 0, target);
        return true;
    case 2: /* RET */
        lift_indirect_jump(l, target, true);
        return true;
    default:
        return false;
    }
}

const A64Form a64_branch_forms[] = {
    {0x7C000000u, 0x14000000u, lift_b_imm, "B/BL (immediate)"},
    {0xFF000010u, 0x54000000u, lift_b_cond, "B.cond"},
    {0x7E000000u, 0x34000000u, lift_cbz, "CBZ/CBNZ"},
    {0x7E000000u, 0x36000000u, lift_tbz, "TBZ/TBNZ"},
    {0xFF9FFC1Fu, 0xD61F0000u, lift_br, "BR/BLR/RET"},
    {0, 0, NULL, NULL},
};
