/*
 * a64_simd_ldst.c - Advanced SIMD load/store structures (Arm ARM C4.1.66):
 * LD1-LD4 / ST1-ST4 (multiple structures), LD1-LD4 / ST1-ST4 (single
 * structure, one lane), LD1R-LD4R (load and replicate), each with an
 * optional post-index (by the transfer size, or by Xm).
 *
 * Multiple structures move whole vectors: LD1 {Vt..Vt+k} loads each register
 * as one vector; LD2/LD3/LD4 load the interleaved elements as one wide vector
 * and de-interleave with shuffles (element e of register s is memory element
 * e*selem + s), the stores do the reverse.  64-bit (Q=0) loads zero the
 * upper halves; single-lane loads keep the other lanes.  Register numbers
 * wrap modulo 32.  Rn may be SP.
 */
#include "a64_fp_util.h"

/* Post-index write-back: Rm 31 means "by the transfer size". */
static void writeback(Lifter *l, uint32_t insn, LLVMValueRef base, unsigned nbytes)
{
    if (!bits(insn, 23, 23))
        return;
    unsigned rm = bits(insn, 20, 16), rn = bits(insn, 9, 5);
    LLVMValueRef off = rm == 31 ? c64(l, nbytes) : rd_x(l, rm);
    wr_xsp(l, rn, LLVMBuildAdd(l->b, base, off, ""));
}

/* LD/ST multiple structures
 *   31 30 29     23 22 21    16 15  12 11 10 9  5 4  0
 *    0  Q 0011000  L  000000   opcode  size   Rn   Rt      (no offset)
 *    0  Q 0011001  L  0  Rm    opcode  size   Rn   Rt      (post-index)
 * opcode 0000 LD4/ST4, 0010 LD1/ST1 x4, 0100 LD3/ST3, 0110 LD1/ST1 x3,
 *        0111 LD1/ST1 x1, 1000 LD2/ST2, 1010 LD1/ST1 x2 */
static bool ldst_multiple(Lifter *l, uint32_t insn)
{
    bool q = bits(insn, 30, 30), load = bits(insn, 22, 22);
    unsigned opcode = bits(insn, 15, 12), size = bits(insn, 11, 10);
    unsigned rn = bits(insn, 9, 5), rt = bits(insn, 4, 0);
    unsigned rpt, selem;
    switch (opcode) {
    case 0x0: rpt = 1; selem = 4; break;
    case 0x2: rpt = 4; selem = 1; break;
    case 0x4: rpt = 1; selem = 3; break;
    case 0x6: rpt = 3; selem = 1; break;
    case 0x7: rpt = 1; selem = 1; break;
    case 0x8: rpt = 1; selem = 2; break;
    case 0xa: rpt = 2; selem = 1; break;
    default: return false;
    }
    if (size == 3 && !q && selem != 1)
        return false;
    if (!bits(insn, 23, 23) && bits(insn, 20, 16) != 0)
        return false;
    unsigned esize = 8u << size, dbytes = q ? 16 : 8, n = dbytes * 8 / esize;
    LLVMValueRef base = rd_xsp(l, rn);
    unsigned total = rpt * selem * dbytes;
    if (selem == 1) {
        for (unsigned r = 0; r < rpt; r++) {
            LLVMValueRef addr = LLVMBuildAdd(l->b, base, c64(l, r * dbytes), "");
            LLVMTypeRef vt = elem_vec_ty(l, 8, dbytes, false);
            if (load)
                wr_elems(l, (rt + r) % 32, mem_load(l, vt, addr));
            else
                mem_store(l, addr, rd_elems(l, (rt + r) % 32, 8, dbytes, false));
        }
    } else {
        LLVMTypeRef wide = elem_vec_ty(l, esize, n * selem, false);
        if (load) {
            LLVMValueRef all = mem_load(l, wide, base);
            for (unsigned s = 0; s < selem; s++)
                wr_elems(l, (rt + s) % 32, vec_pick(l, all, s, selem, n));
        } else {
            /* Interleave: memory element e*selem+s = register s, element e. */
            LLVMValueRef regs[4];
            for (unsigned s = 0; s < selem; s++)
                regs[s] = rd_elems(l, (rt + s) % 32, esize, n, false);
            if (selem == 3)
                regs[3] = LLVMGetUndef(LLVMTypeOf(regs[0]));
            LLVMValueRef all = vec_concat(l, regs[0], regs[1]);
            if (selem > 2)
                all = vec_concat(l, all, vec_concat(l, regs[2], regs[3]));
            LLVMValueRef m[64];
            for (unsigned e = 0; e < n; e++)
                for (unsigned s = 0; s < selem; s++)
                    m[e * selem + s] = c32(l, s * n + e);
            LLVMValueRef v = LLVMBuildShuffleVector(l->b, all, LLVMGetUndef(LLVMTypeOf(all)),
                                                    LLVMConstVector(m, n * selem), "");
            mem_store(l, base, v);
        }
    }
    writeback(l, insn, base, total);
    return true;
}

/* LD/ST single structure
 *   31 30 29     23 22 21 20  16 15  13 12 11 10 9  5 4  0
 *    0  Q 0011010  L  R  00000  opcode  S  size   Rn   Rt     (no offset)
 *    0  Q 0011011  L  R   Rm    opcode  S  size   Rn   Rt     (post-index)
 * selem = opcode<0>:R + 1; opcode<2:1>: 00 B (index Q:S:size),
 * 01 H (Q:S:size<1>), 10 S (Q:S) or D (size 01, index Q), 11 LDnR
 * (replicate, L=1, S=0, element size from size). */
static bool ldst_single(Lifter *l, uint32_t insn)
{
    bool q = bits(insn, 30, 30), load = bits(insn, 22, 22), s_bit = bits(insn, 12, 12);
    unsigned opcode = bits(insn, 15, 13), size = bits(insn, 11, 10);
    unsigned rn = bits(insn, 9, 5), rt = bits(insn, 4, 0);
    unsigned selem = ((opcode & 1) << 1 | bits(insn, 21, 21)) + 1;
    unsigned scale = opcode >> 1, index = 0;
    bool replicate = false;
    if (!bits(insn, 23, 23) && bits(insn, 20, 16) != 0)
        return false;
    switch (scale) {
    case 0: index = q << 3 | s_bit << 2 | size; break;
    case 1:
        if (size & 1)
            return false;
        index = q << 2 | s_bit << 1 | size >> 1;
        break;
    case 2:
        if (size & 2)
            return false;
        if (size & 1) {
            if (s_bit)
                return false;
            index = q;
            scale = 3;
        } else {
            index = q << 1 | s_bit;
        }
        break;
    default:
        if (!load || s_bit)
            return false;
        scale = size;
        replicate = true;
        break;
    }
    unsigned esize = 8u << scale, ebytes = esize / 8;
    LLVMTypeRef et = int_ty(l, esize);
    LLVMValueRef base = rd_xsp(l, rn);
    for (unsigned s = 0; s < selem; s++) {
        unsigned r = (rt + s) % 32;
        LLVMValueRef addr = LLVMBuildAdd(l->b, base, c64(l, s * ebytes), "");
        if (replicate) {
            unsigned n = (q ? 128 : 64) / esize;
            LLVMValueRef e = mem_load(l, et, addr);
            LLVMValueRef v = LLVMBuildInsertElement(l->b, LLVMGetUndef(LLVMVectorType(et, n)), e, c32(l, 0), "");
            LLVMValueRef m[16];
            for (unsigned i = 0; i < n; i++)
                m[i] = c32(l, 0);
            wr_elems(l, r, LLVMBuildShuffleVector(l->b, v, LLVMGetUndef(LLVMTypeOf(v)), LLVMConstVector(m, n), ""));
        } else if (load) {
            LLVMValueRef e = mem_load(l, et, addr);
            LLVMValueRef v = rd_elems(l, r, esize, 128 / esize, false);
            wr_elems(l, r, LLVMBuildInsertElement(l->b, v, e, c32(l, index), ""));
        } else {
            LLVMValueRef v = rd_elems(l, r, esize, 128 / esize, false);
            mem_store(l, addr, LLVMBuildExtractElement(l->b, v, c32(l, index), ""));
        }
    }
    writeback(l, insn, base, selem * ebytes);
    return true;
}

const A64Form a64_simd_ldst_forms[] = {
    {0xBFFF0000, 0x0C000000, ldst_multiple, "ST1/ST2/ST3/ST4 (multiple structures)"},
    {0xBFFF0000, 0x0C400000, ldst_multiple, "LD1/LD2/LD3/LD4 (multiple structures)"},
    {0xBFE00000, 0x0C800000, ldst_multiple, "ST1/ST2/ST3/ST4 (multiple structures, post-index)"},
    {0xBFE00000, 0x0CC00000, ldst_multiple, "LD1/LD2/LD3/LD4 (multiple structures, post-index)"},
    {0xBFDF0000, 0x0D000000, ldst_single, "ST1/ST2/ST3/ST4 (single structure)"},
    {0xBFDF0000, 0x0D400000, ldst_single, "LD1/LD2/LD3/LD4/LDnR (single structure)"},
    {0xBFC00000, 0x0D800000, ldst_single, "ST1/ST2/ST3/ST4 (single structure, post-index)"},
    {0xBFC00000, 0x0DC00000, ldst_single, "LD1/LD2/LD3/LD4/LDnR (single structure, post-index)"},
    {0, 0, NULL, NULL},
};
