/*
 * gen_mem.c - forms of the memory classes: loads and stores (ldst),
 * exclusives and acquire/release, the LSE atomics (lse) and the SIMD&FP
 * loads and stores (simd_ldst).  Arm ARM C4.1.4.
 *
 * Every access goes through a pool base register (X28, X27, SP) whose value
 * the generator knows; make() picks the offset so that the bytes lie inside
 * the window (gen_offset), declares them (gen_access, with the alignment
 * the architecture requires: exclusives, acquire/release and atomics are
 * naturally aligned) and the base's new value on writeback (gen_writeback;
 * SP stays 16-byte aligned).  Register offsets use the pool's index
 * registers X24-X26 with every extend; an offset that leaves the window is
 * refused and another word is tried.
 *
 * The exclusive monitor: a store-exclusive is generated only where its
 * outcome is architecturally defined - with the monitor clear (it fails) or
 * right after the matching load-exclusive of the same address and size,
 * with only plain loads between (it succeeds).
 */
#include "gen.h"

#define V_BIT(w) (((w) >> 26) & 1)

/* ---- single registers ---------------------------------------------------------------- */

/* Access size of a load/store register form; false if unallocated.
 * *PRFM: a prefetch (no access). */
static bool ldst_bytes(uint32_t w, const GenForm *f, unsigned *bytes, bool *prfm)
{
    unsigned size = fget(f, w, "size"), opc = fget(f, w, "opc");
    *prfm = false;
    if (V_BIT(w)) {
        if (opc & 2) {
            if (size != 0)
                return false;
            *bytes = 16;
        } else {
            *bytes = 1u << size;
        }
        return true;
    }
    *bytes = 1u << size;
    if (opc == 2 && size == 3)
        *prfm = true;
    if (opc == 3 && size >= 2)
        return false;
    return true;
}

/* A V register for Rt (and Rt2) of SIMD&FP forms: the pool does not apply. */
static uint32_t fix_vregs(Gen *g, const GenForm *f, uint32_t w)
{
    if (!V_BIT(w))
        return w;
    w = fset(f, w, "Rt", gen_any_reg(g));
    if (fhas(f, "Rt2"))
        w = fset(f, w, "Rt2", gen_any_reg(g));
    return w;
}

/* Choose IMM in [LO, HI] (units of SCALE) for an access of LEN bytes at BASE +
 * IMM * SCALE inside the window; with SP_WB, IMM * SCALE is a multiple of 16. */
static bool choose_offset(Gen *g, uint64_t base, unsigned len, int64_t lo, int64_t hi, unsigned scale, bool sp_wb,
                          int64_t *imm)
{
    if (!sp_wb || scale >= 16)
        return gen_offset(g, base, len, lo, hi, scale, imm);
    int64_t step = 16 / scale, k;
    if (!gen_offset(g, base, len, lo / step + (lo % step != 0), hi / step, 16, &k))
        return false;
    *imm = k * step;
    return true;
}

static bool make_ldst_uimm(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned bytes;
    bool prfm;
    if (!ldst_bytes(*w, f, &bytes, &prfm))
        return false;
    uint64_t base;
    unsigned rn = gen_base_reg(g, &base);
    int64_t imm;
    if (!gen_offset(g, base, bytes, 0, 4095, bytes, &imm))
        return false;
    *w = fix_vregs(g, f, *w);
    *w = fset(f, *w, "Rn", rn);
    *w = fset(f, *w, "imm12", (uint32_t)imm);
    return prfm || gen_access(g, base + (uint64_t)imm * bytes, bytes, 1);
}

static bool make_ldst_imm9(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned bytes, type = fget(f, *w, "type"); /* 00 unscaled, 01 post, 10 unprivileged, 11 pre */
    bool prfm;
    if (!ldst_bytes(*w, f, &bytes, &prfm))
        return false;
    if ((prfm && type != 0) || (V_BIT(*w) && type == 2))
        return false;
    uint64_t base;
    unsigned rn = gen_base_reg(g, &base);
    bool wb = type == 1 || type == 3;
    int64_t imm;
    if (type == 1) { /* the access at the base, the base moves anywhere inside the window */
        if (!choose_offset(g, base, 0, -256, 255, 1, rn == 31, &imm))
            return false;
        if (!gen_access(g, base, bytes, 1))
            return false;
    } else {
        if (!choose_offset(g, base, bytes, -256, 255, 1, wb && rn == 31, &imm))
            return false;
        if (!prfm && !gen_access(g, base + (uint64_t)imm, bytes, 1))
            return false;
    }
    if (wb && !gen_writeback(g, rn, base + (uint64_t)imm))
        return false;
    *w = fix_vregs(g, f, *w);
    *w = fset(f, *w, "Rn", rn);
    *w = fset(f, *w, "imm9", (uint32_t)imm);
    return true;
}

static uint64_t extend_reg(uint64_t v, unsigned option)
{
    switch (option) {
    case 2: return (uint32_t)v;                    /* UXTW */
    case 6: return (uint64_t)(int64_t)(int32_t)v;  /* SXTW */
    default: return v;                             /* LSL (UXTX), SXTX */
    }
}

static bool make_ldst_regoff(Gen *g, const GenForm *f, uint32_t *w)
{
    static const unsigned options[] = {2, 3, 6, 7};
    unsigned bytes;
    bool prfm;
    if (!ldst_bytes(*w, f, &bytes, &prfm))
        return false;
    unsigned option = options[gen_below(g, 4)], shift = fget(f, *w, "S") ? __builtin_ctz(bytes) : 0;
    uint64_t base, index;
    unsigned rn = gen_base_reg(g, &base), rm = gen_index_reg(g, &index);
    uint64_t addr = base + (extend_reg(index, option) << shift);
    if (!prfm && !gen_access(g, addr, bytes, 1))
        return false;
    *w = fix_vregs(g, f, *w);
    *w = fset(f, *w, "Rn", rn);
    *w = fset(f, *w, "Rm", rm);
    *w = fset(f, *w, "option", option);
    return true;
}

static bool make_literal(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned opc = fget(f, *w, "opc"), bytes;
    bool prfm = false;
    if (V_BIT(*w)) {
        if (opc == 3)
            return false;
        bytes = 4u << opc;
        *w = fix_vregs(g, f, *w);
    } else {
        bytes = opc == 1 ? 8 : 4;
        prfm = opc == 3;
    }
    /* The literal is a word of the sequence itself (both sides then read
     * the same bytes): target word J with J + BYTES/4 <= LEN. */
    unsigned len = gen_len(g);
    if (bytes / 4 > len)
        return false;
    unsigned j = (unsigned)gen_below(g, prfm ? len : len - bytes / 4 + 1);
    *w = fset(f, *w, "imm19", (uint32_t)((int32_t)j - (int32_t)gen_pos(g)));
    return true;
}

/* ---- pairs ------------------------------------------------------------------------------ */

static bool make_ldst_pair(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned opc = fget(f, *w, "opc"), type = fget(f, *w, "type"), load = fget(f, *w, "L"), scale;
    if (V_BIT(*w)) {
        if (opc == 3)
            return false;
        scale = 4u << opc;
    } else {
        if (opc == 3 || (opc == 1 && (!load || type == 0))) /* STGP (MTE), LDNPSW: not ours */
            return false;
        scale = opc == 2 ? 8 : 4;
    }
    uint64_t base;
    unsigned rn = gen_base_reg(g, &base);
    bool wb = type == 1 || type == 3;
    int64_t imm;
    if (type == 1) {
        if (!choose_offset(g, base, 0, -64, 63, scale, rn == 31, &imm) || !gen_access(g, base, 2 * scale, 1))
            return false;
    } else {
        if (!choose_offset(g, base, 2 * scale, -64, 63, scale, wb && rn == 31, &imm) ||
            !gen_access(g, base + (uint64_t)(imm * scale), 2 * scale, 1))
            return false;
    }
    if (wb && !gen_writeback(g, rn, base + (uint64_t)(imm * scale)))
        return false;
    *w = fix_vregs(g, f, *w);
    if (load && fget(f, *w, "Rt") == fget(f, *w, "Rt2")) /* CONSTRAINED UNPREDICTABLE */
        return false;
    *w = fset(f, *w, "Rn", rn);
    *w = fset(f, *w, "imm7", (uint32_t)imm);
    return true;
}

GenForm gen_ldst_forms[] = {
    {"load/store register (unsigned offset)", "size:2 111 0 01 opc:2 imm12:12 Rn:5 Rt:5", 5, make_ldst_uimm, 0, NULL},
    {"load/store register (imm9: unscaled, post/pre-index, unprivileged)",
     "size:2 111 0 00 opc:2 0 imm9:9 type:2 Rn:5 Rt:5", 5, make_ldst_imm9, 0, NULL},
    {"load/store register (register offset)", "size:2 111 0 00 opc:2 1 Rm:5 option:3 S 10 Rn:5 Rt:5", 3,
     make_ldst_regoff, 0, NULL},
    {"load/store pair", "opc:2 101 0 0 type:2 L imm7:7 Rt2:5 Rn:5 Rt:5", 4, make_ldst_pair, 0, NULL},
    {"load register (literal)", "opc:2 011 0 00 imm19:19 Rt:5", 1, make_literal, GF_POSDEP, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

/* ---- exclusives, acquire/release ---------------------------------------------------------- */

#define ENC_LDXR "size:2 001000 0 1 0 11111 o0 11111 Rn:5 Rt:5"
#define ENC_STXR "size:2 001000 0 0 0 Rs:5 o0 11111 Rn:5 Rt:5"
#define ENC_LDXP "1 sz 001000 0 1 1 11111 o0 Rt2:5 Rn:5 Rt:5"
#define ENC_STXP "1 sz 001000 0 0 1 Rs:5 o0 Rt2:5 Rn:5 Rt:5"
#define ENC_LDR_UIMM "size:2 111 0 01 opc:2 imm12:12 Rn:5 Rt:5"

static GenForm f_ldxr = {"LDXR/LDAXR", ENC_LDXR, 0, NULL, 0, NULL};
static GenForm f_stxr = {"STXR/STLXR", ENC_STXR, 0, NULL, 0, NULL};
static GenForm f_ldxp = {"LDXP/LDAXP", ENC_LDXP, 0, NULL, 0, NULL};
static GenForm f_stxp = {"STXP/STLXP", ENC_STXP, 0, NULL, 0, NULL};
static GenForm f_ldr = {"LDR (unsigned offset)", ENC_LDR_UIMM, 0, NULL, 0, NULL};

/* The bytes of an exclusive access at the base register: naturally aligned. */
static bool excl_target(Gen *g, unsigned bytes, unsigned *rn, uint64_t *addr)
{
    *rn = gen_base_reg(g, addr);
    return gen_access(g, *addr, bytes, bytes);
}

static bool make_ldxr(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned bytes = 1u << fget(f, *w, "size"), rn;
    uint64_t addr;
    if (!excl_target(g, bytes, &rn, &addr))
        return false;
    *w = fset(f, *w, "Rn", rn);
    gen_excl_set(g, true, addr, bytes);
    return true;
}

static bool make_ldxp(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned bytes = 8u << fget(f, *w, "sz"), rn;
    uint64_t addr;
    if (fget(f, *w, "Rt") == fget(f, *w, "Rt2") || !excl_target(g, bytes, &rn, &addr))
        return false;
    *w = fset(f, *w, "Rn", rn);
    gen_excl_set(g, true, addr, bytes);
    return true;
}

/* A store-exclusive with the monitor clear: it fails, nothing is stored. */
static bool make_stx_clear(Gen *g, const GenForm *f, uint32_t *w)
{
    bool pair = fhas(f, "sz");
    unsigned bytes = pair ? 8u << fget(f, *w, "sz") : 1u << fget(f, *w, "size"), rn, rs = fget(f, *w, "Rs");
    uint64_t addr;
    if (gen_excl_open(g, NULL, NULL) || rs == fget(f, *w, "Rt") || (pair && rs == fget(f, *w, "Rt2")))
        return false;
    rn = gen_base_reg(g, &addr);
    if (addr % bytes != 0 || addr < DT_WINDOW_BASE || addr + bytes > DT_WINDOW_BASE + DT_WINDOW_SIZE)
        return false;
    *w = fset(f, *w, "Rn", rn);
    gen_excl_set(g, false, 0, 0);
    return true;
}

/* A plain load between a load-exclusive and its store: leaves the monitor alone. */
static bool emit_plain_load(Gen *g)
{
    uint64_t base;
    unsigned rn = gen_base_reg(g, &base), size = (unsigned)gen_below(g, 4), bytes = 1u << size;
    int64_t imm;
    if (!gen_offset(g, base, bytes, 0, 4095, bytes, &imm) || !gen_access(g, base + (uint64_t)imm * bytes, bytes, 1))
        return false;
    uint32_t w = fbuild(&f_ldr, "size", size, "opc", 1, "imm12", (unsigned)imm, "Rn", rn, "Rt", gen_data_reg(g),
                        NULL);
    return gen_emit(g, w, f_ldr.name);
}

/* LDXR/LDAXR (or the pair forms), up to two plain loads, then the matching
 * STXR/STLXR: the store-exclusive succeeds. */
static bool make_excl_pair(Gen *g, const GenForm *unused, uint32_t *w)
{
    if (gen_room(g) < 1)
        return false;
    bool pair = gen_chance(g, 30);
    unsigned size = pair ? (unsigned)gen_below(g, 2) : (unsigned)gen_below(g, 4);
    unsigned bytes = pair ? 8u << size : 1u << size, rn;
    uint64_t addr;
    if (!excl_target(g, bytes, &rn, &addr))
        return false;
    unsigned rt = gen_data_reg(g), rt2 = gen_data_reg(g);
    if (pair && rt == rt2)
        return false;
    uint32_t ld = pair ? fbuild(&f_ldxp, "sz", size, "o0", (unsigned)gen_below(g, 2), "Rt2", rt2, "Rn", rn, "Rt", rt,
                                NULL)
                       : fbuild(&f_ldxr, "size", size, "o0", (unsigned)gen_below(g, 2), "Rn", rn, "Rt", rt, NULL);
    gen_excl_set(g, true, addr, bytes);
    gen_emit(g, ld, pair ? f_ldxp.name : f_ldxr.name);

    unsigned fillers = (unsigned)gen_below(g, 3);
    for (unsigned i = 0; i < fillers && gen_room(g) >= 1; i++)
        if (!emit_plain_load(g))
            break;
    unsigned rs, st_rt = gen_data_reg(g), st_rt2 = gen_data_reg(g);
    do
        rs = gen_data_reg(g);
    while (rs == st_rt || (pair && rs == st_rt2));
    gen_access(g, addr, bytes, bytes);
    gen_excl_set(g, false, 0, 0);
    uint32_t st = pair ? fbuild(&f_stxp, "sz", size, "Rs", rs, "o0", (unsigned)gen_below(g, 2), "Rt2", st_rt2, "Rn",
                                rn, "Rt", st_rt, NULL)
                       : fbuild(&f_stxr, "size", size, "Rs", rs, "o0", (unsigned)gen_below(g, 2), "Rn", rn, "Rt",
                                st_rt, NULL);
    return gen_emit(g, st, pair ? f_stxp.name : f_stxr.name);
}

static bool make_acqrel(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned bytes = 1u << fget(f, *w, "size"), rn;
    uint64_t addr;
    if (!excl_target(g, bytes, &rn, &addr))
        return false;
    *w = fset(f, *w, "Rn", rn);
    return true;
}

static bool make_clrex(Gen *g, const GenForm *f, uint32_t *w)
{
    gen_excl_set(g, false, 0, 0);
    return true;
}

GenForm gen_ldst_excl_forms[] = {
    {"LDXR/LDAXR", ENC_LDXR, 1, make_ldxr, 0, NULL},
    {"STXR/STLXR (monitor clear)", ENC_STXR, 1, make_stx_clear, 0, NULL},
    {"LDXP/LDAXP", ENC_LDXP, 1, make_ldxp, 0, NULL},
    {"STXP/STLXP (monitor clear)", ENC_STXP, 1, make_stx_clear, 0, NULL},
    {"exclusive load/store pair", NULL, 3, make_excl_pair, GF_COMPOUND, NULL},
    {"LDAR/LDLAR", "size:2 001000 1 1 0 11111 o0 11111 Rn:5 Rt:5", 2, make_acqrel, 0, NULL},
    {"STLR/STLLR", "size:2 001000 1 0 0 11111 o0 11111 Rn:5 Rt:5", 2, make_acqrel, 0, NULL},
    {"CLREX", "11010101000000110011 CRm:4 01011111", 1, make_clrex, 0, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

/* ---- LSE atomics (capstone 4 does not decode them) ------------------------------------------ */

#define ENC_CAS "size:2 001000 1 L 1 Rs:5 o0 11111 Rn:5 Rt:5"
#define ENC_CASP "0 sz 001000 0 L 1 Rs:5 o0 11111 Rn:5 Rt:5"
#define ENC_LDP "opc:2 101 0 0 type:2 L imm7:7 Rt2:5 Rn:5 Rt:5"

static GenForm f_cas = {"CAS", ENC_CAS, 0, NULL, GF_NOCS, NULL};
static GenForm f_casp = {"CASP", ENC_CASP, 0, NULL, GF_NOCS, NULL};
static GenForm f_ldp = {"LDP", ENC_LDP, 0, NULL, 0, NULL};

static bool make_atomic(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned bytes = 1u << fget(f, *w, "size"), rn;
    uint64_t addr;
    if (!excl_target(g, bytes, &rn, &addr))
        return false;
    *w = fset(f, *w, "Rn", rn);
    return true;
}

/* An even register whose pair is outside the pool (X30 pairs with XZR). */
static unsigned even_reg(Gen *g)
{
    if (gen_chance(g, 5))
        return 30;
    return 2 * (unsigned)gen_below(g, 12); /* X0 .. X22 */
}

static bool make_casp(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned bytes = 8u << fget(f, *w, "sz"), rn;
    uint64_t addr;
    if (!excl_target(g, bytes, &rn, &addr))
        return false;
    *w = fset(f, *w, "Rn", rn);
    *w = fset(f, *w, "Rs", even_reg(g));
    *w = fset(f, *w, "Rt", even_reg(g));
    return true;
}

/* LDR Rs, [Xn] then CAS Rs, Rt, [Xn]: the comparison succeeds. */
static bool make_cas_hit(Gen *g, const GenForm *unused, uint32_t *w)
{
    if (gen_room(g) < 1)
        return false;
    unsigned size = (unsigned)gen_below(g, 4), bytes = 1u << size, rn, rs = gen_data_reg(g);
    uint64_t addr;
    if (rs == 31 || !excl_target(g, bytes, &rn, &addr))
        return false;
    gen_emit(g, fbuild(&f_ldr, "size", size, "opc", 1, "imm12", 0, "Rn", rn, "Rt", rs, NULL), f_ldr.name);
    gen_access(g, addr, bytes, bytes);
    uint32_t cas = fbuild(&f_cas, "size", size, "L", (unsigned)gen_below(g, 2), "Rs", rs, "o0",
                          (unsigned)gen_below(g, 2), "Rn", rn, "Rt", gen_data_reg(g), NULL);
    return gen_emit(g, cas, f_cas.name);
}

/* LDP Rs, Rs+1, [Xn] then CASP Rs, Rs+1, Rt, Rt+1, [Xn]: the comparison succeeds. */
static bool make_casp_hit(Gen *g, const GenForm *unused, uint32_t *w)
{
    if (gen_room(g) < 1)
        return false;
    unsigned sz = (unsigned)gen_below(g, 2), bytes = 8u << sz, rn, rs = even_reg(g);
    uint64_t addr;
    if (rs == 30 || !excl_target(g, bytes, &rn, &addr))
        return false;
    gen_emit(g, fbuild(&f_ldp, "opc", sz ? 2 : 0, "type", 2, "L", 1, "imm7", 0, "Rt2", rs + 1, "Rn", rn, "Rt", rs,
                       NULL),
             f_ldp.name);
    gen_access(g, addr, bytes, bytes);
    uint32_t casp = fbuild(&f_casp, "sz", sz, "L", (unsigned)gen_below(g, 2), "Rs", rs, "o0",
                           (unsigned)gen_below(g, 2), "Rn", rn, "Rt", even_reg(g), NULL);
    return gen_emit(g, casp, f_casp.name);
}

GenForm gen_lse_forms[] = {
    {"CAS", ENC_CAS, 3, make_atomic, GF_NOCS, NULL},
    {"CASP", ENC_CASP, 2, make_casp, GF_NOCS, NULL},
    {"LD<op> (LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN)",
     "size:2 111000 A R 1 Rs:5 0 opc:3 00 Rn:5 Rt:5", 8, make_atomic, GF_NOCS, NULL},
    {"SWP", "size:2 111000 A R 1 Rs:5 1 000 00 Rn:5 Rt:5", 2, make_atomic, GF_NOCS, NULL},
    {"LDR + CAS (compare succeeds)", NULL, 2, make_cas_hit, GF_COMPOUND, NULL},
    {"LDP + CASP (compare succeeds)", NULL, 1, make_casp_hit, GF_COMPOUND, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

/* ---- SIMD&FP loads and stores -------------------------------------------------------------------- */

/* Post-index offset: immediate (Rm = 31: the bytes transferred) or an index register. */
static bool simd_post(Gen *g, const GenForm *f, uint32_t *w, unsigned rn, uint64_t base, unsigned bytes)
{
    uint64_t off = bytes;
    unsigned rm = 31;
    if (gen_chance(g, 40))
        rm = gen_index_reg(g, &off);
    *w = fset(f, *w, "Rm", rm);
    return gen_writeback(g, rn, base + off);
}

static bool make_simd_multi(Gen *g, const GenForm *f, uint32_t *w)
{
    /* opcode: LD4, -, LD1 x4, -, LD3, -, LD1 x3, LD1 x1, LD2, -, LD1 x2 */
    static const int8_t nregs[16] = {4, -1, 4, -1, 3, -1, 3, 1, 2, -1, 2, -1, -1, -1, -1, -1};
    static const int8_t selem[16] = {4, -1, 1, -1, 3, -1, 1, 1, 2, -1, 1, -1, -1, -1, -1, -1};
    unsigned op = fget(f, *w, "opcode"), q = fget(f, *w, "Q");
    if (nregs[op] < 0 || (fget(f, *w, "size") == 3 && !q && selem[op] > 1))
        return false;
    unsigned bytes = (unsigned)nregs[op] * (q ? 16 : 8), rn;
    uint64_t base;
    rn = gen_base_reg(g, &base);
    if (!gen_access(g, base, bytes, 1))
        return false;
    if (fhas(f, "Rm") && !simd_post(g, f, w, rn, base, bytes))
        return false;
    *w = fset(f, *w, "Rn", rn);
    *w = fset(f, *w, "Rt", gen_any_reg(g));
    return true;
}

static bool make_simd_single(Gen *g, const GenForm *f, uint32_t *w)
{
    unsigned op = fget(f, *w, "opcode"), r = fget(f, *w, "R"), s = fget(f, *w, "S"), size = fget(f, *w, "size");
    unsigned scale = op >> 1, sel = ((op & 1) << 1 | r) + 1;
    switch (scale) {
    case 0:
        break;
    case 1:
        if (size & 1)
            return false;
        break;
    case 2:
        if (size & 2)
            return false;
        if (size & 1) {
            if (s)
                return false;
            scale = 3;
        }
        break;
    case 3: /* LDnR: load and replicate */
        if (!fget(f, *w, "L") || s)
            return false;
        scale = size;
        break;
    }
    unsigned bytes = sel << scale, rn;
    uint64_t base;
    rn = gen_base_reg(g, &base);
    if (!gen_access(g, base, bytes, 1))
        return false;
    if (fhas(f, "Rm") && !simd_post(g, f, w, rn, base, bytes))
        return false;
    *w = fset(f, *w, "Rn", rn);
    *w = fset(f, *w, "Rt", gen_any_reg(g));
    return true;
}

GenForm gen_simd_ldst_forms[] = {
    {"LD1-4/ST1-4 (multiple structures)", "0 Q 0011000 L 000000 opcode:4 size:2 Rn:5 Rt:5", 4, make_simd_multi, 0,
     NULL},
    {"LD1-4/ST1-4 (multiple structures, post-index)", "0 Q 0011001 L 0 Rm:5 opcode:4 size:2 Rn:5 Rt:5", 3,
     make_simd_multi, 0, NULL},
    {"LD1-4/ST1-4/LDnR (single structure)", "0 Q 0011010 L R 00000 opcode:3 S size:2 Rn:5 Rt:5", 4,
     make_simd_single, 0, NULL},
    {"LD1-4/ST1-4/LDnR (single structure, post-index)", "0 Q 0011011 L R Rm:5 opcode:3 S size:2 Rn:5 Rt:5", 3,
     make_simd_single, 0, NULL},
    {"LDR/STR (SIMD&FP, unsigned offset)", "size:2 111 1 01 opc:2 imm12:12 Rn:5 Rt:5", 2, make_ldst_uimm, 0, NULL},
    {"LDR/STR (SIMD&FP, imm9)", "size:2 111 1 00 opc:2 0 imm9:9 type:2 Rn:5 Rt:5", 2, make_ldst_imm9, 0, NULL},
    {"LDR/STR (SIMD&FP, register offset)", "size:2 111 1 00 opc:2 1 Rm:5 option:3 S 10 Rn:5 Rt:5", 1,
     make_ldst_regoff, 0, NULL},
    {"LDP/STP/LDNP/STNP (SIMD&FP)", "opc:2 101 1 0 type:2 L imm7:7 Rt2:5 Rn:5 Rt:5", 2, make_ldst_pair, 0, NULL},
    {"LDR (SIMD&FP, literal)", "opc:2 011 1 00 imm19:19 Rt:5", 1, make_literal, GF_POSDEP, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};
