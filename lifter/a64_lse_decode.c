/* a64_lse_decode.c - the LSE atomics decoder (see a64_lse_decode.h). */
#include "a64_lse_decode.h"

#include <stdio.h>

bool a64_lse_decode(uint32_t w, LseInsn *o)
{
    o->rs = w >> 16 & 31;
    o->rn = w >> 5 & 31;
    o->rt = w & 31;
    if ((w & 0x3FA07C00u) == 0x08A07C00u) { /* CAS */
        o->op = LSE_CAS;
        o->size = w >> 30;
        o->acquire = w >> 22 & 1;
        o->release = w >> 15 & 1;
        return true;
    }
    if ((w & 0xBFA07C00u) == 0x08207C00u) { /* CASP */
        if ((o->rs & 1) || (o->rt & 1))
            return false; /* odd register pairs are UNDEFINED */
        o->op = LSE_CASP;
        o->size = 2 + (w >> 30 & 1);
        o->acquire = w >> 22 & 1;
        o->release = w >> 15 & 1;
        return true;
    }
    if ((w & 0x3F200C00u) == 0x38200000u) { /* LD<op>, SWP */
        unsigned o3 = w >> 15 & 1, opc = w >> 12 & 7;
        if (o3 && opc != 0)
            return false; /* LDAPR and others: not LSE */
        o->op = o3 ? LSE_SWP : (enum LseOp)opc;
        o->size = w >> 30;
        o->acquire = w >> 23 & 1;
        o->release = w >> 22 & 1;
        return true;
    }
    return false;
}

/* Register N of width R ('w'/'x'): 31 is the zero register here, never SP. */
static const char *reg(char *buf, size_t n, char r, unsigned num)
{
    if (num == 31)
        snprintf(buf, n, "%czr", r);
    else
        snprintf(buf, n, "%c%u", r, num);
    return buf;
}

bool a64_lse_format(uint32_t w, char *buf, size_t n)
{
    static const char *const names[] = {"ldadd", "ldclr", "ldeor", "ldset", "ldsmax",
                                        "ldsmin", "ldumax", "ldumin", "swp", "cas", "casp"};
    LseInsn i;
    if (!a64_lse_decode(w, &i))
        return false;
    const char *ord = i.acquire && i.release ? "al" : i.acquire ? "a" : i.release ? "l" : "";
    const char *sz = "";
    char r = 'w';
    if (i.op == LSE_CASP)
        r = i.size == 3 ? 'x' : 'w';
    else if (i.size == 0)
        sz = "b";
    else if (i.size == 1)
        sz = "h";
    else if (i.size == 3)
        r = 'x';
    char base[8], rs[8], rs1[8], rt[8], rt1[8];
    if (i.rn == 31)
        snprintf(base, sizeof base, "sp");
    else
        snprintf(base, sizeof base, "x%u", i.rn);
    if (i.op == LSE_CASP)
        snprintf(buf, n, "casp%s %s, %s, %s, %s, [%s]", ord, reg(rs, sizeof rs, r, i.rs),
                 reg(rs1, sizeof rs1, r, i.rs + 1), reg(rt, sizeof rt, r, i.rt), reg(rt1, sizeof rt1, r, i.rt + 1),
                 base);
    else if (i.op <= LSE_LDUMIN && i.rt == 31 && !i.acquire)
        /* ST<op>{L}: the preferred disassembly of LD<op>{L} discarding the old value. */
        snprintf(buf, n, "st%s%s%s %s, [%s]", names[i.op] + 2, ord, sz, reg(rs, sizeof rs, r, i.rs), base);
    else
        snprintf(buf, n, "%s%s%s %s, %s, [%s]", names[i.op], ord, sz, reg(rs, sizeof rs, r, i.rs),
                 reg(rt, sizeof rt, r, i.rt), base);
    return true;
}
