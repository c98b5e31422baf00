/*
 * a64_dp_reg.c - data processing (register): logical and add/subtract
 * (shifted, extended), add/subtract with carry, conditional compare and
 * select, 1-, 2- and 3-source operations.
 *
 * Architectural details worth remembering:
 *  - UDIV/SDIV by zero give 0 (no trap); SDIV INT_MIN / -1 gives INT_MIN.
 *  - Shift-by-register uses the amount modulo the register width.
 *  - CCMP/CCMN set NZCV to the immediate nzcv when the condition fails.
 */
#include "a64_lift.h"

static LLVMValueRef shift_reg(Lifter *l, LLVMValueRef v, unsigned type, unsigned amount, unsigned size)
{
    if (amount == 0)
        return v;
    LLVMTypeRef t = LLVMTypeOf(v);
    switch (type) {
    case 0: return LLVMBuildShl(l->b, v, cint(t, amount), "");
    case 1: return LLVMBuildLShr(l->b, v, cint(t, amount), "");
    case 2: return LLVMBuildAShr(l->b, v, cint(t, amount), "");
    default:
        return LLVMBuildOr(l->b, LLVMBuildLShr(l->b, v, cint(t, amount), ""),
                           LLVMBuildShl(l->b, v, cint(t, size - amount), ""), "");
    }
}

/* AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register):
 *   sf opc 01010 shift N imm6 Rm Rn Rd */
static bool lift_logic_reg(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned opc = bits(insn, 30, 29), amount = bits(insn, 15, 10);
    if (!sf && amount >= 32)
        return false;
    LLVMValueRef a = rd_reg(l, bits(insn, 9, 5), sf);
    LLVMValueRef b = shift_reg(l, rd_reg(l, bits(insn, 20, 16), sf), bits(insn, 23, 22), amount, sf ? 64 : 32);
    if (bits(insn, 21, 21))
        b = LLVMBuildNot(l->b, b, "");
    LLVMValueRef res;
    switch (opc) {
    case 1: res = LLVMBuildOr(l->b, a, b, ""); break;
    case 2: res = LLVMBuildXor(l->b, a, b, ""); break;
    default: res = LLVMBuildAnd(l->b, a, b, ""); break;
    }
    if (opc == 3)
        set_nzcv(l, res, LLVMConstInt(l->i1, 0, 0), LLVMConstInt(l->i1, 0, 0));
    wr_reg(l, bits(insn, 4, 0), sf, res);
    return true;
}

/* ADD/ADDS/SUB/SUBS (shifted register):  sf op S 01011 shift 0 Rm imm6 Rn Rd */
static bool lift_addsub_shift(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned type = bits(insn, 23, 22), amount = bits(insn, 15, 10);
    if (type == 3 || (!sf && amount >= 32))
        return false;
    LLVMValueRef a = rd_reg(l, bits(insn, 9, 5), sf);
    LLVMValueRef b = shift_reg(l, rd_reg(l, bits(insn, 20, 16), sf), type, amount, sf ? 64 : 32);
    LLVMValueRef res = a64_addsub(l, a, b, bits(insn, 30, 30), bits(insn, 29, 29));
    wr_reg(l, bits(insn, 4, 0), sf, res);
    return true;
}

LLVMValueRef a64_extend(Lifter *l, LLVMValueRef v, unsigned option, unsigned shift)
{
    static const unsigned width[4] = {8, 16, 32, 64};
    unsigned w = width[option & 3];
    if (w < 64) {
        LLVMValueRef t = LLVMBuildTrunc(l->b, v, LLVMIntTypeInContext(l->ctx, w), "");
        v = option & 4 ? LLVMBuildSExt(l->b, t, l->i64, "") : LLVMBuildZExt(l->b, t, l->i64, "");
    }
    return shift ? LLVMBuildShl(l->b, v, c64(l, shift), "") : v;
}

/* ADD/ADDS/SUB/SUBS (extended register):  sf op S 01011 00 1 Rm option imm3 Rn Rd */
static bool lift_addsub_ext(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31, s = bits(insn, 29, 29);
    unsigned shift = bits(insn, 12, 10);
    if (shift > 4)
        return false;
    LLVMValueRef a = rd_reg_sp(l, bits(insn, 9, 5), sf);
    LLVMValueRef b = a64_extend(l, rd_x(l, bits(insn, 20, 16)), bits(insn, 15, 13), shift);
    if (!sf)
        b = LLVMBuildTrunc(l->b, b, l->i32, "");
    LLVMValueRef res = a64_addsub(l, a, b, bits(insn, 30, 30), s);
    if (s)
        wr_reg(l, bits(insn, 4, 0), sf, res);
    else
        wr_reg_sp(l, bits(insn, 4, 0), sf, res);
    return true;
}

/* ADC/ADCS/SBC/SBCS:  sf op S 11010000 Rm 000000 Rn Rd
 *   result = AddWithCarry(Rn, sub ? NOT(Rm) : Rm, C) */
static bool lift_adc(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31, sub = bits(insn, 30, 30), s = bits(insn, 29, 29);
    LLVMValueRef a = rd_reg(l, bits(insn, 9, 5), sf), b = rd_reg(l, bits(insn, 20, 16), sf);
    if (sub)
        b = LLVMBuildNot(l->b, b, "");
    LLVMValueRef c, v;
    LLVMValueRef res = add_with_carry(l, a, b, rd_flag(l, FLAG_C), s ? &c : NULL, s ? &v : NULL);
    if (s)
        set_nzcv(l, res, c, v);
    wr_reg(l, bits(insn, 4, 0), sf, res);
    return true;
}

/* CCMN/CCMP (register and immediate):
 *   sf op 1 11010010 Rm|imm5 cond o2 0 Rn 0 nzcv    (o2 = bit 11: immediate) */
static bool lift_ccmp(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31, sub = bits(insn, 30, 30);
    unsigned nzcv = bits(insn, 3, 0);
    LLVMValueRef a = rd_reg(l, bits(insn, 9, 5), sf);
    LLVMValueRef b = bits(insn, 11, 11) ? cint(LLVMTypeOf(a), bits(insn, 20, 16)) : rd_reg(l, bits(insn, 20, 16), sf);
    LLVMValueRef cond = cond_holds(l, bits(insn, 15, 12));
    /* Compute the comparison's flags into the flag allocas, then select
     * between them and the immediate. */
    LLVMValueRef old[4];
    a64_addsub(l, a, b, sub, true);
    for (unsigned f = 0; f < 4; f++)
        old[f] = rd_flag(l, f);
    for (unsigned f = 0; f < 4; f++) {
        LLVMValueRef imm = LLVMConstInt(l->i1, nzcv >> (3 - f) & 1, 0);
        wr_flag(l, f, LLVMBuildSelect(l->b, cond, old[f], imm, ""));
    }
    return true;
}

/* CSEL/CSINC/CSINV/CSNEG:  sf op 0 11010100 Rm cond op2 Rn Rd */
static bool lift_csel(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned op = bits(insn, 30, 30), op2 = bits(insn, 11, 10);
    if (op2 > 1)
        return false;
    LLVMValueRef a = rd_reg(l, bits(insn, 9, 5), sf), b = rd_reg(l, bits(insn, 20, 16), sf);
    LLVMTypeRef t = LLVMTypeOf(a);
    if (op == 0 && op2 == 1)
        b = LLVMBuildAdd(l->b, b, cint(t, 1), "");
    else if (op == 1 && op2 == 0)
        b = LLVMBuildNot(l->b, b, "");
    else if (op == 1 && op2 == 1)
        b = LLVMBuildNeg(l->b, b, "");
    LLVMValueRef res = LLVMBuildSelect(l->b, cond_holds(l, bits(insn, 15, 12)), a, b, "");
    wr_reg(l, bits(insn, 4, 0), sf, res);
    return true;
}

/* CRC32{B,H,W,X} / CRC32C{B,H,W,X}: bit-reflected CRC (polynomial
 * 0x04C11DB7 / 0x1EDC6F41, reflected 0xEDB88320 / 0x82F63B78), a byte at a
 * time through a 256-entry table, a private constant of the module (one per
 * polynomial): acc = acc >> 8 ^ table[(acc ^ byte) & 0xff]. */
static LLVMValueRef crc32_table(Lifter *l, bool castagnoli)
{
    const char *name = castagnoli ? "dbt.crc32c.table" : "dbt.crc32.table";
    LLVMModuleRef mod = LLVMGetGlobalParent(l->fn);
    LLVMValueRef g = LLVMGetNamedGlobal(mod, name);
    if (g != NULL)
        return g;
    uint32_t poly = castagnoli ? 0x82F63B78u : 0xEDB88320u;
    LLVMValueRef e[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c >> 1 ^ (c & 1 ? poly : 0);
        e[i] = c32(l, c);
    }
    LLVMTypeRef t = LLVMArrayType(l->i32, 256);
    g = LLVMAddGlobal(mod, t, name);
    LLVMSetInitializer(g, LLVMConstArray(l->i32, e, 256));
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetUnnamedAddr(g, 1);
    return g;
}

static LLVMValueRef crc32(Lifter *l, LLVMValueRef acc, LLVMValueRef data, unsigned nbytes, bool castagnoli)
{
    LLVMValueRef table = crc32_table(l, castagnoli);
    for (unsigned i = 0; i < nbytes; i++) {
        LLVMValueRef byte = LLVMBuildTrunc(l->b, LLVMBuildLShr(l->b, data, c64(l, 8 * i), ""), l->i32, "");
        LLVMValueRef idx = LLVMBuildAnd(l->b, LLVMBuildXor(l->b, acc, byte, ""), c32(l, 0xff), "");
        LLVMValueRef ix[2] = {c32(l, 0), idx};
        LLVMValueRef p = LLVMBuildInBoundsGEP2(l->b, LLVMArrayType(l->i32, 256), table, ix, 2, "");
        LLVMValueRef t = LLVMBuildLoad2(l->b, l->i32, p, "");
        acc = LLVMBuildXor(l->b, LLVMBuildLShr(l->b, acc, c32(l, 8), ""), t, "");
    }
    return acc;
}

/* DP 2-source:  sf 0 0 11010110 Rm opcode Rn Rd
 *   000010 UDIV  000011 SDIV  0010xx LSLV/LSRV/ASRV/RORV  010Csz CRC32 */
static bool lift_dp2(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned opcode = bits(insn, 15, 10), size = sf ? 64 : 32, rd = bits(insn, 4, 0);
    LLVMValueRef a = rd_reg(l, bits(insn, 9, 5), sf), b = rd_reg(l, bits(insn, 20, 16), sf);
    LLVMTypeRef t = LLVMTypeOf(a);
    LLVMValueRef zero = cint(t, 0), res;
    if (opcode == 2 || opcode == 3) {
        /* Division by zero gives 0; guard the host division against it and
         * against INT_MIN / -1 (which traps on x86 and gives INT_MIN here). */
        LLVMValueRef bz = LLVMBuildICmp(l->b, LLVMIntEQ, b, zero, "");
        LLVMValueRef safe_b = LLVMBuildSelect(l->b, bz, cint(t, 1), b, "");
        if (opcode == 2) {
            res = LLVMBuildUDiv(l->b, a, safe_b, "");
        } else {
            LLVMValueRef minus1 = LLVMBuildICmp(l->b, LLVMIntEQ, safe_b, LLVMConstAllOnes(t), "");
            safe_b = LLVMBuildSelect(l->b, minus1, cint(t, 1), safe_b, "");
            LLVMValueRef q = LLVMBuildSDiv(l->b, a, safe_b, "");
            res = LLVMBuildSelect(l->b, minus1, LLVMBuildNeg(l->b, a, ""), q, "");
        }
        res = LLVMBuildSelect(l->b, bz, zero, res, "");
    } else if (opcode >= 8 && opcode <= 11) {
        LLVMValueRef amt = LLVMBuildAnd(l->b, b, cint(t, size - 1), "");
        switch (opcode) {
        case 8: res = LLVMBuildShl(l->b, a, amt, ""); break;
        case 9: res = LLVMBuildLShr(l->b, a, amt, ""); break;
        case 10: res = LLVMBuildAShr(l->b, a, amt, ""); break;
        default: {
            LLVMValueRef args[] = {a, a, amt};
            res = call_intrinsic(l, "llvm.fshr", &t, 1, args, 3);
        }
        }
    } else if ((opcode & 0x38) == 0x10) {
        unsigned sz = opcode & 3;
        bool c = opcode & 4;
        if ((sz == 3) != sf)
            return false;
        LLVMValueRef acc = rd_w(l, bits(insn, 9, 5));
        LLVMValueRef data = rd_x(l, bits(insn, 20, 16));
        res = crc32(l, acc, data, 1u << sz, c);
        wr_x(l, rd, res);
        return true;
    } else {
        return false;
    }
    wr_reg(l, rd, sf, res);
    return true;
}

/* DP 1-source:  sf 1 0 11010110 00000 opcode Rn Rd
 *   000000 RBIT  000001 REV16  000010 REV32/REV(W)  000011 REV  000100 CLZ  000101 CLS */
static bool lift_dp1(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned opcode = bits(insn, 15, 10);
    if (bits(insn, 20, 16) != 0)
        return false;
    LLVMValueRef a = rd_reg(l, bits(insn, 9, 5), sf);
    LLVMTypeRef t = LLVMTypeOf(a);
    LLVMValueRef res;
    switch (opcode) {
    case 0:
        res = call_intrinsic(l, "llvm.bitreverse", &t, 1, &a, 1);
        break;
    case 1: { /* REV16: swap bytes in each halfword */
        LLVMValueRef m = cint(t, 0x00ff00ff00ff00ffull);
        res = LLVMBuildOr(l->b, LLVMBuildShl(l->b, LLVMBuildAnd(l->b, a, m, ""), cint(t, 8), ""),
                          LLVMBuildAnd(l->b, LLVMBuildLShr(l->b, a, cint(t, 8), ""), m, ""), "");
        break;
    }
    case 2:
        if (sf) { /* REV32: swap bytes in each word */
            LLVMValueRef sw = call_intrinsic(l, "llvm.bswap", &t, 1, &a, 1);
            res = LLVMBuildOr(l->b, LLVMBuildShl(l->b, sw, c64(l, 32), ""), LLVMBuildLShr(l->b, sw, c64(l, 32), ""), "");
        } else {
            res = call_intrinsic(l, "llvm.bswap", &t, 1, &a, 1);
        }
        break;
    case 3:
        if (!sf)
            return false;
        res = call_intrinsic(l, "llvm.bswap", &t, 1, &a, 1);
        break;
    case 4: {
        LLVMValueRef args[] = {a, LLVMConstInt(l->i1, 0, 0)};
        res = call_intrinsic(l, "llvm.ctlz", &t, 1, args, 2);
        break;
    }
    case 5: { /* CLS: leading sign bits, not counting the sign bit itself */
        LLVMValueRef x = LLVMBuildXor(l->b, a, LLVMBuildAShr(l->b, a, cint(t, (sf ? 64 : 32) - 1), ""), "");
        LLVMValueRef args[] = {x, LLVMConstInt(l->i1, 0, 0)};
        res = LLVMBuildSub(l->b, call_intrinsic(l, "llvm.ctlz", &t, 1, args, 2), cint(t, 1), "");
        break;
    }
    default:
        return false;
    }
    wr_reg(l, bits(insn, 4, 0), sf, res);
    return true;
}

/* DP 3-source:  sf op54 11011 op31 Rm o0 Ra Rn Rd
 *   000 MADD/MSUB  001 SMADDL/SMSUBL  010 SMULH  101 UMADDL/UMSUBL  110 UMULH */
static bool lift_dp3(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31, o0 = bits(insn, 15, 15);
    unsigned op31 = bits(insn, 23, 21), rn = bits(insn, 9, 5), rm = bits(insn, 20, 16), ra = bits(insn, 14, 10);
    unsigned rd = bits(insn, 4, 0);
    if (bits(insn, 30, 29) != 0)
        return false;
    if (op31 == 0) {
        LLVMValueRef p = LLVMBuildMul(l->b, rd_reg(l, rn, sf), rd_reg(l, rm, sf), "");
        LLVMValueRef acc = rd_reg(l, ra, sf);
        wr_reg(l, rd, sf, o0 ? LLVMBuildSub(l->b, acc, p, "") : LLVMBuildAdd(l->b, acc, p, ""));
        return true;
    }
    if (!sf)
        return false;
    if (op31 == 1 || op31 == 5) { /* [SU]MADDL / [SU]MSUBL: 32x32 -> 64 */
        LLVMValueRef a = rd_w(l, rn), b = rd_w(l, rm);
        a = op31 == 1 ? LLVMBuildSExt(l->b, a, l->i64, "") : LLVMBuildZExt(l->b, a, l->i64, "");
        b = op31 == 1 ? LLVMBuildSExt(l->b, b, l->i64, "") : LLVMBuildZExt(l->b, b, l->i64, "");
        LLVMValueRef p = LLVMBuildMul(l->b, a, b, "");
        LLVMValueRef acc = rd_x(l, ra);
        wr_x(l, rd, o0 ? LLVMBuildSub(l->b, acc, p, "") : LLVMBuildAdd(l->b, acc, p, ""));
        return true;
    }
    if ((op31 == 2 || op31 == 6) && !o0) { /* SMULH / UMULH */
        LLVMValueRef a = rd_x(l, rn), b = rd_x(l, rm);
        bool s = op31 == 2;
        a = s ? LLVMBuildSExt(l->b, a, l->i128, "") : LLVMBuildZExt(l->b, a, l->i128, "");
        b = s ? LLVMBuildSExt(l->b, b, l->i128, "") : LLVMBuildZExt(l->b, b, l->i128, "");
        LLVMValueRef p = LLVMBuildMul(l->b, a, b, "");
        wr_x(l, rd, LLVMBuildTrunc(l->b, LLVMBuildLShr(l->b, p, cint(l->i128, 64), ""), l->i64, ""));
        return true;
    }
    return false;
}

const A64Form a64_dp_reg_forms[] = {
    {0x1F000000u, 0x0A000000u, lift_logic_reg, "logical (shifted register)"},
    {0x1F200000u, 0x0B000000u, lift_addsub_shift, "add/subtract (shifted register)"},
    {0x1FE00000u, 0x0B200000u, lift_addsub_ext, "add/subtract (extended register)"},
    {0x1FE0FC00u, 0x1A000000u, lift_adc, "add/subtract (with carry)"},
    {0x3FE00410u, 0x3A400000u, lift_ccmp, "conditional compare"},
    {0x3FE00800u, 0x1A800000u, lift_csel, "conditional select"},
    {0x5FE00000u, 0x1AC00000u, lift_dp2, "data-processing (2 source)"},
    {0x5FFF0000u, 0x5AC00000u, lift_dp1, "data-processing (1 source)"},
    {0x1F000000u, 0x1B000000u, lift_dp3, "data-processing (3 source)"},
    {0, 0, NULL, NULL},
};
