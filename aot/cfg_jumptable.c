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
 *
 * The table's address is often not computed in the window: a big switch
 * loop (sqlite3VdbeExec) keeps it in a stack slot, stored once near the
 * entry and loaded before each dispatch, and other functions keep it in a
 * callee-saved register set at the entry (lua's str_format).  So a first
 * pass over the whole function (in address order, ignoring the paths)
 * summarizes what each register and each 64-bit stack slot ([sp|x29, #off])
 * can hold: a constant when every write of it in the function writes that
 * one constant (the epilogue's reloads of callee-saved registers, which
 * end the function, do not count).  The window then starts from those
 * constants and follows 64-bit stores and loads of stack slots.  A wrong
 * constant costs nothing but block starts: every entry read is checked to
 * be code inside the function, and a BR that goes elsewhere at run time
 * still goes through the dispatcher.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

enum Kind { V_UNK, V_CONST, V_LOADED, V_SUM, V_INIT /* not written yet (summary pass) */ };

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

enum { WINDOW = 48, NSLOTS = 64 };

/* What every write in the function gives a register or a stack slot. */
typedef struct Summary {
    enum { G_NONE, G_CONST, G_MANY } s;
    uint64_t c;
} Summary;

/* A 64-bit stack slot: [base, #off] with base SP (31) or X29. */
typedef struct Slot {
    unsigned base;
    int64_t off;
    Val v;          /* window: what it holds */
    Summary g;      /* summary pass: every store to it */
} Slot;

typedef struct Sim {
    Val r[32];
    int64_t cmp[32];
    Slot slot[NSLOTS];
    unsigned nslot;
    bool summarize;           /* the summary pass: record stores in slot[].g */
    const struct Sim *g;      /* the window: the function's summary */
    Val start[32];            /* the window: what registers hold where no path is known */
} Sim;

static bool val_eq(const Val *a, const Val *b)
{
    return a->k == b->k && a->c == b->c && a->table == b->table && a->esize == b->esize && a->sign == b->sign &&
           a->idx == b->idx && a->ext == b->ext && a->shift == b->shift;
}

static void merge(Summary *g, const Val *v)
{
    if (v->k == V_CONST && (g->s == G_NONE || (g->s == G_CONST && g->c == v->c)))
        *g = (Summary){G_CONST, v->c};
    else
        g->s = G_MANY;
}

static Slot *find_slot(Sim *m, unsigned base, int64_t off, bool add)
{
    for (unsigned i = 0; i < m->nslot; i++)
        if (m->slot[i].base == base && m->slot[i].off == off)
            return &m->slot[i];
    if (!add || m->nslot == NSLOTS)
        return NULL;
    m->slot[m->nslot] = (Slot){.base = base, .off = off, .v = {.k = V_UNK}};
    return &m->slot[m->nslot++];
}

/* STR Xt, [base, #off]: the slot holds Xt's value. */
static void store_slot(Sim *m, unsigned base, int64_t off, unsigned rt)
{
    Val v = rt == 31 ? (Val){.k = V_CONST, .c = 0} : m->r[rt];
    Slot *sl = find_slot(m, base, off, true);
    if (sl == NULL)
        return;
    sl->v = v;
    /* A register's value from before the function (the prologue saving a
     * callee-saved register) is not a write of the function's own: the
     * slot is often reused as a spill slot after it. */
    if (m->summarize && v.k != V_INIT)
        merge(&sl->g, &v);
}

/* LDR Xt, [base, #off]: what the window stored there, else the summary's
 * constant. */
static Val load_slot(Sim *m, unsigned base, int64_t off)
{
    const Slot *sl = find_slot(m, base, off, false);
    if (sl != NULL)
        return sl->v;
    if (m->g != NULL) {
        for (unsigned i = 0; i < m->g->nslot; i++)
            if (m->g->slot[i].base == base && m->g->slot[i].off == off && m->g->slot[i].g.s == G_CONST)
                return (Val){.k = V_CONST, .c = m->g->slot[i].g.c};
    }
    return (Val){.k = V_UNK};
}

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

static void step(Sim *m, uint32_t w, uint64_t pc)
{
    Val *r = m->r;
    int64_t *cmp = m->cmp;
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
    if ((w & 0xFFC00000u) == 0xF9000000u && (rn == 31 || rn == 29)) { /* STR Xt, [sp|x29, #imm] */
        store_slot(m, rn, (int64_t)(w >> 10 & 0xfff) * 8, rd);
        return;
    }
    if ((w & 0xFFE00C00u) == 0xF8000000u && (rn == 31 || rn == 29)) { /* STUR Xt, [sp|x29, #simm] */
        store_slot(m, rn, sext(w >> 12 & 0x1ff, 9), rd);
        return;
    }
    if ((w & 0xFFC00000u) == 0xA9000000u && (rn == 31 || rn == 29)) { /* STP Xt, Xt2, [sp|x29, #imm] */
        int64_t off = sext(w >> 15 & 0x7f, 7) * 8;
        store_slot(m, rn, off, rd);
        store_slot(m, rn, off + 8, w >> 10 & 31);
        return;
    }
    if ((w & 0xFFC00000u) == 0xF9400000u && (rn == 31 || rn == 29)) { /* LDR Xt, [sp|x29, #imm] */
        if (rd != 31)
            r[rd] = load_slot(m, rn, (int64_t)(w >> 10 & 0xfff) * 8);
        return;
    }
    if ((w & 0xFFE00C00u) == 0xF8400000u && (rn == 31 || rn == 29)) { /* LDUR Xt, [sp|x29, #simm] */
        if (rd != 31)
            r[rd] = load_slot(m, rn, sext(w >> 12 & 0x1ff, 9));
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
    if (flow == FLOW_CALL || flow == FLOW_ICALL) {
        /* The callee keeps X19-X28 and X29 (AAPCS64); X30 is the return
         * address. */
        for (unsigned i = 0; i < 32; i++)
            if (i < 19 || i == 30)
                r[i] = (Val){.k = V_UNK};
        return;
    }
    if (flow == FLOW_COND) /* B.cond, CBZ, TBZ: no register written (B.cond's low bits are not Rd) */
        return;
    if (flow == FLOW_JUMP || flow == FLOW_RET || flow == FLOW_IJUMP) {
        if (m->summarize) /* the summary pass follows address order, not paths */
            return;
        memcpy(r, m->start, sizeof m->start);
        m->nslot = 0;
        return;
    }
    /* Anything else: forget its destination (and the second one of pairs). */
    r[rd] = (Val){.k = V_UNK};
    if ((w & 0x3A000000u) == 0x28000000u)
        r[w >> 10 & 31] = (Val){.k = V_UNK};
    if ((w & 0x1F000000u) == 0x0A000000u || (w & 0x1F000000u) == 0x0B000000u)
        cmp[rd] = -1;
}

static void sim_init(Sim *m, enum Kind k)
{
    memset(m, 0, sizeof *m);
    for (unsigned i = 0; i < 32; i++)
        m->r[i] = m->start[i] = (Val){.k = k}, m->cmp[i] = -1;
}

/* Is W a reload of callee-saved registers from the stack (LDP or LDR from
 * SP, any addressing mode): the epilogue, or a reload of a spill? */
static bool reloads_callee_saved(uint32_t w)
{
    unsigned rt = w & 31, rt2 = w >> 10 & 31, rn = w >> 5 & 31;
    if (rn != 31)
        return false;
    bool ldp = (w & 0xFE400000u) == 0xA8400000u && (w >> 23 & 3) != 0; /* LDP X, post/offset/pre */
    bool ldr = (w & 0xFFC00000u) == 0xF9400000u || (w & 0xFFE00400u) == 0xF8400400u; /* LDR X imm, post/pre */
    return (ldp && rt >= 19 && rt <= 30 && rt2 >= 19 && rt2 <= 30) || (ldr && rt >= 19 && rt <= 30);
}

/* The summary pass over [lo, hi): G_CONST registers and slots. */
static void summarize(const GuestImage *img, uint64_t lo, uint64_t hi, Sim *g, Summary *reg)
{
    Sim m;
    sim_init(&m, V_INIT);
    m.summarize = true;
    /* ADRP Xd and the ADD Xd, Xd, #lo12 that is the next write of Xd are
     * one write: the ADD's value replaces the ADRP's (prev: the summary
     * before the ADRP). */
    Summary prev[31];
    bool last_adrp[31];
    for (unsigned i = 0; i < 32; i++)
        reg[i] = (Summary){G_NONE, 0};
    memset(last_adrp, 0, sizeof last_adrp);
    for (uint64_t a = lo; a < hi; a += 4) {
        uint32_t w;
        /* Code only: elf_read reads zeros up to p_memsz, and a symbol's
         * size can claim terabytes of them (fuzz_elf: a 33 s summary;
         * regression test cfg_huge_function_extent). */
        if (!elf_is_code(img, a) || !elf_read(img, a, &w, 4))
            break;
        Val before[32];
        memcpy(before, m.r, sizeof before);
        step(&m, w, a);
        if (reloads_callee_saved(w)) { /* not a write of the function's own value */
            memcpy(m.r, before, sizeof before);
            continue;
        }
        for (unsigned i = 0; i < 31; i++) {
            if (val_eq(&before[i], &m.r[i]))
                continue;
            bool refines = (w & 0xFF800000u) == 0x91000000u && (w & 31) == i && (w >> 5 & 31) == i &&
                           last_adrp[i] && before[i].k == V_CONST;
            if (refines)
                reg[i] = prev[i];
            prev[i] = reg[i];
            last_adrp[i] = (w & 0x9F000000u) == 0x90000000u;
            merge(&reg[i], &m.r[i]);
        }
    }
    *g = m;
}

bool cfg_br_may_share_table(const GuestImage *img, const CfgFunc *f, uint64_t br_pc)
{
    uint32_t brw;
    if (!elf_read(img, br_pc, &brw, 4))
        return false;
    unsigned reg = brw >> 5 & 31;
    uint64_t lo = f->hi > f->lo ? f->lo : f->entry;
    for (uint64_t a = br_pc; a >= lo + 4 && a + WINDOW * 4 > br_pc;) {
        a -= 4;
        uint32_t w;
        uint64_t t;
        if (!elf_read(img, a, &w, 4))
            return false;
        enum A64Flow flow = a64_classify(w, a, &t);
        if (flow == FLOW_JUMP || flow == FLOW_RET || flow == FLOW_IJUMP || flow == FLOW_STOP)
            return true; /* the block's start: REG comes from elsewhere */
        if (flow == FLOW_CALL || flow == FLOW_ICALL)
            return reg >= 19 && reg <= 29;
        bool ldp = (w & 0x3A400000u) == 0x28400000u; /* LDP (any form) */
        if ((ldp && ((w & 31) == reg || (w >> 10 & 31) == reg)))
            return false;
        if ((w & 31) != reg || flow == FLOW_COND)
            continue;
        if ((w & 0xFFE00000u) == 0x8B200000u || (w & 0xFF200000u) == 0x8B000000u)
            return true; /* ADD Xd, Xn, Xm...: a computed address */
        bool mov = (w & 0x7FE0FFE0u) == 0x2A0003E0u;
        bool load = (w & 0x3B000000u) == 0x39000000u && (w >> 22 & 3) != 0; /* LDR (unsigned offset) */
        bool load2 = (w & 0x3B200000u) == 0x38000000u && (w >> 22 & 3) != 0; /* LDUR, LDR pre/post, register */
        if (mov || load || load2)
            return false; /* a pointer loaded or copied: a call through it */
    }
    return true;
}

/* The straight-line window [start, br_pc) before a BR, from the
 * function's summary G/REG (and, where it knows nothing, AT_START's
 * constants, if given); false if the code cannot be read. */
static bool run_window(const GuestImage *img, uint64_t start, uint64_t br_pc, const Sim *g, const Summary *reg,
                       const Val *at_start, Sim *out)
{
    Sim m;
    sim_init(&m, V_UNK);
    m.g = g;
    for (unsigned i = 0; i < 31; i++) {
        if (reg[i].s == G_CONST)
            m.r[i] = m.start[i] = (Val){.k = V_CONST, .c = reg[i].c};
        else if (at_start != NULL && at_start[i].k == V_CONST)
            m.r[i] = m.start[i] = at_start[i];
    }
    /* The window is straight-line code in address order, but the BR's
     * block may be reached by a forward conditional branch from above an
     * unconditional jump (GCC puts a switch's dispatch out of line, after
     * a call and a `b`): after such a jump, at the target of a conditional
     * branch seen earlier in the window, the state is the one at that
     * branch. */
    enum { NSAVED = 4 };
    static __thread struct Saved {
        uint64_t target;
        Sim m;
    } saved[NSAVED];
    size_t nsaved = 0;
    bool dead = false;   /* after an unconditional jump: the state is unknown */
    for (uint64_t a = start; a < br_pc; a += 4) {
        uint32_t w;
        if (!elf_read(img, a, &w, 4))
            return false;
        for (size_t k = 0; dead && k < nsaved; k++)
            if (saved[k].target == a) {
                m = saved[k].m;
                dead = false;
            }
        step(&m, w, a);
        /* A register the summary knows keeps its constant: the window may
         * begin between its ADRP and its ADD. */
        for (unsigned i = 0; i < 31; i++)
            if (reg[i].s == G_CONST)
                m.r[i] = m.start[i];
        uint64_t t;
        enum A64Flow flow = a64_classify(w, a, &t);
        if (flow == FLOW_COND && t > a && t <= br_pc && nsaved < NSAVED)
            saved[nsaved++] = (struct Saved){t, m};
        dead = flow == FLOW_JUMP || flow == FLOW_RET || flow == FLOW_IJUMP || flow == FLOW_STOP;
    }
    *out = m;
    return true;
}

static int cmp_target(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t cfg_jumptable(const GuestImage *img, const CfgFunc *f, uint64_t br_pc, uint64_t **targets)
{
    *targets = NULL;
    uint64_t lo = f->hi > f->lo ? f->lo : f->entry, hi = f->hi > f->lo ? f->hi : br_pc;
    /* The summary of the function, kept for its other BRs. */
    static __thread struct {
        const GuestImage *img;
        uint64_t lo, hi;
        Sim g;
        Summary reg[32];
    } sum;
    if (sum.img != img || sum.lo != lo || sum.hi != hi) {
        summarize(img, lo, hi, &sum.g, sum.reg);
        sum.img = img, sum.lo = lo, sum.hi = hi;
    }
    Sim m;
    uint64_t start = br_pc >= WINDOW * 4 ? br_pc - WINDOW * 4 : 0;
    if (start < lo)
        start = lo;
    if (!run_window(img, start, br_pc, &sum.g, sum.reg, NULL, &m))
        return 0;
    uint32_t brw;
    if (!elf_read(img, br_pc, &brw, 4))
        return 0;
    if (m.r[brw >> 5 & 31].k != V_SUM) {
        /* Not found with what the whole function says.  A register written
         * more than once (main's x26 holds the table, then later something
         * else) may still hold, at the window, the value of its last write
         * before it in address order: try that.  A wrong guess only adds
         * block starts (every entry is checked to be code of the
         * function), and a BR that goes elsewhere at run time still goes
         * through the dispatcher. */
        Sim sweep;
        sim_init(&sweep, V_UNK);
        for (uint64_t a = lo; a < start; a += 4) {
            uint32_t w;
            if (!elf_read(img, a, &w, 4))
                return 0;
            Val before[32];
            memcpy(before, sweep.r, sizeof before);
            step(&sweep, w, a);
            if (reloads_callee_saved(w))
                memcpy(sweep.r, before, sizeof before);
        }
        if (!run_window(img, start, br_pc, &sum.g, sum.reg, sweep.r, &m))
            return 0;
    }
    const Val *v = &m.r[brw >> 5 & 31];
    const int64_t *cmp = m.cmp;
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
    if (out == NULL)
        diag_out_of_memory();
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
    /* Unique targets only, ascending: sorted first, since a table may
     * have tens of thousands of entries (a quadratic search took 3 s per
     * table of 61,441 distinct targets). */
    qsort(out, n, sizeof *out, cmp_target);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || out[u - 1] != out[i])
            out[u++] = out[i];
    *targets = out;
    return u;
}
