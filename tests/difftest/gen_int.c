/*
 * gen_int.c - forms of the integer classes: data processing (immediate),
 * data processing (register) and the branches of the branch class.
 *
 * Diagrams as in the Arm ARM (C4.1.2, C4.1.5, C4.1.3), plus MRS/MSR of
 * NZCV, the system register whose value is part of the compared state.
 * make() callbacks
 * pick among the allocated values of opcode fields, where filling them at
 * random would mostly give unallocated encodings, and keep 32-bit forms'
 * shift amounts and bit positions below 32.
 */
#include "gen.h"

/* ---- data processing (immediate) -------------------------------------------------- */

static bool make_logic_imm(Gen *g, const GenForm *f, uint32_t *w)
{
    if (!fget(f, *w, "sf"))
        *w = fset(f, *w, "N", 0);
    return true;
}

static bool make_movewide(Gen *g, const GenForm *f, uint32_t *w)
{
    if (fget(f, *w, "opc") == 1) /* unallocated */
        return false;
    if (!fget(f, *w, "sf"))
        *w = fset(f, *w, "hw", fget(f, *w, "hw") & 1);
    if (gen_chance(g, 20))
        *w = fset(f, *w, "imm16", gen_chance(g, 50) ? 0xffff : (uint32_t)gen_below(g, 4));
    return true;
}

static bool make_bitfield(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned sf = fget(f, *w, "sf");
    if (fget(f, *w, "opc") == 3)
        return false;
    *w = fset(f, *w, "N", sf);
    if (!sf) {
        *w = fset(f, *w, "immr", fget(f, *w, "immr") & 31);
        *w = fset(f, *w, "imms", fget(f, *w, "imms") & 31);
    }
    return true;
}

static bool make_extr(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned sf = fget(f, *w, "sf");
    *w = fset(f, *w, "N", sf);
    *w = fset(f, *w, "o0", 0);
    if (!sf)
        *w = fset(f, *w, "imms", fget(f, *w, "imms") & 31);
    if (gen_chance(g, 25)) /* ROR (immediate) */
        *w = fset(f, *w, "Rm", fget(f, *w, "Rn"));
    return true;
}

GenForm gen_dp_imm_forms[] = {
    {"ADR/ADRP", "op immlo:2 10000 immhi:19 Rd:5", 1, NULL, GF_POSDEP, NULL},
    {"ADD/SUB (immediate)", "sf op S 100010 sh imm12:12 Rn:5 Rd:5", 4, NULL, 0, NULL},
    {"logical (immediate)", "sf opc:2 100100 N immr:6 imms:6 Rn:5 Rd:5", 4, make_logic_imm, 0, NULL},
    {"move wide (immediate)", "sf opc:2 100101 hw:2 imm16:16 Rd:5", 3, make_movewide, 0, NULL},
    {"bitfield", "sf opc:2 100110 N immr:6 imms:6 Rn:5 Rd:5", 4, make_bitfield, 0, NULL},
    {"extract", "sf 00 100111 N o0 Rm:5 imms:6 Rn:5 Rd:5", 2, make_extr, 0, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

/* ---- data processing (register) ---------------------------------------------------------- */

static uint32_t shift_amount(Gen *g, unsigned sf)
{
    static const uint32_t edges[] = {0, 1, 31, 63, 32};
    if (gen_chance(g, 30))
        return edges[gen_below(g, sf ? 5 : 3)];
    return (uint32_t)gen_below(g, sf ? 64 : 32);
}

static bool make_logic_shift(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "imm6", shift_amount(g, fget(f, *w, "sf")));
    return true;
}

static bool make_addsub_shift(Gen *g, const GenForm *f, uint32_t *w)
{
    if (fget(f, *w, "shift") == 3) /* reserved */
        return false;
    *w = fset(f, *w, "imm6", shift_amount(g, fget(f, *w, "sf")));
    return true;
}

static bool make_addsub_ext(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "imm3", (uint32_t)gen_below(g, 5)); /* 5-7 reserved */
    return true;
}

static bool make_dp2(Gen *g, const GenForm *f, uint32_t *w)
{
    /* UDIV SDIV, LSLV LSRV ASRV RORV, CRC32B/H/W/X, CRC32CB/H/W/X */
    static const uint32_t ops[] = {2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23};
    uint32_t op = ops[gen_below(g, sizeof ops / sizeof ops[0])];
    *w = fset(f, *w, "opcode", op);
    if (op >= 16) /* CRC32: 64-bit only for the X forms */
        *w = fset(f, *w, "sf", (op & 3) == 3);
    return true;
}

static bool make_dp1(Gen *g, const GenForm *f, uint32_t *w)
{
    /* RBIT REV16 REV32/REV REV CLZ CLS */
    uint32_t op = (uint32_t)gen_below(g, 6);
    if (op == 3 && !fget(f, *w, "sf"))
        return false;
    *w = fset(f, *w, "opcode", op);
    return true;
}

static bool make_dp3(Gen *g, const GenForm *f, uint32_t *w)
{
    /* op31 o0: MADD/MSUB (any sf); SMADDL/SMSUBL, SMULH, UMADDL/UMSUBL, UMULH (64-bit) */
    static const struct { uint8_t op31, o0; bool x; } ops[] = {
        {0, 0, false}, {0, 1, false}, {1, 0, true}, {1, 1, true}, {2, 0, true},
        {5, 0, true}, {5, 1, true}, {6, 0, true},
    };
    unsigned k = (unsigned)gen_below(g, sizeof ops / sizeof ops[0]);
    *w = fset(f, *w, "op54", 0);
    *w = fset(f, *w, "op31", ops[k].op31);
    *w = fset(f, *w, "o0", ops[k].o0);
    if (ops[k].x)
        *w = fset(f, *w, "sf", 1);
    if (ops[k].op31 == 2 || ops[k].op31 == 6) /* SMULH/UMULH: Ra is (11111) */
        *w = fset(f, *w, "Ra", 31);
    return true;
}

GenForm gen_dp_reg_forms[] = {
    {"logical (shifted register)", "sf opc:2 01010 shift:2 N Rm:5 imm6:6 Rn:5 Rd:5", 4, make_logic_shift, 0, NULL},
    {"add/subtract (shifted register)", "sf op S 01011 shift:2 0 Rm:5 imm6:6 Rn:5 Rd:5", 4, make_addsub_shift, 0,
     NULL},
    {"add/subtract (extended register)", "sf op S 01011 00 1 Rm:5 option:3 imm3:3 Rn:5 Rd:5", 3, make_addsub_ext, 0,
     NULL},
    {"add/subtract (with carry)", "sf op S 11010000 Rm:5 000000 Rn:5 Rd:5", 2, NULL, 0, NULL},
    {"conditional compare (register)", "sf op 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4", 2, NULL, 0, NULL},
    {"conditional compare (immediate)", "sf op 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4", 2, NULL, 0, NULL},
    {"conditional select", "sf op 0 11010100 Rm:5 cond:4 0 o2 Rn:5 Rd:5", 3, NULL, 0, NULL},
    {"data-processing (2 source)", "sf 0 0 11010110 Rm:5 opcode:6 Rn:5 Rd:5", 4, make_dp2, 0, NULL},
    {"data-processing (1 source)", "sf 1 0 11010110 00000 opcode:6 Rn:5 Rd:5", 3, make_dp1, 0, NULL},
    {"data-processing (3 source)", "sf op54:2 11011 op31:3 Rm:5 o0 Ra:5 Rn:5 Rd:5", 4, make_dp3, 0, NULL},
    /* The one system register the integer classes touch: op0 3, op1 3, CRn 4, CRm 2, op2 0. */
    {"MRS/MSR NZCV", "1101010100 L 11 011 0100 0010 000 Rt:5", 1, NULL, 0, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

/* ---- branches: forward, to a word of the sequence or its end ------------------------------- */

/* A forward distance in words: to one of the following words or just past the last. */
static uint32_t forward(Gen *g)
{
    unsigned max = gen_len(g) - gen_pos(g);
    if (gen_chance(g, 50))
        return 1 + (uint32_t)gen_below(g, max < 3 ? max : 3);
    return 1 + (uint32_t)gen_below(g, max);
}

static bool make_branch19(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "imm19", forward(g));
    return true;
}

static bool make_branch14(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "imm14", forward(g));
    if (gen_chance(g, 30)) { /* the sign bits and bit 0 */
        static const uint32_t bit[] = {0, 31, 63, 7, 15};
        uint32_t b = bit[gen_below(g, 5)];
        *w = fset(f, *w, "b5", b >> 5);
        *w = fset(f, *w, "b40", b & 31);
    }
    return true;
}

static bool make_branch26(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "imm26", forward(g));
    return true;
}

GenForm gen_branch_forms[] = {
    {"B.cond", "01010100 imm19:19 0 cond:4", 3, make_branch19, 0, NULL},
    {"CBZ/CBNZ", "sf 011010 op imm19:19 Rt:5", 2, make_branch19, 0, NULL},
    {"TBZ/TBNZ", "b5 011011 op b40:5 imm14:14 Rt:5", 2, make_branch14, 0, NULL},
    {"B", "000101 imm26:26", 1, make_branch26, 0, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};
