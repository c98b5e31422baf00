/*
 * a64_ldst.c - loads and stores: single registers (all addressing modes),
 * pairs, literals, exclusives, acquire/release, and the LSE atomics.
 *
 * Identity mapping: a guest address is a host address, so a guest load is
 * one host load (alignment 1: AArch64 allows unaligned normal accesses).
 *
 * Exclusives: LDXR records (address, size, value) in the CpuState monitor;
 * STXR succeeds iff the monitor matches and a compare-and-swap of the
 * recorded value with the new one succeeds.  That admits ABA (a store of
 * the same value in between is not seen), which every guest using
 * LDXR/STXR loops for atomics tolerates; it is the usual choice of
 * translators on hosts without LL/SC.
 *
 * Ordering: x86-64 is TSO.  LDAR is an acquire load (a plain mov), STLR a
 * sequentially consistent store (xchg), so that STLR; LDAR keeps its
 * AArch64 RCsc order.
 */
#include "a64_lift.h"
#include "a64_lse_decode.h"

static LLVMTypeRef int_ty(Lifter *l, unsigned bytes) { return LLVMIntTypeInContext(l->ctx, bytes * 8); }

/* Load SIZE bytes (1..16) at ADDR into register RT (V register if SIMD),
 * extending as asked for general registers. */
static void load_reg(Lifter *l, unsigned rt, bool simd, unsigned bytes, LLVMValueRef addr, bool sign, bool to64)
{
    if (simd) {
        if (bytes == 16)
            wr_v(l, rt, mem_load(l, l->vty, addr));
        else
            wr_vscalar(l, rt, mem_load(l, int_ty(l, bytes), addr));
        return;
    }
    LLVMValueRef v = mem_load(l, int_ty(l, bytes), addr);
    if (sign) {
        v = LLVMBuildSExt(l->b, v, to64 ? l->i64 : l->i32, "");
        if (!to64)
            v = LLVMBuildZExt(l->b, v, l->i64, "");
    }
    wr_x(l, rt, v);
}

static void store_reg(Lifter *l, unsigned rt, bool simd, unsigned bytes, LLVMValueRef addr)
{
    LLVMValueRef v;
    if (simd)
        v = bytes == 16 ? rd_v(l, rt) : rd_vbits(l, rt, bytes * 8);
    else
        v = bytes == 8 ? rd_x(l, rt) : LLVMBuildTrunc(l->b, rd_x(l, rt), int_ty(l, bytes), "");
    mem_store(l, addr, v);
}

/* Decode size/opc of the single-register forms.  Returns false for
 * unallocated combinations; *prefetch for PRFM. */
static bool ldst_kind(uint32_t insn, bool *simd, unsigned *bytes, bool *load, bool *sign, bool *to64, bool *prefetch)
{
    unsigned size = bits(insn, 31, 30), opc = bits(insn, 23, 22);
    *simd = bits(insn, 26, 26);
    *prefetch = false;
    *sign = false;
    *to64 = false;
    if (*simd) {
        if (opc & 2) {
            if (size != 0)
                return false;
            *bytes = 16;
        } else {
            *bytes = 1u << size;
        }
        *load = opc & 1;
        return true;
    }
    *bytes = 1u << size;
    switch (opc) {
    case 0: *load = false; return true;
    case 1: *load = true; return true;
    case 2:
        if (size == 3) { /* PRFM */
            *prefetch = true;
            *load = true;
            return true;
        }
        *load = *sign = *to64 = true;
        return true;
    default:
        if (size >= 2)
            return false;
        *load = *sign = true;
        return true;
    }
}

static bool ldst_single(Lifter *l, uint32_t insn, LLVMValueRef addr)
{
    bool simd, load, sign, to64, prefetch;
    unsigned bytes;
    if (!ldst_kind(insn, &simd, &bytes, &load, &sign, &to64, &prefetch))
        return false;
    if (prefetch)
        return true;
    unsigned rt = bits(insn, 4, 0);
    if (load)
        load_reg(l, rt, simd, bytes, addr, sign, to64);
    else
        store_reg(l, rt, simd, bytes, addr);
    return true;
}

static unsigned ldst_scale(uint32_t insn)
{
    if (bits(insn, 26, 26) && (bits(insn, 23, 22) & 2))
        return 4;
    return bits(insn, 31, 30);
}

/* LDR/STR (unsigned immediate):  size 111 V 01 opc imm12 Rn Rt */
static bool lift_ldst_uimm(Lifter *l, uint32_t insn)
{
    uint64_t off = (uint64_t)bits(insn, 21, 10) << ldst_scale(insn);
    LLVMValueRef addr = LLVMBuildAdd(l->b, rd_xsp(l, bits(insn, 9, 5)), c64(l, off), "");
    return ldst_single(l, insn, addr);
}

/* LDUR/STUR, post-index, LDTR (unprivileged), pre-index:
 *   size 111 V 00 opc 0 imm9 op2 Rn Rt     op2: 00 unscaled 01 post 10 unpriv 11 pre */
static bool lift_ldst_imm9(Lifter *l, uint32_t insn)
{
    unsigned op2 = bits(insn, 11, 10), rn = bits(insn, 9, 5);
    int64_t imm = sext(bits(insn, 20, 12), 9);
    LLVMValueRef base = rd_xsp(l, rn);
    LLVMValueRef moved = LLVMBuildAdd(l->b, base, c64(l, (uint64_t)imm), "");
    LLVMValueRef addr = op2 == 1 ? base : moved;
    if (op2 == 2 && bits(insn, 26, 26))
        return false; /* no unprivileged SIMD form */
    if (!ldst_single(l, insn, addr))
        return false;
    if (op2 == 1 || op2 == 3)
        wr_xsp(l, rn, moved);
    return true;
}

/* LDR/STR (register offset):  size 111 V 00 opc 1 Rm option S 10 Rn Rt */
static bool lift_ldst_reg(Lifter *l, uint32_t insn)
{
    unsigned option = bits(insn, 15, 13);
    if (!(option & 2))
        return false;
    unsigned shift = bits(insn, 12, 12) ? ldst_scale(insn) : 0;
    LLVMValueRef off = a64_extend(l, rd_x(l, bits(insn, 20, 16)), option, shift);
    LLVMValueRef addr = LLVMBuildAdd(l->b, rd_xsp(l, bits(insn, 9, 5)), off, "");
    return ldst_single(l, insn, addr);
}

/* LDR (literal):  opc 011 V 00 imm19 Rt    opc: 00 W/S, 01 X/D, 10 LDRSW/Q, 11 PRFM */
static bool lift_ldr_lit(Lifter *l, uint32_t insn)
{
    unsigned opc = bits(insn, 31, 30), rt = bits(insn, 4, 0);
    bool simd = bits(insn, 26, 26);
    LLVMValueRef addr = c64(l, l->pc + (uint64_t)(sext(bits(insn, 23, 5), 19) * 4));
    if (simd) {
        if (opc == 3)
            return false;
        load_reg(l, rt, true, 4u << opc, addr, false, false);
        return true;
    }
    switch (opc) {
    case 0: load_reg(l, rt, false, 4, addr, false, false); return true;
    case 1: load_reg(l, rt, false, 8, addr, false, false); return true;
    case 2: load_reg(l, rt, false, 4, addr, true, true); return true;
    default: return true; /* PRFM (literal) */
    }
}

/* LDP/STP/LDNP/STNP/LDPSW (all index modes):
 *   opc 101 V 0 idx(2) L imm7 Rt2 Rn Rt    idx: 00 no-allocate, 01 post, 10 offset, 11 pre */
static bool lift_ldst_pair(Lifter *l, uint32_t insn)
{
    unsigned opc = bits(insn, 31, 30), idx = bits(insn, 24, 23), rn = bits(insn, 9, 5);
    unsigned rt = bits(insn, 4, 0), rt2 = bits(insn, 14, 10);
    bool simd = bits(insn, 26, 26), load = bits(insn, 22, 22), sign = false;
    unsigned bytes;
    if (simd) {
        if (opc == 3)
            return false;
        bytes = 4u << opc;
    } else {
        if (opc == 3 || (opc == 1 && (!load || idx == 0)))
            return false; /* STGP (MTE) and LDPSW no-allocate are not ours */
        sign = opc == 1;
        bytes = opc == 2 ? 8 : 4;
    }
    int64_t off = sext(bits(insn, 21, 15), 7) * (int64_t)bytes;
    LLVMValueRef base = rd_xsp(l, rn);
    LLVMValueRef moved = LLVMBuildAdd(l->b, base, c64(l, (uint64_t)off), "");
    LLVMValueRef addr = idx == 1 ? base : moved;
    LLVMValueRef addr2 = LLVMBuildAdd(l->b, addr, c64(l, bytes), "");
    if (load) {
        /* Read both before writing either (Rt may equal Rn). */
        if (simd) {
            LLVMValueRef a = bytes == 16 ? mem_load(l, l->vty, addr) : mem_load(l, int_ty(l, bytes), addr);
            LLVMValueRef b = bytes == 16 ? mem_load(l, l->vty, addr2) : mem_load(l, int_ty(l, bytes), addr2);
            if (bytes == 16) {
                wr_v(l, rt, a);
                wr_v(l, rt2, b);
            } else {
                wr_vscalar(l, rt, a);
                wr_vscalar(l, rt2, b);
            }
        } else {
            LLVMValueRef a = mem_load(l, int_ty(l, bytes), addr), b = mem_load(l, int_ty(l, bytes), addr2);
            if (sign) {
                a = LLVMBuildSExt(l->b, a, l->i64, "");
                b = LLVMBuildSExt(l->b, b, l->i64, "");
            }
            wr_x(l, rt, a);
            wr_x(l, rt2, b);
        }
    } else {
        store_reg(l, rt, simd, bytes, addr);
        store_reg(l, rt2, simd, bytes, addr2);
    }
    if (idx == 1 || idx == 3)
        wr_xsp(l, rn, moved);
    return true;
}

/* ---- exclusives and acquire/release ----------------------------------------- */

static LLVMValueRef atomic_load(Lifter *l, LLVMTypeRef t, LLVMValueRef addr, LLVMAtomicOrdering ord, unsigned align)
{
    LLVMValueRef v = mem_mark(l, LLVMBuildLoad2(l->b, t, mem_ptr(l, addr), ""));
    LLVMSetOrdering(v, ord);
    LLVMSetAlignment(v, align);
    return v;
}

static void atomic_store(Lifter *l, LLVMValueRef v, LLVMValueRef addr, LLVMAtomicOrdering ord, unsigned align)
{
    LLVMValueRef s = mem_mark(l, LLVMBuildStore(l->b, v, mem_ptr(l, addr)));
    LLVMSetOrdering(s, ord);
    LLVMSetAlignment(s, align);
}

/* Load/store exclusive, LDAR/STLR/LDLAR/STLLR:
 *   size 001000 o2 L o1 Rs o0 Rt2 Rn Rt */
static bool lift_ldst_excl(Lifter *l, uint32_t insn)
{
    unsigned size = bits(insn, 31, 30), rs = bits(insn, 20, 16), rt = bits(insn, 4, 0), rt2 = bits(insn, 14, 10);
    bool o2 = bits(insn, 23, 23), load = bits(insn, 22, 22), pair = bits(insn, 21, 21), o0 = bits(insn, 15, 15);
    unsigned bytes = 1u << size;
    LLVMValueRef addr = rd_xsp(l, bits(insn, 9, 5));
    if (o2) { /* LDAR/STLR (o0=1) and LDLAR/STLLR (o0=0) */
        if (pair)
            return false; /* CAS: the LSE form, handled elsewhere */
        LLVMTypeRef t = int_ty(l, bytes);
        if (load)
            wr_x(l, rt, atomic_load(l, t, addr, LLVMAtomicOrderingAcquire, bytes));
        else
            atomic_store(l, LLVMBuildTrunc(l->b, rd_x(l, rt), t, ""), addr, LLVMAtomicOrderingSequentiallyConsistent,
                         bytes);
        return true;
    }
    if (pair && size < 2)
        return false; /* CASP lives here in LSE */
    unsigned total = pair ? bytes * 2 : bytes;
    LLVMTypeRef t = int_ty(l, total);
    LLVMAtomicOrdering ord = o0 ? LLVMAtomicOrderingSequentiallyConsistent : LLVMAtomicOrderingMonotonic;
    if (load) {
        LLVMValueRef v = atomic_load(l, t, addr, o0 ? LLVMAtomicOrderingAcquire : LLVMAtomicOrderingMonotonic, total);
        LLVMBuildStore(l->b, addr, cpu_field(l, CPU_OFF_excl_addr));
        LLVMBuildStore(l->b, c64(l, total), cpu_field(l, CPU_OFF_excl_size));
        if (total == 16) {
            LLVMValueRef lo = LLVMBuildTrunc(l->b, v, l->i64, "");
            LLVMValueRef hi = LLVMBuildTrunc(l->b, LLVMBuildLShr(l->b, v, cint(t, 64), ""), l->i64, "");
            LLVMBuildStore(l->b, lo, cpu_field(l, CPU_OFF_excl_val));
            LLVMBuildStore(l->b, hi, cpu_field(l, CPU_OFF_excl_val + 8));
            wr_x(l, rt, lo);
            wr_x(l, rt2, hi);
        } else {
            LLVMBuildStore(l->b, LLVMBuildZExt(l->b, v, l->i64, ""), cpu_field(l, CPU_OFF_excl_val));
            if (pair) {
                wr_x(l, rt, LLVMBuildTrunc(l->b, v, l->i32, ""));
                wr_x(l, rt2, LLVMBuildTrunc(l->b, LLVMBuildLShr(l->b, v, cint(t, 32), ""), l->i32, ""));
            } else {
                wr_x(l, rt, v);
            }
        }
        return true;
    }
    /* Store exclusive: Ws = 0 on success, 1 on failure; the monitor clears. */
    LLVMValueRef newv;
    if (pair) {
        LLVMValueRef lo = LLVMBuildZExt(l->b, rd_reg(l, rt, size == 3), t, "");
        LLVMValueRef hi = LLVMBuildZExt(l->b, rd_reg(l, rt2, size == 3), t, "");
        newv = LLVMBuildOr(l->b, lo, LLVMBuildShl(l->b, hi, cint(t, bytes * 8), ""), "");
    } else {
        newv = LLVMBuildTrunc(l->b, rd_x(l, rt), t, "");
    }
    LLVMValueRef maddr = LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_excl_addr), "");
    LLVMValueRef msize = LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_excl_size), "");
    LLVMValueRef match = LLVMBuildAnd(l->b, LLVMBuildICmp(l->b, LLVMIntEQ, maddr, addr, ""),
                                      LLVMBuildICmp(l->b, LLVMIntEQ, msize, c64(l, total), ""), "");
    LLVMBasicBlockRef here = LLVMGetInsertBlock(l->b);
    LLVMBasicBlockRef try_bb = lift_new_block(l, "stx_try");
    LLVMValueRef oldv;
    if (total == 16) {
        LLVMValueRef lo = LLVMBuildZExt(l->b, LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_excl_val), ""), t, "");
        LLVMValueRef hi =
            LLVMBuildZExt(l->b, LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_excl_val + 8), ""), t, "");
        oldv = LLVMBuildOr(l->b, lo, LLVMBuildShl(l->b, hi, cint(t, 64), ""), "");
    } else {
        oldv = LLVMBuildTrunc(l->b, LLVMBuildLoad2(l->b, l->i64, cpu_field(l, CPU_OFF_excl_val), ""), t, "");
    }
    LLVMValueRef cx = mem_mark(l, LLVMBuildAtomicCmpXchg(l->b, mem_ptr(l, addr), oldv, newv, LLVMAtomicOrderingSequentiallyConsistent,
                                             LLVMAtomicOrderingSequentiallyConsistent, 0));
    LLVMSetAlignment(cx, total);
    LLVMValueRef okv = LLVMBuildExtractValue(l->b, cx, 1, "");
    LLVMValueRef st_try = LLVMBuildZExt(l->b, LLVMBuildNot(l->b, okv, ""), l->i64, "");
    LLVMBasicBlockRef try_end = LLVMGetInsertBlock(l->b);
    LLVMBasicBlockRef join = lift_new_block(l, "stx_done");
    LLVMValueRef phi = LLVMBuildPhi(l->b, l->i64, "stx_status");
    LLVMValueRef vals[] = {c64(l, 1), st_try};
    LLVMBasicBlockRef from[] = {here, try_end};
    LLVMAddIncoming(phi, vals, from, 2);
    LLVMBuildStore(l->b, c64(l, 0), cpu_field(l, CPU_OFF_excl_size));
    wr_x(l, rs, phi);
    LLVMPositionBuilderAtEnd(l->b, here);
    LLVMBuildCondBr(l->b, match, try_bb, join);
    LLVMPositionBuilderAtEnd(l->b, try_end);
    LLVMBuildBr(l->b, join);
    LLVMPositionBuilderAtEnd(l->b, join);
    (void)ord;
    return true;
}

/* ---- LSE atomics (decoded by a64_lse_decode.c) ------------------------------ */

static bool lift_lse(Lifter *l, uint32_t insn)
{
    LseInsn a;
    if (!a64_lse_decode(insn, &a)) /* e.g. STXP with Rt2 = XZR matches the CASP pattern */
        return (insn & 0x3F000000u) == 0x08000000u ? lift_ldst_excl(l, insn) : false;
    LLVMAtomicOrdering ord = a.acquire && a.release ? LLVMAtomicOrderingSequentiallyConsistent
                             : a.acquire             ? LLVMAtomicOrderingAcquire
                             : a.release             ? LLVMAtomicOrderingRelease
                                                     : LLVMAtomicOrderingMonotonic;
    LLVMValueRef addr = rd_xsp(l, a.rn);
    unsigned bytes = 1u << a.size;
    if (a.op == LSE_CASP) {
        LLVMTypeRef t = int_ty(l, bytes * 2), h = int_ty(l, bytes);
        LLVMValueRef cmp = LLVMBuildOr(
            l->b, LLVMBuildZExt(l->b, LLVMBuildTrunc(l->b, rd_x(l, a.rs), h, ""), t, ""),
            LLVMBuildShl(l->b, LLVMBuildZExt(l->b, LLVMBuildTrunc(l->b, rd_x(l, a.rs + 1), h, ""), t, ""),
                         cint(t, bytes * 8), ""),
            "");
        LLVMValueRef nv = LLVMBuildOr(
            l->b, LLVMBuildZExt(l->b, LLVMBuildTrunc(l->b, rd_x(l, a.rt), h, ""), t, ""),
            LLVMBuildShl(l->b, LLVMBuildZExt(l->b, LLVMBuildTrunc(l->b, rd_x(l, a.rt + 1), h, ""), t, ""),
                         cint(t, bytes * 8), ""),
            "");
        LLVMValueRef cx = mem_mark(l, LLVMBuildAtomicCmpXchg(l->b, mem_ptr(l, addr), cmp, nv, LLVMAtomicOrderingSequentiallyConsistent,
                                                 LLVMAtomicOrderingSequentiallyConsistent, 0));
        LLVMSetAlignment(cx, bytes * 2);
        LLVMValueRef old = LLVMBuildExtractValue(l->b, cx, 0, "");
        wr_x(l, a.rs, LLVMBuildTrunc(l->b, old, h, ""));
        wr_x(l, a.rs + 1, LLVMBuildTrunc(l->b, LLVMBuildLShr(l->b, old, cint(t, bytes * 8), ""), h, ""));
        return true;
    }
    LLVMTypeRef t = int_ty(l, bytes);
    if (a.op == LSE_CAS) {
        LLVMValueRef cmp = LLVMBuildTrunc(l->b, rd_x(l, a.rs), t, "");
        LLVMValueRef nv = LLVMBuildTrunc(l->b, rd_x(l, a.rt), t, "");
        LLVMValueRef cx = mem_mark(l, LLVMBuildAtomicCmpXchg(l->b, mem_ptr(l, addr), cmp, nv, LLVMAtomicOrderingSequentiallyConsistent,
                                                 LLVMAtomicOrderingSequentiallyConsistent, 0));
        LLVMSetAlignment(cx, bytes);
        wr_x(l, a.rs, LLVMBuildExtractValue(l->b, cx, 0, ""));
        return true;
    }
    static const LLVMAtomicRMWBinOp ops[] = {
        [LSE_LDADD] = LLVMAtomicRMWBinOpAdd, [LSE_LDCLR] = LLVMAtomicRMWBinOpAnd, [LSE_LDEOR] = LLVMAtomicRMWBinOpXor,
        [LSE_LDSET] = LLVMAtomicRMWBinOpOr,  [LSE_LDSMAX] = LLVMAtomicRMWBinOpMax, [LSE_LDSMIN] = LLVMAtomicRMWBinOpMin,
        [LSE_LDUMAX] = LLVMAtomicRMWBinOpUMax, [LSE_LDUMIN] = LLVMAtomicRMWBinOpUMin, [LSE_SWP] = LLVMAtomicRMWBinOpXchg,
    };
    LLVMValueRef v = LLVMBuildTrunc(l->b, rd_x(l, a.rs), t, "");
    if (a.op == LSE_LDCLR) /* LDCLR: mem = mem AND NOT(Rs) */
        v = LLVMBuildNot(l->b, v, "");
    LLVMValueRef rmw = mem_mark(l, LLVMBuildAtomicRMW(l->b, ops[a.op], mem_ptr(l, addr), v,
                                          ord == LLVMAtomicOrderingMonotonic ? LLVMAtomicOrderingMonotonic : ord, 0));
    LLVMSetAlignment(rmw, bytes);
    wr_x(l, a.rt, rmw);
    return true;
}

const A64Form a64_ldst_forms[] = {
    {0x3F207C00u, 0x08207C00u, lift_lse, "CAS/CASP"},
    {0x3F200C00u, 0x38200000u, lift_lse, "atomic memory operations"},
    {0x3F000000u, 0x08000000u, lift_ldst_excl, "load/store exclusive, ordered"},
    {0x3B000000u, 0x18000000u, lift_ldr_lit, "load register (literal)"},
    {0x3A000000u, 0x28000000u, lift_ldst_pair, "load/store pair"},
    {0x3B200C00u, 0x38200800u, lift_ldst_reg, "load/store register (register offset)"},
    {0x3B200000u, 0x38000000u, lift_ldst_imm9, "load/store register (imm9)"},
    {0x3B000000u, 0x39000000u, lift_ldst_uimm, "load/store register (unsigned immediate)"},
    {0, 0, NULL, NULL},
};
