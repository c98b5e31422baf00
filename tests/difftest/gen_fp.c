/*
 * gen_fp.c - forms of the floating-point and Advanced SIMD classes
 * (Arm ARM C4.1.6, "Data Processing -- Scalar Floating-Point and Advanced
 * SIMD"): fp_scalar, simd_int and simd_fp.
 *
 * Groups whose opcode field mixes integer and FP operations (three same,
 * two-register misc, across lanes, shift by immediate, by element) appear
 * in both SIMD classes; make() picks the opcode from the class's half.
 * Everything else (size, Q, U, registers) is random and capstone keeps the
 * allocated combinations.  The inputs are biased to the FP edges by the
 * initial state (gen.c: fp_value).
 */
#include "gen.h"

#define PICK(g, list) ((list)[gen_below((g), sizeof(list) / sizeof((list)[0]))])

/* ---- scalar floating point ----------------------------------------------------------------- */

static bool make_fp_dp1(Gen *g, const GenForm *f, uint32_t *w)
{
    /* FMOV FABS FNEG FSQRT, FCVT to S/D/H, FRINTN/P/M/Z/A/X/I */
    static const uint32_t ops[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15};
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_fp_cmp(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t ops[] = {0x00, 0x08, 0x10, 0x18}; /* FCMP, FCMP #0, FCMPE, FCMPE #0 */
    uint32_t op = PICK(g, ops);
    *w = fset(f, *w, "opcode2", op);
    if (op & 0x08)
        *w = fset(f, *w, "Rm", 0);
    return true;
}

static bool make_fp_dp2(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "opcode", (uint32_t)gen_below(g, 9)); /* FMUL .. FNMUL */
    return true;
}

static bool make_fp_int(Gen *g, const GenForm *f, uint32_t *w)
{
    /* rmode:opcode - FCVTNS/NU, SCVTF/UCVTF, FCVTAS/AU, FMOV, FCVTPS/PU, FCVTMS/MU, FCVTZS/ZU,
     * FMOV top half (ftype 10) */
    static const struct { uint8_t rmode, op; } ops[] = {
        {0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}, {0, 7},
        {1, 0}, {1, 1}, {1, 6}, {1, 7}, {2, 0}, {2, 1}, {3, 0}, {3, 1},
    };
    unsigned k = (unsigned)gen_below(g, sizeof ops / sizeof ops[0]);
    *w = fset(f, *w, "rmode", ops[k].rmode);
    *w = fset(f, *w, "opcode", ops[k].op);
    if (ops[k].rmode == 1 && ops[k].op >= 6) /* FMOV Xd, Vn.D[1] / Vd.D[1], Xn */
        *w = fset(f, *w, "ftype", 2);
    return true;
}

static bool make_fp_fixed(Gen *g, const GenForm *f, uint32_t *w)
{
    static const struct { uint8_t rmode, op; } ops[] = {{0, 2}, {0, 3}, {3, 0}, {3, 1}}; /* SCVTF UCVTF FCVTZS FCVTZU */
    unsigned k = (unsigned)gen_below(g, 4);
    *w = fset(f, *w, "rmode", ops[k].rmode);
    *w = fset(f, *w, "opcode", ops[k].op);
    if (!fget(f, *w, "sf")) /* scale = 64 - fbits: 32-bit forms need fbits <= 32 */
        *w = fset(f, *w, "scale", 32 + (uint32_t)gen_below(g, 32));
    return true;
}

GenForm gen_fp_forms[] = {
    {"FP data-processing (1 source)", "000 11110 ftype:2 1 opcode:6 10000 Rn:5 Rd:5", 4, make_fp_dp1, 0, NULL},
    {"FP compare", "000 11110 ftype:2 1 Rm:5 00 1000 Rn:5 opcode2:5", 2, make_fp_cmp, 0, NULL},
    {"FP immediate", "000 11110 ftype:2 1 imm8:8 100 00000 Rd:5", 1, NULL, 0, NULL},
    {"FP conditional compare", "000 11110 ftype:2 1 Rm:5 cond:4 01 Rn:5 op nzcv:4", 2, NULL, 0, NULL},
    {"FP data-processing (2 source)", "000 11110 ftype:2 1 Rm:5 opcode:4 10 Rn:5 Rd:5", 6, make_fp_dp2, 0, NULL},
    {"FP conditional select", "000 11110 ftype:2 1 Rm:5 cond:4 11 Rn:5 Rd:5", 1, NULL, 0, NULL},
    {"FP data-processing (3 source)", "000 11111 ftype:2 o1 Rm:5 o0 Ra:5 Rn:5 Rd:5", 4, NULL, 0, NULL},
    {"conversion between FP and integer", "sf 00 11110 ftype:2 1 rmode:2 opcode:3 000000 Rn:5 Rd:5", 5,
     make_fp_int, 0, NULL},
    {"conversion between FP and fixed-point", "sf 00 11110 ftype:2 0 rmode:2 opcode:3 scale:6 Rn:5 Rd:5", 2,
     make_fp_fixed, 0, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

/* ---- scalar half precision (FEAT_FP16): the same groups with ftype 11 ----------------------------
 * capstone 4 does not know these encodings (GF_NOCS), so make() alone keeps to allocated ones. */

static bool make_h_dp1(Gen *g, const GenForm *f, uint32_t *w)
{
    /* FMOV FABS FNEG FSQRT, FCVT to S/D, FRINTN/P/M/Z/A/X/I */
    static const uint32_t ops[] = {0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 14, 15};
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_h_int(Gen *g, const GenForm *f, uint32_t *w)
{
    /* rmode:opcode - FCVTNS/NU, SCVTF/UCVTF, FCVTAS/AU, FMOV (both ways, W and X), FCVTPS/PU,
     * FCVTMS/MU, FCVTZS/ZU */
    static const struct { uint8_t rmode, op; } ops[] = {
        {0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}, {0, 7},
        {1, 0}, {1, 1}, {2, 0}, {2, 1}, {3, 0}, {3, 1},
    };
    unsigned k = (unsigned)gen_below(g, sizeof ops / sizeof ops[0]);
    *w = fset(f, *w, "rmode", ops[k].rmode);
    *w = fset(f, *w, "opcode", ops[k].op);
    return true;
}

GenForm gen_fp16_forms[] = {
    {"FP data-processing (1 source), H", "000 11110 11 1 opcode:6 10000 Rn:5 Rd:5", 4, make_h_dp1, GF_NOCS, NULL},
    {"FP compare, H", "000 11110 11 1 Rm:5 00 1000 Rn:5 opcode2:5", 2, make_fp_cmp, GF_NOCS, NULL},
    {"FP immediate, H", "000 11110 11 1 imm8:8 100 00000 Rd:5", 1, NULL, GF_NOCS, NULL},
    {"FP conditional compare, H", "000 11110 11 1 Rm:5 cond:4 01 Rn:5 op nzcv:4", 2, NULL, GF_NOCS, NULL},
    {"FP data-processing (2 source), H", "000 11110 11 1 Rm:5 opcode:4 10 Rn:5 Rd:5", 6, make_fp_dp2, GF_NOCS,
     NULL},
    {"FP conditional select, H", "000 11110 11 1 Rm:5 cond:4 11 Rn:5 Rd:5", 1, NULL, GF_NOCS, NULL},
    {"FP data-processing (3 source), H", "000 11111 11 o1 Rm:5 o0 Ra:5 Rn:5 Rd:5", 4, NULL, GF_NOCS, NULL},
    {"conversion between FP and integer, H", "sf 00 11110 11 1 rmode:2 opcode:3 000000 Rn:5 Rd:5", 5, make_h_int,
     GF_NOCS, NULL},
    {"conversion between FP and fixed-point, H", "sf 00 11110 11 0 rmode:2 opcode:3 scale:6 Rn:5 Rd:5", 2,
     make_fp_fixed, GF_NOCS, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

/* ---- Advanced SIMD: integer ---------------------------------------------------------------------- */

/* PMULL/PMULL2 of 64-bit elements belongs to the Cryptographic Extension. */
static bool make_3diff(Gen *g, const GenForm *f, uint32_t *w)
{
    return gen_ext(g) || fget(f, *w, "opcode") != 14 || fget(f, *w, "size") != 3;
}

static bool make_3same_int(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "opcode", (uint32_t)gen_below(g, 24)); /* 00000-10111; 11xxx are FP */
    return true;
}

static bool make_2misc_int(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t ops[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                   0x09, 0x0a, 0x0b, 0x12, 0x13, 0x14, 0x1c};
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_across_int(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t ops[] = {0x03, 0x0a, 0x1a, 0x1b}; /* S/UADDLV, S/UMAXV, S/UMINV, ADDV */
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_shift_int(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t ops[] = {0x00, 0x02, 0x04, 0x06, 0x08, 0x0a, 0x0c, 0x0e,
                                   0x10, 0x11, 0x12, 0x13, 0x14};
    if (fget(f, *w, "immh") == 0) /* modified immediate, not a shift */
        return false;
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_elem_int(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t ops[] = {0x0, 0x2, 0x3, 0x4, 0x6, 0x7, 0x8, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf};
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_copy(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t imm4[] = {0, 1, 3, 5, 7}; /* DUP (element), DUP (general), INS (general), SMOV, UMOV */
    if (fget(f, *w, "imm5") == 0)
        return false;
    if (!fhas(f, "op") || fget(f, *w, "op") == 0)
        *w = fset(f, *w, "imm4", PICK(g, imm4));
    return true;
}

GenForm gen_simd_int_forms[] = {
    {"AdvSIMD three same", "0 Q U 01110 size:2 1 Rm:5 opcode:5 1 Rn:5 Rd:5", 8, make_3same_int, 0, NULL},
    {"AdvSIMD three different", "0 Q U 01110 size:2 1 Rm:5 opcode:4 00 Rn:5 Rd:5", 4, make_3diff, 0, NULL},
    {"AdvSIMD two-register misc", "0 Q U 01110 size:2 10000 opcode:5 10 Rn:5 Rd:5", 5, make_2misc_int, 0, NULL},
    {"AdvSIMD across lanes", "0 Q U 01110 size:2 11000 opcode:5 10 Rn:5 Rd:5", 2, make_across_int, 0, NULL},
    {"AdvSIMD copy", "0 Q op 01110000 imm5:5 0 imm4:4 1 Rn:5 Rd:5", 3, make_copy, 0, NULL},
    {"AdvSIMD permute", "0 Q 001110 size:2 0 Rm:5 0 opcode:3 10 Rn:5 Rd:5", 2, NULL, 0, NULL},
    {"AdvSIMD extract", "0 Q 101110 00 0 Rm:5 0 imm4:4 0 Rn:5 Rd:5", 1, NULL, 0, NULL},
    {"AdvSIMD table lookup", "0 Q 001110 00 0 Rm:5 0 len:2 op 00 Rn:5 Rd:5", 1, NULL, 0, NULL},
    {"AdvSIMD modified immediate", "0 Q op 0111100000 a b c cmode:4 o2 1 d e f g h Rd:5", 2, NULL, 0, NULL},
    {"AdvSIMD shift by immediate", "0 Q U 011110 immh:4 immb:3 opcode:5 1 Rn:5 Rd:5", 4, make_shift_int, 0, NULL},
    {"AdvSIMD vector x indexed element", "0 Q U 01111 size:2 L M Rm:4 opcode:4 H 0 Rn:5 Rd:5", 3, make_elem_int,
     0, NULL},
    {"AdvSIMD scalar three same", "01 U 11110 size:2 1 Rm:5 opcode:5 1 Rn:5 Rd:5", 3, make_3same_int, 0, NULL},
    {"AdvSIMD scalar three different", "01 U 11110 size:2 1 Rm:5 opcode:4 00 Rn:5 Rd:5", 1, NULL, 0, NULL},
    {"AdvSIMD scalar two-register misc", "01 U 11110 size:2 10000 opcode:5 10 Rn:5 Rd:5", 2, make_2misc_int, 0,
     NULL},
    {"AdvSIMD scalar pairwise", "01 U 11110 size:2 11000 opcode:5 10 Rn:5 Rd:5", 1, make_across_int, 0, NULL},
    {"AdvSIMD scalar copy", "01 op 11110000 imm5:5 0 imm4:4 1 Rn:5 Rd:5", 1, make_copy, 0, NULL},
    {"AdvSIMD scalar shift by immediate", "01 U 111110 immh:4 immb:3 opcode:5 1 Rn:5 Rd:5", 2, make_shift_int, 0,
     NULL},
    {"AdvSIMD scalar x indexed element", "01 U 11111 size:2 L M Rm:4 opcode:4 H 0 Rn:5 Rd:5", 1, make_elem_int, 0,
     NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

/* ---- Advanced SIMD: floating point ------------------------------------------------------------- */

static bool make_3same_fp(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "opcode", 24 + (uint32_t)gen_below(g, 8)); /* 11xxx */
    return true;
}

static bool make_2misc_fp(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t ops[] = {0x0c, 0x0d, 0x0e, 0x0f, 0x16, 0x17, 0x18, 0x19,
                                   0x1a, 0x1b, 0x1c, 0x1d, 0x1f};
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_across_fp(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t ops[] = {0x0c, 0x0d, 0x0f}; /* FMAXNMV/FMINNMV, FADDP (scalar pairwise), FMAXV/FMINV */
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_shift_fp(Gen *g, const GenForm *f, uint32_t *w)
{
    if (fget(f, *w, "immh") == 0)
        return false;
    *w = fset(f, *w, "opcode", gen_chance(g, 50) ? 0x1c : 0x1f); /* SCVTF/UCVTF, FCVTZS/FCVTZU (fixed) */
    return true;
}

static bool make_elem_fp(Gen *g, const GenForm *f, uint32_t *w)
{
    static const uint32_t ops[] = {0x1, 0x5, 0x9}; /* FMLA FMLS FMUL/FMULX */
    *w = fset(f, *w, "opcode", PICK(g, ops));
    return true;
}

static bool make_fmov_vec(Gen *g, const GenForm *f, uint32_t *w)
{
    *w = fset(f, *w, "cmode", 15);
    return true;
}

GenForm gen_simd_fp_forms[] = {
    {"AdvSIMD three same (FP)", "0 Q U 01110 size:2 1 Rm:5 opcode:5 1 Rn:5 Rd:5", 10, make_3same_fp, 0, NULL},
    {"AdvSIMD three same (FP16)", "0 Q U 01110 a 10 Rm:5 00 opcode:3 1 Rn:5 Rd:5", 2, NULL, 0, NULL},
    {"AdvSIMD two-register misc (FP)", "0 Q U 01110 size:2 10000 opcode:5 10 Rn:5 Rd:5", 6, make_2misc_fp, 0,
     NULL},
    {"AdvSIMD two-register misc (FP16)", "0 Q U 01110 a 1111 00 opcode:5 10 Rn:5 Rd:5", 1, NULL, 0, NULL},
    {"AdvSIMD across lanes (FP)", "0 Q U 01110 size:2 11000 opcode:5 10 Rn:5 Rd:5", 2, make_across_fp, 0, NULL},
    {"AdvSIMD shift by immediate (FP conversions)", "0 Q U 011110 immh:4 immb:3 opcode:5 1 Rn:5 Rd:5", 2,
     make_shift_fp, 0, NULL},
    {"AdvSIMD vector x indexed element (FP)", "0 Q U 01111 size:2 L M Rm:4 opcode:4 H 0 Rn:5 Rd:5", 3,
     make_elem_fp, 0, NULL},
    {"AdvSIMD modified immediate (FMOV)", "0 Q op 0111100000 a b c cmode:4 o2 1 d e f g h Rd:5", 1, make_fmov_vec,
     0, NULL},
    {"AdvSIMD scalar three same (FP)", "01 U 11110 size:2 1 Rm:5 opcode:5 1 Rn:5 Rd:5", 4, make_3same_fp, 0, NULL},
    {"AdvSIMD scalar three same (FP16)", "01 U 11110 a 10 Rm:5 00 opcode:3 1 Rn:5 Rd:5", 1, NULL, 0, NULL},
    {"AdvSIMD scalar two-register misc (FP)", "01 U 11110 size:2 10000 opcode:5 10 Rn:5 Rd:5", 4, make_2misc_fp,
     0, NULL},
    {"AdvSIMD scalar pairwise (FP)", "01 U 11110 size:2 11000 opcode:5 10 Rn:5 Rd:5", 2, make_across_fp, 0, NULL},
    {"AdvSIMD scalar shift by immediate (FP conversions)", "01 U 111110 immh:4 immb:3 opcode:5 1 Rn:5 Rd:5", 2,
     make_shift_fp, 0, NULL},
    {"AdvSIMD scalar x indexed element (FP)", "01 U 11111 size:2 L M Rm:4 opcode:4 H 0 Rn:5 Rd:5", 2, make_elem_fp,
     0, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};
