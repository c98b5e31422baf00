/*
 * cfg_jumptable.c - recognizing the targets of a BR that implements a
 * switch or a computed goto.
 *
 * GCC's AArch64 jump tables hold offsets from a base label:
 *
 *     cmp   w0, #N            ; bound (optional for computed goto)
 *     b.hi  default
 *     adrp  x1, table
 *     add   x1, x1, :lo12:table
 *     ldrb  w2, [x1, w0, uxtw]        ; or ldrh ..., uxtw #1 / ldr(sw) ..., #2
 *     adr   x3, base
 *     add   x2, x3, w2, sxtb #2       ; target = base + (entry << 2)
 *     br    x2
 *
 * We simulate the straight-line window before the BR with a tiny abstract
 * domain (unknown / constant / loaded-from-table / base+scaled-entry) and,
 * if the BR's register is "base + entry", read the table from the ELF.
 * Without a bound we read entries while they give code addresses inside the
 * function: reading too far only adds block starts, which is harmless.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

enum Kind { V_UNK, V_CONST, V_LOADED, V_SUM };

typedef struct Val {
    enum Kind k;        /* what is known */
    uint64_t c;         /* V_CONST: value; V_SUM: base */
    uint64_t table;     /* V_LOADED/V_SUM: table address */
    unsigned esize;     /* table entry size in bytes */
    bool sign;          /* entry sign-extended by the load */
    unsigned idx;       /* index register of the load */
    unsigned ext;       /* V_SUM: extend option applied by the add */
    unsigned shift;     /* V_SUM: left shift applied by the add */
} Val;

enum { WINDOW = 48 };

static int64_t sext(uint64_t v, unsigned width)
{
    return (int64_t)(v << (64 - width)) >> (64 - width);
}

static uint64_t apply_ext(uint64_t v, unsigned option)
{
    switch (option) {
    case 0: return (uint8_t)v;
    case 1: return (uint16_t)v;
    case 2: return (uint32_t)v;
    case 4: return (uint64_t)(int64_t)(int8_t)v;
    case 5: return (uint64_t)(int64_t)(int16_t)v;
    case 6: return (uint64_t)(int64_t)(int32_t)v;
    default: return v;
    }
}

static void step(Val *r, int64_t *cmp, uint32_t w, uint64_t pc)
{
    unsigned rd = w & 31, rn = w >> 5 & 31, rm = w >> 16 & 31;
    uint64_t addr;
    bool page;
    if (a64_decode_adr(w, pc, &rd, &addr, &page)) { /* ADR / ADRP */
        r[rd] = (Val){.k = V_CONST, .c = addr};
        return;
    }
    if ((w & 0xFF800000u) == 0x91000000u) { /* ADD Xd, Xn, #imm (64-bit, no flags) */
        uint64_t imm = (uint64_t)(w >> 10 & 0xfff) << ((w >> 22 & 1) ? 12 : 0);
        if (rd == 31)
            return;
        r[rd] = r[rn].k == V_CONST ? (Val){.k = V_CONST, .c = r[rn].c + imm} : (Val){.k = V_UNK};
        return;
    }
    if ((w & 0x7F800000u) == 0x71000000u && rd == 31) { /* CMP Wn|Xn, #imm */
        cmp[rn] = (int64_t)((uint64_t)(w >> 10 & 0xfff) << ((w >> 22 & 1) ? 12 : 0));
        return;
    }
    if ((w & 0x7FE0FFE0u) == 0x2A0003E0u) { /* MOV Rd, Rm (ORR Rd, ZR, Rm) */
        if (rd != 31)
            r[rd] = rm == 31 ? (Val){.k = V_CONST, .c = 0} : r[rm];
        return;
    }
    if ((w & 0x3FE00C00u) == 0x38600800u || (w & 0x3FA00C00u) == 0x38A00800u) {
        /* LDR{B,H,SB,SH,SW,} (register offset), integer */
        unsigned size = w >> 30, opc = w >> 22 & 3;
        if (rd != 31) {
            if (r[rn].k == V_CONST && !(opc == 2 && size == 3))
                r[rd] = (Val){.k = V_LOADED, .table = r[rn].c, .esize = 1u << size, .sign = opc >= 2, .idx = rm};
            else
                r[rd] = (Val){.k = V_UNK};
        }
        return;
    }
    if ((w & 0xFFE00000u) == 0x8B200000u) { /* ADD Xd, Xn|SP, Wm, <ext> #s */
        unsigned opt = w >> 13 & 7, s = w >> 10 & 7;
        Val out = {.k = V_UNK};
        if (rn != 31 && r[rn].k == V_CONST && r[rm].k == V_LOADED)
            out = (Val){.k = V_SUM, .c = r[rn].c, .table = r[rm].table, .esize = r[rm].esize, .sign = r[rm].sign,
                        .idx = r[rm].idx, .ext = opt, .shift = s};
        if (rd != 31)
            r[rd] = out;
        return;
    }
    if ((w & 0xFFE00000u) == 0x8B000000u) { /* ADD Xd, Xn, Xm, LSL #s */
        unsigned s = w >> 10 & 63;
        Val out = {.k = V_UNK};
        if ((w >> 22 & 3) == 0 && r[rn].k == V_CONST && r[rm].k == V_LOADED)
            out = (Val){.k = V_SUM, .c = r[rn].c, .table = r[rm].table, .esize = r[rm].esize, .sign = r[rm].sign,
                        .idx = r[rm].idx, .ext = 3, .shift = s};
        else if ((w >> 22 & 3) == 0 && s == 0 && r[rm].k == V_CONST && r[rn].k == V_LOADED)
            out = (Val){.k = V_SUM, .c = r[rm].c, .table = r[rn].table, .esize = r[rn].esize, .sign = r[rn].sign,
                        .idx = r[rn].idx, .ext = 3, .shift = 0};
        if (rd != 31)
            r[rd] = out;
        return;
    }
    uint64_t t;
    enum A64Flow flow = a64_classify(w, pc, &t);
    if (flow == FLOW_CALL || flow == FLOW_ICALL || flow == FLOW_JUMP || flow == FLOW_RET || flow == FLOW_IJUMP) {
        for (unsigned i = 0; i < 32; i++)
            r[i] = (Val){.k = V_UNK};
        return;
    }
    /* Anything else: forget its destination (and the second one of pairs). */
    r[rd] = (Val){.k = V_UNK};
    if ((w & 0x3A000000u) == 0x28000000u)
        r[w >> 10 & 31] = (Val){.k = V_UNK};
    if ((w & 0x1F000000u) == 0x0A000000u || (w & 0x1F000000u) == 0x0B000000u)
        cmp[rd] = -1;
}

size_t cfg_jumptable(const GuestImage *img, const CfgFunc *f, uint64_t br_pc, uint64_t **targets)
{
    *targets = NULL;
    Val r[32];
    int64_t cmp[32];
    memset(r, 0, sizeof r);
    for (unsigned i = 0; i < 32; i++)
        cmp[i] = -1;
    uint64_t start = br_pc >= WINDOW * 4 ? br_pc - WINDOW * 4 : 0;
    if (f->hi > f->lo && start < f->lo)
        start = f->lo;
    if (start < f->entry && !(f->hi > f->lo))
        start = f->entry;
    for (uint64_t a = start; a < br_pc; a += 4) {
        uint32_t w;
        if (!elf_read(img, a, &w, 4))
            return 0;
        step(r, cmp, w, a);
    }
    uint32_t brw;
    if (!elf_read(img, br_pc, &brw, 4))
        return 0;
    const Val *v = &r[brw >> 5 & 31];
    if (v->k != V_SUM)
        return 0;
    /* A CMP of the index register in the window is not necessarily on the
     * path to this BR, so it is not trusted as the bound: read entries while
     * they are valid targets (reading past the table only adds block
     * starts), but at least as many as such a CMP suggests. */
    size_t bound = cmp[v->idx] >= 0 ? (size_t)cmp[v->idx] + 1 : 0;
    size_t limit = bound > 4096 ? bound : 4096;
    if (limit > 65536)
        return 0;
    uint64_t *out = malloc(limit * sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i < limit; i++) {
        uint64_t e = 0;
        if (!elf_read(img, v->table + i * v->esize, &e, v->esize))
            break;
        if (v->sign)
            e = (uint64_t)sext(e, v->esize * 8);
        uint64_t t = v->c + (apply_ext(e, v->ext) << v->shift);
        bool ok = (t & 3) == 0 && elf_is_code(img, t) && (f->hi > f->lo ? t >= f->lo && t < f->hi : t >= f->entry);
        if (!ok) {
            if (i >= bound)
                break;
            continue;
        }
        out[n++] = t;
    }
    /* Unique targets only. */
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < u && !dup; k++)
            dup = out[k] == out[i];
        if (!dup)
            out[u++] = out[i];
    }
    *targets = out;
    return u;
}
