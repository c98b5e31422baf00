/*
 * gen.c - the sequence generator's core: the classes, encoding diagrams,
 * the random initial state, the register pool and the validity filter.
 * The forms themselves are in gen_int.c, gen_mem.c and gen_fp.c; gen.h
 * describes the scheme.
 *
 * The capstone handle is opened on first use and kept for the process:
 * every difftest process (the coordinator, each worker) is single-threaded.
 */
#include "gen.h"

#include <assert.h>
#include <capstone/capstone.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64_lse_decode.h"

/* ---- the classes -------------------------------------------------------------- */

/* Each class is a variable class_<its name>: tests/difftest/CMakeLists.txt
 * reads the names from these lines to register one ctest per class. */

static const GenClass class_dp_imm = {
    "dp_imm", "data processing (immediate): ADD/SUB, logical, MOVZ/N/K, bitfield, EXTR, ADR/ADRP", 0,
    {{gen_dp_imm_forms, 1}, {NULL, 0}}};
static const GenClass class_dp_reg = {
    "dp_reg", "data processing (register): logical/add/sub shifted and extended, ADC/SBC, CCMP/CCMN, "
              "CSEL family, 1-, 2- and 3-source",
    0, {{gen_dp_reg_forms, 1}, {NULL, 0}}};
static const GenClass class_ldst = {
    "ldst", "loads and stores: single and pair, all index modes, register offsets, literal, "
            "exclusives, acquire/release",
    GC_MEMORY, {{gen_ldst_forms, 1}, {gen_ldst_excl_forms, 1}, {NULL, 0}}};
static const GenClass class_lse = {
    "lse", "ARMv8.1 atomics: CAS, CASP, LD<op>, SWP (with plain loads and stores)", GC_MEMORY,
    {{gen_lse_forms, 4}, {gen_ldst_forms, 1}, {NULL, 0}}};
static const GenClass class_branch = {
    "branch", "B, B.cond, CBZ/CBNZ, TBZ/TBNZ forward inside the sequence, among data processing", 0,
    {{gen_branch_forms, 6}, {gen_dp_imm_forms, 1}, {gen_dp_reg_forms, 1}, {NULL, 0}}};
static const GenClass class_fp_scalar = {
    "fp_scalar", "scalar floating point: arithmetic, FMA, compare, select, conversions, FMOV", GC_VREGS,
    {{gen_fp_forms, 1}, {NULL, 0}}};
static const GenClass class_fp_half = {
    "fp_half", "scalar half precision (FEAT_FP16): arithmetic, FMA, compare, select, conversions, FMOV",
    GC_VREGS | GC_HALF, {{gen_fp16_forms, 1}, {NULL, 0}}};
static const GenClass class_simd_int = {
    "simd_int", "Advanced SIMD integer: three same/different, two-reg misc, across lanes, shifts, "
                "by element, permutes, copies, immediates",
    GC_VREGS, {{gen_simd_int_forms, 1}, {NULL, 0}}};
static const GenClass class_simd_fp = {
    "simd_fp", "Advanced SIMD floating point: vector and scalar arithmetic, compares, conversions, "
               "by element, pairwise, across lanes",
    GC_VREGS, {{gen_simd_fp_forms, 1}, {NULL, 0}}};
static const GenClass class_simd_ldst = {
    "simd_ldst", "LD1-LD4/ST1-ST4 multiple and single structures, LDnR, post-index; FP/SIMD LDR/STR/LDP/STP",
    GC_MEMORY | GC_VREGS, {{gen_simd_ldst_forms, 1}, {NULL, 0}}};

const GenClass *const gen_classes[] = {
    &class_dp_imm, &class_dp_reg, &class_ldst, &class_lse, &class_branch,
    &class_fp_scalar, &class_fp_half, &class_simd_int, &class_simd_fp, &class_simd_ldst, NULL,
};

const GenClass *gen_find_class(const char *name)
{
    for (size_t i = 0; gen_classes[i] != NULL; i++)
        if (strcmp(gen_classes[i]->name, name) == 0)
            return gen_classes[i];
    return NULL;
}

/* ---- encoding diagrams ------------------------------------------------------------ */

typedef struct GenField {
    char name[12];        /* as written in the diagram */
    uint8_t lsb, width;   /* position in the word */
} GenField;

struct GenEnc {
    uint32_t mask, value; /* the fixed bits */
    GenField f[20];       /* the fields, bit 31 first */
    unsigned nf;
};

static GenEnc *parse_enc(const char *enc)
{
    GenEnc *e = calloc(1, sizeof *e);
    int bit = 32;
    const char *p = enc;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        if (p[0] == '0' || p[0] == '1') {
            for (size_t i = 0; i < len; i++) {
                assert(p[i] == '0' || p[i] == '1');
                bit--;
                e->mask |= 1u << bit;
                e->value |= (uint32_t)(p[i] - '0') << bit;
            }
        } else {
            const char *colon = memchr(p, ':', len);
            size_t nlen = colon ? (size_t)(colon - p) : len;
            unsigned width = colon ? (unsigned)atoi(colon + 1) : 1;
            assert(nlen < sizeof e->f[0].name && e->nf < sizeof e->f / sizeof e->f[0]);
            GenField *f = &e->f[e->nf++];
            memcpy(f->name, p, nlen);
            bit -= (int)width;
            f->lsb = (uint8_t)bit;
            f->width = (uint8_t)width;
        }
        p += len;
    }
    if (bit != 0) {
        fprintf(stderr, "difftest: encoding '%s' has %d bits, not 32\n", enc, 32 - bit);
        abort();
    }
    return e;
}

static const GenEnc *enc_of(const GenForm *f)
{
    GenForm *m = (GenForm *)f; /* the parse cache is the only mutable part of a form */
    if (m->parsed == NULL)
        m->parsed = parse_enc(f->enc);
    return m->parsed;
}

static const GenField *field(const GenForm *f, const char *name)
{
    const GenEnc *e = enc_of(f);
    for (unsigned i = 0; i < e->nf; i++)
        if (strcmp(e->f[i].name, name) == 0)
            return &e->f[i];
    return NULL;
}

bool fhas(const GenForm *f, const char *name) { return field(f, name) != NULL; }

uint32_t fget(const GenForm *f, uint32_t w, const char *name)
{
    const GenField *fd = field(f, name);
    if (fd == NULL) {
        fprintf(stderr, "difftest: form '%s' has no field %s\n", f->name, name);
        abort();
    }
    return (w >> fd->lsb) & (uint32_t)((1ull << fd->width) - 1);
}

uint32_t fset(const GenForm *f, uint32_t w, const char *name, uint32_t v)
{
    const GenField *fd = field(f, name);
    if (fd == NULL) {
        fprintf(stderr, "difftest: form '%s' has no field %s\n", f->name, name);
        abort();
    }
    uint32_t m = (uint32_t)((1ull << fd->width) - 1);
    return (w & ~(m << fd->lsb)) | (v & m) << fd->lsb;
}

uint32_t fbuild(const GenForm *f, ...)
{
    uint32_t w = enc_of(f)->value;
    va_list ap;
    va_start(ap, f);
    for (const char *name = va_arg(ap, const char *); name != NULL; name = va_arg(ap, const char *))
        w = fset(f, w, name, va_arg(ap, unsigned));
    va_end(ap);
    return w;
}

/* ---- the generator's state ------------------------------------------------------------ */

typedef struct GenPend {
    int wb_reg;                   /* writeback: register (-1: none) ... */
    uint64_t wb_val;              /* ... and its new value */
    GenAccess acc[GEN_MAX_ACC];   /* memory the word touches */
    unsigned nacc;
    int excl;                     /* monitor: 0 unchanged, 1 open, -1 clear */
    uint64_t excl_addr;
    unsigned excl_len;
} GenPend;

struct Gen {
    uint64_t rng;                 /* splitmix64 state */
    const GenClass *cls;
    GenSeq *out;
    unsigned pos, len;            /* word being made, words in the sequence */
    unsigned hot[8];              /* registers picked more often */
    bool mem;                     /* GC_MEMORY: the pool is in force */
    uint64_t known[32];           /* pool registers' values (31: SP) */
    bool excl_open;               /* the exclusive monitor is open ... */
    uint64_t excl_addr;           /* ... for these bytes */
    unsigned excl_len;
    bool failed;                  /* an access or writeback of the word was refused */
    unsigned opts;                /* GEN_* */
    GenPend pend;                 /* side effects of the word being made */
};

uint64_t gen_rand(Gen *g) { return dt_mix(&g->rng); }
uint64_t gen_below(Gen *g, uint64_t n) { return n ? gen_rand(g) % n : 0; }
int64_t gen_range(Gen *g, int64_t lo, int64_t hi)
{
    return lo + (int64_t)gen_below(g, (uint64_t)(hi - lo) + 1);
}
bool gen_chance(Gen *g, unsigned percent) { return gen_below(g, 100) < percent; }
unsigned gen_pos(const Gen *g) { return g->pos; }
bool gen_ext(const Gen *g) { return (g->opts & GEN_EXT) != 0; }
unsigned gen_len(const Gen *g) { return g->len; }
unsigned gen_room(const Gen *g) { return g->len - g->pos - 1; }

bool gen_in_pool(unsigned r) { return r >= 24 && r <= 28; }

unsigned gen_any_reg(Gen *g)
{
    if (gen_chance(g, 55))
        return g->hot[gen_below(g, 8)];
    return (unsigned)gen_below(g, 32);
}

unsigned gen_data_reg(Gen *g)
{
    for (;;) {
        unsigned r = gen_any_reg(g);
        if (!g->mem || !gen_in_pool(r))
            return r;
    }
}

unsigned gen_base_reg(Gen *g, uint64_t *value)
{
    static const unsigned bases[] = {28, 27, 31};
    unsigned r = bases[gen_below(g, 3)];
    *value = g->known[r];
    return r;
}

unsigned gen_index_reg(Gen *g, uint64_t *value)
{
    unsigned r = 24 + (unsigned)gen_below(g, 3);
    *value = g->known[r];
    return r;
}

bool gen_access(Gen *g, uint64_t addr, unsigned len, unsigned align)
{
    bool ok = addr >= DT_WINDOW_BASE && len <= DT_WINDOW_SIZE && addr - DT_WINDOW_BASE <= DT_WINDOW_SIZE - len &&
              (align <= 1 || addr % align == 0);
    if (!ok || g->pend.nacc == GEN_MAX_ACC) {
        g->failed = true;
        return false;
    }
    g->pend.acc[g->pend.nacc++] = (GenAccess){addr, len};
    return true;
}

bool gen_writeback(Gen *g, unsigned r, uint64_t value)
{
    bool ok = value >= DT_WINDOW_BASE && value <= DT_WINDOW_BASE + DT_WINDOW_SIZE && (r != 31 || value % 16 == 0);
    if (!ok) {
        g->failed = true;
        return false;
    }
    g->pend.wb_reg = (int)r;
    g->pend.wb_val = value;
    return true;
}

bool gen_offset(Gen *g, uint64_t base, unsigned len, int64_t lo, int64_t hi, unsigned scale, int64_t *imm)
{
    /* base + imm * scale >= WIN and base + imm * scale + len <= WIN + SIZE */
    int64_t b = (int64_t)(base - DT_WINDOW_BASE);
    int64_t need_lo = -b, need_hi = (int64_t)DT_WINDOW_SIZE - (int64_t)len - b;
    int64_t s = (int64_t)scale;
    int64_t ilo = need_lo >= 0 ? (need_lo + s - 1) / s : -((-need_lo) / s);
    int64_t ihi = need_hi >= 0 ? need_hi / s : -((-need_hi + s - 1) / s);
    if (ilo < lo)
        ilo = lo;
    if (ihi > hi)
        ihi = hi;
    if (ilo > ihi)
        return false;
    /* Small offsets are common in real code: prefer them half the time. */
    if (gen_chance(g, 50)) {
        int64_t slo = ilo < -8 ? -8 : ilo, shi = ihi > 8 ? 8 : ihi;
        if (slo <= shi) {
            *imm = gen_range(g, slo, shi);
            return true;
        }
    }
    *imm = gen_range(g, ilo, ihi);
    return true;
}

bool gen_excl_open(const Gen *g, uint64_t *addr, unsigned *len)
{
    if (addr != NULL)
        *addr = g->excl_addr;
    if (len != NULL)
        *len = g->excl_len;
    return g->excl_open;
}

void gen_excl_set(Gen *g, bool open, uint64_t addr, unsigned len)
{
    g->pend.excl = open ? 1 : -1;
    g->pend.excl_addr = addr;
    g->pend.excl_len = len;
}

static void pend_reset(Gen *g)
{
    memset(&g->pend, 0, sizeof g->pend);
    g->pend.wb_reg = -1;
    g->failed = false;
}

bool gen_emit(Gen *g, uint32_t w, const char *form)
{
    if (g->pos >= g->len)
        return false;
    GenSeq *s = g->out;
    s->c.words[g->pos] = w;
    s->form[g->pos] = form;
    s->nacc[g->pos] = (uint8_t)g->pend.nacc;
    memcpy(s->acc[g->pos], g->pend.acc, sizeof g->pend.acc);
    if (g->pend.wb_reg >= 0)
        g->known[g->pend.wb_reg] = g->pend.wb_val;
    if (g->pend.excl != 0) {
        g->excl_open = g->pend.excl > 0;
        g->excl_addr = g->pend.excl_addr;
        g->excl_len = g->pend.excl_len;
    }
    g->pos++;
    pend_reset(g);
    return true;
}

/* ---- validity: capstone 4 must know the word ------------------------------------------ */

static csh capstone(void)
{
    static csh h;
    static bool opened;
    if (!opened) {
        if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK) {
            fprintf(stderr, "difftest: cannot open capstone\n");
            abort();
        }
        opened = true;
    }
    return h;
}

static bool capstone_decodes(uint32_t w)
{
    static cs_insn *insn;
    csh h = capstone();
    if (insn == NULL)
        insn = cs_malloc(h);
    uint8_t b[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    const uint8_t *code = b;
    size_t size = 4;
    uint64_t addr = 0;
    return cs_disasm_iter(h, &code, &size, &addr, insn);
}

void gen_disasm(uint32_t w, uint64_t pc, char *buf, size_t n)
{
    static cs_insn *insn;
    csh h = capstone();
    if (insn == NULL)
        insn = cs_malloc(h);
    uint8_t b[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    const uint8_t *code = b;
    size_t size = 4;
    uint64_t addr = pc;
    if (cs_disasm_iter(h, &code, &size, &addr, insn))
        snprintf(buf, n, "%s %s", insn->mnemonic, insn->op_str);
    else if (!a64_lse_format(w, buf, n))
        snprintf(buf, n, ".inst 0x%08x", w);
}

/* ---- initial values -------------------------------------------------------------------- */

static uint64_t int_value(Gen *g)
{
    static const uint64_t edges[] = {
        0, 1, ~0ull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x7fffffff, 0x80000000ull,
        0xffffffffull, 0x100000000ull, 0xffffffff80000000ull, 0xffffffff7fffffffull, 0x8000, 0xffff,
        0x7f, 0x80, 0xff, 63, 64, 31, 32, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull,
    };
    switch (gen_below(g, 10)) {
    case 0: case 1:
        return (uint64_t)gen_range(g, -16, 16);
    case 2: case 3:
        return edges[gen_below(g, sizeof edges / sizeof edges[0])];
    case 4:
        return gen_rand(g) & 0xffffffffu;
    case 5:
        return (uint64_t)(int64_t)(int32_t)gen_rand(g);
    case 6: {
        uint64_t p = 1ull << gen_below(g, 64);
        return p + (uint64_t)gen_range(g, -1, 1);
    }
    default:
        return gen_rand(g);
    }
}

/* An FP value of WIDTH bits (16, 32, 64), biased to the edges: zeros,
 * infinities, NaNs (quiet and signalling, random payloads), denormals, the
 * normal range's ends, and values near the integer conversion limits. */
static uint64_t fp_value(Gen *g, unsigned width)
{
    unsigned ebits = width == 16 ? 5 : width == 32 ? 8 : 11, mbits = width - 1 - ebits;
    uint64_t sign = (uint64_t)gen_below(g, 2) << (width - 1);
    uint64_t emax = (1ull << ebits) - 1, mmask = (1ull << mbits) - 1, bias = emax >> 1;
    uint64_t m = gen_rand(g) & mmask, e;
    switch (gen_below(g, 16)) {
    case 0: return sign;                                              /* +-0 */
    case 1: return sign | emax << mbits;                              /* +-inf */
    case 2: return sign | emax << mbits | 1ull << (mbits - 1) | (gen_chance(g, 50) ? 0 : m); /* qNaN */
    case 3: return sign | emax << mbits | ((m & (mmask >> 1)) | 1);   /* sNaN */
    case 4: return sign | (gen_chance(g, 50) ? 1 : gen_chance(g, 50) ? mmask : m); /* denormal */
    case 5: return sign | 1ull << mbits | (gen_chance(g, 50) ? 0 : m & 0xff); /* smallest normals */
    case 6: return sign | (emax - 1) << mbits | (gen_chance(g, 50) ? mmask : m); /* largest normals */
    case 7: {                                                         /* near 2^k, k = 8,15,16,31,32,63,64 */
        static const unsigned ks[] = {7, 8, 15, 16, 31, 32, 52, 53, 63, 64};
        unsigned k = ks[gen_below(g, sizeof ks / sizeof ks[0])];
        e = bias + k;
        if (e >= emax)
            e = emax - 1;
        uint64_t v = sign | e << mbits;
        return v + (uint64_t)gen_range(g, -2, 2);                     /* a few ulps around */
    }
    case 8: case 9: {                                                 /* small integers and halves */
        e = bias + gen_below(g, 6);
        return sign | e << mbits | (m & ~(mmask >> 3));
    }
    case 10: {                                                        /* 1.0, 0.5, 1.5, 2.0 */
        e = bias - 1 + gen_below(g, 3);
        return sign | e << mbits | (gen_chance(g, 50) ? 0 : 1ull << (mbits - 1));
    }
    case 11: case 12: {                                               /* moderate exponents */
        e = bias - 20 + gen_below(g, 40);
        return sign | e << mbits | m;
    }
    default:
        return gen_rand(g) & (width == 64 ? ~0ull : (1ull << width) - 1);
    }
}

static void vreg_value(Gen *g, bool fp, bool half, uint8_t *v)
{
    static const unsigned widths[] = {16, 32, 64, 32, 64, 8};
    unsigned width = half && gen_chance(g, 80) ? 16 : widths[gen_below(g, fp ? 5 : 6)];
    if (!fp && gen_chance(g, 30)) {
        for (unsigned i = 0; i < 16; i += 8) {
            uint64_t x = gen_rand(g);
            memcpy(v + i, &x, 8);
        }
        return;
    }
    /* Sometimes one value in every lane: pairwise and across-lane operations
     * then meet equal values. */
    bool splat = gen_chance(g, 15);
    uint64_t x = 0;
    for (unsigned i = 0; i < 16; i += width / 8) {
        if (i == 0 || !splat) {
            if (fp && width >= 16)
                x = fp_value(g, width);
            else if (gen_chance(g, 50))
                x = int_value(g);
            else
                x = gen_rand(g);
        }
        memcpy(v + i, &x, width / 8);
    }
    if (gen_chance(g, 10))
        memset(v + 8, 0, 8); /* as after a scalar or 64-bit vector write */
}

static uint64_t window_pointer(Gen *g, unsigned align)
{
    uint64_t off = 256 + gen_below(g, DT_WINDOW_SIZE - 512);
    if (gen_chance(g, 70) && align < 16)
        align = 16;
    return DT_WINDOW_BASE + off / align * align;
}

static void initial_state(Gen *g, GenSeq *s)
{
    DtState *st = &s->c.in;
    memset(st, 0, sizeof *st);
    for (unsigned r = 0; r < 31; r++)
        st->x[r] = int_value(g);
    st->sp = window_pointer(g, 16);
    st->nzcv = gen_below(g, 16) << 28;
    st->fpcr = 0; /* the lifter assumes the default FPCR for now */
    if (((g->opts & GEN_FPCR) || (g->cls->flags & GC_HALF)) && (g->cls->flags & GC_VREGS)) {
        /* RMode (23:22), FZ (24), DN (25), AHP (26), FZ16 (19) */
        static const uint32_t bits[] = {1u << 22, 1u << 23, 1u << 24, 1u << 25, 1u << 26, 1u << 19};
        for (unsigned i = 0; i < 6; i++)
            if (gen_chance(g, 30))
                st->fpcr |= bits[i];
    }
    st->fpsr = 0;
    for (unsigned r = 0; r < 32; r++)
        vreg_value(g, (g->cls->flags & GC_VREGS) != 0, (g->cls->flags & GC_HALF) != 0, st->v[r]);
    if (g->mem) {
        st->x[28] = window_pointer(g, 1);
        st->x[27] = window_pointer(g, 1);
        st->x[26] = (uint64_t)gen_range(g, -256, 256);
        st->x[25] = gen_rand(g) << 32 | (uint32_t)(int32_t)gen_range(g, -256, 256);
        st->x[24] = gen_below(g, 256);
        for (unsigned r = 24; r <= 28; r++)
            g->known[r] = st->x[r];
        g->known[31] = st->sp;
    }
    s->c.mem_seed = gen_rand(g) | 1;
}

/* ---- sequences ----------------------------------------------------------------------------- */

static GenForm *pick_form(Gen *g)
{
    const GenClass *c = g->cls;
    uint64_t total = 0;
    for (const GenTable *t = c->tables; t->forms != NULL; t++)
        for (GenForm *f = t->forms; f->name != NULL; f++)
            total += (uint64_t)f->weight * t->scale;
    uint64_t r = gen_below(g, total);
    for (const GenTable *t = c->tables; t->forms != NULL; t++)
        for (GenForm *f = t->forms; f->name != NULL; f++) {
            uint64_t w = (uint64_t)f->weight * t->scale;
            if (r < w)
                return f;
            r -= w;
        }
    abort();
}

/* Try once to make a word of form F; true if one (or more) was emitted. */
static bool try_form(Gen *g, GenForm *f)
{
    pend_reset(g);
    if (f->flags & GF_COMPOUND) {
        unsigned before = g->pos;
        bool ok = f->make(g, f, NULL) && g->pos > before;
        pend_reset(g);
        return ok;
    }
    const GenEnc *e = enc_of(f);
    uint32_t w = e->value;
    for (unsigned i = 0; i < e->nf; i++) {
        const GenField *fd = &e->f[i];
        uint32_t v;
        if (fd->name[0] == 'R' && fd->width == 5)
            v = gen_data_reg(g);
        else
            v = (uint32_t)gen_rand(g);
        w = fset(f, w, fd->name, v);
    }
    if (f->make != NULL && (!f->make(g, f, &w) || g->failed))
        return false;
    if ((w & e->mask) != e->value) {
        fprintf(stderr, "difftest: make() of '%s' changed fixed bits: %08x\n", f->name, w);
        abort();
    }
    if (!(f->flags & GF_NOCS) && !capstone_decodes(w))
        return false;
    g->out->posdep[g->pos] = (f->flags & GF_POSDEP) != 0;
    return gen_emit(g, w, f->name);
}

void gen_sequence(const GenClass *cls, uint64_t seed, uint64_t index, unsigned len, unsigned opts, GenSeq *out)
{
    Gen g;
    memset(&g, 0, sizeof g);
    memset(out, 0, sizeof *out);
    g.rng = seed;
    uint64_t mix = dt_mix(&g.rng) ^ index * 0xd1342543de82ef95ull;
    for (const char *p = cls->name; *p; p++)
        mix = (mix ^ (uint8_t)*p) * 0x100000001b3ull;
    g.rng = mix;
    dt_mix(&g.rng);
    g.cls = cls;
    g.opts = opts;
    g.out = out;
    g.mem = (cls->flags & GC_MEMORY) != 0;
    g.len = len ? len : 8 + (unsigned)gen_below(&g, 9);
    if (g.len > DT_MAX_WORDS)
        g.len = DT_MAX_WORDS;
    for (unsigned i = 0; i < 8; i++)
        g.hot[i] = (unsigned)gen_below(&g, 32);
    out->cls = cls;
    out->index = index;
    initial_state(&g, out);

    unsigned failures = 0;
    while (g.pos < g.len) {
        GenForm *f = pick_form(&g);
        bool ok = false;
        for (unsigned t = 0; t < 50 && !ok; t++)
            ok = try_form(&g, f);
        if (!ok && ++failures > 10000) {
            fprintf(stderr, "difftest: class %s cannot fill a sequence (last form '%s')\n", cls->name, f->name);
            abort();
        }
    }
    out->c.nwords = g.len;
}
