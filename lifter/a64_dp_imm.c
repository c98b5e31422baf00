/*
 * a64_dp_imm.c - data processing (immediate): PC-relative addressing,
 * add/subtract, logical, move wide, bitfield, extract.
 *
 * Flags of ADDS/SUBS follow AddWithCarry(): for SUBS the operand is
 * NOT(imm) with carry-in 1, so C is "no borrow" (a >= b unsigned).
 */
#include "a64_lift.h"

/* ADR / ADRP:  op immlo(2) 10000 immhi(19) Rd */
static bool lift_adr(Lifter *l, uint32_t insn)
{
    int64_t imm = sext(bits(insn, 23, 5) << 2 | bits(insn, 30, 29), 21);
    uint64_t v;
    if (insn >> 31) /* ADRP: page of PC + imm * 4096 */
        v = (l->pc & ~0xfffull) + (uint64_t)(imm * 4096);
    else
        v = l->pc + (uint64_t)imm;
    wr_x(l, bits(insn, 4, 0), c64(l, v));
    return true;
}

/* Shared by the immediate, shifted and extended add/sub forms: computes
 * a +/- b, sets the flags if S, returns the result. */
LLVMValueRef a64_addsub(Lifter *l, LLVMValueRef a, LLVMValueRef b, bool sub, bool setflags)
{
    if (!setflags)
        return sub ? LLVMBuildSub(l->b, a, b, "") : LLVMBuildAdd(l->b, a, b, "");
    LLVMTypeRef t = LLVMTypeOf(a);
    LLVMValueRef args[] = {a, b};
    LLVMValueRef res, c, v;
    if (sub) {
        LLVMValueRef r = call_intrinsic(l, "llvm.ssub.with.overflow", &t, 1, args, 2);
        res = LLVMBuildExtractValue(l->b, r, 0, "");
        v = LLVMBuildExtractValue(l->b, r, 1, "");
        c = LLVMBuildICmp(l->b, LLVMIntUGE, a, b, ""); /* no borrow */
    } else {
        LLVMValueRef r = call_intrinsic(l, "llvm.sadd.with.overflow", &t, 1, args, 2);
        res = LLVMBuildExtractValue(l->b, r, 0, "");
        v = LLVMBuildExtractValue(l->b, r, 1, "");
        c = LLVMBuildICmp(l->b, LLVMIntULT, res, a, ""); /* carry out */
    }
    set_nzcv(l, res, c, v);
    if (sub && !l->memregs) /* registers in memory: calls sync nothing in */
        l->cmp_a = a, l->cmp_b = b, l->cmp_pc = l->pc;
    return res;
}

/* ADD/ADDS/SUB/SUBS (immediate):  sf op S 100010 sh imm12 Rn Rd */
static bool lift_addsub_imm(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31, sub = bits(insn, 30, 30), s = bits(insn, 29, 29);
    uint64_t imm = bits(insn, 21, 10) << (bits(insn, 22, 22) ? 12 : 0);
    LLVMValueRef a = rd_reg_sp(l, bits(insn, 9, 5), sf);
    LLVMValueRef res = a64_addsub(l, a, cint(LLVMTypeOf(a), imm), sub, s);
    if (s)
        wr_reg(l, bits(insn, 4, 0), sf, res);
    else
        wr_reg_sp(l, bits(insn, 4, 0), sf, res);
    return true;
}

bool decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate, unsigned datasize,
                      uint64_t *wmask, uint64_t *tmask)
{
    unsigned x = n << 6 | (~imms & 0x3f);
    int len = -1;
    for (int i = 6; i >= 0; i--)
        if (x >> i & 1) {
            len = i;
            break;
        }
    if (len < 1)
        return false;
    unsigned levels = (1u << len) - 1;
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned s = imms & levels, r = immr & levels;
    unsigned diff = (s - r) & 0x3f;
    unsigned esize = 1u << len;
    if (esize > datasize)
        return false;
    unsigned d = diff & levels;
    uint64_t emask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    uint64_t welem = (s + 1 == 64) ? ~0ull : (1ull << (s + 1)) - 1;
    uint64_t telem = (d + 1 == 64) ? ~0ull : (1ull << (d + 1)) - 1;
    /* ROR(welem, r) within esize bits */
    if (r)
        welem = ((welem >> r) | (welem << (esize - r))) & emask;
    uint64_t w = 0, t = 0;
    for (unsigned i = 0; i < datasize; i += esize) {
        w |= welem << i;
        t |= telem << i;
    }
    if (datasize == 32) {
        w &= 0xffffffffu;
        t &= 0xffffffffu;
    }
    *wmask = w;
    *tmask = t;
    return true;
}

/* AND/ORR/EOR/ANDS (immediate):  sf opc 100100 N immr imms Rn Rd */
static bool lift_logic_imm(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned opc = bits(insn, 30, 29), n = bits(insn, 22, 22);
    if (!sf && n)
        return false;
    uint64_t imm, tmask;
    if (!decode_bit_masks(n, bits(insn, 15, 10), bits(insn, 21, 16), true, sf ? 64 : 32, &imm, &tmask))
        return false;
    LLVMValueRef a = rd_reg(l, bits(insn, 9, 5), sf);
    LLVMValueRef b = cint(LLVMTypeOf(a), imm), res;
    switch (opc) {
    case 0: res = LLVMBuildAnd(l->b, a, b, ""); break;
    case 1: res = LLVMBuildOr(l->b, a, b, ""); break;
    case 2: res = LLVMBuildXor(l->b, a, b, ""); break;
    default:
        res = LLVMBuildAnd(l->b, a, b, "");
        set_nzcv(l, res, LLVMConstInt(l->i1, 0, 0), LLVMConstInt(l->i1, 0, 0));
        wr_reg(l, bits(insn, 4, 0), sf, res);
        return true;
    }
    wr_reg_sp(l, bits(insn, 4, 0), sf, res);
    return true;
}

/* MOVN/MOVZ/MOVK:  sf opc 100101 hw imm16 Rd */
static bool lift_movewide(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned opc = bits(insn, 30, 29), hw = bits(insn, 22, 21), rd = bits(insn, 4, 0);
    if (opc == 1 || (!sf && hw >= 2))
        return false;
    unsigned pos = hw * 16;
    uint64_t imm = (uint64_t)bits(insn, 20, 5) << pos;
    if (opc == 3) { /* MOVK: keep the other bits */
        LLVMValueRef old = rd_reg(l, rd, sf);
        LLVMTypeRef t = LLVMTypeOf(old);
        LLVMValueRef kept = LLVMBuildAnd(l->b, old, cint(t, ~(0xffffull << pos)), "");
        wr_reg(l, rd, sf, LLVMBuildOr(l->b, kept, cint(t, imm), ""));
        return true;
    }
    if (opc == 0)
        imm = ~imm;
    if (!sf)
        imm &= 0xffffffffu;
    wr_x(l, rd, c64(l, imm));
    return true;
}

static LLVMValueRef ror_const(Lifter *l, LLVMValueRef v, unsigned r, unsigned size)
{
    if (r == 0)
        return v;
    LLVMTypeRef t = LLVMTypeOf(v);
    return LLVMBuildOr(l->b, LLVMBuildLShr(l->b, v, cint(t, r), ""), LLVMBuildShl(l->b, v, cint(t, size - r), ""),
                       "");
}

/* SBFM/BFM/UBFM:  sf opc 100110 N immr imms Rn Rd
 *   bot = (dst AND NOT(wmask)) OR (ROR(src, R) AND wmask)
 *   top = extend ? Replicate(src<S>) : dst
 *   Rd  = (top AND NOT(tmask)) OR (bot AND tmask)
 * with dst = 0 for SBFM/UBFM, extend only for SBFM. */
static bool lift_bitfield(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned opc = bits(insn, 30, 29), n = bits(insn, 22, 22);
    unsigned immr = bits(insn, 21, 16), imms = bits(insn, 15, 10), size = sf ? 64 : 32;
    if (opc == 3 || n != sf || (!sf && ((immr | imms) & 0x20)))
        return false;
    uint64_t wmask, tmask;
    if (!decode_bit_masks(n, imms, immr, false, size, &wmask, &tmask))
        return false;
    unsigned rd = bits(insn, 4, 0);
    LLVMValueRef src = rd_reg(l, bits(insn, 9, 5), sf);
    LLVMTypeRef t = LLVMTypeOf(src);
    LLVMValueRef dst = opc == 1 ? rd_reg(l, rd, sf) : cint(t, 0);
    LLVMValueRef bot = LLVMBuildOr(l->b, LLVMBuildAnd(l->b, dst, cint(t, ~wmask), ""),
                                   LLVMBuildAnd(l->b, ror_const(l, src, immr, size), cint(t, wmask), ""), "");
    LLVMValueRef top = dst;
    if (opc == 0) { /* replicate bit S of src */
        LLVMValueRef sh = LLVMBuildShl(l->b, src, cint(t, size - 1 - imms), "");
        top = LLVMBuildAShr(l->b, sh, cint(t, size - 1), "");
    }
    LLVMValueRef res = LLVMBuildOr(l->b, LLVMBuildAnd(l->b, top, cint(t, ~tmask), ""),
                                   LLVMBuildAnd(l->b, bot, cint(t, tmask), ""), "");
    wr_reg(l, rd, sf, res);
    return true;
}

/* EXTR:  sf 00 100111 N 0 Rm imms Rn Rd   -- (Rn:Rm) >> lsb */
static bool lift_extr(Lifter *l, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned n = bits(insn, 22, 22), lsb = bits(insn, 15, 10), size = sf ? 64 : 32;
    if (n != sf || bits(insn, 30, 29) != 0 || bits(insn, 21, 21) || lsb >= size)
        return false;
    LLVMValueRef hi = rd_reg(l, bits(insn, 9, 5), sf), lo = rd_reg(l, bits(insn, 20, 16), sf);
    LLVMValueRef res;
    if (lsb == 0) {
        res = lo;
    } else {
        LLVMTypeRef t = LLVMTypeOf(lo);
        res = LLVMBuildOr(l->b, LLVMBuildLShr(l->b, lo, cint(t, lsb), ""), LLVMBuildShl(l->b, hi, cint(t, size - lsb), ""),
                          "");
    }
    wr_reg(l, bits(insn, 4, 0), sf, res);
    return true;
}

const A64Form a64_dp_imm_forms[] = {
    {0x1F000000u, 0x10000000u, lift_adr, "ADR/ADRP"},
    {0x1F800000u, 0x11000000u, lift_addsub_imm, "ADD/SUB (immediate)"},
    {0x1F800000u, 0x12000000u, lift_logic_imm, "logical (immediate)"},
    {0x1F800000u, 0x12800000u, lift_movewide, "move wide (immediate)"},
    {0x1F800000u, 0x13000000u, lift_bitfield, "bitfield"},
    {0x1F800000u, 0x13800000u, lift_extr, "extract"},
    {0, 0, NULL, NULL},
};
